"""The project settings plus a bare baseline view (see bench/urls.py).

Everything else - middleware, templates, database, sessions - is the project's own.
"""

from kompeten.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
