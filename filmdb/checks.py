from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def shared_page_cache(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Cached pages must be retired in every worker process: they need a shared cache."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.PAGE_CACHE_SECONDS and backend.endswith("LocMemCache"):
        return [
            checks.Warning(
                "Pages are cached in local memory: each gunicorn worker keeps its own copy, "
                "and an edit retires the pages of the worker that saved it only.",
                hint="Set REDIS_URL (or DJANGO_PAGE_CACHE_SECONDS=0).",
                id="filmdb.W001",
            )
        ]
    return []
