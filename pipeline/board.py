"""The board: one vacancy's pipeline as columns of cards, worked by consultants in the admin.

Every change is a POST answered by a redirect to the board and a message; bad input answers
400 with the board (or page) and what was typed. Nothing needs JavaScript: static/js/board.js
only adds drag and drop, which fills in and submits the same forms.

A board of 500 cards is rendered in a fixed number of queries. Its cards are made here with
format_html rather than by the template engine, which took about 100 ms for 500 of them;
the parts every card shares (the move form's fields, each stage's select) are made once per
board. scripts/bench_desk.py times it.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from candidates.storage import CVNotStored
from jobs.models import Vacancy

from . import services
from .forms import (
    BulkForm,
    ExistingCandidateForm,
    MoveForm,
    NewCandidateForm,
    quick_follow_up_choices,
    short_date,
)
from .models import EmailTemplate, PipelineEntry, RejectionReason, Stage

NEEDS_REASON = SafeString(" data-needs-reason")
DISABLED = SafeString(" disabled")
SELECTED = SafeString(" selected")
OPTION = '<option value="{}"{}{}{}>{}</option>'
IS_LATE = SafeString(" is-late")
LATE = SafeString(' <strong class="board-late">late</strong>')
CHECKED = SafeString(" checked")
OPEN = SafeString(" open")
CARD = (
    '<li class="board-card{}" id="entry-{}"><div class="board-card-head">{}'
    '<a href="{}{}/change/">{}</a></div><p class="board-meta">{}{}. {}.</p>{}{}</li>'
)
SCHEDULE = (
    '<p class="board-meta"><a href="{}">Schedule an interview'
    '<span class="visually-hidden"> for {}</span></a></p>'
)
TICK = '<input type="checkbox" name="entries" value="{}" form="bulk" aria-label="Tick {}"{}>'
MOVE = (
    '<details class="board-move"{}><summary>Move</summary><form method="post" action="{}{}/">'
    '<label>To stage <select name="stage" data-stage-select>{}</select></label>{}</form>'
    "</details>"
)
NOBODY = SafeString('<li class="board-empty">Nobody at this stage.</li>')


def allow(request, action):
    if not request.user.has_perm(f"pipeline.{action}_pipelineentry"):
        raise PermissionDenied


def vacancy_or_404(vacancy_id):
    return get_object_or_404(Vacancy.objects.select_related("consultant", "client"), pk=vacancy_id)


def board_url(vacancy, entry=None):
    url = reverse("admin:pipeline_board", args=[vacancy.pk])
    return f"{url}#entry-{entry.pk}" if entry else url


def stage_options(stages, current_id=None, selected=""):
    """A stage select's options: the card's own stage shown but not choosable."""
    rows = [("", "", "", SELECTED if not selected else "", "Move to…")]
    for stage in stages:
        rows.append(
            (
                stage.pk,
                NEEDS_REASON if stage.needs_reason else "",
                DISABLED if stage.pk == current_id else "",
                SELECTED if str(stage.pk) == selected else "",
                f"{stage.name} (now)" if stage.pk == current_id else stage.name,
            )
        )
    return format_html_join("", OPTION, rows)


def plain_options(choices, selected=""):
    rows = [
        (value, "", "", SELECTED if str(value) == selected else "", label)
        for value, label in choices
    ]
    return format_html_join("", OPTION, rows)


@dataclass
class Card:
    pk: int
    candidate_id: int
    name: str
    stage_id: int
    meta: str
    late: bool
    source: str


@dataclass
class Column:
    stage: Stage
    cards: list = field(default_factory=list)
    html: str = ""


def columns_for(vacancy, stages, *, now):
    """The open stages' columns in order, and the end states' (shown folded)."""
    columns = {stage.pk: Column(stage) for stage in stages}
    labels = dict(PipelineEntry.Source.choices)
    rows = (
        PipelineEntry.objects.on_vacancy(vacancy)
        .order_by("entered_stage_at", "pk")
        .values_list(
            "pk", "candidate_id", "candidate__name", "stage_id", "entered_stage_at", "source"
        )
    )
    for pk, candidate_id, name, stage_id, entered_at, source in rows:
        expected = columns[stage_id].stage.expected_days
        waited = now - entered_at
        entered = timezone.localtime(entered_at)
        days = waited.days
        columns[stage_id].cards.append(
            Card(
                pk=pk,
                candidate_id=candidate_id,
                name=name,
                stage_id=stage_id,
                meta=f"Here since {entered.day} {entered:%b %Y}: {days} day{pluralize(days)}",
                late=expected is not None and waited > timedelta(days=expected),
                source=labels.get(source, source),
            )
        )
    return [column for column in columns.values() if not column.stage.is_end], [
        column for column in columns.values() if column.stage.is_end
    ]


def card_html(card, *, urls, stage_options, fields, ticked, can_change, failed=False):
    tick = format_html(TICK, card.pk, card.name, CHECKED if card.pk in ticked else "")
    schedule = ""
    if card.stage_id == urls.get("interview_stage"):
        schedule = format_html(SCHEDULE, urls["schedule"].format(card.pk), card.name)
    move = (
        format_html(MOVE, OPEN if failed else "", urls["move"], card.pk, stage_options, fields)
        if can_change
        else ""
    )
    return format_html(
        CARD,
        IS_LATE if card.late else "",
        card.pk,
        tick if can_change else "",
        urls["candidate"],
        card.candidate_id,
        card.name,
        card.meta,
        LATE if card.late else "",
        card.source,
        schedule,
        move,
    )


def render_board(model_admin, request, vacancy, *, status=200, failed=None, bulk=None):
    """The board; `failed` is a card's (entry id, bound MoveForm) to show with its errors,
    `bulk` the bound BulkForm that did not pass."""
    now = timezone.now()
    stages = list(Stage.objects.in_order())
    reasons = [
        (reason.pk, reason.name) for reason in RejectionReason.objects.filter(is_active=True)
    ]
    reason_choices = [("", "No reason"), *reasons]
    open_columns, end_columns = columns_for(vacancy, stages, now=now)
    by_stage = {stage.pk: stage_options(stages, stage.pk) for stage in stages}
    fields = move_fields(request, reason_choices, quick_follow_up_choices(timezone.localdate(now)))
    can_change = request.user.has_perm("pipeline.change_pipelineentry")
    urls = {
        "candidate": reverse("admin:candidates_candidate_changelist"),
        "move": reverse("admin:pipeline_board", args=[vacancy.pk]) + "move/",
    }
    if request.user.has_perm("pipeline.add_interview"):
        urls["interview_stage"] = next(
            (stage.pk for stage in stages if stage.role == Stage.Role.INTERVIEW), None
        )
        urls["schedule"] = reverse("admin:pipeline_interview_schedule", args=[0]).replace(
            "/0/", "/{}/"
        )
    ticked = {int(pk) for pk in bulk.data.getlist("entries") if pk.isdigit()} if bulk else set()
    for column in open_columns + end_columns:
        cards = []
        for card in column.cards:
            options, card_fields, open_ = by_stage[card.stage_id], fields, False
            if failed and failed[0] == card.pk:
                options, card_fields = typed_move(request, card, failed[1], stages, reason_choices)
                open_ = True
            cards.append(
                card_html(
                    card,
                    urls=urls,
                    stage_options=options,
                    fields=card_fields,
                    ticked=ticked,
                    can_change=can_change,
                    failed=open_,
                )
            )
        column.html = format_html_join("", "{}", ((card,) for card in cards)) if cards else NOBODY
    templates = list(EmailTemplate.objects.for_purpose(EmailTemplate.Purpose.REJECTION))
    typed = bulk.data if bulk else {}
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": PipelineEntry._meta,
        "title": f"Board: {vacancy}",
        "vacancy": vacancy,
        "open_columns": open_columns,
        "end_columns": end_columns,
        "total": sum(len(column.cards) for column in open_columns + end_columns),
        "can_change": can_change,
        "can_add": request.user.has_perm("pipeline.add_pipelineentry"),
        "bulk_form": bulk,
        "bulk_stage_options": stage_options(stages, selected=typed.get("stage", "")),
        "bulk_reason_options": plain_options(reason_choices, typed.get("reason", "")),
        "bulk_template_options": plain_options(
            [("", "No email"), *((template.pk, template.name) for template in templates)],
            typed.get("template", ""),
        ),
        "bulk_note": typed.get("note", ""),
    }
    return TemplateResponse(request, "admin/pipeline/board.html", context, status=status)


def move_fields(request, reason_choices, follow_up_choices, form=None):
    """A card's move form after its stage select: the same on every card but one that failed,
    so rendered once for the whole board."""
    typed = form.data if form is not None else {}
    context = {
        "reason_options": plain_options(reason_choices, typed.get("reason", "")),
        "follow_up_options": plain_options(follow_up_choices, typed.get("follow_up_in", "")),
        "typed": {name: typed.get(name, "") for name in ("note", "follow_up_on", "follow_up")},
        "errors": [error for errors in form.errors.values() for error in errors] if form else (),
    }
    return render_to_string("admin/pipeline/includes/board_move_fields.html", context, request)


def typed_move(request, card, form, stages, reason_choices):
    """The stage options and fields of the card whose move failed: its errors, what was typed."""
    options = stage_options(stages, card.stage_id, form.data.get("stage", ""))
    fields = move_fields(request, reason_choices, quick_follow_up_choices(form.today), form)
    return options, fields


@require_safe
def board(request, model_admin, vacancy_id):
    allow(request, "view")
    return render_board(model_admin, request, vacancy_or_404(vacancy_id))


@require_POST
def move(request, model_admin, vacancy_id, entry_id):
    allow(request, "change")
    vacancy = vacancy_or_404(vacancy_id)
    entry = get_object_or_404(
        PipelineEntry.objects.select_related("candidate", "vacancy__consultant"),
        pk=entry_id,
        vacancy=vacancy,
    )
    form = MoveForm(request.POST, entry=entry)
    if form.is_valid():
        data = form.cleaned_data
        try:
            _, task = services.move(
                entry,
                stage=data["stage"],
                by=request.user,
                reason=data["reason"],
                note=data["note"],
                follow_up_on=data["due_on"],
                follow_up=data["follow_up"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            note = f"{entry.candidate} moved to {data['stage']}."
            if task is not None:
                owner = task.owner.get_full_name() or task.owner.get_username()
                note += f" Follow-up due {short_date(task.due_on)} for {owner}."
            messages.success(request, note)
            return HttpResponseRedirect(board_url(vacancy, entry))
    messages.error(request, f"{entry.candidate} was not moved: see the form on their card.")
    return render_board(model_admin, request, vacancy, status=400, failed=(entry.pk, form))


@require_POST
def bulk(request, model_admin, vacancy_id):
    allow(request, "change")
    vacancy = vacancy_or_404(vacancy_id)
    form = BulkForm(request.POST, vacancy=vacancy)
    if not form.is_valid():
        messages.error(request, "Nobody was moved: see the form above the board.")
        return render_board(model_admin, request, vacancy, status=400, bulk=form)
    data = form.cleaned_data
    entries, template = list(data["entries"]), data["template"]
    if template is not None and "_confirm" not in request.POST:
        return bulk_preview(model_admin, request, vacancy, form, entries)
    moved, skipped = services.move_many(
        entries,
        stage=data["stage"],
        by=request.user,
        reason=data["reason"],
        note=data["note"],
        template=template,
        consultant=vacancy.consultant,
    )
    note = f"{len(moved)} moved to {data['stage']}"
    if template is not None:
        note += f", each sent “{template}”"
    if skipped:
        note += f"; {len(skipped)} already there, left alone"
    messages.success(request, note + ".")
    return HttpResponseRedirect(board_url(vacancy))


def bulk_preview(model_admin, request, vacancy, form, entries):
    """Each email as it will go, before anything is moved or sent."""
    template, stage = form.cleaned_data["template"], form.cleaned_data["stage"]
    emails = []
    for entry in entries:
        if entry.stage_id == stage.pk:
            continue
        subject, body = template.render(
            candidate=entry.candidate, vacancy=vacancy, consultant=vacancy.consultant
        )
        emails.append({"entry": entry, "subject": subject, "body": body})
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": PipelineEntry._meta,
        "title": f"Check before sending: {len(emails)} email(s)",
        "vacancy": vacancy,
        "form": form,
        "emails": emails,
        "skipped": len(entries) - len(emails),
    }
    return TemplateResponse(request, "admin/pipeline/bulk_preview.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def add(request, model_admin, vacancy_id):
    """Put someone on the pipeline: a candidate we hold, or a new one typed in."""
    allow(request, "add")
    vacancy = vacancy_or_404(vacancy_id)
    posted = request.method == "POST"
    existing = ExistingCandidateForm(
        request.POST if posted and "_existing" in request.POST else None, prefix="existing"
    )
    oversized = {name.removeprefix("new-") for name in getattr(request, "oversized_uploads", ())}
    new = NewCandidateForm(
        request.POST if posted and "_new" in request.POST else None,
        request.FILES if posted and "_new" in request.POST else None,
        prefix="new",
        oversized=oversized,
        extra_uploads=getattr(request, "extra_uploads", 0),
    )
    entry = None
    storage_failed = False
    if existing.is_bound and existing.is_valid():
        data = existing.cleaned_data
        try:
            entry = services.add_to_pipeline(
                vacancy=vacancy,
                candidate=data["candidate"],
                source=data["source"],
                by=request.user,
                note=data["note"],
            )
        except ValidationError as error:
            existing.add_error("candidate", error)
    elif new.is_bound and new.is_valid():
        data = new.cleaned_data
        try:
            entry = services.add_new_candidate(
                vacancy=vacancy,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                cv=data["cv"],
                source=data["source"],
                by=request.user,
                note=data["note"],
            )
        except ValidationError as error:
            new.add_error("email", error)
        except CVNotStored:
            storage_failed = True
            new.add_error("cv", "The CV could not be stored just now, so nothing was saved.")
    if entry is not None:
        note = f"{entry.candidate} added to the pipeline at {entry.stage}."
        if new.is_bound:
            note += " Our privacy notice is on its way to them, with their link to object."
        messages.success(request, note)
        return HttpResponseRedirect(board_url(vacancy, entry))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": PipelineEntry._meta,
        "title": f"Add a candidate to {vacancy}",
        "vacancy": vacancy,
        "existing": existing,
        "new": new,
        "media": model_admin.media + existing.media,
    }
    status = (503 if storage_failed else 400) if posted else 200
    return TemplateResponse(request, "admin/pipeline/add.html", context, status=status)
