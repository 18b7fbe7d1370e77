from django.urls import path

from recruitment.page_cache import cache_public_page

from . import views
from .feeds import LiveJobsAtomFeed, LiveJobsFeed
from .job_board_feed import job_board_feed

app_name = "jobs"

urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/", views.VacancyListView.as_view(), name="vacancy_list"),
    path(
        "jobs/feed/rss/",
        cache_public_page(LiveJobsFeed(), query=views.search_query),
        name="feed_rss",
    ),
    path(
        "jobs/feed/atom/",
        cache_public_page(LiveJobsAtomFeed(), query=views.search_query),
        name="feed_atom",
    ),
    path("jobs/feed/jobs.xml", job_board_feed, name="feed_job_board"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("jobs/<slug:slug>/", views.vacancy_detail, name="vacancy_detail"),
]
