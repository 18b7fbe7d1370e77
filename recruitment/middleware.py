from django.conf import settings


def security_headers(get_response):
    """Headers Django does not set itself."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware
