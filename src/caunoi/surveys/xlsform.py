"""XLSForm in and out: the ODK/KoboToolbox workbook (sheets survey, choices, settings) read into the
form definition Cầu Nối keeps (a plain dict, stored as JSON), and written back.

What is supported, as KoboToolbox's form builder and ODK users write it: select_one and
select_multiple (with `or_other`, and `choice_filter` for cascading choices: extra columns of the
choices sheet, resolved on the server), integer, decimal, text, date, range (`parameters`
start/end/step; appearance `rating`), note, calculate (`calculation`), begin_group/end_group (or
"begin group"; shown as sections, their `relevant` applying to every question inside); columns
required (+ required_message), constraint (+ constraint_message), relevant, hint, appearance;
labels and messages in several languages (`label::Tiếng Việt (vi)`, `label::English (en)`,
`required_message::Vietnamese (vi)`, or plain `label`), their column names kept for the export;
metadata (start, end, today, deviceid, username…) kept as they came, for the export, and not asked.
Columns starting with "$" (KoboToolbox's own: $kuid, $autoname…) carry nothing for the form and
are ignored. Anything else (begin_repeat, rank, select_one_from_file, geopoint, media…) is
refused: every unsupported feature with its row, in one report, so a form never silently loses a
part. After our own reading, pyxform converts the workbook to an XForm (without ODK Validate, so
without Java) to catch what makes it invalid for ODK tools too.

The definition: {title, form_id, version, default_language, languages, questions, choices} and,
when the form has them, `groups` ({name, label, relevant, appearance}, in order), `metadata`
([{type, name}]) and `language_names` ({code: column name as it came}). A question may carry
`groups` (the names of the groups it is in, outermost first), `required_message`, `calculation`,
`choice_filter`, `or_other` (its "other" choice and the text question `<name>_other` it opens).
A choice may carry `filters` (its values in the choices sheet's extra columns).
"""

import io
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from caunoi.core.exceptions import ApplicationError
from caunoi.core.text import normalize

from . import expressions

TYPES = {
    "select_one",
    "select_multiple",
    "integer",
    "decimal",
    "text",
    "date",
    "range",
    "note",
    "calculate",
}
SELECTS = {"select_one", "select_multiple"}
ANSWERED = TYPES - {"note", "calculate"}  # what a person answers
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "simserial",
    "subscriberid",
    "email",
    "audit",
}
# The metadata recorded with each response (its name as the form gives it): when the form was
# opened and sent, and the day. The others (deviceid, username, phonenumber…) would say who
# answered: an anonymous survey keeps the form's declaration of them, never their values.
RECORDED = ("start", "end", "today")


def recorded_metadata(definition: dict) -> list[dict]:
    """The form's metadata recorded per response: [{type, name}] of types start, end, today."""
    return [m for m in definition.get("metadata", []) if m["type"] in RECORDED]


def metadata_values(definition: dict, *, started, ended) -> dict[str, str]:
    """{name: value} of the form's recorded metadata for a response opened at `started` and sent
    at `ended` (aware datetimes): ISO 8601 in local time with its offset, as ODK Collect and
    KoboToolbox write them; `today` the local day."""
    ended = timezone.localtime(ended)
    started = timezone.localtime(started) if started is not None else ended
    values = {
        "start": started.isoformat(timespec="milliseconds"),
        "end": ended.isoformat(timespec="milliseconds"),
        "today": ended.date().isoformat(),
    }
    return {m["name"]: values[m["type"]] for m in recorded_metadata(definition)}


# Types pyxform writes with a space or an underscore alike.
SPELLINGS = {
    "begin group": "begin_group",
    "end group": "end_group",
    "begin repeat": "begin_repeat",
    "end repeat": "end_repeat",
    "select one": "select_one",
    "select multiple": "select_multiple",
    "select one from file": "select_one_from_file",
    "select multiple from file": "select_multiple_from_file",
}
TRANSLATABLE = {"label", "hint", "constraint_message", "required_message"}
SURVEY_COLUMNS = {
    "type",
    "name",
    "required",
    "constraint",
    "relevant",
    "parameters",
    "appearance",
    "calculation",
    "choice_filter",
}
CHOICE_COLUMNS = {"list_name", "name"}
SETTINGS = {"form_title", "form_id", "version", "default_language", "style", "instance_name"}
LANGUAGE_NAMES = {"vi": "Tiếng Việt (vi)", "en": "English (en)"}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
OTHER = "other"
OTHER_LABEL = {"vi": "Khác", "en": "Other", "default": "Other"}
SPECIFY_LABEL = {"vi": "Ghi rõ (khác)", "en": "Specify other.", "default": "Specify other."}


class FormError(ApplicationError):
    code = "invalid_form"


def language_code(name: str) -> str:
    """'Tiếng Việt (vi)' → 'vi'; 'English' → 'en'; 'default' for a plain `label` column."""
    m = re.search(r"\(([A-Za-z-]{2,8})\)\s*$", name)
    if m:
        return m.group(1).lower()
    folded = name.strip().lower()
    if folded in {"tiếng việt", "tieng viet", "vietnamese"}:
        return "vi"
    if folded == "english":
        return "en"
    return folded or "default"


def _header(ws) -> list[str]:
    return [normalize(str(c.value or "")).strip() for c in next(ws.iter_rows(max_row=1))]


def _too_many_rows() -> FormError:
    return FormError(_("The form has too many rows (at most %(n)s).") % {"n": MAX_ROWS})


def _rows(ws, limit: int = MAX_ROWS):
    """The rows that hold something; FormError past `limit` of them, or past ten times `limit`
    rows read in all: a small file with 200,000 rows is refused before they are read (it cost 22 s
    of CPU when the rows were counted after reading them)."""
    header = _header(ws)
    found = 0
    for number, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        if number > 10 * limit + 1:
            raise _too_many_rows()
        values = {}
        for column, value in zip(header, row, strict=False):
            if column and not column.startswith("$") and value not in (None, ""):
                values[column] = (
                    normalize(str(value)).strip() if not isinstance(value, int | float) else value
                )
        if values:
            found += 1
            if found > limit:
                raise _too_many_rows()
            yield number, values


def _split(column: str) -> tuple[str, str | None]:
    if "::" in column:
        base, lang = column.split("::", 1)
        return base.strip().lower(), language_code(lang)
    return column.strip().lower(), None


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _yes(value) -> bool:
    return _text(value).strip().lower() in {"yes", "true", "true()", "1", "có"}


class _Report:
    """Every problem of a workbook, with its row, to refuse it once with all of them."""

    def __init__(self):
        self.problems: list[str] = []

    def add(self, row: int, sheet: str, message: str) -> None:
        if sheet == "survey":
            where = _("Row %(row)s of the survey sheet") % {"row": row}
        else:
            where = _("Row %(row)s of the choices sheet") % {"row": row}
        self.problems.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if len(self.problems) == 1:
            raise FormError(self.problems[0])
        if self.problems:
            raise FormError(
                _(
                    "The form uses %(n)s things Cầu Nối does not support. Change them (or "
                    "remove them) and import the form again:"
                )
                % {"n": len(self.problems)},
                extra={"details": self.problems},
            )


def _parameters(text: str, row: int, report: _Report) -> dict:
    params = {}
    for part in re.split(r"[\s;,]+", text.strip()):
        if not part:
            continue
        key, _sep, value = part.partition("=")
        if key not in {"start", "end", "step"}:
            report.add(
                row, "survey", _("the parameter “%(name)s” is not supported.") % {"name": key}
            )
            continue
        try:
            params[key] = float(value)
        except ValueError:
            report.add(row, "survey", _("“%(text)s” is not a number.") % {"text": value})
    return params


def _expression(text, column, row, names, report, *, columns=None) -> str:
    """The expression if Cầu Nối can evaluate it; a problem reported otherwise. `columns`: the
    choice columns a choice_filter may name."""
    try:
        node = expressions.parse(text, columns=columns is not None)
    except expressions.ExpressionError as exc:
        report.add(
            row,
            "survey",
            _("the %(column)s “%(text)s” uses “%(part)s”, which Cầu Nối does not support.")
            % {"column": column, "text": text, "part": exc},
        )
        return ""
    missing = expressions.references(node) - names
    if missing:
        report.add(
            row,
            "survey",
            _("the %(column)s refers to an unknown question %(name)s.")
            % {"column": column, "name": sorted(missing)[0]},
        )
    unknown = expressions.columns(node) - (columns or set())
    if unknown:
        report.add(
            row,
            "survey",
            _("the choice_filter names the column %(name)s, which the choices sheet lacks.")
            % {"name": sorted(unknown)[0]},
        )
    return text


def _translations(values: dict, languages: list, names: dict) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for column, value in values.items():
        base, lang = _split(column)
        if base in TRANSLATABLE:
            key = lang or "default"
            if key not in languages:
                languages.append(key)
            if lang is not None:
                names.setdefault(key, column.split("::", 1)[1].strip())
            out.setdefault(base, {})[key] = _text(value)
    return out


def _kind(values: dict) -> tuple[str, str, bool]:
    """(type, choice list, or_other) of a survey row, spellings made one."""
    qtype = re.sub(r"\s+", " ", _text(values.get("type", "")).strip())
    low = qtype.lower()
    for spelled, kind in SPELLINGS.items():
        if low == spelled or low.startswith(spelled + " "):
            qtype = kind + qtype[len(spelled) :]
            break
    kind, _sp, rest = qtype.partition(" ")
    kind = kind.lower()
    words = rest.split()
    or_other = kind in SELECTS and len(words) == 2 and words[1] == "or_other"
    return kind, (words[0] if words else ""), or_other


def parse_workbook(data: bytes) -> dict:
    """The definition of the XLSForm in `data`, or FormError naming everything that is wrong and
    where (its `extra["details"]`: one line per problem)."""
    if not data:
        raise FormError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise FormError(_("The file is too large (at most 2 MB)."))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise FormError(_("This file is not an Excel workbook (.xlsx).")) from None
    sheets = {name.strip().lower(): wb[name] for name in wb.sheetnames}
    if "survey" not in sheets:
        raise FormError(_("The workbook has no “survey” sheet."))
    report = _Report()
    languages: list[str] = []
    language_names: dict[str, str] = {}
    questions, names = [], set()
    groups: list[dict] = []
    metadata: list[dict] = []
    stack: list[str] = []
    survey_rows = list(_rows(sheets["survey"]))
    for row, values in survey_rows:
        kind, list_name, or_other = _kind(values)
        name = _text(values.get("name", "")).strip()
        if kind in METADATA:
            metadata.append({"type": kind, "name": name or kind})
            continue
        if kind == "end_group":
            if stack:
                stack.pop()
            else:
                report.add(row, "survey", _("end_group without a begin_group."))
            continue
        if kind not in TYPES and kind != "begin_group":
            report.add(
                row,
                "survey",
                _("the question type “%(type)s” is not supported.")
                % {"type": _text(values.get("type", "")) or "—"},
            )
            continue
        for column in values:
            base, _lang = _split(column)
            if base not in SURVEY_COLUMNS and base not in TRANSLATABLE:
                report.add(
                    row,
                    "survey",
                    _("the column “%(column)s” is not supported.") % {"column": column},
                )
        if not NAME.match(name):
            report.add(
                row, "survey", _("“%(name)s” is not a valid question name.") % {"name": name or "—"}
            )
            continue
        if name in names:
            report.add(row, "survey", _("the name %(name)s is used twice.") % {"name": name})
            continue
        texts = _translations(values, languages, language_names)
        names.add(name)
        if kind == "begin_group":
            groups.append(
                {
                    "name": name,
                    "label": texts.get("label", {}),
                    "relevant": "",
                    "appearance": _text(values.get("appearance", "")),
                }
            )
            questions.append(({"row": row, "group": groups[-1]}, values))
            stack.append(name)
            continue
        q = {
            "name": name,
            "type": kind,
            "list": list_name if kind in SELECTS else "",
            "label": texts.get("label", {}),
            "hint": texts.get("hint", {}),
            "required": _yes(values.get("required", "")),
            "constraint": "",
            "constraint_message": texts.get("constraint_message", {}),
            "relevant": "",
            "appearance": _text(values.get("appearance", "")),
            "parameters": {},
            "row": row,
        }
        extras = {
            "groups": list(stack),
            "required_message": texts.get("required_message", {}),
            "or_other": or_other,
        }
        q.update({k: v for k, v in extras.items() if v})
        if kind in SELECTS and not list_name:
            report.add(
                row,
                "survey",
                _("%(type)s needs the name of a choice list.") % {"type": kind},
            )
        if kind == "range":
            q["parameters"] = {"start": 1.0, "end": 10.0, "step": 1.0} | _parameters(
                _text(values.get("parameters", "")), row, report
            )
        elif values.get("parameters"):
            report.add(
                row,
                "survey",
                _("the column “%(column)s” is not supported.") % {"column": "parameters"},
            )
        if kind == "calculate" and not values.get("calculation"):
            report.add(row, "survey", _("a calculate needs a calculation."))
        questions.append((q, values))
        if or_other:
            other = f"{name}_other"
            names.add(other)
            questions.append(
                (
                    {
                        "name": other,
                        "type": "text",
                        "list": "",
                        "label": dict(SPECIFY_LABEL),
                        "hint": {},
                        "required": False,
                        "constraint": "",
                        "constraint_message": {},
                        "relevant": f"selected(${{{name}}}, '{OTHER}')",
                        "appearance": "",
                        "parameters": {},
                        "row": row,
                        "other_of": name,
                        **({"groups": list(stack)} if stack else {}),
                    },
                    {},
                )
            )
    if stack:
        report.add(survey_rows[-1][0], "survey", _("a begin_group is never ended."))
    if not any("type" in q for q, _values in questions):
        report.raise_if_any()
        raise FormError(_("The form has no questions."))

    choices: dict[str, list] = {}
    choice_columns: dict[str, set[str]] = {}
    filtered = {
        _kind(values)[1]
        for q, values in questions
        if values.get("choice_filter") and "type" in q and q["type"] in SELECTS
    }
    if "choices" in sheets:
        for row, values in _rows(sheets["choices"]):
            list_name = _text(values.get("list_name", "")).strip()
            name = _text(values.get("name", "")).strip()
            filters = {}
            for column, value in values.items():
                base, lang = _split(column)
                if base in CHOICE_COLUMNS or base == "label":
                    continue
                if lang is None and list_name in filtered and NAME.match(column):
                    filters[column] = _text(value)
                    choice_columns.setdefault(list_name, set()).add(column)
                    continue
                report.add(
                    row,
                    "choices",
                    _("the column “%(column)s” is not supported.") % {"column": column},
                )
            if not list_name or not name:
                report.add(row, "choices", _("a choice needs a list_name and a name."))
                continue
            if any(c["name"] == name for c in choices.get(list_name, [])):
                report.add(
                    row,
                    "choices",
                    _("the choice %(name)s is twice in %(list)s.")
                    % {"name": name, "list": list_name},
                )
                continue
            texts = _translations(values, languages, language_names)
            choice = {"name": name, "label": texts.get("label", {})}
            if filters:
                choice["filters"] = filters
            choices.setdefault(list_name, []).append(choice)
    for q, values in questions:
        if "type" not in q:
            group = q["group"]
            if values.get("relevant"):
                group["relevant"] = _expression(
                    _text(values["relevant"]), "relevant", q["row"], names, report
                )
            continue
        if q["list"] and q["list"] not in choices:
            report.add(
                q["row"],
                "survey",
                _("the choice list %(list)s is missing.") % {"list": q["list"]},
            )
        for column in ("constraint", "relevant"):
            if values.get(column):
                q[column] = _expression(_text(values[column]), column, q["row"], names, report)
        if values.get("calculation"):
            q["calculation"] = _expression(
                _text(values["calculation"]), "calculation", q["row"], names, report
            )
        if values.get("choice_filter"):
            q["choice_filter"] = _expression(
                _text(values["choice_filter"]),
                "choice_filter",
                q["row"],
                names,
                report,
                columns=choice_columns.get(q["list"], set()) | {"name"},
            )
    report.raise_if_any()

    settings = {}
    if "settings" in sheets:
        for _row, values in _rows(sheets["settings"]):
            for column, value in values.items():
                key = column.strip().lower()
                if key == "public_key":
                    raise FormError(_("Encrypted forms (public_key) are not supported."))
                key = "form_id" if key == "id_string" else key
                if key in SETTINGS and key not in settings:
                    settings[key] = _text(value)
            break
    try:
        convert(xlsform=io.BytesIO(data), validate=False, file_type=".xlsx")
    except (PyXFormError, ValueError, KeyError) as exc:
        raise FormError(
            _("The XLSForm is not valid: %(reason)s") % {"reason": str(exc)[:300]}
        ) from None

    default = (
        language_code(settings.get("default_language", ""))
        if settings.get("default_language")
        else (languages[0] if languages else "default")
    )
    kept = []
    for q, _values in questions:
        q.pop("row")
        if "type" in q:
            kept.append(q)
    definition = {
        "title": settings.get("form_title", "") or settings.get("form_id", ""),
        "form_id": settings.get("form_id", ""),
        "version": settings.get("version", ""),
        "default_language": default,
        "languages": languages or ["default"],
        "questions": kept,
        "choices": choices,
    }
    renamed = {k: v for k, v in language_names.items() if LANGUAGE_NAMES.get(k) != v}
    for key, value in (("groups", groups), ("metadata", metadata), ("language_names", renamed)):
        if value:
            definition[key] = value
    return definition


def choices_for(definition: dict, q: dict, answers: dict) -> list[dict]:
    """The choices of a select question as offered now: its list, filtered by its choice_filter
    against the answers so far, with "other" last when it has or_other."""
    items = list(definition["choices"].get(q.get("list") or "", []))
    if q.get("choice_filter"):
        items = [
            c
            for c in items
            if expressions.holds(
                q["choice_filter"], answers, choice={"name": c["name"], **c.get("filters", {})}
            )
        ]
    if q.get("or_other"):
        items.append({"name": OTHER, "label": dict(OTHER_LABEL)})
    return items


def group_of(definition: dict, name: str) -> dict | None:
    return next((g for g in definition.get("groups", []) if g["name"] == name), None)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def write_workbook(definition: dict) -> bytes:
    """The definition as an XLSForm workbook (what `parse_workbook` reads back to the same):
    language columns named as they came, metadata first, groups around their questions."""
    langs = definition["languages"]
    names = {**LANGUAGE_NAMES, **definition.get("language_names", {})}

    def column(lang: str) -> str:
        return names.get(lang, lang)

    def tcols(base):
        return [base if lang == "default" else f"{base}::{column(lang)}" for lang in langs]

    def texts(values: dict | None) -> list[str]:
        return [(values or {}).get(lang, "") for lang in langs]

    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    header = [
        "type",
        "name",
        *tcols("label"),
        *tcols("hint"),
        "required",
        *tcols("required_message"),
        "constraint",
        *tcols("constraint_message"),
        "relevant",
        "appearance",
        "parameters",
        "calculation",
        "choice_filter",
    ]
    width = len(header)
    survey.append(header)

    def row(**cells) -> list:
        line = [""] * width
        for key, value in cells.items():
            if isinstance(value, list):
                first = header.index(tcols(key)[0])
                line[first : first + len(value)] = value
            else:
                line[header.index(key)] = value
        return line

    for m in definition.get("metadata", []):
        survey.append(row(type=m["type"], name=m["name"]))
    groups = {g["name"]: g for g in definition.get("groups", [])}
    path: list[str] = []
    for q in definition["questions"]:
        if q.get("other_of"):
            continue  # written by its select's or_other
        target = q.get("groups", [])
        while path and path != target[: len(path)]:
            path.pop()
            survey.append(row(type="end_group"))
        for name in target[len(path) :]:
            g = groups.get(name, {"label": {}, "relevant": "", "appearance": ""})
            survey.append(
                row(
                    type="begin_group",
                    name=name,
                    label=texts(g["label"]),
                    relevant=g["relevant"],
                    appearance=g["appearance"],
                )
            )
            path.append(name)
        kind = f"{q['type']} {q['list']}" if q["list"] else q["type"]
        if q.get("or_other"):
            kind += " or_other"
        params = q.get("parameters") or {}
        survey.append(
            row(
                type=kind,
                name=q["name"],
                label=texts(q["label"]),
                hint=texts(q["hint"]),
                required="yes" if q["required"] else "",
                required_message=texts(q.get("required_message")),
                constraint=q["constraint"],
                constraint_message=texts(q["constraint_message"]),
                relevant=q["relevant"],
                appearance=q["appearance"],
                parameters=" ".join(
                    f"{k}={_number(params[k])}" for k in ("start", "end", "step") if k in params
                ),
                calculation=q.get("calculation", ""),
                choice_filter=q.get("choice_filter", ""),
            )
        )
    for _name in path:
        survey.append(row(type="end_group"))
    choices = wb.create_sheet("choices")
    filters: list[str] = []
    for items in definition["choices"].values():
        for c in items:
            filters += [k for k in c.get("filters", {}) if k not in filters]
    choices.append(["list_name", "name", *tcols("label"), *filters])
    for list_name, items in definition["choices"].items():
        for c in items:
            choices.append(
                [
                    list_name,
                    c["name"],
                    *texts(c["label"]),
                    *[c.get("filters", {}).get(k, "") for k in filters],
                ]
            )
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    default = definition["default_language"]
    settings.append(
        [
            definition["title"],
            definition["form_id"],
            definition["version"],
            "" if default == "default" else column(default),
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _t(vi: str, en: str) -> dict:
    return {"vi": vi, "en": en}


def head_evaluation() -> dict:
    """The article's survey: how effective is the head of your own area, on its three-level scale,
    plus optional questions on the five lessons."""
    yes_no = [
        {"name": "co", "label": _t("Có", "Yes")},
        {"name": "mot_phan", "label": _t("Một phần", "Partly")},
        {"name": "khong", "label": _t("Không", "No")},
    ]

    def lesson(name, vi, en):
        return {
            "name": name,
            "type": "select_one",
            "list": "co_khong",
            "label": _t(vi, en),
            "hint": {},
            "required": False,
            "constraint": "",
            "constraint_message": {},
            "relevant": "",
            "appearance": "",
            "parameters": {},
        }

    return {
        "title": "Đánh giá trưởng khu dân cư",
        "form_id": "danh_gia_truong_khu",
        "version": "2022",
        "default_language": "vi",
        "languages": ["vi", "en"],
        "questions": [
            {
                "name": "danh_gia",
                "type": "select_one",
                "list": "muc_do",
                "label": _t(
                    "Trưởng khu dân cư nơi ông/bà ở hoạt động hiệu quả thế nào?",
                    "How effective is the head of your residential area?",
                ),
                "hint": {},
                "required": True,
                "constraint": "",
                "constraint_message": {},
                "relevant": "",
                "appearance": "",
                "parameters": {},
            },
            lesson(
                "thong_bao",
                "Gia đình có nhận được thông báo của khu kịp thời không?",
                "Does your household receive the area's notices in time?",
            ),
            lesson(
                "cong_khai_quy",
                "Các khoản thu, chi của khu có được công khai không?",
                "Are the area's income and spending made public?",
            ),
            lesson(
                "tra_loi",
                "Câu hỏi, kiến nghị của gia đình có được trả lời không?",
                "Were your household's questions answered?",
            ),
            lesson(
                "hop_chuan_bi",
                "Các cuộc họp khu dân cư có được chuẩn bị chu đáo không?",
                "Are the area's meetings well prepared?",
            ),
        ],
        "choices": {
            "muc_do": [
                {"name": "rat_tot", "label": _t("Rất tốt", "Very good")},
                {"name": "hieu_qua", "label": _t("Hiệu quả", "Effective")},
                {"name": "chua_hieu_qua", "label": _t("Chưa hiệu quả", "Not yet effective")},
            ],
            "co_khong": yes_no,
        },
    }


def text_for(texts: dict, lang: str, default: str) -> str:
    return (
        texts.get(lang)
        or texts.get(default)
        or texts.get("default")
        or next(iter(texts.values()), "")
    )
