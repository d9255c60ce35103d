"""{{ share|x100 }} → "61.90" (a number for SVG coordinates, never shown as text); {{ i|y:12 }}."""

from django import template

register = template.Library()


@register.filter
def x100(value) -> str:
    return f"{float(value or 0) * 100:.2f}"


@register.filter
def y(index, step=40) -> int:
    return int(index) * int(step)
