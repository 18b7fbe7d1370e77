"""The client's review page: the candidates sent to one contact for a vacancy, no login.

The link's token is the only key. Every page here is private (`no-store`, never in the page
cache, which only keeps what is decorated for it), names no candidate's email address or
phone number, and changes nothing on a GET: each choice is a POST and a confirmation, so a
mail scanner opening the link only counts as nothing.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST, require_safe

from candidates.links import is_prefetch
from candidates.models import RejectedSubmission
from candidates.ratelimit import over_limit
from candidates.storage import STORAGE_ERRORS
from candidates.views import private_page
from jobs.models import Vacancy

from . import introductions as service
from .models import Introduction, RejectionReason, ReviewDownload, ReviewLink

ENDED = (Vacancy.Status.CLOSED, Vacancy.Status.FILLED)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=Introduction.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose Interview, Not suitable or Hold."},
    )
    reason = forms.TypedChoiceField(label="Why not (if not suitable)", required=False)
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, introduction, reasons, **kwargs):
        super().__init__(*args, prefix=f"c{introduction.pk}", **kwargs)
        self.introduction = introduction
        by_pk = {str(reason.pk): reason for reason in reasons}
        field = self.fields["reason"]
        field.choices = [("", "Choose a reason")] + [
            (pk, reason.client_wording) for pk, reason in by_pk.items()
        ]
        field.coerce, field.empty_value = by_pk.get, None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Introduction.Decision.NOT_SUITABLE:
            if cleaned.get("reason") is None and "reason" not in self.errors:
                self.add_error("reason", "Choose a reason, so we can find a better match.")
        else:
            cleaned["reason"] = None
        return cleaned


def link_or_none(token):
    return (
        ReviewLink.objects.select_related("vacancy__consultant", "vacancy__client", "contact")
        .filter(token=token)
        .first()
    )


def not_found(request):
    """Unknown tokens count towards the same guessing limit as candidates' personal links."""
    if over_limit(request, "link-guesses", settings.LINK_GUESS_LIMIT):
        RejectedSubmission.count_one("review_link", "guessing")
        return render(request, "candidates/refused.html", {"reason": "rate"}, status=429)
    return render(request, "pipeline/review_not_found.html", status=404)


def closed(request, link):
    """A revoked or expired link, or a vacancy closed or filled: who to talk to instead."""
    if link.vacancy.status in ENDED:
        why = "filled" if link.vacancy.status == Vacancy.Status.FILLED else "closed"
    else:
        why = "revoked" if link.revoked_at else "expired"
    context = {"link": link, "why": why, "consultant": link.vacancy.consultant}
    return render(request, "pipeline/review_closed.html", context, status=410)


def usable(link):
    return link.is_valid and link.vacancy.status not in ENDED


def client_reasons():
    """The rejection reasons a client may give, read once for every form on the page."""
    return list(RejectionReason.objects.filter(is_active=True).exclude(client_wording=""))


def review_context(link, forms_by_pk=None, reasons=None):
    forms_by_pk = forms_by_pk or {}
    reasons = client_reasons() if reasons is None else reasons
    rows = service.latest_per_candidate(
        link.introductions().select_related("candidate", "decision_reason")
    )
    return {
        "link": link,
        "vacancy": link.vacancy,
        "consultant": link.vacancy.consultant,
        "rows": [
            (
                row,
                forms_by_pk.get(row.pk)
                or DecisionForm(introduction=row, reasons=reasons, initial=initial(row)),
            )
            for row in rows
        ],
    }


def initial(introduction):
    return {"decision": introduction.decision, "reason": introduction.decision_reason_id}


@private_page
@require_safe
def review(request, token):
    link = link_or_none(token)
    if link is None:
        return not_found(request)
    if not usable(link):
        return closed(request, link)
    # A consultant checking the page is not the client opening it; nor is a link scanner.
    if not is_prefetch(request) and not request.user.is_staff:
        link.record_open()
    return render(request, "pipeline/review.html", review_context(link))


def introduction_of(link, pk):
    return get_object_or_404(
        link.introductions().select_related("candidate", "entry__stage", "decision_reason"), pk=pk
    )


@private_page
@require_POST
def respond(request, token, pk):
    """A choice for one candidate: shown back for confirmation, then recorded."""
    link = link_or_none(token)
    if link is None:
        return not_found(request)
    if not usable(link):
        return closed(request, link)
    introduction = introduction_of(link, pk)
    reasons = client_reasons()
    form = DecisionForm(request.POST, introduction=introduction, reasons=reasons)
    if not form.is_valid():
        context = review_context(link, {introduction.pk: form}, reasons)
        return render(request, "pipeline/review.html", context, status=400)
    data = form.cleaned_data
    if "_confirm" not in request.POST:
        decision = Introduction.Decision(data["decision"]).label
        context = {"link": link, "introduction": introduction, "form": form, "data": data}
        context["decision"] = decision
        return render(request, "pipeline/review_confirm.html", context)
    service.record_decision(
        introduction, decision=data["decision"], reason=data["reason"], comment=data["comment"]
    )
    messages.success(
        request, f"Thank you: your decision is recorded and {link.vacancy.consultant} is told."
    )
    return HttpResponseRedirect(f"{link.review_path()}#candidate-{introduction.pk}")


@private_page
@require_safe
def cv(request, token, pk):
    """A candidate's CV as sent: only through a valid link, as a download, and logged."""
    link = link_or_none(token)
    if link is None:
        return not_found(request)
    if not usable(link):
        return closed(request, link)
    introduction = introduction_of(link, pk)
    if not introduction.cv:
        raise Http404("This CV is no longer held.")
    try:
        file = introduction.cv.open("rb")
    except STORAGE_ERRORS as error:
        raise Http404("This CV cannot be found.") from error
    if request.method == "GET" and not is_prefetch(request):
        ReviewDownload.objects.create(link=link, introduction=introduction)
    extension = introduction.cv.name.rsplit(".", 1)[-1] if "." in introduction.cv.name else ""
    filename = f"{introduction.candidate.name} CV" + (f".{extension}" if extension else "")
    response = FileResponse(file, as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
