from django import forms
from django.utils.translation import gettext_lazy as _

from caunoi.core.pages import SubmissionForm


class PublishForm(SubmissionForm):
    note = forms.CharField(
        label=_("A note for residents (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RulesForm(SubmissionForm):
    """The province's emulation rules: a weight (points) and a target (%) per measure, the three
    thresholds and the basis. Built with the measures and the rules in force as initial values."""

    excellent = forms.IntegerField(label=_("Excellent from (points)"), min_value=1, max_value=100)
    good = forms.IntegerField(label=_("Good from (points)"), min_value=1, max_value=100)
    floor = forms.IntegerField(label=_("Needs support below (points)"), min_value=1, max_value=100)
    basis = forms.CharField(
        label=_("Legal basis (decision number and date)"),
        max_length=300,
        help_text=_("For example: Quyết định số 12/2022/QĐ-UBND ngày 15/3/2022 của UBND tỉnh"),
    )

    def __init__(self, *args, measures: dict, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        current = {c["key"]: c for c in rules.criteria}
        fields: dict[str, forms.Field] = {}
        for i, (key, label) in enumerate(measures.items()):
            c = current.get(key, {"weight": 0, "target": 1.0})
            fields[f"weight_{i}"] = forms.IntegerField(
                label=_("%(measure)s: weight (points)") % {"measure": label},
                min_value=0,
                max_value=100,
                initial=c["weight"],
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            fields[f"target_{i}"] = forms.IntegerField(
                label=_("%(measure)s: target (%%)") % {"measure": label},
                min_value=1,
                max_value=100,
                initial=round(c["target"] * 100),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        fields.update(self.fields)
        self.fields = fields
        for name in ("excellent", "good", "floor", "basis"):
            value = getattr(rules, name)
            if value and not self.is_bound:
                self.fields[name].initial = value

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        criteria = [
            {"key": key, "weight": data.pop(f"weight_{i}"), "target": data.pop(f"target_{i}") / 100}
            for i, key in enumerate(self.measures)
        ]
        data["criteria"] = [c for c in criteria if c["weight"]]
        return data


# --- Commendation ------------------------------------------------------------------------------


class ProposeForm(SubmissionForm):
    """The commune's proposal: the commendation, then for each area with a head a tick and the
    written reason. Built with the candidates (area, head, scorecard)."""

    award = forms.ChoiceField(label=_("Commendation"))

    def __init__(self, *args, candidates: list, awards: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        award = self.fields["award"]
        assert isinstance(award, forms.ChoiceField)
        award.choices = awards
        for c in candidates:
            pk = c.area.pk
            self.fields[f"pick_{pk}"] = forms.BooleanField(
                label=_("Propose %(name)s (%(area)s)")
                % {"name": c.head.full_name, "area": c.area.short_name},
                required=False,
            )
            self.fields[f"reason_{pk}"] = forms.CharField(
                label=_("Reason for %(name)s") % {"name": c.head.full_name},
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self) -> list:
        return [
            (c, self[f"pick_{c.area.pk}"], self[f"reason_{c.area.pk}"]) for c in self.candidates
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        lines = []
        for c in self.candidates:
            pk = c.area.pk
            reason = data.pop(f"reason_{pk}", "")
            if data.pop(f"pick_{pk}", False):
                lines.append({"area": pk, "reason": reason})
        data["lines"] = lines
        return data


class DecideForm(SubmissionForm):
    """The deciding level's answer for each line that waits: approve, return or refuse, and why."""

    CHOICES = [
        ("approved", _("Approve")),
        ("returned", _("Return for changes")),
        ("refused", _("Refuse")),
    ]

    def __init__(self, *args, lines: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"state_{line.pk}"] = forms.ChoiceField(
                label=_("Decision for %(name)s") % {"name": line.person.full_name},
                choices=self.CHOICES,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{line.pk}"] = forms.CharField(
                label=_("Reason (needed to return or refuse)"),
                max_length=1000,
                required=False,
            )

    def rows(self) -> list:
        return [(x, self[f"state_{x.pk}"], self[f"note_{x.pk}"]) for x in self.lines]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["decisions"] = {
            line.pk: (data.pop(f"state_{line.pk}"), data.pop(f"note_{line.pk}", ""))
            for line in self.lines
        }
        return data


class AmendForm(SubmissionForm):
    line = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("New reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    because = forms.CharField(label=_("Why it was changed"), max_length=1000)


class ConsentForm(SubmissionForm):
    public = forms.TypedChoiceField(
        label=_("Show this commendation on the area's public page?"),
        choices=[("1", _("Yes, show it")), ("0", _("No, keep it off the public page"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
