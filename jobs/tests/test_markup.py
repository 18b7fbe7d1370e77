import timeit

import pytest
from django.core.exceptions import ValidationError

from jobs.markup import MAX_LENGTH, render_markdown
from jobs.tests.factories import DraftVacancyFactory

PATHOLOGICAL = {
    "open brackets": "[" * 32000,
    "brackets and text": "[a" * 16000,
    "images": "![" * 16000,
    "unclosed tags": "<a\n" * 10000,
    "underlined lines": "a\n-\n" * 8000,
    "empty bullets": "- \n" * 10000,
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_renders_in_bounded_time(text):
    seconds = min(timeit.repeat(lambda: render_markdown(text), number=1, repeat=2))
    assert seconds < 1.5  # 92 s for "[" * 32000 before


@pytest.mark.parametrize("marker", ["1. ", "- ", "> "])
def test_deeply_nested_markers_render_instead_of_overflowing_the_stack(marker):
    html = render_markdown(marker * 3000 + "text")
    assert "text" in html


def test_links_still_render_and_stray_brackets_stay_text():
    html = render_markdown('[apply](https://jobs.example/a "Apply") [note] a < b <b>x</b>')
    assert '<a href="https://jobs.example/a" title="Apply"' in html
    assert "[note] a &lt; b &lt;b&gt;x&lt;/b&gt;" in html


@pytest.mark.django_db
def test_a_description_over_the_limit_is_refused():
    vacancy = DraftVacancyFactory.build(description="x" * (MAX_LENGTH + 1))
    with pytest.raises(ValidationError, match="description"):
        vacancy.full_clean(exclude=["client", "consultant", "sector"])
