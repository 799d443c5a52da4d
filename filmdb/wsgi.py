import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmdb.settings")

application = get_wsgi_application()

# The loaded application lives as long as the worker: its objects are kept out of the
# garbage collector's full collections, which otherwise walked them all and stopped a
# search for up to 60 ms (bench/search.py at 700,000 films: the slowest of 200 searches
# took 80 to 110 ms with them, 36 to 40 ms without).
gc.freeze()
