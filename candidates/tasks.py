from django_tasks import task

from . import cvs, space
from .models import CandidateCV


@task()
def read_cv_text(version_id):
    """Read a CV version's text for search. A version erased meanwhile is simply gone."""
    version = CandidateCV.objects.filter(pk=version_id).first()
    if version is None or version.text_status != CandidateCV.TextStatus.PENDING:
        return None
    return cvs.read_text(version)


@task()
def answer_sign_in_request(request_id):
    """Email a sign-in link to an address typed on the sign-in page, if it is ours."""
    space.answer_sign_in_request(request_id)
