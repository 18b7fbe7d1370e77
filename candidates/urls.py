from django.urls import path, register_converter

from . import space_views, views


class TokenConverter:
    """The URL-safe tokens of our links; anything else (NUL bytes, slashes) is a plain 404."""

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")

app_name = "candidates"

urlpatterns = [
    path("jobs/<slug:slug>/enquire/", views.enquire, name="enquire"),
    path("send-your-cv/", views.form_page, {"page": "send_cv"}, name="send_cv"),
    path("contact/", views.form_page, {"page": "contact"}, name="contact"),
    path("employers/", views.form_page, {"page": "employers"}, name="employers"),
    path("enquiries/<token:token>/thanks/", views.thanks, name="thanks"),
    path("privacy/", views.privacy, name="privacy"),
    path(
        "privacy/your-data/", views.form_page, {"page": "privacy_request"}, name="privacy_request"
    ),
    path("privacy/object/<token:token>/", views.privacy_object, name="privacy_object"),
    path("j/<token:token>/", views.link, name="link"),
    path("alerts/", views.alert_subscribe, name="alert_subscribe"),
    path("alerts/<token:token>/", views.alert_manage, name="alert_manage"),
    path("alerts/<token:token>/confirm/", views.alert_confirm, name="alert_confirm"),
    path("alerts/<token:token>/unsubscribe/", views.alert_unsubscribe, name="alert_unsubscribe"),
    path("me/", space_views.home, name="space"),
    path("me/sign-in/", space_views.sign_in, name="space_sign_in"),
    path("me/sign-in/sent/", space_views.sign_in_sent, name="space_sign_in_sent"),
    path("me/sign-in/<token:token>/", space_views.sign_in_link, name="space_sign_in_link"),
    path("me/sign-out/", space_views.sign_out, name="space_sign_out"),
    path("me/sign-out/everywhere/", space_views.sign_out_everywhere, name="space_sign_out_all"),
    path("me/applications/<int:pk>/withdraw/", space_views.withdraw, name="space_withdraw"),
    path("me/details/", space_views.details, name="space_details"),
    path("me/cvs/", space_views.add_cv, name="space_add_cv"),
    path("me/cvs/<int:pk>/delete/", space_views.delete_cv, name="space_delete_cv"),
    path("me/alerts/<int:pk>/", space_views.change_alert, name="space_change_alert"),
    path("me/alerts/<int:pk>/stop/", space_views.stop_alert, name="space_stop_alert"),
    path("me/saved/", space_views.saved, name="space_saved"),
    path("jobs/<slug:slug>/save/", space_views.save, name="space_save"),
    path("jobs/<slug:slug>/unsave/", space_views.unsave, name="space_unsave"),
    path("me/data/", space_views.my_data, name="space_data"),
    path("me/data/download/", space_views.download_data, name="space_data_download"),
    path("me/data/erase/", space_views.ask_erasure, name="space_erase"),
    path("staff/enquiries/<int:pk>/cv/", views.enquiry_cv, name="cv_download"),
    path("staff/candidates/<int:pk>/cv/", views.candidate_cv, name="candidate_cv_download"),
    path("staff/cvs/<int:pk>/", views.cv_version, name="cv_version_download"),
]
