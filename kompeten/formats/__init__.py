"""Date formats per language (settings.FORMAT_MODULE_PATH); anything not set here falls
back to Django's own formats of that language."""
