from django.urls import path

from kompeten.review.views import review

app_name = "review"
urlpatterns = [
    # -- review queue and decisions (helper: review) --
    path("", review.queue, name="queue"),
    path("<int:pk>/", review.review, name="review"),
    path("<int:pk>/versi/<int:number>/", review.version, name="version"),
]
