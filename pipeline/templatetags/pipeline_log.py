from django import template
from django.urls import reverse

from pipeline.models import StageMove

register = template.Library()
SHOWN = 50


@register.inclusion_tag("admin/pipeline/includes/stage_log.html")
def stage_log(*, vacancy=None, candidate=None):
    """The stage log of a vacancy's pipeline (or of a candidate's pipelines), newest first."""
    about, record = ("vacancy", vacancy) if vacancy is not None else ("candidate", candidate)
    moves = list(
        StageMove.objects.filter(**{f"entry__{about}": record})
        .select_related(
            "entry__candidate", "entry__vacancy", "from_stage", "to_stage", "moved_by", "reason"
        )
        .order_by("-moved_at", "-pk")[: SHOWN + 1]
    )
    url = reverse("admin:pipeline_stagemove_changelist")
    return {
        "about": about,
        "moves": moves[:SHOWN],
        "more": len(moves) > SHOWN,
        "all_url": f"{url}?entry__{about}__id__exact={record.pk}",
    }
