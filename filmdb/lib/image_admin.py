"""A newly uploaded image (a film's poster, a person's photo) in the admin: the credit of
the image it replaces is cleared, and an image too narrow to show sharply is pointed out
after the save."""

from django.contrib import messages
from django.db import models
from django.http import HttpRequest

from filmdb.lib.locking import LockedModelForm


class ImageCreditForm(LockedModelForm):
    """An uploaded image replaces its credit ("Bildnachweis") and source note too: each of
    the two that the editor left as it was in the same submission is cleared, since it
    named the old image. One the editor changed is kept as they typed it."""

    image_field = "poster"
    # Set by clean(): the credit fields it cleared.
    credits_cleared: tuple[str, ...] = ()

    def clean(self) -> dict:
        cleaned = super().clean()
        # A new file: changed, and neither kept (unchanged) nor cleared (False).
        if self.image_field not in self.changed_data or not cleaned.get(self.image_field):
            return cleaned
        credits = [f"{self.image_field}_credit", f"{self.image_field}_credit_note"]
        self.credits_cleared = tuple(
            name
            for name in credits
            if name in self.fields and name not in self.changed_data and cleaned.get(name)
        )
        for name in self.credits_cleared:
            cleaned[name] = ""
        return cleaned


class ImageCreditAdminMixin:
    """Before SluggedContentAdmin in the bases: its `image_field` gets ImageCreditForm's
    clearing, and an image narrower than `image_min_width` (if set) a warning."""

    form = ImageCreditForm
    image_min_width: int | None = None

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.image_field = self.image_field
        return form

    def save_model(self, request: HttpRequest, obj: models.Model, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        field = obj._meta.get_field(self.image_field)
        label = field.verbose_name
        if form.credits_cleared:
            names = [f"„{obj._meta.get_field(name).verbose_name}“" for name in form.credits_cleared]
            are = "sind" if len(names) > 1 else "ist"
            self.message_user(
                request,
                f"Das {label} ist neu: {' und '.join(names)} des alten {are} geleert. "
                f"Trag die Angaben des neuen {label}s ein.",
                messages.WARNING,
            )
        width = getattr(obj, field.width_field)
        if self.image_min_width and width and width < self.image_min_width:
            self.message_user(
                request,
                f"Das {label} ist nur {width} px breit; für eine scharfe Darstellung lade "
                f"eines mit mindestens {self.image_min_width} px Breite hoch.",
                messages.WARNING,
            )
