"""Posters and portraits: safe uploads, normalised originals, WebP renditions, no orphans.

An upload is decoded with Pillow restricted to JPEG, PNG and WebP (never trusted by name or
content type), once its header's size and shape are within the limits, then stored
normalised under a generated name: EXIF orientation applied, metadata dropped, colour in
sRGB. Renditions of fixed widths are written next to it as WebP when it is saved, and
removed with it.
"""

import io
import uuid
import warnings
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from filmdb.lib.validators import validate_visible_text

FORMATS = ("JPEG", "PNG", "WEBP")
MAX_BYTES = 20 * 1024 * 1024
# The pixel count is the cost, whatever the file's size: Pillow holds RGB and RGBA at
# 4 bytes a pixel, and an upload is decoded once to store it and once for its renditions,
# one copy at a time. At 40 megapixels a worker needs about 220 MB more at the peak and
# 3 s of CPU (docs/images.md has the measurements).
MAX_PIXELS = 40_000_000
# Within WebP's 16,383 pixels a side, so every rendition can be written.
MAX_SIDE = 10_000
# Posters are about 2:3 and portraits near it. Past 1:20 an image is a sliver: its
# narrowest rendition (160 pixels wide) would be under 8 pixels high.
MAX_ASPECT_RATIO = 20
RENDITION_WIDTHS = (160, 320, 640, 1280)
SHRINK_BAND_ROWS = 256
SRGB = ImageCms.createProfile("sRGB")


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_image")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def check_size(width: int, height: int) -> None:
    """Refuse, with a German reason, an image too costly to decode or too narrow to show.

    Given the size in the file's header: nothing has been decoded yet."""
    size = f"{_number(width)} × {_number(height)} Pixel"
    if width * height > MAX_PIXELS:
        raise _refuse(
            f"Das Bild hat mehr als {MAX_PIXELS // 1_000_000} Megapixel ({size}). "
            "Laden Sie ein kleineres Bild hoch."
        )
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise _refuse(
            f"Das Bild ist {size} groß und damit zu schmal: Die längere Seite darf höchstens "
            f"{MAX_ASPECT_RATIO}-mal so lang sein wie die kürzere (Seitenverhältnis bis "
            f"1:{MAX_ASPECT_RATIO}). Laden Sie ein Bild in einem üblichen Format hoch."
        )
    if max(width, height) > MAX_SIDE:
        raise _refuse(
            f"Das Bild ist {size} groß; Breite und Höhe dürfen je höchstens "
            f"{_number(MAX_SIDE)} Pixel betragen. Laden Sie ein kleineres Bild hoch."
        )


def decode(file) -> Image.Image:
    """The fully decoded image, or a ValidationError with a German reason."""
    if file.size > MAX_BYTES:
        raise _refuse("Die Datei ist größer als 20 MB. Laden Sie ein kleineres Bild hoch.")
    file.seek(0)
    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit; a bomb is an error here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(file, formats=FORMATS)
            check_size(image.width, image.height)
            image.load()
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(
                "Das Bild gibt mehr Pixel an, als erlaubt sind "
                f"(höchstens {MAX_PIXELS // 1_000_000} Megapixel)."
            ) from None
        except UnidentifiedImageError:
            raise _refuse("Das ist kein Bild im Format JPEG, PNG oder WebP.") from None
        except (OSError, SyntaxError, ValueError):
            raise _refuse("Das Bild ist beschädigt oder unvollständig.") from None
    return image


def normalise(image: Image.Image) -> Image.Image:
    """Upright, in sRGB, without metadata (EXIF, GPS, comments and profiles are not kept).

    Changes `image` in place where it can: each copy of 40 megapixels costs 160 MB."""
    icc = image.info.get("icc_profile")
    ImageOps.exif_transpose(image, in_place=True)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable or unusual profile: the plain conversion below
    if image.mode != mode:
        image = image.convert(mode)
    # Pillow writes no metadata but what `info` holds and what save() is given, so an
    # empty `info` drops EXIF, GPS, XMP, comments and profiles without copying the pixels.
    image.info = {}
    return image


def encode(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


class SafeImageFormField(forms.ImageField):
    """An upload field whose file is decoded, checked and normalised before it is stored."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        image = normalise(decode(upload))
        # No `optimize`: for a JPEG it holds every coefficient of the image in memory
        # (110 MB more at 40 megapixels), for a PNG it takes half as long again; the
        # original is rarely served, its renditions are.
        if image.mode == "RGBA":
            content, extension = encode(image, "PNG"), "png"
        else:
            content, extension = encode(image, "JPEG", quality=90), "jpg"
        # A generated name: the uploader's file name is never stored. Unlike Django's
        # ImageField, the decoded image is not kept on the file: it would stay in memory
        # through the request while the renditions decode the original again.
        normalised = ContentFile(content, name=f"{uuid.uuid4().hex}.{extension}")
        normalised.content_type = f"image/{'png' if extension == 'png' else 'jpeg'}"
        return normalised


class SafeImageField(models.ImageField):
    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})


def image_credit_field() -> models.CharField:
    """An image's credit ("Bildnachweis"), shown under it and in the JSON-LD."""
    return models.CharField(
        "Bildnachweis",
        max_length=200,
        blank=True,
        default="",
        db_default="",
        validators=[validate_visible_text],
        help_text="Steht unter dem Bild, z. B. „Foto: Wild Bunch Germany“.",
    )


def image_credit_note_field() -> models.CharField:
    """An image's source or licence note, beside its credit."""
    return models.CharField(
        "Quelle oder Lizenz",
        max_length=300,
        blank=True,
        default="",
        db_default="",
        validators=[validate_visible_text],
        help_text="Z. B. „Pressematerial des Verleihs“ oder „CC BY-SA 4.0“.",
    )


def rendition_name(name: str, width: int) -> str:
    path = PurePosixPath(name)
    return str(path.parent / "renditions" / f"{path.stem}-{width}.webp")


def rendition_widths(width: int | None) -> list[int]:
    """The rendition widths of an original `width` pixels wide: each once, none wider."""
    if not width:
        return []
    return sorted({min(w, width) for w in RENDITION_WIDTHS})


def scaled_height(width: int, height: int, new_width: int) -> int:
    """The height of an image `width` x `height` shown `new_width` wide: never 0."""
    return max(1, round(height * new_width / width))


def shrink(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """`image` resized to the smaller `size`, with no second copy of it in memory.

    Pillow resizes a transparent image with its colours premultiplied by alpha, and
    converts the whole image for that: a second copy, 160 MB at 40 megapixels. Here it
    is converted and narrowed a band of rows at a time, then made as low as `size`; the
    same two passes Pillow makes, so the same result."""
    if image.mode != "RGBA":
        return image.resize(size, Image.Resampling.LANCZOS)
    narrow = Image.new("RGBa", (size[0], image.height))
    for top in range(0, image.height, SHRINK_BAND_ROWS):
        band = image.crop((0, top, image.width, min(top + SHRINK_BAND_ROWS, image.height)))
        band = band.convert("RGBa").resize((size[0], band.height), Image.Resampling.LANCZOS)
        narrow.paste(band, (0, top))
    return narrow.resize(size, Image.Resampling.LANCZOS).convert("RGBA")


def renditions_create(field_file) -> None:
    """WebP renditions of a stored image, next to it; existing ones are kept."""
    if not field_file:
        return
    storage = field_file.storage
    with storage.open(field_file.name, "rb") as original:
        image = Image.open(original, formats=FORMATS)
        width, height = image.size
        widths = rendition_widths(width)
        # A JPEG decodes at 1/2, 1/4 or 1/8 of its size when that still covers the widest
        # rendition: a fraction of the memory and time of a large original.
        image.draft(image.mode, (widths[-1], scaled_height(width, height, widths[-1])))
        image.load()
    # Widest first, each from the one before: a large original is resized only once.
    for rendition_width in reversed(widths):
        image = shrink(image, (rendition_width, scaled_height(width, height, rendition_width)))
        name = rendition_name(field_file.name, rendition_width)
        if not storage.exists(name):
            storage.save(name, ContentFile(encode(image, "WEBP", quality=80, method=4)))


def image_delete(name: str, width: int | None, storage=default_storage) -> None:
    """Remove an image and its renditions, once the transaction has committed."""
    if not name:
        return

    def delete() -> None:
        storage.delete(name)
        for rendition_width in rendition_widths(width):
            storage.delete(rendition_name(name, rendition_width))

    transaction.on_commit(delete)


class ImageFiles(models.Model):
    """A model whose image fields' files (SafeImageField) follow its rows: renditions when
    an image is saved; the old files removed when it is replaced or cleared. Both happen
    once the transaction has committed, so a save that rolls back changes no files.

    The stored names are read before the save and compared with the saved ones (an
    upload's name is final once stored) after it, within the one call: nothing is kept
    on the instance between the two. A raw save (a restore from the history) stores no
    upload and so is compared before it (`raw_image_saves`, connected to pre_save); the
    files of a deleted row go with it (`delete_image_files`, connected to post_delete).
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        fields = image_fields(self, kwargs.get("update_fields"))
        stored = stored_images(self, fields)
        super().save(*args, **kwargs)
        for field in fields:
            image_saved(getattr(self, field.name), *stored.get(field.name, (None, None)))


def image_fields(instance: models.Model, update_fields=None) -> list["SafeImageField"]:
    return [
        field
        for field in instance._meta.concrete_fields
        if isinstance(field, SafeImageField)
        and (update_fields is None or field.name in update_fields)
    ]


def stored_images(instance: models.Model, fields) -> dict[str, tuple[str, int | None]]:
    """Each of `fields`' stored file name and width, for a row already stored."""
    if not fields or instance.pk is None:
        return {}
    columns = [name for field in fields for name in (field.name, field.width_field)]
    row = type(instance)._base_manager.filter(pk=instance.pk).values_list(*columns).first()
    if row is None:
        return {}
    return {field.name: row[2 * n : 2 * n + 2] for n, field in enumerate(fields)}


def raw_image_saves(sender, instance, raw=False, **kwargs) -> None:
    """pre_save: a raw save's file names are final before it (see ImageFiles)."""
    if raw:
        fields = image_fields(instance, kwargs.get("update_fields"))
        stored = stored_images(instance, fields)
        for field in fields:
            image_saved(getattr(instance, field.name), *stored.get(field.name, (None, None)))


def image_saved(current, previous_name: str | None, previous_width: int | None) -> None:
    """After a save: the replaced or cleared image's files removed, the new one's
    renditions made, both once the transaction has committed."""
    if previous_name and previous_name != current.name:
        image_delete(previous_name, previous_width, current.storage)
    if current and previous_name != current.name:
        # Only for a save that stands: a rolled-back one leaves no renditions behind.
        transaction.on_commit(lambda: renditions_create(current))


def delete_image_files(sender, instance, **kwargs) -> None:
    """post_delete: a deleted row's images and their renditions go with it."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, SafeImageField):
            current = getattr(instance, field.name)
            image_delete(current.name, getattr(instance, field.width_field), current.storage)


def rendition_url(field_file, width: int | None, display_width: int) -> str:
    """The smallest rendition at least `display_width` wide (else the widest), or ""."""
    widths = rendition_widths(width)
    if not field_file or not widths:
        return ""
    chosen = next((w for w in widths if w >= display_width), widths[-1])
    return field_file.storage.url(rendition_name(field_file.name, chosen))


def renditions(field_file, width: int | None) -> list[tuple[str, int]]:
    """(URL, width) of each rendition of an image `width` pixels wide, narrowest first."""
    return [
        (field_file.storage.url(rendition_name(field_file.name, w)), w)
        for w in rendition_widths(width)
    ]


def srcset(field_file, width: int | None) -> str:
    return ", ".join(f"{url} {w}w" for url, w in renditions(field_file, width))
