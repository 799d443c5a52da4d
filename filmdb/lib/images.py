"""Posters and portraits: safe uploads, normalised originals, WebP renditions, no orphans.

An upload is decoded with Pillow restricted to JPEG, PNG and WebP (never trusted by name or
content type), then stored normalised under a generated name: EXIF orientation applied,
metadata dropped, colour in sRGB. Renditions of fixed widths are written next to it as
WebP when it is saved, and removed with it.
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
MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (160, 320, 640, 1280)
SRGB = ImageCms.createProfile("sRGB")


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_image")


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
            if image.width * image.height > MAX_PIXELS:
                raise _refuse(
                    "Das Bild hat mehr als 40 Megapixel. Laden Sie ein kleineres Bild hoch."
                )
            image.load()
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(
                "Das Bild gibt mehr Pixel an, als erlaubt sind (höchstens 40 Megapixel)."
            ) from None
        except UnidentifiedImageError:
            raise _refuse("Das ist kein Bild im Format JPEG, PNG oder WebP.") from None
        except (OSError, SyntaxError, ValueError):
            raise _refuse("Das Bild ist beschädigt oder unvollständig.") from None
    return image


def normalise(image: Image.Image) -> Image.Image:
    """Upright, in sRGB, without metadata (EXIF, GPS, comments and profiles are not kept)."""
    icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable or unusual profile: the plain conversion below
    image = image.convert(mode)
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


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
        if image.mode == "RGBA":
            content, extension = encode(image, "PNG", optimize=True), "png"
        else:
            content, extension = encode(image, "JPEG", quality=90, optimize=True), "jpg"
        # A generated name: the uploader's file name is never stored.
        normalised = ContentFile(content, name=f"{uuid.uuid4().hex}.{extension}")
        normalised.image = image
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
    """The rendition widths of an original `width` pixels wide (none wider than it)."""
    if not width:
        return []
    return [w for w in RENDITION_WIDTHS if w < width] + [min(width, RENDITION_WIDTHS[-1])]


def renditions_create(field_file) -> None:
    """WebP renditions of a stored image, next to it; existing ones are kept."""
    if not field_file:
        return
    storage = field_file.storage
    with storage.open(field_file.name, "rb") as original:
        image = Image.open(original, formats=FORMATS)
        image.load()
    for width in rendition_widths(image.width):
        name = rendition_name(field_file.name, width)
        if storage.exists(name):
            continue
        height = round(image.height * width / image.width)
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        storage.save(name, ContentFile(encode(resized, "WEBP", quality=80, method=4)))


def image_delete(name: str, width: int | None, storage=default_storage) -> None:
    """Remove an image and its renditions, once the transaction has committed."""
    if not name:
        return

    def delete() -> None:
        storage.delete(name)
        for rendition_width in rendition_widths(width):
            storage.delete(rendition_name(name, rendition_width))

    transaction.on_commit(delete)


def track_image_field(model: type[models.Model], field: str, width_field: str) -> None:
    """Keep `model.field`'s files in step with its rows: renditions when an image is saved;
    the old files removed when it is replaced or cleared, or its row deleted. Both happen
    once the transaction has committed, so a save that rolls back changes no files."""

    def remember_previous(sender, instance, **kwargs):
        previous = None
        if instance.pk:
            previous = sender.objects.filter(pk=instance.pk).values_list(field, width_field).first()
        instance._previous_image = previous

    def after_save(sender, instance, **kwargs):
        current = getattr(instance, field)
        previous = getattr(instance, "_previous_image", None)
        if previous and previous[0] and previous[0] != current.name:
            image_delete(previous[0], previous[1], current.storage)
        if current and (not previous or previous[0] != current.name):
            # Only for a save that stands: a rolled-back one leaves no renditions behind.
            transaction.on_commit(lambda: renditions_create(current))

    def after_delete(sender, instance, **kwargs):
        current = getattr(instance, field)
        image_delete(current.name, getattr(instance, width_field), current.storage)

    uid = f"{model._meta.label}.{field}"
    models.signals.pre_save.connect(remember_previous, sender=model, weak=False, dispatch_uid=uid)
    models.signals.post_save.connect(after_save, sender=model, weak=False, dispatch_uid=uid)
    models.signals.post_delete.connect(after_delete, sender=model, weak=False, dispatch_uid=uid)


def rendition_url(field_file, width: int | None, display_width: int) -> str:
    """The smallest rendition at least `display_width` wide (else the widest), or ""."""
    widths = rendition_widths(width)
    if not field_file or not widths:
        return ""
    chosen = next((w for w in widths if w >= display_width), widths[-1])
    return field_file.storage.url(rendition_name(field_file.name, chosen))


def srcset(field_file, width: int | None) -> str:
    return ", ".join(
        f"{field_file.storage.url(rendition_name(field_file.name, w))} {w}w"
        for w in rendition_widths(width)
    )
