import contextlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image, ImageCms, PngImagePlugin

from films.models import Film
from people.models import Person
from tests.admin_forms import errors_of, film_add_data
from tests.pages import page_text


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def jpeg(width=300, height=200, **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 30)).save(buffer, "JPEG", **save_options)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels (a decompression bomb)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def add_film_with_poster(client, poster: SimpleUploadedFile):
    return client.post(reverse("admin:films_film_add"), {**film_add_data(client), "poster": poster})


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10"/></svg>'
)
SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plakat.jpg", b"Das ist kein Bild, nur Text.", "kein Bild im Format JPEG, PNG oder WebP"),
        ("plakat.jpg", jpeg()[:400], "beschädigt oder unvollständig"),
        ("plakat.svg", SVG, "kein Bild im Format JPEG, PNG oder WebP"),
        ("plakat.jpg", SVG_SCRIPT, "kein Bild im Format JPEG, PNG oder WebP"),
        ("plakat.gif", gif(), "kein Bild im Format JPEG, PNG oder WebP"),
        ("bombe.png", png_declaring(30_000, 30_000), "40 Megapixel"),
        ("riesig.jpg", b"\xff\xd8\xff" + b"\0" * (20 * 1024 * 1024 + 1), "größer als 20 MB"),
    ],
    # Named, not shown: the id of the 20 MB upload would be 20 MB of text in every report.
    ids=["text", "truncated-jpeg", "svg", "svg-as-jpeg", "gif", "bomb-png", "over-20-mb"],
)
def test_bad_uploads_are_refused_with_a_german_reason_and_nothing_is_stored(
    editor_client, name, content, message
):
    response = add_film_with_poster(editor_client, upload(name, content))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not Film.objects.exists()
    assert stored_files() == []


def test_a_picture_over_40_megapixels_is_refused(editor_client):
    response = add_film_with_poster(editor_client, upload("breit.png", png_declaring(8000, 5001)))
    assert "40 Megapixel" in errors_of(response)


def test_uploads_are_turned_upright_stripped_of_metadata_and_renamed(
    editor_client, django_capture_on_commit_callbacks
):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° to display
    exif[0x010F] = "Kamera GmbH"
    exif.get_ifd(0x8825)[2] = (52.0, 31.0, 12.0)  # GPS latitude
    content = jpeg(300, 200, exif=exif.tobytes())
    assert Image.open(io.BytesIO(content)).getexif()
    with django_capture_on_commit_callbacks(execute=True):
        response = add_film_with_poster(editor_client, upload("Urlaub in Antibes.jpg", content))
    assert response.status_code == 302, errors_of(response)
    film = Film.objects.get()
    assert "Urlaub" not in film.poster.name and "Antibes" not in film.poster.name
    with film.poster.open("rb") as stored:
        image = Image.open(stored)
        assert image.size == (200, 300)  # upright
        assert not image.getexif()  # no orientation, camera or GPS left
        assert "icc_profile" not in image.info
    assert (film.poster_width, film.poster_height) == (200, 300)


def test_colour_profiles_are_converted_to_srgb_and_dropped(
    editor_client, django_capture_on_commit_callbacks
):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = add_film_with_poster(editor_client, upload("p.jpg", jpeg(icc_profile=profile)))
    assert response.status_code == 302, errors_of(response)
    with Film.objects.get().poster.open("rb") as stored:
        image = Image.open(stored)
        assert image.mode == "RGB"
        assert "icc_profile" not in image.info


def with_metadata(image_format: str) -> bytes:
    """An image carrying its maker's words in every place its format has for them."""
    exif = Image.Exif()
    exif[0x010F] = "Kamera GmbH"
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Urlaub in Antibes</x:xmpmeta>'
    options = {
        "exif": exif.tobytes(),
        "icc_profile": ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    }
    if image_format == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "Urlaub in Antibes")
        text.add_itxt("XML:com.adobe.xmp", xmp.decode())
        image, options["pnginfo"] = Image.new("RGBA", (120, 80), (200, 60, 30, 128)), text
    else:
        image, options["comment"], options["xmp"] = Image.new("RGB", (120, 80)), "Antibes", xmp
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_comments_xmp_exif_and_profiles_are_not_stored(
    editor_client, django_capture_on_commit_callbacks, image_format
):
    content = with_metadata(image_format)
    assert b"Antibes" in content and b"Kamera GmbH" in content
    with django_capture_on_commit_callbacks(execute=True):
        response = add_film_with_poster(editor_client, upload("p", content))
    assert response.status_code == 302, errors_of(response)
    with Film.objects.get().poster.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"\x89PNG" if image_format == "PNG" else b"\xff\xd8")
    assert b"Antibes" not in data and b"Kamera GmbH" not in data
    # Only what the format itself needs is left: a JPEG's JFIF header.
    left = set(Image.open(io.BytesIO(data)).info)
    assert not left - {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}


@pytest.mark.parametrize(
    ("mode", "save_options"),
    [("CMYK", {}), ("RGB", {"icc_profile": b"kein echtes Farbprofil"}), ("L", {})],
)
def test_other_colour_modes_and_broken_profiles_are_stored_as_rgb(
    editor_client, django_capture_on_commit_callbacks, mode, save_options
):
    buffer = io.BytesIO()
    Image.new(mode, (120, 80)).save(buffer, "JPEG", **save_options)
    with django_capture_on_commit_callbacks(execute=True):
        response = add_film_with_poster(editor_client, upload("p.jpg", buffer.getvalue()))
    assert response.status_code == 302, errors_of(response)
    with Film.objects.get().poster.open("rb") as stored:
        assert Image.open(stored).mode == "RGB"


def test_renditions_are_made_on_save_and_shown_with_srcset(
    client, editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_film_with_poster(editor_client, upload("p.jpg", jpeg(800, 1200)))
    film = Film.objects.get()
    film.status = Film.Status.PUBLISHED
    film.save()
    stem = Path(film.poster.name).stem
    assert sorted(stored_files()) == sorted(
        [film.poster.name] + [f"posters/renditions/{stem}-{w}.webp" for w in (160, 320, 640, 800)]
    )
    html = page_text(client.get(film.get_absolute_url()))
    assert f"/media/posters/renditions/{stem}-160.webp 160w" in html
    assert f"/media/posters/renditions/{stem}-800.webp 800w" in html
    assert 'width="320" height="480"' in html
    assert 'fetchpriority="high"' in html
    home = page_text(client.get("/"))
    assert 'loading="lazy"' in home and f"{stem}-160.webp" in home


def test_replacing_or_clearing_a_poster_removes_the_old_files(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_film_with_poster(editor_client, upload("a.jpg", jpeg(400, 600)))
    film = Film.objects.get()
    first = stored_files()
    assert len(first) == 4  # original, 160, 320, 400

    with django_capture_on_commit_callbacks(execute=True):
        film.poster.save("b.jpg", upload("b.jpg", jpeg(200, 300)))
    second = stored_files()
    assert len(second) == 3 and not set(first) & set(second)

    with django_capture_on_commit_callbacks(execute=True):
        film.poster = None
        film.save()
    assert stored_files() == []


def test_deleting_a_film_or_person_removes_their_files(
    editor_client, django_capture_on_commit_callbacks, make_person
):
    with django_capture_on_commit_callbacks(execute=True):
        add_film_with_poster(editor_client, upload("a.jpg", jpeg(400, 600)))
        person = make_person("Marion Cotillard")
        person.photo.save("m.jpg", upload("m.jpg", jpeg(300, 400)))
    assert len(stored_files()) == 7
    film = Film.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:films_film_delete", args=[film.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert all(name.startswith("people/") for name in stored_files())
    with django_capture_on_commit_callbacks(execute=True):
        Person.objects.all().delete()
    assert stored_files() == []


def test_admin_shows_thumbnails_and_a_preview(editor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add_film_with_poster(editor_client, upload("a.jpg", jpeg(400, 600)))
    film = Film.objects.get()
    stem = Path(film.poster.name).stem
    changelist = page_text(editor_client.get(reverse("admin:films_film_changelist")))
    assert f"renditions/{stem}-160.webp" in changelist
    change = page_text(editor_client.get(reverse("admin:films_film_change", args=[film.pk])))
    assert f"renditions/{stem}-320.webp" in change
    assert "Plakat von Ein Prophet" in change


def test_the_demo_film_has_a_generated_poster(demo_film):
    assert demo_film.poster
    with demo_film.poster.open("rb") as stored:
        image = Image.open(stored)
        image.load()
    assert image.size == (600, 900)
    assert image.getpixel((300, 5))[0] > image.getpixel((300, 5))[2]  # rust at the top


class RolledBack(Exception):
    pass


def test_a_save_that_rolls_back_leaves_the_files_as_they_were(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_film_with_poster(editor_client, upload("a.jpg", jpeg(400, 600)))
    film = Film.objects.get()
    before = sorted(stored_files())
    assert len(before) == 4  # original, 160, 320, 400

    # A new poster whose save rolls back: no renditions of it, the old files untouched.
    with (
        django_capture_on_commit_callbacks(execute=True),
        contextlib.suppress(RolledBack),
        transaction.atomic(),
    ):
        film.poster.save("b.jpg", upload("b.jpg", jpeg(200, 300)))
        raise RolledBack
    after = sorted(stored_files())
    assert set(before) <= set(after)
    assert not [name for name in after if "renditions" in name and name not in before]

    # A deletion that rolls back keeps the film's files.
    with (
        django_capture_on_commit_callbacks(execute=True),
        contextlib.suppress(RolledBack),
        transaction.atomic(),
    ):
        Film.objects.filter(pk=film.pk).delete()
        raise RolledBack
    assert set(before) <= set(stored_files())


def test_a_restore_of_a_version_without_a_poster_removes_the_posters_files(
    editor_client, django_capture_on_commit_callbacks, make_film
):
    film = make_film("Ein Prophet", 2009)
    # The history keeps each version serialized and restores it with a raw save.
    before_poster = serializers.serialize("json", [film])
    with django_capture_on_commit_callbacks(execute=True):
        film.poster.save("b.jpg", upload("b.jpg", jpeg(200, 300)))
    assert len(stored_files()) == 3  # original, 160, 200

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for restored in serializers.deserialize("json", before_poster):
            restored.save()
    film.refresh_from_db()
    assert not film.poster
    assert stored_files() == []
