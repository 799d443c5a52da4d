from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from films.images import rendition_url, srcset

register = template.Library()


@register.simple_tag
def responsive_image(
    field_file,
    width: int | None,
    height: int | None,
    *,
    alt: str,
    display_width: int,
    sizes: str,
    css_class: str = "",
    lazy: bool = False,
) -> SafeString | str:
    """An <img> of a stored image's WebP renditions with srcset, sizes, width and height.

    Lazy images load as they near the viewport; the others load at once with high priority
    (the film page's poster is its largest image).
    """
    src = rendition_url(field_file, width, display_width)
    if not src:
        return ""
    loading = ("loading", "lazy") if lazy else ("fetchpriority", "high")
    return format_html(
        '<img class="{}" src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {}="{}">',
        css_class,
        src,
        srcset(field_file, width),
        sizes,
        display_width,
        round(display_width * height / width),
        alt,
        *loading,
    )
