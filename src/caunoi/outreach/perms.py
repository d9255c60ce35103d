"""The outreach permissions (granted to roles in apps.py)."""

PUBLISH = "outreach.publish"  # write and publish notices, record channels, mark visits, remind
REACH = "outreach.reach"  # see who was reached and who acknowledged
