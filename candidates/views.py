from contextlib import suppress
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.staff import is_verified_staff
from jobs.models import Vacancy
from pipeline.models import PrivacyNotice
from pipeline.privacy import object_to_processing
from recruitment.proxies import client_address

from . import alerts, held_cvs
from .forms import (
    AlertFrequencyForm,
    ContactForm,
    EmployerForm,
    EnquiryForm,
    JobAlertForm,
    PrivacyRequestForm,
    SpeculativeCVForm,
)
from .links import is_prefetch
from .models import (
    CandidateCV,
    CVDownload,
    Enquiry,
    EnquiryLink,
    JobAlert,
    RejectedSubmission,
)
from .ratelimit import over_limit, rate_limited
from .services import submit_enquiry
from .storage import CVNotStored

# Beside the CV field, when the CV could not be received or stored.
CV_NOT_STORED = "We could not save your CV just now, so nothing was sent. Please attach it again."


def private_page(view):
    """For pages whose address is someone's secret: never kept by a browser or proxy cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def refused(request, form_name, form):
    """A response for a post we will not save (a bot filled the honeypot), or None.

    Rate limits were applied before the body was read (candidates.ratelimit).
    """
    if form.is_spam:
        RejectedSubmission.count_one(form_name, "honeypot")
        return render(request, "candidates/refused.html", {"reason": "spam"}, status=400)
    return None


def bound(form_class, request, **kwargs):
    data, files = request.POST, request.FILES  # parsing the body sets what the handler saw
    return form_class(
        data,
        files,
        oversized=getattr(request, "oversized_uploads", ()),
        extra_uploads=getattr(request, "extra_uploads", 0),
        visitor=held_cvs.visitor_key(request),
        **kwargs,
    )


def saved_cv(request):
    """A signed-in candidate's current CV, which their application may send (candidates.space)."""
    candidate = getattr(request, "candidate", None)
    return {"saved_cv": candidate.current_cv} if candidate else {}


def hold_cv(form):
    """A form with mistakes: its CV, if valid, is held so that it need not be attached again."""
    cv = form.cleaned_data.get("cv")
    if "cv" not in form.fields or not cv or form.cv_is_held:
        return
    if held := held_cvs.hold(cv, form.visitor):
        form.show_held_cv(held)


def discard_held_cv(form):
    """Sent: the CV held from an earlier try, used now or replaced by a new one, goes."""
    if token := form.data.get(held_cvs.FIELD):
        with suppress(held_cvs.HeldCVRefused):
            held_cvs.discard(held_cvs.find(token, form.visitor))


def cv_not_stored(form):
    """The CV could not be stored: the form asks for it again, and offers no held one."""
    form.add_error("cv", CV_NOT_STORED)
    form.held_cv = None


def job_taking_enquiries(slug):
    """The job a job page's form posts to: live, or ended after candidates could see it.

    A job that closed while someone was writing still takes their message (marked as about a
    closed job); a draft or scheduled job was never public, so it is not found.
    """
    vacancy = (
        Vacancy.objects.select_related("client", "consultant", "sector").filter(slug=slug).first()
    )
    if vacancy and (vacancy.is_live or (vacancy.has_ended and vacancy.has_been_live)):
        return vacancy
    raise Http404("No vacancy found")


def job_form_page(request, vacancy, form, status, problem=""):
    """The job page again with the form as sent: invalid, not stored, or its token expired."""
    context = {"vacancy": vacancy, "enquiry_form": form, "problem": problem}
    if not vacancy.is_live:
        context["just_closed"] = True
    return render(request, "jobs/vacancy_detail.html", context, status=status)


@rate_limited("enquiry")
@require_POST
def enquire(request, slug):
    vacancy = job_taking_enquiries(slug)
    form = bound(EnquiryForm, request, **saved_cv(request))
    if response := refused(request, "enquiry", form):
        return response
    if cv_not_received(request, form):
        return storage_failed(job_form_page(request, vacancy, form, status=503, problem="cv"))
    if not form.is_valid():
        hold_cv(form)
        return job_form_page(request, vacancy, form, status=400)
    cv = form.cleaned_data.get("cv")
    kind = Enquiry.Kind.APPLICATION if cv else Enquiry.Kind.QUESTION
    link = (
        EnquiryLink.objects.valid().filter(token=token, vacancy=vacancy).first()
        if (token := form.cleaned_data["link"])
        else None
    )
    try:
        enquiry = submit_enquiry(
            kind=kind,
            data=form.cleaned_data,
            vacancy=vacancy,
            cv=cv,
            link=link,
            about_closed_job=not vacancy.is_live,
            client_address=client_address(request),
        )
    except CVNotStored:
        cv_not_stored(form)
        return storage_failed(job_form_page(request, vacancy, form, status=503, problem="cv"))
    discard_held_cv(form)
    return redirect(enquiry.thanks_url())


def cv_not_received(request, form):
    """The CV's upload failed on our side (a full disk): say so, rather than validate without it."""
    if "cv" not in form.fields or "cv" not in getattr(request, "unreceived_uploads", ()):
        return False
    form.is_valid()  # the other fields' messages are shown too
    form.errors.pop("cv", None)  # "required": it was sent, we could not take it
    cv_not_stored(form)
    return True


def storage_failed(response):
    response["Retry-After"] = "60"
    return response


# The site-wide forms: (form, kind of enquiry, heading, introduction).
FORM_PAGES = {
    "send_cv": (
        SpeculativeCVForm,
        Enquiry.Kind.SPECULATIVE,
        "Send us your CV",
        "Not seeing the right job? Send us your CV and the consultant for your sector "
        "will be in touch when something fits.",
    ),
    "contact": (
        ContactForm,
        Enquiry.Kind.GENERAL,
        "Contact us",
        "Questions about a job, your application or anything else: we read every message.",
    ),
    "privacy_request": (
        PrivacyRequestForm,
        Enquiry.Kind.PRIVACY,
        "Your data: ask for a copy, or for it to be erased",
        "We answer within one month, as the law requires. We may ask you to confirm who you are.",
    ),
    "employers": (
        EmployerForm,
        Enquiry.Kind.EMPLOYER,
        "Recruit with us",
        "Tell us about the role you need to fill, or how we can help, "
        "and a consultant will call you back.",
    ),
}


def form_template(page):
    """Each form page has its own template (extending candidates/form_page.html): what sits
    around the form differs."""
    return f"candidates/form_pages/{page}.html"


@rate_limited("form")
@require_http_methods(["GET", "HEAD", "POST"])
def form_page(request, page):
    form_class, kind, heading, intro = FORM_PAGES[page]
    template = form_template(page)
    context = {"heading": heading, "intro": intro}
    if request.method != "POST":
        return render(request, template, {**context, "form": form_class()})
    form = bound(form_class, request)
    if response := refused(request, page, form):
        return response
    if cv_not_received(request, form):
        context = {**context, "form": form, "problem": "cv"}
        return storage_failed(render(request, template, context, status=503))
    if not form.is_valid():
        hold_cv(form)
        return render(request, template, {**context, "form": form}, status=400)
    try:
        enquiry = submit_enquiry(
            kind=kind,
            data=form.cleaned_data,
            sector=form.cleaned_data.get("sector"),
            cv=form.cleaned_data.get("cv"),
            client_address=client_address(request),
        )
    except CVNotStored:
        cv_not_stored(form)
        context = {**context, "form": form, "problem": "cv"}
        return storage_failed(render(request, template, context, status=503))
    discard_held_cv(form)
    return redirect(enquiry.thanks_url())


@private_page
@require_safe
def thanks(request, token):
    enquiry = get_object_or_404(
        Enquiry.objects.select_related("vacancy", "consultant"), public_token=token
    )
    context = {"enquiry": enquiry}
    if enquiry.about_closed_job:
        context["similar"] = enquiry.vacancy.similar_live_jobs()
    return render(request, "candidates/thanks.html", context)


@require_safe
def privacy(request):
    context = {"version": settings.PRIVACY_NOTICE_VERSION, "retention": settings.RETENTION_DAYS}
    return render(request, "candidates/privacy.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def privacy_object(request, token):
    """The link in the privacy notice sent to someone a consultant added: they object, and
    we erase them. A GET changes nothing: mail scanners open links before people do."""
    notice = get_object_or_404(PrivacyNotice, token=token)
    if request.method == "POST":
        object_to_processing(notice)
        messages.success(request, "Done: we have deleted your details and will not contact you.")
        return redirect(notice)
    return render(request, "candidates/privacy_object.html", {"notice": notice})


def may_read_cvs(request, permission):
    """None if the user may download these CVs; else the response they get instead."""
    if not request.user.is_staff:
        if request.user.is_authenticated:
            raise Http404("No CV here")
        return render(request, "candidates/cv_forbidden.html", status=403)
    if not is_verified_staff(request):  # e.g. signed in before their second factor was removed
        return render(request, "candidates/cv_forbidden.html", status=403)
    if not request.user.has_perm(permission):
        raise Http404("No CV here")
    return None


def cv_response(file, filename):
    """A CV as a download: never shown inline on our origin."""
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename or "cv")
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def enquiry_cv(request, pk):
    if refusal := may_read_cvs(request, "candidates.view_enquiry"):
        return refusal
    enquiry = get_object_or_404(Enquiry, pk=pk)
    if not enquiry.cv:
        raise Http404("No CV here")
    CVDownload.objects.create(user=request.user, enquiry=enquiry)
    return cv_response(enquiry.cv, enquiry.cv_original_name)


@require_safe
def candidate_cv(request, pk):
    """The candidate's current CV."""
    if refusal := may_read_cvs(request, "candidates.view_candidate"):
        return refusal
    version = get_object_or_404(CandidateCV.objects.defer("text"), candidate=pk, is_current=True)
    return version_response(request, version)


@require_safe
def cv_version(request, pk):
    """Any CV version of a candidate, current or past."""
    if refusal := may_read_cvs(request, "candidates.view_candidatecv"):
        return refusal
    version = get_object_or_404(CandidateCV.objects.defer("text"), pk=pk)
    return version_response(request, version)


def version_response(request, version):
    CVDownload.objects.create(user=request.user, candidate_id=version.candidate_id, cv=version)
    return cv_response(version.file, version.download_name)


@rate_limited("job_alert")
@require_POST
def alert_subscribe(request):
    form = JobAlertForm(request.POST)
    if response := refused(request, "job_alert", form):
        return response
    if not form.is_valid():
        return render(request, "candidates/alert_form_page.html", {"form": form}, status=400)
    data = form.cleaned_data
    alerts.subscribe(data["email"], data["search"], data["frequency"])
    messages.success(
        request,
        "Nearly done: we have emailed you a link to confirm your job alert. "
        "Nothing is sent until you click it.",
    )
    query = data["search"]
    return redirect(reverse("jobs:vacancy_list") + (f"?{query}" if query else ""))


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def alert_confirm(request, token):
    alert = get_object_or_404(JobAlert, token=token)
    if request.method == "POST":
        alert.confirm()
        messages.success(request, "Your job alert is on. We will email you new matching jobs.")
        return redirect(alert.manage_url())
    # A GET changes nothing: mail scanners open links before people do.
    return render(request, "candidates/alert_confirm.html", {"alert": alert})


@private_page
@require_http_methods(["GET", "HEAD", "POST"])
def alert_manage(request, token):
    alert = get_object_or_404(JobAlert, token=token)
    form = AlertFrequencyForm(request.POST or None, initial={"frequency": alert.frequency})
    if request.method == "POST" and form.is_valid():
        alert.change_frequency(form.cleaned_data["frequency"])
        messages.success(request, "Saved: " + alert.get_frequency_display().lower() + " emails.")
        return redirect(alert.manage_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request, "candidates/alert_manage.html", {"alert": alert, "form": form}, status=status
    )


@private_page
@csrf_exempt  # RFC 8058: mail clients POST here without a page, so without a CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def alert_unsubscribe(request, token):
    alert = get_object_or_404(JobAlert, token=token)
    if request.method == "POST":
        alert.unsubscribe()
        return render(request, "candidates/alert_unsubscribed.html", {"alert": alert})
    return render(request, "candidates/alert_unsubscribe.html", {"alert": alert})


@private_page
@require_safe
def link(request, token):
    """A consultant's personal link: the job with the enquiry form ready, and an open counted."""
    link = (
        EnquiryLink.objects.select_related(
            "vacancy__client", "vacancy__consultant", "vacancy__sector", "sender", "candidate"
        )
        .filter(token=token)
        .first()
    )
    if link is None:
        return link_not_found(request)
    vacancy = link.vacancy
    if not vacancy.is_live:
        context = {
            "vacancy": vacancy,
            "similar": vacancy.similar_live_jobs(),
            "contact": link.sender,
        }
        return render(request, "jobs/vacancy_ended.html", context)
    context = {"vacancy": vacancy, "from_link": link}
    if link.is_valid:
        # A consultant checking the link they sent is not the candidate opening it.
        if not is_prefetch(request) and not request.user.is_staff:
            link.record_open()
        candidate_name = link.candidate.name if link.candidate else ""
        initial = {"email": link.email, "name": candidate_name, "link": link.token}
        context["enquiry_form"] = EnquiryForm(initial=initial)
    return render(request, "jobs/vacancy_detail.html", context)


def link_not_found(request):
    # Unknown tokens are counted per address, so guessing links soon stops.
    if over_limit(request, "link-guesses", settings.LINK_GUESS_LIMIT):
        RejectedSubmission.count_one("job_link", "guessing")
        return render(request, "candidates/refused.html", {"reason": "rate"}, status=429)
    return render(request, "candidates/link_not_found.html", status=404)


def csrf_failure(request, reason=""):
    """A post whose CSRF token had expired: its form again, with what was typed, saving nothing.

    Tokens expire when a form sits open past the session or the page came back from the
    browser's cache. The public forms come back filled in (but for a file, which a browser
    never refills) with a fresh token; anything else gets a plain explanation.
    """
    response = form_again(request) if request.method == "POST" else None
    return response or render(request, "403_csrf.html", status=403)


def form_again(request):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.namespace != "candidates":
        return None
    skipped = ("csrfmiddlewaretoken", "website")
    typed = {key: value for key, value in request.POST.items() if key not in skipped}
    if match.url_name == "enquire":
        try:
            vacancy = job_taking_enquiries(match.kwargs["slug"])
        except Http404:
            return None
        form = EnquiryForm(initial=typed)
        return job_form_page(request, vacancy, form, status=403, problem="expired")
    if match.url_name == "alert_subscribe":
        context = {"form": JobAlertForm(initial=typed), "problem": "expired"}
        return render(request, "candidates/alert_form_page.html", context, status=403)
    if (page := match.kwargs.get("page")) in FORM_PAGES:
        form_class, _, heading, intro = FORM_PAGES[page]
        context = {"heading": heading, "intro": intro, "problem": "expired"}
        context["form"] = form_class(initial=typed)
        return render(request, form_template(page), context, status=403)
    return None
