"""make bench only: the site's URLs and the framework's ceiling beside them.

The ceiling is a page of the given size with no work behind it, served through the same
middleware as every page of the site. scripts/bench.py selects this module with ROOT_URLCONF.
"""

from django.http import HttpResponse
from django.urls import path

from recruitment.urls import urlpatterns as site


def ceiling(request, size):
    return HttpResponse(b"x" * size)


urlpatterns = [*site, path("__bench__/ceiling/<int:size>/", ceiling)]
