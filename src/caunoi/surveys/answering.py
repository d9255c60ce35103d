"""Answers checked against a form, the same way for every channel (online, paper, import): types,
required questions, constraints and skip logic (relevant), evaluated on the server."""

import datetime
import math
import re

from django.utils.translation import gettext as _

from caunoi.core.text import normalize

from . import expressions, xlsform

MAX_TEXT = 1000


def _number(text: str, *, integer: bool):
    text = text.strip().replace(" ", "")
    if integer:
        if not re.fullmatch(r"[+-]?\d{1,12}", text):
            raise ValueError
        return int(text)
    if not re.fullmatch(r"[+-]?\d{1,12}([.,]\d{1,6})?", text):
        raise ValueError
    return float(text.replace(",", "."))


def _date(text: str) -> str:
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError


def _values(raw) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, list | tuple):
        return [normalize(str(v)).strip() for v in raw if str(v).strip()]
    return [v for v in normalize(str(raw)).split() if v]


def relevant(definition: dict, q: dict, answers: dict) -> bool:
    """Whether `q` is asked, given the answers so far: its own `relevant` and its groups'."""
    for group_name in q.get("groups", []):
        group = xlsform.group_of(definition, group_name)
        if group and group["relevant"] and not expressions.holds(group["relevant"], answers):
            return False
    return not q["relevant"] or expressions.holds(q["relevant"], answers)


def clean_answers(definition: dict, raw: dict, lang: str = "vi") -> tuple[dict, dict]:
    """(answers, errors by question name). `raw` maps question names to typed text (a list for
    select_multiple, or space-separated choice names)."""
    answers: dict = {}
    errors: dict = {}
    default = definition["default_language"]
    for q in definition["questions"]:
        name, kind = q["name"], q["type"]
        if kind == "note" or not relevant(definition, q, answers):
            continue
        if kind == "calculate":
            result = expressions.value(q.get("calculation", ""), answers)
            if result not in ("", None):
                answers[name] = result
            continue
        value = raw.get(name)
        offered = xlsform.choices_for(definition, q, answers) if q["list"] else []
        choices = {c["name"] for c in offered}
        try:
            if kind == "select_multiple":
                picked = _values(value)
                if any(p not in choices for p in picked):
                    raise ValueError
                value = [c["name"] for c in offered if c["name"] in picked]
                value = value or None
            else:
                text = "" if value is None else normalize(str(value)).strip()
                if isinstance(value, list):
                    text = normalize(str(value[0])).strip() if value else ""
                if not text:
                    value = None
                elif kind == "select_one":
                    if text not in choices:
                        raise ValueError
                    value = text
                elif kind == "integer":
                    value = _number(text, integer=True)
                elif kind == "decimal":
                    value = _number(text, integer=False)
                elif kind == "range":
                    value = _number(text, integer=False)
                    p = q["parameters"]
                    steps = (value - p["start"]) / (p["step"] or 1)
                    if not (p["start"] <= value <= p["end"]) or not math.isclose(
                        steps, round(steps), abs_tol=1e-9
                    ):
                        raise ValueError
                    if value.is_integer():
                        value = int(value)
                elif kind == "date":
                    value = _date(text)
                else:  # text
                    if len(text) > MAX_TEXT:
                        errors[name] = _("Write at most %(n)s characters.") % {"n": MAX_TEXT}
                        continue
                    value = text
        except (ValueError, TypeError):
            errors[name] = {
                "select_one": _("Choose one of the answers given."),
                "select_multiple": _("Choose among the answers given."),
                "integer": _("Write a whole number."),
                "decimal": _("Write a number."),
                "range": _("Choose a value on the scale."),
                "date": _("Write the date as dd/mm/yyyy."),
            }.get(kind, _("This answer cannot be read."))
            continue
        if value is None:
            if q["required"]:
                errors[name] = xlsform.text_for(q.get("required_message", {}), lang, default) or (
                    _("Choose here now: the answers depend on your earlier answers.")
                    if q.get("choice_filter")
                    else _("This question needs an answer.")
                )
            continue
        if q["constraint"] and not expressions.holds(q["constraint"], answers, current=value):
            errors[name] = xlsform.text_for(q["constraint_message"], lang, default) or _(
                "This answer is not allowed by the form."
            )
            continue
        answers[name] = value
    return answers, errors
