from django.conf import settings


def service(request):
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "SESSION_IDLE_SECONDS": settings.SESSION_COOKIE_AGE,
        "SESSION_WARNING_SECONDS": settings.SESSION_WARNING_SECONDS,
    }
