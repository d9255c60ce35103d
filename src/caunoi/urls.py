from django.contrib import admin
from django.urls import include, path

from caunoi.accounts import views as accounts_views
from caunoi.core import views as core_views

handler403 = "caunoi.core.views.error_403"
handler404 = "caunoi.core.views.error_404"
handler500 = "caunoi.core.views.error_500"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("healthz/all", core_views.healthz_all, name="healthz_all"),
    path("sw.js", core_views.service_worker, name="service_worker"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("caunoi.api.urls")),
    # The admin signs in only through the site's password sign-in (its lock, its change log).
    path("quan-tri/login/", accounts_views.admin_signin, name="admin_signin"),
    path("quan-tri/", admin.site.urls),
    path("open311/v2/", include("caunoi.feedback.open311.urls")),
]
# Every app's pages from the root, each under its namespace (its `app_name`), tried in this order
# (the first pattern that matches wins): territory's `<lvl:level>/<str:code>/`, a unit's page, and
# core's home come after the apps' longer patterns.
APPS = (
    "directives",
    "feedback",
    "surveys",
    "reports",
    "accounts",
    "people",
    "funds",
    "meetings",
    "elections",
    "outreach",
    "territory",
    "core",
)
urlpatterns += [path("", include(f"caunoi.{app}.urls")) for app in APPS]
