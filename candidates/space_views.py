"""The candidate's own pages (candidates.space): sign in by email link, applications, data.

Every page here is `private, no-store` and none is page-cached: the page cache serves only
visitors without a session, a candidate cookie or messages (recruitment.page_cache).
"""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jobs.models import Vacancy
from recruitment.proxies import client_address

from . import privacy, space
from .forms import AlertFrequencyForm, PublicForm
from .models import RejectedSubmission, SpaceActivity
from .ratelimit import rate_limited
from .storage import CVNotStored
from .uploads import CV_EXTENSIONS, too_large_message, validate_cv
from .views import private_page

COOKIE = settings.CANDIDATE_SESSION_COOKIE


class CandidateSpaceMiddleware:
    """Finds the signed-in candidate from their cookie (request.candidate, or None).

    A response to anyone carrying the cookie is `private, no-store`: it may name them. A
    cookie that signs nobody in (expired, signed out elsewhere) is deleted, so its browser
    gets the public, cached pages again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.COOKIES.get(COOKIE)
        request.space_session = space.session_for(key) if key else None
        request.candidate = request.space_session.candidate if request.space_session else None
        response = self.get_response(request)
        if key:
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie"])
            if request.space_session is None and not getattr(response, "space_cookie_set", 0):
                response.delete_cookie(COOKIE, samesite="Lax")
        return response


def set_space_cookie(response, key):
    response.set_cookie(
        COOKIE,
        key,
        max_age=settings.CANDIDATE_SESSION_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    response.space_cookie_set = True
    return response


def candidate_only(view):
    """A page of the space: signed-in candidates only; others are asked to sign in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "candidate", None) is None:
            return redirect("candidates:space_sign_in")
        return view(request, *args, **kwargs)

    return private_page(wrapper)


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="The address you applied with. We email you a link to sign in: no password.",
        error_messages={"required": "Please enter your email address."},
    )
    website = PublicForm.base_fields["website"]

    is_spam = PublicForm.is_spam


class DetailsForm(forms.Form):
    name = PublicForm.base_fields["name"]
    phone = PublicForm.base_fields["phone"]
    job_alerts = forms.BooleanField(
        label="Consultants may email me about other jobs that fit me", required=False
    )

    clean_name = PublicForm.clean_name
    clean_phone = PublicForm.clean_phone


class OwnCVForm(forms.Form):
    cv = forms.FileField(
        label="A new CV",
        help_text="PDF, Word, ODT, RTF or plain text. It becomes the CV we send for you.",
        error_messages={"required": "Please choose a file."},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(CV_EXTENSIONS)}),
    )

    def __init__(self, *args, oversized=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = set(oversized)

    def clean_cv(self):
        cv = self.cleaned_data["cv"]
        validate_cv(cv)
        return cv

    def full_clean(self):
        super().full_clean()
        if "cv" in self.oversized:  # skipped as it arrived: say why
            self.errors.pop("cv", None)
            self.add_error("cv", too_large_message())


@private_page
@rate_limited("sign_in")
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request):
    if request.candidate is not None:
        return redirect("candidates:space")
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_spam:
            RejectedSubmission.count_one("sign_in", "honeypot")
            return render(request, "candidates/refused.html", {"reason": "spam"}, status=400)
        if form.is_valid():
            # The same answer whether or not we know the address.
            space.ask_for_sign_in(form.cleaned_data["email"])
            return redirect("candidates:space_sign_in_sent")
    status = 400 if form.is_bound else 200
    return render(request, "candidates/space/sign_in.html", {"form": form}, status=status)


@private_page
@require_safe
def sign_in_sent(request):
    context = {"minutes": settings.CANDIDATE_SIGN_IN_LINK_MINUTES}
    return render(request, "candidates/space/sign_in_sent.html", context)


def link_spent(request):
    return render(request, "candidates/space/link_spent.html", status=410)


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_link(request, token):
    """The emailed link: a GET only asks (mail scanners open links); the POST signs in."""
    if request.method != "POST":
        if space.usable_link(token) is None:
            return link_spent(request)
        context = {"session_days": settings.CANDIDATE_SESSION_DAYS}
        return render(request, "candidates/space/sign_in_confirm.html", context)
    signed_in = space.sign_in(token)
    if signed_in is None:
        return link_spent(request)
    if request.space_session is not None:
        space.sign_out(request.space_session)  # this device's older session ends
    session, key = signed_in
    messages.success(
        request, f"You are signed in on this device for {settings.CANDIDATE_SESSION_DAYS} days."
    )
    return set_space_cookie(redirect("candidates:space"), key)


@candidate_only
@require_POST
def sign_out(request):
    space.sign_out(request.space_session)
    response = redirect("jobs:home")
    response.delete_cookie(COOKIE, samesite="Lax")
    return response


@candidate_only
@require_POST
def sign_out_everywhere(request):
    space.sign_out_everywhere(request.candidate)
    messages.success(request, "You are signed out on every device.")
    response = redirect("candidates:space_sign_in")
    response.delete_cookie(COOKIE, samesite="Lax")
    return response


@candidate_only
@require_safe
def home(request):
    context = {"candidate": request.candidate, "entries": space.applications(request.candidate)}
    return render(request, "candidates/space/home.html", context)


def own_entry(request, pk):
    """One of the signed-in candidate's applications; anyone else's is a 404."""
    return get_object_or_404(
        space.applications(request.candidate).select_related("candidate"), pk=pk
    )


@candidate_only
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request, pk):
    entry = own_entry(request, pk)
    if request.method == "POST":
        try:
            space.withdraw(entry)
        except ValidationError as error:
            context = {"entry": entry, "error": error.messages[0]}
            return render(request, "candidates/space/withdraw.html", context, status=400)
        messages.success(request, f"You have withdrawn from {entry.vacancy.title}.")
        return redirect("candidates:space")
    if not space.may_withdraw(entry):
        return redirect("candidates:space")
    return render(request, "candidates/space/withdraw.html", {"entry": entry})


@candidate_only
@require_safe
def my_data(request):
    return render(request, "candidates/space/data.html", {"candidate": request.candidate})


@candidate_only
@require_safe
def download_data(request):
    candidate = request.candidate
    archive = privacy.export(candidate)
    space.record(candidate, SpaceActivity.Action.DOWNLOADED_DATA)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="my-data.zip"'
    return response


@candidate_only
@require_http_methods(["GET", "HEAD", "POST"])
def ask_erasure(request):
    if request.method == "POST":
        enquiry = space.ask_for_erasure(request.candidate, client_address=client_address(request))
        messages.success(
            request,
            f"We have your request ({enquiry.reference}) and answer within one month. "
            "We may ask you to confirm who you are.",
        )
        return redirect("candidates:space_data")
    return render(request, "candidates/space/erase.html")


def details_page(request, status=200, **forms_given):
    candidate = request.candidate
    initial = {"name": candidate.name, "phone": candidate.phone, "job_alerts": candidate.job_alerts}
    alerts = list(space.job_alerts(candidate))
    for alert in alerts:
        alert.form = AlertFrequencyForm(
            initial={"frequency": alert.frequency}, prefix=f"alert-{alert.pk}"
        )
    context = {
        "candidate": candidate,
        "details_form": forms_given.get("details_form") or DetailsForm(initial=initial),
        "cv_form": forms_given.get("cv_form") or OwnCVForm(),
        "cvs": candidate.cvs.defer("text").order_by("-uploaded_at", "-pk"),
        "alerts": alerts,
    }
    return render(request, "candidates/space/details.html", context, status=status)


@candidate_only
@require_http_methods(["GET", "HEAD", "POST"])
def details(request):
    if request.method != "POST":
        return details_page(request)
    form = DetailsForm(request.POST)
    if not form.is_valid():
        return details_page(request, status=400, details_form=form)
    if space.change_details(request.candidate, **form.cleaned_data):
        messages.success(request, "Saved: your details are changed.")
    return redirect("candidates:space_details")


@candidate_only
@rate_limited("space_cv")
@require_POST
def add_cv(request):
    data, files = request.POST, request.FILES  # parsing the body sets oversized_uploads
    form = OwnCVForm(data, files, oversized=getattr(request, "oversized_uploads", ()))
    if not form.is_valid():
        return details_page(request, status=400, cv_form=form)
    try:
        space.add_own_cv(request.candidate, form.cleaned_data["cv"])
    except CVNotStored:
        form.add_error("cv", "We could not save your CV just now. Please try again.")
        return details_page(request, status=503, cv_form=form)
    messages.success(request, "Your new CV is saved: it is the one we send from now on.")
    return redirect("candidates:space_details")


@candidate_only
@require_POST
def delete_cv(request, pk):
    version = get_object_or_404(request.candidate.cvs.defer("text"), pk=pk)
    try:
        space.delete_own_cv(version)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("candidates:space_details")
    messages.success(request, "That CV is deleted.")
    return redirect("candidates:space_details")


def own_alert(request, pk):
    return get_object_or_404(space.job_alerts(request.candidate), pk=pk)


@candidate_only
@require_POST
def change_alert(request, pk):
    alert = own_alert(request, pk)
    form = AlertFrequencyForm(request.POST, prefix=f"alert-{alert.pk}")
    if not form.is_valid():
        messages.error(request, "Please choose how often.")
        return redirect("candidates:space_details")
    space.change_alert(request.candidate, alert, form.cleaned_data["frequency"])
    messages.success(request, f"Saved: {alert.get_frequency_display().lower()} emails.")
    return redirect("candidates:space_details")


@candidate_only
@require_POST
def stop_alert(request, pk):
    space.stop_alert(request.candidate, own_alert(request, pk))
    messages.success(request, "That job alert is stopped.")
    return redirect("candidates:space_details")


def back_to(request, vacancy):
    """The page the save button was pressed on (it sends its Referer on our own site), else
    the job's page. The form carries no address: cached pages name no visitor's."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return redirect(referer)
    return redirect(vacancy.get_absolute_url())


def job_to_save(slug):
    return get_object_or_404(Vacancy.objects.select_related("client"), slug=slug)


@private_page
@require_POST
def save(request, slug):
    vacancy = job_to_save(slug)
    if request.candidate is None:
        messages.info(request, "Sign in to save jobs: we email you a link, no password.")
        return redirect("candidates:space_sign_in")
    try:
        space.save_job(request.candidate, vacancy)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return back_to(request, vacancy)
    messages.success(request, f"Saved: {vacancy.title}. Find it in your saved jobs.")
    return back_to(request, vacancy)


@candidate_only
@require_POST
def unsave(request, slug):
    vacancy = job_to_save(slug)
    space.unsave_job(request.candidate, vacancy)
    messages.success(request, f"Removed from your saved jobs: {vacancy.title}.")
    return back_to(request, vacancy)


@candidate_only
@require_safe
def saved(request):
    context = {"saved_jobs": space.saved_jobs(request.candidate)}
    return render(request, "candidates/space/saved.html", context)
