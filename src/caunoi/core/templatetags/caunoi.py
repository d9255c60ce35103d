"""Vietnamese numbers in templates: {{ n|num }} 2.328 · {{ x|pct }} 61,9% · {{ v|vnd }}."""

from decimal import Decimal

from django import template

from caunoi.core.money import format_number, format_percent

register = template.Library()


@register.filter
def action_label(name: str) -> str:
    """An audited action's label (`caunoi.core.audit`)."""
    from caunoi.core.audit import action_label as label

    return label(name)


@register.filter
def num(value, decimals=None):
    return format_number(value, int(decimals) if decimals not in (None, "") else None)


@register.filter
def pct(value, decimals=1):
    """A share (0.619) as a percentage: 61,9%."""
    if value is None or value == "":
        return ""
    return f"{format_percent(value, int(decimals))}%"


@register.filter
def vnd(value):
    """Whole đồng: 1.250.000 ₫."""
    if value is None or value == "":
        return ""
    return f"{format_number(int(value))}\u00a0₫"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def submission_key(value=None):
    """A hidden one-time key that makes the form's POST idempotent (caunoi.core.submissions).
    Pass the posted value back when re-rendering a form with errors, so a fix-and-resend
    keeps it."""
    from django.utils.html import format_html

    from caunoi.core.submissions import new_key, valid_key

    key = value if valid_key(value) else new_key()
    return format_html('<input type="hidden" name="submission" value="{}">', key)


@register.simple_tag(takes_context=True)
def sections(context, slot, **kwargs):
    """Render the sections apps registered for `slot` (caunoi.core.sections), each in the page's
    own context with its section's values on top (as `{% include %}` does): the context
    processors ran once for the page, not again for every section."""
    from django.utils.safestring import mark_safe

    from caunoi.core.sections import render_slot

    request = context["request"]
    engine = context.template.engine
    out = []
    for name, ctx in render_slot(slot, request, **kwargs):
        with context.push(ctx):
            out.append(engine.get_template(name).render(context))
    return mark_safe("".join(out))


@register.filter
def rule_value(value):
    """A policy rule's value the Vietnamese way: 5 · 0,5 · "06:30, 17:30"."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, int | float | Decimal):
        return format_number(value)
    return value
