"""What editor input must never leave in a public page: markup our templates do not write.

If editor text reached a page unescaped, it would show as an element, an attribute or a
script the templates never write; checking the parsed page for those finds an injection
whatever the input was.
"""

import json
import re
from html.parser import HTMLParser

TEMPLATE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "link",
    "script",
    "body",
    "header",
    "nav",
    "main",
    "footer",
    "aside",
    "section",
    "article",
    "div",
    "p",
    "span",
    "strong",
    "em",
    "a",
    "img",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "time",
    "details",
    "summary",
    "figure",
    "figcaption",
    "form",
    "label",
    "input",
    "button",
    "select",
    "option",
}
# Besides aria-* and data-*.
TEMPLATE_ATTRIBUTES = {
    "id",
    "class",
    "lang",
    "charset",
    "name",
    "content",
    "property",
    "rel",
    "href",
    "target",
    "type",
    "src",
    "defer",
    "role",
    "for",
    "action",
    "method",
    "placeholder",
    "value",
    "tabindex",
    "srcset",
    "sizes",
    "width",
    "height",
    "alt",
    "loading",
    "fetchpriority",
    "datetime",
    "title",
    "open",
    "novalidate",
    "size",
    "inputmode",
    "selected",
    "hidden",
    "maxlength",
    "required",
}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction"}
# Browsers drop these from a URL before reading its scheme: " java\tscript:" is javascript:.
URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


# What the HTML standard does not allow in a page's text: controls other than whitespace
# ("control-character-in-input-stream") and noncharacters.
FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
    )
    + "]"
)


def is_web_or_relative_url(url: str) -> bool:
    scheme = SCHEME.match(URL_IGNORED.sub("", url))
    return scheme is None or scheme.group(1).lower() in ("http", "https")


class _PageElements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.sponsored_links: list[str] = []
        self._script: str | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        if tag not in TEMPLATE_TAGS:
            self.problems.append(f"element <{tag}>")
        if len(set(names)) != len(names):
            self.problems.append(f"<{tag}> with a repeated attribute: {names}")
        for name, value in attrs:
            if name not in TEMPLATE_ATTRIBUTES and not name.startswith(("aria-", "data-")):
                self.problems.append(f"attribute {name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                urls = value.split(",") if name == "srcset" else [value]
                if not all(is_web_or_relative_url(url) for url in urls):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
        attributes = dict(attrs)
        if tag == "a" and "sponsored" in (attributes.get("rel") or "").split():
            self.sponsored_links.append(attributes.get("href") or "")
        if tag == "script":
            if attributes.get("type") == "application/ld+json" and "src" not in attributes:
                self._script = "json"
            elif (attributes.get("src") or "").startswith("/static/"):
                self._script = "file"
            else:
                self.problems.append(f"script {attributes}")
                self._script = "other"
            self._script_text = []

    def handle_data(self, data: str) -> None:
        if self._script:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or not self._script:
            return
        text = "".join(self._script_text)
        if self._script == "json":
            try:
                json.loads(text)
            except ValueError:
                self.problems.append(f"JSON-LD that is no JSON: {text[:200]!r}")
        elif text.strip():
            self.problems.append(f"script with content: {text[:200]!r}")
        self._script = None


def injected_markup(html: str) -> list[str]:
    """Everything in `html` that no template of ours writes (empty for a safe page)."""
    parser = _PageElements()
    parser.feed(html)
    parser.close()
    problems = parser.problems
    problems += [f"character U+{ord(char):04X}" for char in FORBIDDEN_CHARACTERS.findall(html)]
    for href in parser.sponsored_links:
        # Offer links go through the click counter, which redirects to the stored link
        # (whose scheme the database keeps to http and https).
        if not re.fullmatch(r"/weiter/[0-9]+/", href):
            problems.append(f"affiliate link to {href!r}")
    return problems
