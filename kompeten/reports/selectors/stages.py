"""Which later stages are installed: a report shows a stage only once its app's tables
exist (never fake numbers). Resolved at call time, so a merged branch appears by itself."""

import importlib

from django.apps import apps


def model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def function(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
