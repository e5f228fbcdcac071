from django.conf import settings
from django.utils import translation


class AdminLanguageMiddleware:
    """Run the admin in each staff member's chosen language (Arabic unless they chose otherwise).

    Public pages take their language from the URL (`/` Arabic, `/en/` English); the admin has no
    language prefix, so the signed-in person's preference decides it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        if request.path_info.startswith("/admin/"):
            user = getattr(request, "user", None)
            language = settings.LANGUAGE_CODE
            if user is not None and user.is_authenticated and user.admin_language in self.languages:
                language = user.admin_language
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
