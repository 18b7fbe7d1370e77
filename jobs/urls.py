from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/", views.VacancyListView.as_view(), name="vacancy_list"),
    path("jobs/<slug:slug>/", views.vacancy_detail, name="vacancy_detail"),
]
