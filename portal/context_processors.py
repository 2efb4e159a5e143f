"""What every page's header shows: the body's name and its optional logo."""

from django.conf import settings


def site(request):
    return {
        "site_body_name": settings.RATSREGISTER_BODY_NAME,
        "site_logo": settings.RATSREGISTER_LOGO,
    }
