"""Reading a form out of served HTML and submitting it as a browser does.

What a browser sends for a form (the HTML standard's "constructing the entry list"):
- controls without a name, disabled controls and buttons send nothing (the clicked
  submit button sends its own name and value);
- checkboxes and radio buttons send their value ("on" without one) only when checked;
- a single select sends its selected option, and with none selected its first enabled
  option; a multiple select sends every selected option, possibly none;
- an option without a value attribute sends its text;
- an empty file input sends no file;
- a textarea sends its text, without the newline right after the start tag, with every
  line break as CRLF;
- hidden and text-like inputs send their value attribute, "" without one.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

BUTTONS = {"submit", "button", "reset", "image"}


@dataclass
class Control:
    """One form control as rendered."""

    tag: str  # input, select or textarea
    attrs: dict[str, str | None]
    text: str = ""  # a textarea's content
    options: list[tuple[str, bool, bool]] = field(default_factory=list)  # value, selected, disabled

    @property
    def name(self) -> str:
        return self.attrs.get("name") or ""

    @property
    def type(self) -> str:
        if self.tag == "input":
            return (self.attrs.get("type") or "text").lower()
        if self.tag == "select":
            return "select-multiple" if "multiple" in self.attrs else "select-one"
        return self.tag

    @property
    def required(self) -> bool:
        return "required" in self.attrs

    def submitted(self) -> list[str]:
        """The values a browser sends for this control as rendered."""
        if not self.name or "disabled" in self.attrs or self.type in BUTTONS | {"file"}:
            return []
        if self.type in {"checkbox", "radio"}:
            return [self.attrs.get("value") or "on"] if "checked" in self.attrs else []
        if self.tag == "textarea":
            return [re.sub(r"\r\n|\r|\n", "\r\n", self.text)]
        if self.tag == "select":
            chosen = [
                value for value, selected, disabled in self.options if selected and not disabled
            ]
            if chosen or self.type == "select-multiple":
                return chosen
            enabled = [value for value, _, disabled in self.options if not disabled]
            return enabled[:1]
        return [self.attrs.get("value") or ""]


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.found = False
        self.inside = False
        self.controls: list[Control] = []
        self._open: Control | None = None  # the textarea or select being read
        self._option: list | None = None  # [value or None, selected, disabled, text]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == self.form_id:
            self.found = self.inside = True
            return
        if not self.inside:
            return
        if tag == "input":
            self.controls.append(Control("input", attributes))
        elif tag in {"textarea", "select"}:
            self._open = Control(tag, attributes)
            self.controls.append(self._open)
        elif tag == "option" and self._open is not None and self._open.tag == "select":
            self._close_option()
            self._option = [
                attributes.get("value"),
                "selected" in attributes,
                "disabled" in attributes,
                "",
            ]

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option[3] += data
        elif self._open is not None and self._open.tag == "textarea":
            self._open.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option":
            self._close_option()
        elif tag in {"textarea", "select"} and self._open is not None:
            self._close_option()
            if tag == "textarea":
                # The parser keeps the newline that HTML drops right after <textarea>.
                self._open.text = self._open.text.removeprefix("\n")
            self._open = None

    def _close_option(self) -> None:
        if self._option is None or self._open is None:
            return
        value, selected, disabled, text = self._option
        if value is None:
            value = " ".join(text.split())
        self._open.options.append((value, selected, disabled))
        self._option = None


def form_controls(html: str, form_id: str) -> list[Control]:
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    assert reader.found, f"no form with id {form_id!r} on the page"
    return reader.controls


def submission(controls: list[Control]) -> dict[str, str | list[str]]:
    """What a browser posts for these controls: one value a name, or a list when several."""
    data: dict[str, list[str]] = {}
    for control in controls:
        values = control.submitted()
        if values:
            data.setdefault(control.name, []).extend(values)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def form_fields(html: str, form_id: str) -> dict[str, str | list[str]]:
    """What a browser posts for the form `form_id` as it was served, no button clicked."""
    return submission(form_controls(html, form_id))
