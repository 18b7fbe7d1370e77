from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jobs.models import Vacancy
from pipeline.models import PrivacyNotice
from pipeline.privacy import object_to_processing

from . import alerts
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
    Candidate,
    CVDownload,
    Enquiry,
    EnquiryLink,
    JobAlert,
    RejectedSubmission,
)
from .ratelimit import over_limit
from .services import submit_enquiry


def refused(request, form_name, form):
    """A response for a post we will not save (rate limited or a bot), or None."""
    if over_limit(request):
        RejectedSubmission.count_one(form_name, "rate limit")
        return render(request, "candidates/refused.html", {"reason": "rate"}, status=429)
    if form.is_spam:
        RejectedSubmission.count_one(form_name, "honeypot")
        return render(request, "candidates/refused.html", {"reason": "spam"}, status=400)
    return None


def bound(form_class, request):
    data, files = request.POST, request.FILES  # parsing the body sets oversized_uploads
    return form_class(data, files, oversized=getattr(request, "oversized_uploads", ()))


@require_POST
def enquire(request, slug):
    vacancy = get_object_or_404(
        Vacancy.objects.live().select_related("client", "consultant", "sector"), slug=slug
    )
    form = bound(EnquiryForm, request)
    if response := refused(request, "enquiry", form):
        return response
    if form.is_valid():
        cv = form.cleaned_data.get("cv")
        kind = Enquiry.Kind.APPLICATION if cv else Enquiry.Kind.QUESTION
        link = (
            EnquiryLink.objects.valid().filter(token=token, vacancy=vacancy).first()
            if (token := form.cleaned_data["link"])
            else None
        )
        enquiry = submit_enquiry(
            kind=kind, data=form.cleaned_data, vacancy=vacancy, cv=cv, link=link
        )
        return redirect(enquiry)
    context = {"vacancy": vacancy, "enquiry_form": form}
    return render(request, "jobs/vacancy_detail.html", context, status=400)


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


@require_http_methods(["GET", "HEAD", "POST"])
def form_page(request, page):
    form_class, kind, heading, intro = FORM_PAGES[page]
    context = {"heading": heading, "intro": intro}
    if request.method != "POST":
        return render(request, "candidates/form_page.html", {**context, "form": form_class()})
    form = bound(form_class, request)
    if response := refused(request, page, form):
        return response
    if not form.is_valid():
        return render(request, "candidates/form_page.html", {**context, "form": form}, status=400)
    enquiry = submit_enquiry(
        kind=kind,
        data=form.cleaned_data,
        sector=form.cleaned_data.get("sector"),
        cv=form.cleaned_data.get("cv"),
    )
    return redirect(enquiry)


@require_safe
def thanks(request, token):
    enquiry = get_object_or_404(
        Enquiry.objects.select_related("vacancy", "consultant"), public_token=token
    )
    return render(request, "candidates/thanks.html", {"enquiry": enquiry})


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


def cv_download(request, model, pk):
    """A CV for staff allowed to see it, as a download: never shown inline on our origin."""
    if not request.user.is_authenticated:
        return render(request, "candidates/cv_forbidden.html", status=403)
    permission = f"candidates.view_{model._meta.model_name}"
    if not (request.user.is_staff and request.user.has_perm(permission)):
        raise Http404("No CV here")
    owner = get_object_or_404(model, pk=pk)
    if not owner.cv:
        raise Http404("No CV here")
    CVDownload.objects.create(user=request.user, **{model._meta.model_name: owner})
    response = FileResponse(
        owner.cv.open("rb"), as_attachment=True, filename=owner.cv_original_name or "cv"
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def enquiry_cv(request, pk):
    return cv_download(request, Enquiry, pk)


@require_safe
def candidate_cv(request, pk):
    return cv_download(request, Candidate, pk)


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


@require_http_methods(["GET", "HEAD", "POST"])
def alert_confirm(request, token):
    alert = get_object_or_404(JobAlert, token=token)
    if request.method == "POST":
        alert.confirm()
        messages.success(request, "Your job alert is on. We will email you new matching jobs.")
        return redirect(alert)
    # A GET changes nothing: mail scanners open links before people do.
    return render(request, "candidates/alert_confirm.html", {"alert": alert})


@require_http_methods(["GET", "HEAD", "POST"])
def alert_manage(request, token):
    alert = get_object_or_404(JobAlert, token=token)
    form = AlertFrequencyForm(request.POST or None, initial={"frequency": alert.frequency})
    if request.method == "POST" and form.is_valid():
        alert.change_frequency(form.cleaned_data["frequency"])
        messages.success(request, "Saved: " + alert.get_frequency_display().lower() + " emails.")
        return redirect(alert)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "candidates/alert_manage.html", {"alert": alert, "form": form}, status=status
    )


@csrf_exempt  # RFC 8058: mail clients POST here without a page, so without a CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def alert_unsubscribe(request, token):
    alert = get_object_or_404(JobAlert, token=token)
    if request.method == "POST":
        alert.unsubscribe()
        return render(request, "candidates/alert_unsubscribed.html", {"alert": alert})
    return render(request, "candidates/alert_unsubscribe.html", {"alert": alert})


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
        if not is_prefetch(request):
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
