from django.urls import path  # noqa: F401

app_name = "review"
urlpatterns = [
    # -- review queue and decisions (helper: review) --
]
