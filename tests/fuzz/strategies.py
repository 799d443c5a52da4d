"""Hypothesis strategies for what visitors and editors may send: junk on purpose."""

import os
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# FUZZ_SCALE=10 runs ten times as many examples: a deeper search than every test run's.
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))


def examples(count: int) -> settings:
    """Settings for a fuzz test of `count` examples inside one pytest test.

    The test's fixtures (database, demo data, clients) are set up once for all examples,
    and no example has a deadline: some render whole pages.
    """
    return settings(
        max_examples=max(1, round(count * SCALE)),
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.large_base_example,
            HealthCheck.data_too_large,
        ],
    )


# The public pages' query parameters, the sitemaps' page parameter, and a few others.
PARAMETER_NAMES = [
    "q",
    "regie",
    "darsteller",
    "jahr_von",
    "jahr_bis",
    "genre",
    "fsk",
    "sortierung",
    "seite",
    "rolle",
    "p",
]

CONTROL_CHARACTERS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f"]
# Bidirectional overrides, zero-width and other invisible characters, noncharacters.
INVISIBLE_CHARACTERS = ["\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\ufffe", "\uffff"]

MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</script><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<a href="javascript:alert(1)">klick</a>',
    "<!--",
    "<![CDATA[",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "{{ film.title }}{% debug %}",
    "' OR 1=1 --",
    "%_%",
    "\\",
    "<<a<a<a<a<a<a>",
]

NUMBERS = [
    "0",
    "-1",
    "2012",
    "1869",
    "2101",
    "99999",
    "9" * 5000,
    "1e9999",
    "-1e-9999",
    "NaN",
    "Infinity",
    "0x7d0",
    "٢٠١٢",  # Arabic-Indic digits
    "２０１２",  # full-width digits
    "2012.5",
    "1_000",
]

# Parameter values that mean something to one page or another.
MEANINGFUL = [
    "",
    " ",
    "Audiard",
    "marion cotillard",
    "drama",
    "relevanz",
    "neueste",
    "aelteste",
    "titel",
    "regie",
    "darsteller",
    "16",
    "18",
    "last",
]


def repeated(pieces: st.SearchStrategy[str], max_count: int = 5000) -> st.SearchStrategy[str]:
    """A short piece repeated into a long string: very long values, cheaply."""
    return st.builds(lambda piece, count: piece * count, pieces, st.integers(1, max_count))


def with_inserted(text: st.SearchStrategy[str], extras: list[str]) -> st.SearchStrategy[str]:
    """Text with some of `extras` put in at random places."""

    @st.composite
    def insert(draw) -> str:
        value = draw(text)
        for extra in draw(st.lists(st.sampled_from(extras), max_size=3)):
            position = draw(st.integers(0, len(value)))
            value = value[:position] + extra + value[position:]
        return value

    return insert()


# Any text: unicode (no surrogates, which no request or form can carry), control
# characters, markup, numbers, and very long values.
junk_text = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec="ascii"), max_size=30),
    st.sampled_from(MEANINGFUL + NUMBERS + MARKUP),
    with_inserted(st.sampled_from(MEANINGFUL + MARKUP), CONTROL_CHARACTERS + INVISIBLE_CHARACTERS),
    repeated(st.sampled_from(["a", "ä", "%", "<", " ", "-", "\x00", "🎬", "Cotillard "])),
    st.integers(-(10**20), 10**20).map(str),
    st.floats().map(str),
)

parameter_names = st.one_of(st.sampled_from(PARAMETER_NAMES), st.text(max_size=10))

# Parameters as a browser or a script would send them: names may repeat.
parameters = st.lists(st.tuples(parameter_names, junk_text), max_size=8)

PERCENT_JUNK = ["%", "%0", "%zz", "%00", "%C3%28", "%FF", "%E2%80%AE", "%25", "+", "&", "=", ";"]

# A raw query string as the WSGI server hands it over: any bytes (as latin-1), broken
# percent-encoding, bytes that are no UTF-8.
raw_query_strings = st.lists(
    st.one_of(
        st.sampled_from(PERCENT_JUNK),
        st.sampled_from(PARAMETER_NAMES).map(lambda name: name + "="),
        st.text(st.characters(max_codepoint=255), max_size=20),
        parameters.map(urlencode),
    ),
    max_size=10,
).map("".join)

SLUG_CHARACTERS = "-_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

# A path segment: real-looking slugs and anything else, sent percent-encoded.
path_segments = st.one_of(
    st.sampled_from(["", ".", "..", "%2e%2e", "%00", "%2F", "..%2F..%2Fetc%2Fpasswd", "%"]),
    st.text(SLUG_CHARACTERS, min_size=1, max_size=40),
    st.text(max_size=40).map(lambda text: quote(text, safe="")),
    st.text(st.characters(max_codepoint=255), max_size=40).map(
        lambda text: quote(text.encode("latin-1"), safe="")
    ),
    repeated(st.sampled_from(["a", "ä", "-", "%00"]), max_count=3000).map(
        lambda text: quote(text, safe="%")
    ),
)


# What an editor may type or paste: prose with markup, control and invisible characters,
# any unicode, and very long texts.
editor_text = st.one_of(
    st.sampled_from(MARKUP),
    st.text(max_size=60),
    with_inserted(
        st.sampled_from(["Der Geschmack von Rost und Knochen", "Marion Cotillard", "Fazit"]),
        MARKUP + CONTROL_CHARACTERS + INVISIBLE_CHARACTERS + ["\n", "\r\n\r\n", "\t"],
    ),
    repeated(st.sampled_from(["a", "ä", "<", "<a", ">", "&", "\n\n", "🎬", "Wort "])),
)

# Links an editor may enter for an offer: web links and everything that is none.
offer_urls = st.one_of(
    st.sampled_from(
        [
            "https://example.com/film",
            "http://example.com/film?a=1&b=2",
            "example.com/film",
            "//example.com/film",
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            " javascript:alert(1)",
            "\tjavascript:alert(1)",
            "java\nscript:alert(1)",
            "javascript://example.com/%0Aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "ftp://example.com/film",
            "file:///etc/passwd",
            'https://example.com/"><img src=x onerror=alert(1)>',
            "https://example.com/<script>alert(1)</script>",
            "https://ex ample.com/",
            "https://example.com/\x00",
            "https://example.com/\u202e",
            "https://user:pass@example.com/",
            "https://[::1]/film",
            "https://bücher.example/film",
        ]
    ),
    st.builds(
        lambda scheme, separator, rest: scheme + separator + rest,
        st.sampled_from(["http", "https", "HTTPS", "javascript", "data", "mailto", ""]),
        st.sampled_from(["://", ":", ":/", ""]),
        st.one_of(editor_text, st.just("example.com/film")),
    ),
    repeated(st.sampled_from(["a", "/", "%00"]), max_count=2000).map(
        lambda path: f"https://example.com/{path}"
    ),
)
