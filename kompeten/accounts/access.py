"""Moved to kompeten.access.decorators; kept so branches written against the old path import."""

from kompeten.access.decorators import organiser_required, role_required

__all__ = ["organiser_required", "role_required"]
