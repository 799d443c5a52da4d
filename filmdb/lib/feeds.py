"""Atom feeds that answer whatever text they are given."""

from django.utils.feedgenerator import Atom1Feed

from filmdb.lib.validators import strip_invisible_characters


class VisibleTextAtom1Feed(Atom1Feed):
    """Atom 1.0 without the characters `validate_visible_text` refuses.

    XML takes no control character, and Django raises on one instead of writing the
    feed: a single one would make the whole feed a 500. The forms refuse them, but bulk
    writes and rows saved before that rule pass no form.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.feed = _visible(self.feed)

    def add_item(self, *args, **kwargs) -> None:
        super().add_item(*args, **kwargs)
        self.items[-1] = _visible(self.items[-1])


def _visible(values: dict) -> dict:
    """Texts and lists of texts (categories) stripped; dates, links (IRIs, encoded
    already) and enclosures left as they are."""
    cleaned = {}
    for key, value in values.items():
        if isinstance(value, str):
            value = strip_invisible_characters(value)
        elif isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
            value = [strip_invisible_characters(item) for item in value]
        cleaned[key] = value
    return cleaned
