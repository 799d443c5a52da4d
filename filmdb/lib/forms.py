"""Form fields that read what browsers send as editors meant it."""

from django import forms
from django.db import models


class ParagraphsField(forms.CharField):
    """A textarea's text with its line breaks as stored: "\\n".

    Browsers send every line break of a textarea as CRLF. Read as it comes, a text with
    paragraphs saved unchanged would be stored changed, and counted as changed in the
    history and by the locking's merge.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


# For ModelAdmin.formfield_overrides, which keeps the admin's own textarea widget.
TEXT_FIELD_OVERRIDES = {models.TextField: {"form_class": ParagraphsField}}
