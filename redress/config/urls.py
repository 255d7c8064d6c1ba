from django.contrib import admin
from django.urls import include, path

from redress.api.main import api
from redress.web.urls import urlpatterns as web_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include((web_urls, "web"), namespace="web")),
]
