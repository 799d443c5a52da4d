"""Publication status: what visitors may see, shared by films and reviews."""

from django.db import models


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Entwurf"
    PUBLISHED = "published", "Veröffentlicht"
