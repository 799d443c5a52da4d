"""Editors' text: nothing a page cannot show."""

import re

from django.core.exceptions import ValidationError

# Control characters other than tab and line breaks, and Unicode's noncharacters: the
# HTML standard forbids them in a page, and PostgreSQL stores no NUL at all. They come
# from pasting, never from typing.
INVISIBLE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(chr(plane | 0xFFFE) + chr(plane | 0xFFFF) for plane in range(0, 0x110000, 0x10000))
    + "]"
)


def validate_visible_text(value: str) -> None:
    """Refuse text with a control character (but tab and line breaks) or a noncharacter."""
    if match := INVISIBLE_CHARACTERS.search(value):
        raise ValidationError(
            "Der Text enthält das unsichtbare Zeichen U+%(code)s; entfernen Sie es bitte.",
            code="invisible_character",
            params={"code": f"{ord(match.group()):04X}"},
        )


def has_invisible_character(value: str) -> bool:
    """True if `validate_visible_text` would refuse `value`.

    isprintable() is False for every character it refuses and runs in C: text without a
    tab, a line break or a non-printable letter (most text) skips the slower expression.
    """
    return not value.isprintable() and INVISIBLE_CHARACTERS.search(value) is not None


def strip_invisible_characters(value: str) -> str:
    """`value` without the characters `validate_visible_text` refuses."""
    return INVISIBLE_CHARACTERS.sub("", value) if has_invisible_character(value) else value
