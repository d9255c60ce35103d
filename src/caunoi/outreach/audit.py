"""The actions the outreach app records in the audit trail (see caunoi.core.audit)."""

from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action

CHANNEL_CHOSEN = action("outreach.channel.chosen", _("Channel chosen by the community meeting"))
CHANNEL_DROPPED = action("outreach.channel.dropped", _("Channel no longer used"))
NOTICE_DRAFTED = action("outreach.notice.drafted", _("Notice written"))
NOTICE_SMS_TEXT_CHANGED = action("outreach.notice.sms_text_changed", _("Notice's SMS text changed"))
NOTICE_PUBLISHED = action("outreach.notice.published", _("Notice published"))
NOTICE_REMINDED = action("outreach.notice.reminded", _("Reminder sent to households not reached"))
DELIVERY_ACKNOWLEDGED = action("outreach.delivery.acknowledged", _("Household knows the notice"))
AUDIO_REQUESTED = action("outreach.audio.requested", _("Notice's audio asked in another voice"))
