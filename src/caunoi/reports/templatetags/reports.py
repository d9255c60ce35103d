"""The report's figures in templates: {{ value|figure:column.kind }} (2.328 · 61,9% · 4,5 ngày),
{% bars items kind as chart %} (the bars of a server-rendered SVG chart)."""

from __future__ import annotations

from typing import Any

from django import template

from caunoi.core.templatetags.caunoi import format_number, pct, vnd

register = template.Library()

MAX_BARS = 40  # a longer list is a table, not a chart (the table above has every line)


@register.filter
def figure(value: Any, kind: str = "count") -> str:
    if value is None or value == "":
        return "—"
    if kind == "share":
        return pct(value)
    if kind == "days":
        return format_number(value, 1)
    if kind == "money":
        return vnd(value)
    return format_number(value)


@register.simple_tag
def bars(items: list[tuple[str, Any]], kind: str = "count") -> list[dict[str, Any]]:
    """[(label, value)] → [{label, text, width (percent of 70, the rest for the figure), y}]."""
    items = list(items)[:MAX_BARS]
    values = [float(v) for _label, v in items if v is not None]
    top = 1.0 if kind == "share" else max(values, default=0) or 1.0
    out = []
    for i, (label, value) in enumerate(items):
        width = 0.0 if value is None else max(0.0, min(1.0, float(value) / top)) * 70
        out.append(
            {
                "label": label,
                "text": figure(value, kind),
                "width": f"{width:.2f}",
                "x": f"{width + 1.5:.2f}",
                "y": i * 44,
            }
        )
    return out


@register.filter
def height(items: list, step: int = 44) -> int:
    return len(items) * int(step)


@register.simple_tag
def value_of(line: Any, key: str) -> Any:
    return line.values.get(key)
