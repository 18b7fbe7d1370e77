"""My desk: the staff landing page (the admin's index), and the small forms around it.

A consultant's day on one page: enquiries nobody has looked at, candidates waiting longer
than their stage expects, follow-ups due, and live vacancies with their pipelines. Managers
can open any consultant's desk or the whole team's. Each list is cut at a fixed length and
counted apart, so the page runs the same queries however much there is.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Window
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from candidates.models import Candidate, Enquiry
from jobs.models import Consultant, Vacancy
from outbox.models import Message

from . import introductions, templating, working_days
from .emails import send_template
from .models import EmailTemplate, FollowUp, Interview, PipelineEntry, Stage

ROWS = 30
VACANCY_ROWS = 250
TEAM = "team"
MANAGERS = "Manager"


def is_manager(user):
    return user.is_superuser or user.groups.filter(name=MANAGERS).exists()


def profile_of(user):
    """The staff user's consultant profile, or None (a query, never an exception)."""
    return Consultant.objects.filter(user=user).first()


def back_to(request, default):
    """Where a form came from (its `next`), if that is on this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def page(request, template, title, status=200, **context):
    context = {**admin.site.each_context(request), "title": title, **context}
    return TemplateResponse(request, f"admin/pipeline/{template}", context, status=status)


# The desk ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Whose:
    """Whose desk is shown: a consultant's (with their login's follow-ups), or the team's."""

    consultant: Consultant | None = None
    user_id: int | None = None
    team: bool = False
    own: bool = True

    @property
    def title(self):
        if self.team:
            return "The team's desk"
        if self.own:
            return "My desk"
        return f"{self.consultant.name}'s desk"


class DeskChoiceForm(forms.Form):
    desk = forms.ChoiceField(label="Show the desk of")

    def __init__(self, *args, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultants = {str(consultant.pk): consultant for consultant in consultants}
        self.fields["desk"].choices = [(TEAM, "The whole team")] + [
            (pk, consultant.name if consultant.is_active else f"{consultant.name} (inactive)")
            for pk, consultant in self.consultants.items()
        ]


def board_url_pattern():
    """Each vacancy's pipeline board, by its URL name if the board is installed."""
    sentinel = 987654321
    try:
        url = reverse("admin:pipeline_board", args=[sentinel])
    except NoReverseMatch:
        url = reverse("admin:index") + f"pipeline/board/{sentinel}/"
    return url.replace(str(sentinel), "{}")


def new_enquiries(whose, stages):
    """Routed to them and not looked at yet: the candidate is still at the pipeline's "new"
    stage for the job, or (not about a job, so on no pipeline) the enquiry is still new."""
    at_new = [stage.pk for stage in stages if stage.role == Stage.Role.NEW]
    still_new = PipelineEntry.objects.filter(
        candidate=OuterRef("candidate"), vacancy=OuterRef("vacancy"), stage__in=at_new
    )
    enquiries = Enquiry.objects.filter(
        Exists(still_new) | Q(vacancy__isnull=True, status=Enquiry.Status.NEW)
    )
    if not whose.team:
        enquiries = enquiries.filter(consultant=whose.consultant)
    return enquiries.select_related("vacancy", "consultant").only(
        "created_at", "name", "kind", "vacancy__title", "vacancy__reference", "consultant__name"
    )


def waiting_too_long(whose):
    entries = PipelineEntry.objects.waiting_too_long()
    if not whose.team:
        entries = entries.filter(vacancy__consultant=whose.consultant)
    return entries


def longest_waiting(entries):
    """The first rows, longest waiting first, and how many there are.

    One pass orders and counts ids alone (a window count); the rows are fetched after.
    Sorting every late row with its joined columns, then counting them again, took about
    twice as long (10,000 late of 20,000 entries, SQLite).
    """
    ranked = entries.annotate(total=Window(Count("pk"))).order_by("entered_stage_at", "pk")
    first = list(ranked.values_list("pk", "total")[:ROWS])
    rows = (
        PipelineEntry.objects.filter(pk__in=[pk for pk, _ in first])
        .select_related("candidate", "vacancy", "vacancy__consultant", "stage")
        .only(
            "entered_stage_at",
            "candidate__name",
            "vacancy__title",
            "vacancy__reference",
            "vacancy__consultant__name",
            "stage__name",
            "stage__expected_days",
        )
        .order_by("entered_stage_at", "pk")
    )
    return SimpleNamespace(rows=list(rows), total=first[0][1] if first else 0)


def follow_ups_due(whose, today):
    follow_ups = FollowUp.objects.due_by(today)
    if not whose.team:
        follow_ups = follow_ups.filter(owner_id=whose.user_id)
    return follow_ups


def soonest_due(follow_ups):
    """The first rows, soonest due first, and how many there are.

    The rows are fetched by the ids of the first ones: joined to every pipeline entry and
    candidate before the cut, PostgreSQL chose to hash both tables whole (100 ms at 20,000).
    """
    first = follow_ups.order_by("due_on", "pk").values("pk")[:ROWS]
    rows = FollowUp.objects.filter(pk__in=first).select_related(
        "owner", "candidate", "entry__candidate", "entry__vacancy"
    )
    rows = rows.order_by("due_on", "pk").only(
        "due_on",
        "description",
        "done_at",
        "owner__username",
        "owner__first_name",
        "owner__last_name",
        "candidate__name",
        "entry__candidate__name",
        "entry__vacancy__title",
    )
    return SimpleNamespace(rows=list(rows), total=follow_ups.count())


def live_vacancies(whose):
    vacancies = Vacancy.objects.live()
    if not whose.team:
        vacancies = vacancies.filter(consultant=whose.consultant)
    return (
        vacancies.select_related("consultant")
        .only("title", "reference", "published_at", "closes_on", "consultant__name")
        .newest_first()
    )


def stage_counts(vacancy_ids):
    """{vacancy id: {stage id: candidates}}, in one grouped query."""
    counts = defaultdict(dict)
    rows = (
        PipelineEntry.objects.filter(vacancy__in=vacancy_ids)
        .order_by()
        .values_list("vacancy", "stage")
        .annotate(total=Count("pk"))
    )
    for vacancy_id, stage_id, total in rows:
        counts[vacancy_id][stage_id] = total
    return counts


def section(queryset, rows=ROWS):
    """The first rows of a list and how many there are in all: two queries, whatever the size."""
    return SimpleNamespace(rows=list(queryset[:rows]), total=queryset.count())


def count_cells(counts):
    """A row's cells, made here rather than by the template or format_html (200 rows of ten
    cells took them 20-40 ms). Every value is an int: nothing needs escaping."""
    cells = (f'<td class="count{"" if count else " zero"}">{count:d}</td>' for count in counts)
    return mark_safe("".join(cells))  # noqa: S308  # nosec B308 B703 (ints, our own markup)


def vacancy_table(whose, stages):
    vacancies = live_vacancies(whose)
    table = section(vacancies, VACANCY_ROWS)
    counts = stage_counts([vacancy.pk for vacancy in table.rows])
    board = board_url_pattern()
    for vacancy in table.rows:
        by_stage = counts.get(vacancy.pk, {})
        vacancy.stage_counts = [by_stage.get(stage.pk, 0) for stage in stages]
        vacancy.active = sum(by_stage.get(stage.pk, 0) for stage in stages if not stage.is_end)
        vacancy.board_url = board.format(vacancy.pk)
        vacancy.count_cells = count_cells(vacancy.stage_counts)
    return table


def interviews_this_week(whose, today):
    """Scheduled from the start of today to the end of Sunday: today's first."""
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = timezone.make_aware(
        datetime.combine(today + timedelta(days=7 - today.weekday()), time.min)
    )
    interviews = Interview.objects.scheduled().starting_between(start, end)
    if not whose.team:
        interviews = interviews.of_consultant(whose.consultant)
    interviews = interviews.select_related(
        "entry__candidate", "entry__vacancy__client", "entry__vacancy__consultant"
    ).order_by("starts_at", "pk")
    table = section(interviews)
    table.today = [row for row in table.rows if timezone.localdate(row.starts_at) == today]
    table.later = [row for row in table.rows if timezone.localdate(row.starts_at) != today]
    return table


def clients_to_chase(whose):
    """CVs the client has not answered after CLIENT_RESPONSE_WORKING_DAYS working days."""
    waiting = introductions.waiting_for_clients()
    if not whose.team:
        waiting = waiting.of_consultant(whose.consultant)
    waiting = waiting.select_related("candidate", "client", "vacancy__consultant").order_by(
        "sent_at", "pk"
    )
    return section(waiting)


def choose_desk(request, own):
    """Whose desk to show, the managers' switch (or None), and the status for a bad choice.

    Only managers may ask for another desk: anyone else asking is refused, not quietly shown
    their own.
    """
    user = request.user
    asked = request.GET.get("desk", "")
    if not is_manager(user):
        if asked and asked != str(getattr(own, "pk", "")):
            raise PermissionDenied
        return Whose(consultant=own, user_id=user.pk), None, 200
    default = Whose(consultant=own, user_id=user.pk) if own else Whose(team=True)
    consultants = Consultant.objects.only("name", "is_active", "user_id").order_by("name")
    initial = {"desk": str(own.pk) if own else TEAM}
    form = DeskChoiceForm(request.GET if asked else None, consultants=consultants, initial=initial)
    if not asked:
        return default, form, 200
    if not form.is_valid():
        return default, form, 400
    choice = form.cleaned_data["desk"]
    if choice == TEAM:
        return Whose(team=True, own=False), form, 200
    consultant = form.consultants[choice]
    if own and consultant.pk == own.pk:
        return default, form, 200
    return Whose(consultant=consultant, user_id=consultant.user_id, own=False), form, 200


def desk(request):
    """The admin's index: the signed-in consultant's desk (any desk, for managers)."""
    user = request.user
    own = profile_of(user)
    whose, switch, status = choose_desk(request, own)
    today = timezone.localdate()
    has_desk = whose.team or whose.consultant is not None
    can = {
        "enquiries": has_desk and user.has_perm("candidates.view_enquiry"),
        "pipeline": has_desk and user.has_perm("pipeline.view_pipelineentry"),
        "follow_ups": user.has_perm("pipeline.view_followup"),
        "vacancies": has_desk and user.has_perm("jobs.view_vacancy"),
        "complete": user.has_perm("pipeline.change_followup"),
        "interviews": has_desk and user.has_perm("pipeline.view_interview"),
        "chase": has_desk and user.has_perm("pipeline.view_introduction"),
        # What you add is yours: not offered while looking at a colleague's desk.
        "add_follow_up": (whose.own or whose.team) and user.has_perm("pipeline.add_followup"),
    }
    stages = list(Stage.objects.in_order())
    context = {
        "whose": whose,
        "switch": switch,
        "can": can,
        "today": today,
        "stages": stages,
        "enquiries": section(new_enquiries(whose, stages)) if can["enquiries"] else None,
        "waiting": longest_waiting(waiting_too_long(whose)) if can["pipeline"] else None,
        "follow_ups": soonest_due(follow_ups_due(whose, today)) if can["follow_ups"] else None,
        "vacancies": vacancy_table(whose, stages) if can["vacancies"] else None,
        "interviews": interviews_this_week(whose, today) if can["interviews"] else None,
        "chase": clients_to_chase(whose) if can["chase"] else None,
        "chase_days": settings.CLIENT_RESPONSE_WORKING_DAYS,
        "follow_up_form": FollowUpForm(today=today) if can["add_follow_up"] else None,
        "no_profile": not whose.team and whose.consultant is None,
    }
    return page(request, "desk.html", whose.title, status=status, **context)


# Follow-ups ---------------------------------------------------------------------------------


def quick_picks(today):
    return {
        "tomorrow": ("Tomorrow", today + timedelta(days=1)),
        "three_days": ("In 3 working days", working_days.after(today, 3)),
        "next_week": ("Next week", today + timedelta(days=7 - today.weekday())),
    }


class FollowUpForm(forms.ModelForm):
    when = forms.ChoiceField(label="Due", widget=forms.RadioSelect, initial="tomorrow")

    class Meta:
        model = FollowUp
        fields = ["description", "when", "due_on"]
        labels = {"description": "What to do", "due_on": "On this date"}
        widgets = {
            "description": forms.TextInput(attrs={"class": "vTextField"}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.picks = quick_picks(today)
        self.fields["when"].choices = [
            (key, f"{label} ({format_date(day, 'D j M')})")
            for key, (label, day) in self.picks.items()
        ] + [("date", "On the date below")]
        self.fields["due_on"].required = False

    def clean(self):
        cleaned = super().clean()
        when = cleaned.get("when")
        if when in self.picks:
            cleaned["due_on"] = self.picks[when][1]
        elif when == "date" and not cleaned.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", "Give a date, or choose one of the quick picks.")
        elif cleaned.get("due_on") and cleaned["due_on"] < self.today:
            self.add_error("due_on", "That date has passed: choose today or later.")
        return cleaned


def follow_up_about(request):
    """The pipeline entry or candidate named in the address (?entry= or ?candidate=)."""
    if entry_id := request.GET.get("entry"):
        entries = PipelineEntry.objects.select_related("candidate", "vacancy")
        return get_object_or_404(entries, pk=entry_id if entry_id.isdigit() else 0)
    if candidate_id := request.GET.get("candidate"):
        return get_object_or_404(Candidate, pk=candidate_id if candidate_id.isdigit() else 0)
    return None


def about_url(about):
    if isinstance(about, PipelineEntry):
        return reverse("admin:pipeline_pipelineentry_change", args=[about.pk])
    if about is not None:
        return reverse("admin:candidates_candidate_change", args=[about.pk])
    return ""


def follow_up_add(request):
    """Add a follow-up for yourself: from the desk, a candidate's page or a pipeline entry."""
    if not request.user.has_perm("pipeline.add_followup"):
        raise PermissionDenied
    about = follow_up_about(request)
    if about is not None and not request.user.has_perm("candidates.view_candidate"):
        raise PermissionDenied
    form = FollowUpForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        follow_up = form.save(commit=False)
        follow_up.owner = follow_up.created_by = request.user
        if isinstance(about, PipelineEntry):
            follow_up.entry, follow_up.candidate = about, about.candidate
        elif about is not None:
            follow_up.candidate = about
        follow_up.save()
        # Messages travel in a cookie: they name no candidate and repeat nothing typed.
        messages.success(request, f"Follow-up added, due {format_date(follow_up.due_on, 'l j F')}.")
        return redirect(back_to(request, reverse("admin:index")))
    return page(
        request,
        "desk_follow_up.html",
        "Add a follow-up",
        status=400 if form.errors else 200,
        form=form,
        about=about,
        about_url=about_url(about),
        next=back_to(request, ""),
    )


@require_POST
def follow_up_done(request, pk):
    """Mark one of your follow-ups done (a manager may mark anyone's)."""
    follow_up = get_object_or_404(FollowUp, pk=pk)
    user = request.user
    if not user.has_perm("pipeline.change_followup") or (
        follow_up.owner_id != user.pk and not is_manager(user)
    ):
        raise PermissionDenied
    if follow_up.done_at:
        messages.info(request, "That follow-up was already done.")
    else:
        follow_up.complete(by=user)
        messages.success(request, "Follow-up done.")
    return redirect(back_to(request, reverse("admin:index")))


# Emails to a candidate ----------------------------------------------------------------------


class StartFromForm(forms.Form):
    """The first step, a GET: which template the text starts from."""

    template = forms.ModelChoiceField(
        label="Start from",
        queryset=EmailTemplate.objects.active(),
        required=False,
        empty_label="No template: free text",
    )


class SendEmailForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=EmailTemplate.objects.active(), required=False, widget=forms.HiddenInput
    )
    entry = forms.ModelChoiceField(
        label="About",
        queryset=PipelineEntry.objects.none(),
        required=False,
        empty_label="No particular job",
        help_text="Its job fills the job's placeholders, and the email is filed with it.",
    )
    subject = forms.CharField(
        max_length=200,
        validators=[templating.check],
        widget=forms.TextInput(attrs={"size": 70}),
    )
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
        validators=[templating.check],
        help_text="Plain text. Placeholders are filled in when you preview and send: "
        + ", ".join(map(templating.shown, templating.PLACEHOLDERS)),
    )

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        entries = PipelineEntry.objects.filter(candidate=candidate).select_related("vacancy")
        self.fields["entry"].queryset = entries
        self.fields["entry"].label_from_instance = lambda entry: str(entry.vacancy)

    def clean_body(self):
        return self.cleaned_data["body"].replace("\r\n", "\n")  # browsers send CRLF


def send_email(request, candidate_pk):
    """Write to a candidate from a template or free text: choose, edit, preview, send.

    It goes through the outbox like every email to a candidate, filed with the pipeline
    entry when it is about a job.
    """
    user = request.user
    if not (
        user.has_perm("pipeline.view_emailtemplate") and user.has_perm("candidates.view_candidate")
    ):
        raise PermissionDenied
    candidate = get_object_or_404(Candidate, pk=candidate_pk)
    consultant = profile_of(user)
    start = StartFromForm(request.GET if "template" in request.GET else None, auto_id="start_%s")
    template = start.cleaned_data["template"] if start.is_valid() else None
    initial = {"entry": request.GET.get("entry"), "template": template}
    if template:
        initial.update(subject=template.subject, body=template.body)
    form = SendEmailForm(request.POST or None, candidate=candidate, initial=initial)
    blocked = blocked_reason(candidate, consultant)
    preview = None
    if request.method == "POST" and not blocked and form.is_valid():
        data = form.cleaned_data
        preview = final_text(data, candidate, consultant)
        if "_send" in request.POST:
            with transaction.atomic():
                send_template(
                    data["template"] or EmailTemplate(purpose=EmailTemplate.Purpose.FREE),
                    candidate=candidate,
                    consultant=consultant,
                    entry=data["entry"],
                    **preview,
                )
            messages.success(request, "Your email is in the outbox: it goes out in a moment.")
            default = reverse("admin:candidates_candidate_change", args=[candidate.pk])
            return redirect(back_to(request, default))
    bad = bool(start.errors) or (request.method == "POST" and (bool(form.errors) or bool(blocked)))
    return page(
        request,
        "desk_send_email.html",
        f"Send an email to {candidate.name}",
        status=400 if bad else 200,
        start=start,
        form=form,
        candidate=candidate,
        blocked=blocked,
        preview=preview,
        to=f"{candidate.name} <{candidate.email}>",
        sent_before=Message.objects.to_address(candidate.email).order_by("-created_at")[:10],
        entry=request.GET.get("entry", ""),
        next=back_to(request, ""),
    )


def blocked_reason(candidate, consultant):
    if candidate.anonymised_at:
        return "This candidate's details were removed under our retention policy."
    if consultant is None:
        return (
            "Your login has no consultant profile, so emails cannot be sent in your name. "
            "Ask a manager to link one to your login."
        )
    return ""


def final_text(data, candidate, consultant):
    """The subject and text as they will be sent: their placeholders filled."""
    entry = data["entry"]
    values = templating.values_for(
        candidate=candidate, vacancy=entry.vacancy if entry else None, consultant=consultant
    )
    return {
        "subject": templating.fill(data["subject"], values),
        "body": templating.fill(data["body"], values),
    }


# Email templates: what a preview shows ----------------------------------------------------


def sample_records(consultant=None):
    """Made-up records for previewing a template when no candidate or job is chosen."""
    return {
        "candidate": SimpleNamespace(name="Zoë Nguyễn"),
        "vacancy": SimpleNamespace(
            title="Senior Account Manager",
            reference=Vacancy.reference_for(42),
            location="London",
        ),
        "consultant": consultant
        or SimpleNamespace(name="Kelly Small", email="kelly@example.com", phone="020 7946 0123"),
    }
