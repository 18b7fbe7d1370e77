from django.urls import path

import candidates.urls  # noqa: F401 - registers the "token" path converter

from . import client_review

app_name = "pipeline"

urlpatterns = [
    path("review/<token:token>/", client_review.review, name="review"),
    path(
        "review/<token:token>/candidates/<int:pk>/",
        client_review.respond,
        name="review_respond",
    ),
    path("review/<token:token>/candidates/<int:pk>/cv/", client_review.cv, name="review_cv"),
]
