"""Celery app. With no CELERY_BROKER_URL, settings make tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
app = Celery("kompeten")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
