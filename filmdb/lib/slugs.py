"""Pages addressed by slug: their remembered URLs, and old slugs that redirect."""

import functools

from django.db import models
from django.urls import get_script_prefix, reverse


def slug_url(viewname: str, slug: str) -> str:
    """The URL of a page addressed by its slug: reverse(), remembered per process.

    A film page links every credited person (twice, with the JSON-LD), and reverse()
    costs more than the rest of each link's rendering.
    """
    return _remembered_slug_url(viewname, slug, get_script_prefix())


@functools.lru_cache(maxsize=20_000)
def _remembered_slug_url(viewname: str, slug: str, script_prefix: str) -> str:
    return reverse(viewname, kwargs={"slug": slug})


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
