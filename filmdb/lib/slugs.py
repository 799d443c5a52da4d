"""Old slugs of pages addressed by slug, which redirect to the page's current URL."""

from django.db import models


class SlugRedirect(models.Model):
    """An old slug that answers with a permanent redirect to its object's current page."""

    old_slug = models.SlugField("Alter Slug", max_length=320, db_index=False)
    created_at = models.DateTimeField("Angelegt", auto_now_add=True)

    owner_field: str

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.old_slug

    @classmethod
    def remember(cls, *, owner: models.Model, old_slug: str) -> None:
        """Record that `owner` was reachable under `old_slug`, and forget its current slug."""
        cls.objects.filter(old_slug=owner.slug).delete()
        if old_slug and old_slug != owner.slug:
            cls.objects.update_or_create(old_slug=old_slug, defaults={cls.owner_field: owner})
