from django.conf import settings
from django.db import models


class StoredFile(models.Model):
    """An uploaded file, checked by content and stored privately (never served directly)."""

    file = models.FileField(upload_to="uploads/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name
