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
    path("sectors/", views.sector_list, name="sector_list"),
    # Any slug a sector has: one made before slugs were checked still has its page.
    path("sectors/<str:slug>/", views.sector_detail, name="sector_detail"),
    path("team/", views.team, name="team"),
    path("about/", views.agency_page("jobs/about.html"), name="about"),
    path("cookies/", views.agency_page("jobs/cookies.html"), name="cookies"),
    path("terms/", views.agency_page("jobs/terms.html"), name="terms"),
    path("accessibility/", views.agency_page("jobs/accessibility.html"), name="accessibility"),
    path("jobs/<slug:slug>/", views.vacancy_detail, name="vacancy_detail"),
]
