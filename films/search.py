"""Typo tolerance for the film search: the nearest person's name by trigram similarity."""

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection

from filmdb.lib.folding import fold_for_search
from films.models import Film, related_manager


def suggest_person_name(text: str) -> str | None:
    """On PostgreSQL, the name of the person most like `text` (for "Meintest du …?")."""
    if connection.vendor != "postgresql" or not text.strip():
        return None
    # Credits' people, reached through the relation: films import no other app.
    person_model = related_manager(Film, "credits").model._meta.get_field("person").related_model
    folded = fold_for_search(text)
    nearest = (
        person_model.objects.filter(search_text__trigram_similar=folded)  # served by the index
        .annotate(similarity=TrigramSimilarity("search_text", folded))
        .order_by("-similarity", "name")
        .values_list("name", flat=True)
        .first()
    )
    return nearest
