from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class ProductLanguageMiddleware:
    """Chinese unless the person chose English.

    Pages ignore the browser's Accept-Language on purpose: a front-desk terminal or a
    customer's phone set to English still opens in the product's first language, and the
    switch on every page (a cookie) changes it. API clients, which have no switch, are
    answered in the language their Accept-Language asks for.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in SUPPORTED and request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
