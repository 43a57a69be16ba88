from django.urls import path

from kompeten.review.views import review, submission

app_name = "review"
urlpatterns = [
    path("pendaftaran/kirim/", submission.submit, name="submit"),
    path("review/", review.queue, name="queue"),
    path("review/<int:pk>/", review.review, name="review"),
    path("review/<int:pk>/versi/<int:number>/", review.version, name="version"),
]
