import json

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# As in Django's json_script: no "</script>" or "<!--" can appear inside the block.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """`path` as an absolute URL on the host the page was requested from."""
    return context["request"].build_absolute_uri(path)


@register.filter
def json_ld(data: dict) -> SafeString:
    """A schema.org JSON-LD block; <, > and & are escaped so no text can end the script."""
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
