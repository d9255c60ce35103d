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


class WithdrawForm(SubmissionForm):
    pass


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
