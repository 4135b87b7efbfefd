from . import views


def health_check_middleware(get_response):
    """Answer /healthz before host validation and the HTTPS redirect.

    Load balancers probe each instance by its IP address over plain HTTP, which ALLOWED_HOSTS
    and SECURE_SSL_REDIRECT would otherwise refuse.
    """

    def middleware(request):
        if request.path == "/healthz":
            return views.healthz(request)
        return get_response(request)

    return middleware
