from django.urls import path

from . import views

app_name = "candidates"

urlpatterns = [
    path("jobs/<slug:slug>/enquire/", views.enquire, name="enquire"),
    path("send-your-cv/", views.form_page, {"page": "send_cv"}, name="send_cv"),
    path("contact/", views.form_page, {"page": "contact"}, name="contact"),
    path("employers/", views.form_page, {"page": "employers"}, name="employers"),
    path("enquiries/<str:token>/thanks/", views.thanks, name="thanks"),
    path("privacy/", views.privacy, name="privacy"),
    path("staff/enquiries/<int:pk>/cv/", views.enquiry_cv, name="cv_download"),
    path("staff/candidates/<int:pk>/cv/", views.candidate_cv, name="candidate_cv_download"),
]
