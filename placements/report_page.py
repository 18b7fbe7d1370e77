"""The numbers page in the admin: a period, tables beside charts, and each table as CSV."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jobs.models import Consultant
from recruitment.spreadsheets import csv_response

from . import charts
from .forms import PeriodForm
from .models import Channel
from .money import as_money, pounds
from .numbers import build_report


def shown_ratio(value):
    return "–" if value is None else f"{value:.0%}"


def shown_days(value):
    return "–" if value is None else f"{value:.1f}"


def shown_money(value):
    return "–" if value is None else as_money(pounds(value))


@dataclass
class Table:
    """One table of the page: its caption, its columns, and its rows as text."""

    key: str
    caption: str
    columns: list
    rows: list
    total: list | None = None

    def csv(self, report):
        rows = self.rows + ([self.total] if self.total else [])
        return csv_response(
            f"numbers-{self.key}-{report.start:%Y-%m-%d}-to-{report.end:%Y-%m-%d}.csv",
            self.columns,
            rows,
        )


def activity_row(figures):
    return [
        figures.label,
        figures.new_candidates,
        figures.applications,
        figures.cvs_sent,
        figures.interviews,
        figures.offers,
        figures.placements,
        shown_ratio(figures.cv_to_interview),
        shown_ratio(figures.interview_to_offer),
        shown_ratio(figures.offer_to_placement),
    ]


def money_row(figures):
    return [
        figures.label,
        figures.permanent,
        figures.contracts,
        as_money(figures.fees),
        as_money(figures.credits),
        as_money(figures.net_fees),
        as_money(figures.margin),
        shown_days(figures.average_days_to_place),
        shown_days(figures.client_response_days),
    ]


def source_row(figures):
    return [
        figures.label,
        figures.applications,
        figures.new_candidates,
        figures.cvs_sent,
        figures.interviews,
        figures.offers,
        figures.placements,
        as_money(figures.net_fees),
        as_money(figures.margin),
        shown_money(figures.fees_per_application),
    ]


def link_row(figures):
    return [
        figures.label,
        figures.links_sent,
        figures.link_placements,
        as_money(figures.link_fees),
        shown_money(figures.fees_per_link),
    ]


def tables_for(report):
    team = report.team
    people = report.consultants
    return {
        table.key: table
        for table in [
            Table(
                "activity",
                "Pipeline activity by consultant",
                [
                    "Consultant",
                    "New candidates",
                    "Applications",
                    "CVs sent",
                    "Interviews",
                    "Offers",
                    "Placements",
                    "CV sent → interview",
                    "Interview → offer",
                    "Offer → placement",
                ],
                [activity_row(row) for row in people],
                activity_row(team) if team else None,
            ),
            Table(
                "fees",
                "Placements and fees by consultant",
                [
                    "Consultant",
                    "Permanent placements",
                    "Contracts",
                    "Fees",
                    "Rebates",
                    "Net fees",
                    "Contract margin",
                    "Days from application to placement",
                    "Client response to CVs (days)",
                ],
                [money_row(row) for row in people],
                money_row(team) if team else None,
            ),
            Table(
                "sources",
                "By source: where placed candidates came from",
                [
                    "Source",
                    "Applications",
                    "New candidates",
                    "CVs sent",
                    "Interviews",
                    "Offers",
                    "Placements",
                    "Net fees",
                    "Contract margin",
                    "Net fees per application",
                ],
                [source_row(row) for row in report.channels],
            ),
            Table(
                "links",
                "Personal links: £ placed per link sent",
                [
                    "Consultant",
                    "Links sent",
                    "Placements through them",
                    "Net fees",
                    "£ placed per link sent",
                ],
                [link_row(row) for row in people if row.links_sent or row.link_placements],
                link_row(team) if team else None,
            ),
            Table(
                "stages",
                "Time in each stage",
                ["Stage", "Moved in", "Moved on", "Average days before moving on"],
                [
                    [row.stage.name, row.arrived, row.left, shown_days(row.average_days)]
                    for row in report.stages
                ],
            ),
        ]
    }


def charts_for(report):
    whole = report.team or (report.consultants[0] if report.consultants else None)
    funnel = []
    if whole is not None:
        funnel = [
            (label, value, f"{value:,}")
            for label, value in [
                ("Applications", whole.applications),
                ("CVs sent", whole.cvs_sent),
                ("Interviews", whole.interviews),
                ("Offers", whole.offers),
                ("Placements", whole.placements),
            ]
        ]
    found = [
        (
            "chart-funnel",
            "From application to placement" + ("" if report.team else ": your figures"),
            funnel,
        )
    ]
    if report.team:
        found.append(
            (
                "chart-consultants",
                "Net fees by consultant",
                [(row.label, row.net_fees, as_money(row.net_fees)) for row in report.consultants],
            )
        )
    found.append(
        (
            "chart-sources",
            "Net fees by source",
            [(row.label, row.net_fees, as_money(row.net_fees)) for row in report.channels],
        )
    )
    return [(title, charts.bar_chart(key, title, rows)) for key, title, rows in found]


def presets(today):
    month = today.replace(day=1)
    last_month_end = month - timedelta(days=1)
    quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return [
        ("This month", month, today),
        ("Last month", last_month_end.replace(day=1), last_month_end),
        ("This quarter", quarter, today),
        ("This year", date(today.year, 1, 1), today),
        ("Last 12 months", today - timedelta(days=364), today),
    ]


def respond(model_admin, request):
    user = request.user
    sees_team = user.has_perm("placements.view_team_numbers")
    consultant = Consultant.objects.filter(user=user).first()
    if not sees_team and consultant is None:
        raise PermissionDenied("Your login has no consultant profile: ask a manager for one.")
    today = timezone.localdate()
    choices = presets(today)
    chosen = {"start": choices[0][1], "end": choices[0][2]}
    form = PeriodForm(request.GET if "start" in request.GET or "end" in request.GET else None)
    if form.is_bound and not form.is_valid():
        return model_admin.page(
            request, "numbers.html", "The agency's numbers", status=400, form=form, presets=choices
        )
    if form.is_bound:
        chosen = form.cleaned_data
    else:
        form = PeriodForm(initial=chosen)
    report = build_report(
        chosen["start"], chosen["end"], consultant=consultant, sees_team=sees_team
    )
    tables = tables_for(report)
    wanted = request.GET.get("csv")
    if wanted:
        if wanted not in tables:
            return model_admin.page(
                request,
                "numbers.html",
                "The agency's numbers",
                status=400,
                form=form,
                presets=choices,
                unknown_table=True,
            )
        return tables[wanted].csv(report)
    return model_admin.page(
        request,
        "numbers.html",
        "The agency's numbers" if sees_team else f"Your numbers: {consultant.name}",
        form=form,
        presets=choices,
        report=report,
        tables=list(tables.values()),
        charts=charts_for(report),
        period=f"start={report.start:%Y-%m-%d}&end={report.end:%Y-%m-%d}",
        channels=Channel,
    )
