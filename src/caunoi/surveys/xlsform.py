"""XLSForm in and out: the ODK/KoboToolbox workbook (sheets survey, choices, settings) read into the
form definition Cầu Nối keeps (a plain dict, stored as JSON), and written back.

What is supported: select_one, select_multiple, integer, decimal, text, date, range (with
`parameters` start/end/step; appearance `rating` shows it as a rating), note; columns required,
constraint (+ constraint_message), relevant, hint, appearance; labels in several languages
(`label::Tiếng Việt (vi)`, `label::English (en)`, or plain `label`). Metadata questions (start,
end, today, deviceid, username) are accepted and left out. Anything else (groups, repeats,
calculate, geopoint, media, choice_filter…) is refused with a message naming it and its row, so a
form never silently loses a part. After our own reading, pyxform converts the workbook to an XForm
(without ODK Validate, so without Java) to catch what makes it invalid for ODK tools too.
"""

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from caunoi.core.exceptions import ApplicationError
from caunoi.core.text import normalize

from . import expressions

TYPES = {"select_one", "select_multiple", "integer", "decimal", "text", "date", "range", "note"}
SELECTS = {"select_one", "select_multiple"}
METADATA = {"start", "end", "today", "deviceid", "username", "phonenumber", "simserial"}
TRANSLATABLE = {"label", "hint", "constraint_message"}
SURVEY_COLUMNS = {"type", "name", "required", "constraint", "relevant", "parameters", "appearance"}
CHOICE_COLUMNS = {"list_name", "name"}
SETTINGS = {"form_title", "form_id", "version", "default_language", "style", "instance_name"}
LANGUAGE_NAMES = {"vi": "Tiếng Việt (vi)", "en": "English (en)"}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500


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
            if column and value not in (None, ""):
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


def _parameters(text: str, row: int) -> dict:
    params = {}
    for part in re.split(r"[\s;,]+", text.strip()):
        if not part:
            continue
        key, _sep, value = part.partition("=")
        if key not in {"start", "end", "step"}:
            raise FormError(
                _("Row %(row)s of the survey sheet: the parameter “%(name)s” is not supported.")
                % {"row": row, "name": key}
            )
        try:
            params[key] = float(value)
        except ValueError:
            raise FormError(
                _("Row %(row)s of the survey sheet: “%(text)s” is not a number.")
                % {"row": row, "text": value}
            ) from None
    return params


def _expression(text: str, column: str, row: int, names: set[str]) -> str:
    try:
        node = expressions.parse(text)
    except expressions.ExpressionError as exc:
        raise FormError(
            _(
                "Row %(row)s of the survey sheet: the %(column)s “%(text)s” uses “%(part)s”, "
                "which Cầu Nối does not support."
            )
            % {"row": row, "column": column, "text": text, "part": exc}
        ) from None
    missing = expressions.references(node) - names
    if missing:
        raise FormError(
            _(
                "Row %(row)s of the survey sheet: the %(column)s refers to an unknown "
                "question %(name)s."
            )
            % {"row": row, "column": column, "name": sorted(missing)[0]}
        )
    return text


def _translations(values: dict, row: int, sheet: str, languages: list) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for column, value in values.items():
        base, lang = _split(column)
        if base in TRANSLATABLE:
            key = lang or "default"
            if key not in languages:
                languages.append(key)
            out.setdefault(base, {})[key] = _text(value)
    return out


def parse_workbook(data: bytes) -> dict:
    """The definition of the XLSForm in `data`, or FormError naming what is wrong and where."""
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
    languages: list[str] = []
    questions, names = [], set()
    survey_rows = list(_rows(sheets["survey"]))
    for row, values in survey_rows:
        qtype = _text(values.get("type", "")).strip()
        kind, _sp, list_name = qtype.partition(" ")
        kind = kind.strip()
        list_name = list_name.strip()
        if kind in METADATA:
            continue
        if kind not in TYPES:
            raise FormError(
                _("Row %(row)s of the survey sheet: the question type “%(type)s” is not supported.")
                % {"row": row, "type": qtype or "—"}
            )
        if " or_other" in f" {list_name}":
            raise FormError(
                _("Row %(row)s of the survey sheet: “or_other” is not supported.") % {"row": row}
            )
        for column in values:
            base, _lang = _split(column)
            if base not in SURVEY_COLUMNS and base not in TRANSLATABLE:
                raise FormError(
                    _("Row %(row)s of the survey sheet: the column “%(column)s” is not supported.")
                    % {"row": row, "column": column}
                )
        name = _text(values.get("name", "")).strip()
        if not NAME.match(name):
            raise FormError(
                _("Row %(row)s of the survey sheet: “%(name)s” is not a valid question name.")
                % {"row": row, "name": name or "—"}
            )
        if name in names:
            raise FormError(
                _("Row %(row)s of the survey sheet: the name %(name)s is used twice.")
                % {"row": row, "name": name}
            )
        texts = _translations(values, row, "survey", languages)
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
        if kind in SELECTS and not list_name:
            raise FormError(
                _("Row %(row)s of the survey sheet: %(type)s needs the name of a choice list.")
                % {"row": row, "type": kind}
            )
        if kind == "range":
            q["parameters"] = {"start": 1.0, "end": 10.0, "step": 1.0} | _parameters(
                _text(values.get("parameters", "")), row
            )
        elif values.get("parameters"):
            raise FormError(
                _("Row %(row)s of the survey sheet: the column “%(column)s” is not supported.")
                % {"row": row, "column": "parameters"}
            )
        names.add(name)
        questions.append((q, values))
    if not questions:
        raise FormError(_("The form has no questions."))
    for q, values in questions:
        for column in ("constraint", "relevant"):
            if values.get(column):
                q[column] = _expression(_text(values[column]), column, q["row"], names)

    choices: dict[str, list] = {}
    if "choices" in sheets:
        for row, values in _rows(sheets["choices"]):
            for column in values:
                base, _lang = _split(column)
                if base not in CHOICE_COLUMNS and base != "label":
                    raise FormError(
                        _(
                            "Row %(row)s of the choices sheet: the column “%(column)s” is not "
                            "supported."
                        )
                        % {"row": row, "column": column}
                    )
            list_name = _text(values.get("list_name", "")).strip()
            name = _text(values.get("name", "")).strip()
            if not list_name or not name:
                raise FormError(
                    _("Row %(row)s of the choices sheet: a choice needs a list_name and a name.")
                    % {"row": row}
                )
            if any(c["name"] == name for c in choices.get(list_name, [])):
                raise FormError(
                    _("Row %(row)s of the choices sheet: the choice %(name)s is twice in %(list)s.")
                    % {"row": row, "name": name, "list": list_name}
                )
            texts = _translations(values, row, "choices", languages)
            choices.setdefault(list_name, []).append(
                {"name": name, "label": texts.get("label", {})}
            )
    for q, _values in questions:
        if q["list"] and q["list"] not in choices:
            raise FormError(
                _("Row %(row)s of the survey sheet: the choice list %(list)s is missing.")
                % {"row": q["row"], "list": q["list"]}
            )

    settings = {}
    if "settings" in sheets:
        for _row, values in _rows(sheets["settings"]):
            for column, value in values.items():
                key = column.strip().lower()
                if key == "public_key":
                    raise FormError(_("Encrypted forms (public_key) are not supported."))
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
    for q, _values in questions:
        q.pop("row")
    return {
        "title": settings.get("form_title", "") or settings.get("form_id", ""),
        "form_id": settings.get("form_id", ""),
        "version": settings.get("version", ""),
        "default_language": default,
        "languages": languages or ["default"],
        "questions": [q for q, _values in questions],
        "choices": choices,
    }


def _column(lang: str) -> str:
    return LANGUAGE_NAMES.get(lang, lang)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def write_workbook(definition: dict) -> bytes:
    """The definition as an XLSForm workbook (what `parse_workbook` reads back to the same)."""
    langs = definition["languages"]

    def tcols(base):
        return [base if lang == "default" else f"{base}::{_column(lang)}" for lang in langs]

    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    header = [
        "type",
        "name",
        *tcols("label"),
        *tcols("hint"),
        "required",
        "constraint",
        *tcols("constraint_message"),
        "relevant",
        "appearance",
        "parameters",
    ]
    survey.append(header)
    for q in definition["questions"]:
        kind = f"{q['type']} {q['list']}" if q["list"] else q["type"]
        params = q.get("parameters") or {}
        survey.append(
            [
                kind,
                q["name"],
                *[q["label"].get(lang, "") for lang in langs],
                *[q["hint"].get(lang, "") for lang in langs],
                "yes" if q["required"] else "",
                q["constraint"],
                *[q["constraint_message"].get(lang, "") for lang in langs],
                q["relevant"],
                q["appearance"],
                " ".join(
                    f"{k}={_number(params[k])}" for k in ("start", "end", "step") if k in params
                ),
            ]
        )
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", *tcols("label")])
    for list_name, items in definition["choices"].items():
        for c in items:
            choices.append([list_name, c["name"], *[c["label"].get(lang, "") for lang in langs]])
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    default = definition["default_language"]
    settings.append(
        [
            definition["title"],
            definition["form_id"],
            definition["version"],
            "" if default == "default" else _column(default),
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
