from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from films.images import rendition_name, rendition_widths, srcset

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
    widths = rendition_widths(width)
    if not field_file or not widths:
        return ""
    src_width = next((w for w in widths if w >= display_width), widths[-1])
    loading = ("loading", "lazy") if lazy else ("fetchpriority", "high")
    return format_html(
        '<img class="{}" src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {}="{}">',
        css_class,
        field_file.storage.url(rendition_name(field_file.name, src_width)),
        srcset(field_file, width),
        sizes,
        display_width,
        round(display_width * height / width),
        alt,
        *loading,
    )
