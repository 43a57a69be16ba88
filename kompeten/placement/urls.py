from django.urls import path  # noqa: F401

app_name = "placement"
urlpatterns = [
    # -- batch placement (helper: batching) --
    # -- dormitory rooms (helper: rooms) --
    # -- topics, publication and class documents (helper: topics) --
]
