import timeit
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from jobs.markup import MAX_LENGTH, first_sentence, public_text, render_markdown
from jobs.tests.factories import ConsultantFactory, DraftVacancyFactory, OpenVacancyFactory

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


MASKED_ADVERT = (
    "### The role\n\n- Lead the team.\n\nWe offer a good package. If you want to find out "
    "more, please contact Kellysamsmall.co.uk or call \\*\\*\\*\\* \\*\\*\\*\\*\n\n"
    "This job was originally posted as www.totaljobs.com/JobSeeking/x_job\\*\\*\\*\\*"
)


@pytest.mark.parametrize(
    ("text", "public"),
    [
        (MASKED_ADVERT, "### The role\n\n- Lead the team.\n\nWe offer a good package."),
        ("Salary ****K. Based in Dorking.", "Based in Dorking."),
        ("- Call **** **** today", ""),
        ("Email jobs@agency.example or see www.agency.co.uk.", None),
        ("Visit samsmall.co.uk to read about us.", None),
    ],
)
def test_masked_contact_details_are_taken_out_of_what_candidates_see(text, public):
    assert public_text(text) == (text if public is None else public)


@pytest.mark.parametrize(
    ("markdown", "sentence"),
    [
        ("### The role\n\n- Run **key** accounts. Win coverage.", "Run key accounts."),
        (
            "We are hiring a [PR lead](https://x.example/a) in London. More.",
            "We are hiring a PR lead in London.",
        ),
        ("Call **** ****. Lead a busy \\#1 team", "Lead a busy #1 team."),
        ("word " * 100, ("word " * 39).strip() + "…"),
        ("### Only a heading", ""),
    ],
)
def test_first_sentence_is_the_adverts_first_line_of_prose(markdown, sentence):
    assert first_sentence(markdown) == sentence


@pytest.mark.django_db
def test_masked_contact_details_reach_no_channel(client):
    vacancy = OpenVacancyFactory(
        title="Healthcare PR Lead", summary="", description=MASKED_ADVERT, salary_text=""
    )
    pages = [
        vacancy.get_absolute_url(),  # the page, its JSON-LD and meta description
        reverse("jobs:vacancy_list"),  # cards
        reverse("jobs:home"),
        reverse("jobs:feed_rss"),
        reverse("jobs:feed_atom"),
        reverse("jobs:feed_job_board"),
    ]
    for path in pages:
        response = client.get(path)
        content = b"".join(response) if response.streaming else response.content
        text = content.decode()
        assert "Kellysamsmall" not in text and "****" not in text, path
        assert "originally posted" not in text, path
    assert "Lead the team." in client.get(reverse("jobs:vacancy_list")).content.decode()


def test_an_email_of_links_shows_the_public_summary():
    vacancy = OpenVacancyFactory.build(
        title="Healthcare PR Lead", summary="Lead the team. Call **** ****.", description=""
    )
    link = SimpleNamespace(vacancy=vacancy, url="https://jobs.example/j/x/")
    message = SimpleNamespace(candidate=None, note="", sender=ConsultantFactory.build())
    body = render_to_string("candidates/email/links.txt", {"message": message, "links": [link]})
    assert "Lead the team." in body and "****" not in body
