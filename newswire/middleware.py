from django.utils import translation


class ApiLanguageMiddleware:
    """The API answers in the language of Accept-Language: English when the client prefers it,
    Arabic otherwise. (The site's own rule, a language prefix in the address, has no place in an
    API, and LocaleMiddleware would make every unprefixed address Arabic.) Goes after
    LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return self.get_response(request)
