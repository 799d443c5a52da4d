"""Images of extreme shapes: refused with a German reason before they cost a worker, and
those within the limits shown with renditions of real sizes."""

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from films.models import Film
from people.models import Person
from tests.admin_forms import change_form_data, errors_of, film_add_data
from tests.films.test_images import jpeg, stored_files, upload
from tests.pages import page_text


def png(width: int, height: int) -> bytes:
    """A plain grey PNG: even 39,000,000 x 1 pixels compress to a few kilobytes."""
    buffer = io.BytesIO()
    Image.new("L", (width, height), 128).save(buffer, "PNG")
    return buffer.getvalue()


def add_film(client, poster: bytes):
    data = {**film_add_data(client, status="published"), "poster": upload("p.png", poster)}
    return client.post(reverse("admin:films_film_add"), data)


def add_person(client, photo: bytes):
    page = client.get(reverse("admin:people_person_add"))
    data = {
        **change_form_data(page, name="Marion Cotillard", slug="marion-cotillard"),
        "photo": upload("foto.png", photo),
    }
    return client.post(reverse("admin:people_person_add"), data)


class Images(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "img":
            self.found.append(dict(attrs))


def page_images(html: str) -> list[dict]:
    return Images(html).found


def srcset_widths(img: dict) -> list[int]:
    return [int(w) for w in re.findall(r" (\d+)w(?:,|$)", img["srcset"])]


def rendition_sizes(film: Film) -> dict[int, tuple[int, int]]:
    """Each stored rendition's width in its name, with the size of the image in it."""
    stem = Path(film.poster.name).stem
    sizes = {}
    for name in stored_files():
        if name.startswith("posters/renditions/"):
            assert name.startswith(f"posters/renditions/{stem}-")
            with film.poster.storage.open(name) as stored:
                sizes[int(Path(name).stem.rsplit("-", 1)[1])] = Image.open(stored).size
    return sizes


SLIVER = "zu schmal: Die längere Seite darf höchstens 20-mal so lang sein wie die kürzere"

REFUSED = [
    pytest.param(
        39_000_000, 1, f"Das Bild ist 39.000.000 × 1 Pixel groß und damit {SLIVER}", id="39Mx1"
    ),
    pytest.param(20_000, 2, f"Das Bild ist 20.000 × 2 Pixel groß und damit {SLIVER}", id="20000x2"),
    pytest.param(2, 20_000, f"Das Bild ist 2 × 20.000 Pixel groß und damit {SLIVER}", id="2x20000"),
    pytest.param(400, 8_001, f"Das Bild ist 400 × 8.001 Pixel groß und damit {SLIVER}", id="1:20+"),
    pytest.param(
        10_001,
        1_000,
        "Das Bild ist 10.001 × 1.000 Pixel groß; Breite und Höhe dürfen je höchstens "
        "10.000 Pixel betragen.",
        id="side",
    ),
    pytest.param(
        6_000, 6_667, "Das Bild hat mehr als 40 Megapixel (6.000 × 6.667 Pixel).", id="40MP+"
    ),
]


@pytest.mark.parametrize(("width", "height", "message"), REFUSED)
def test_a_poster_of_an_extreme_shape_is_refused_and_nothing_is_stored(
    editor_client, django_capture_on_commit_callbacks, width, height, message
):
    with django_capture_on_commit_callbacks(execute=True):
        response = add_film(editor_client, png(width, height))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not Film.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(("width", "height", "message"), REFUSED)
def test_a_photo_of_an_extreme_shape_is_refused_and_nothing_is_stored(
    editor_client, django_capture_on_commit_callbacks, width, height, message
):
    with django_capture_on_commit_callbacks(execute=True):
        response = add_person(editor_client, png(width, height))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not Person.objects.exists()
    assert stored_files() == []


def test_a_large_poster_has_each_rendition_width_once_and_none_wider_than_1280(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = add_film(editor_client, jpeg(2000, 3000))
    assert response.status_code == 302, errors_of(response)
    film = Film.objects.get()
    assert rendition_sizes(film) == {
        160: (160, 240),
        320: (320, 480),
        640: (640, 960),
        1280: (1280, 1920),
    }
    [poster] = page_images(page_text(editor_client.get(film.get_absolute_url())))
    assert srcset_widths(poster) == [160, 320, 640, 1280]
    assert (poster["width"], poster["height"]) == ("320", "480")


@pytest.mark.parametrize(
    ("width", "height", "renditions", "shown"),
    [
        # 1:20 at the longest side allowed, lying and standing.
        (
            10_000,
            500,
            {160: (160, 8), 320: (320, 16), 640: (640, 32), 1280: (1280, 64)},
            ("320", "16"),
        ),
        (500, 10_000, {160: (160, 3200), 320: (320, 6400), 500: (500, 10_000)}, ("320", "6400")),
    ],
)
def test_a_poster_at_the_limits_is_accepted_with_renditions_of_real_sizes(
    editor_client, django_capture_on_commit_callbacks, width, height, renditions, shown
):
    with django_capture_on_commit_callbacks(execute=True):
        response = add_film(editor_client, png(width, height))
    assert response.status_code == 302, errors_of(response)
    film = Film.objects.get()
    assert (film.poster_width, film.poster_height) == (width, height)
    assert rendition_sizes(film) == renditions
    [poster] = page_images(page_text(editor_client.get(film.get_absolute_url())))
    assert srcset_widths(poster) == sorted(renditions)
    assert (poster["width"], poster["height"]) == shown


def test_a_poster_of_exactly_40_megapixels_is_accepted(editor_client):
    response = add_film(editor_client, png(10_000, 4_000))
    assert response.status_code == 302, errors_of(response)
    film = Film.objects.get()
    assert (film.poster_width, film.poster_height) == (10_000, 4_000)
    assert stored_files() == [film.poster.name]


def test_a_sliver_stored_before_the_limits_gets_renditions_and_a_page_without_zero_sizes(
    editor_client, django_capture_on_commit_callbacks, make_film
):
    film = make_film("Ein Prophet", status="published")
    with django_capture_on_commit_callbacks(execute=True):
        # Saved past the admin's form, as uploads were before the shape was checked.
        film.poster.save("alt.png", ContentFile(png(20_000, 2)))
    assert rendition_sizes(film) == {
        160: (160, 1),
        320: (320, 1),
        640: (640, 1),
        1280: (1280, 1),
    }
    [poster] = page_images(page_text(editor_client.get(film.get_absolute_url())))
    assert srcset_widths(poster) == [160, 320, 640, 1280]
    assert (poster["width"], poster["height"]) == ("320", "1")


def test_a_transparent_posters_renditions_keep_its_transparency_and_colours(
    editor_client, django_capture_on_commit_callbacks
):
    buffer = io.BytesIO()
    poster = Image.new("RGBA", (800, 1200), (200, 60, 30, 255))
    poster.paste((0, 0, 0, 0), (0, 600, 800, 1200))  # the lower half is see-through
    poster.save(buffer, "PNG")
    with django_capture_on_commit_callbacks(execute=True):
        response = add_film(editor_client, buffer.getvalue())
    assert response.status_code == 302, errors_of(response)
    film = Film.objects.get()
    assert film.poster.name.endswith(".png")
    stem = Path(film.poster.name).stem
    for width, height in [(160, 240), (320, 480), (640, 960), (800, 1200)]:
        with film.poster.storage.open(f"posters/renditions/{stem}-{width}.webp") as stored:
            rendition = Image.open(stored).convert("RGBA")
        assert rendition.size == (width, height)
        red, green, blue, alpha = rendition.getpixel((width // 2, height // 4))
        assert alpha == 255 and abs(red - 200) <= 4 and abs(green - 60) <= 4
        assert rendition.getpixel((width // 2, height * 3 // 4))[3] == 0
