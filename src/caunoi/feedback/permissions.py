"""The feedback app's permissions (granted to roles in apps.py)."""

VIEW = "feedback.view"  # see the requests of a ground, with the askers' names
ANSWER = (
    "feedback.answer"  # answer, escalate, hide, redact (heads at their level, the commune at any)
)
COMMUNE = "feedback.commune"  # act at the commune level, keep categories and Open311 keys
STATS = "feedback.stats"  # statistics of a ground
