"""The directives app's permissions (granted to roles in apps.py)."""

ISSUE = "directives.issue"  # write, send, amend and withdraw a commune's tasks
FOLLOW = "directives.follow"  # see a commune's tasks, completion, evidence and lesson-5 figures
WORK = "directives.work"  # acknowledge, report on and finish an area's tasks
