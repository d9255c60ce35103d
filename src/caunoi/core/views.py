import sys

from django.db import connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from . import health


def home(request):
    """Signed in: what the apps put on the home page (`{% sections "home" %}`); otherwise search
    and browse."""
    return render(request, "core/home.html")


@never_cache
def healthz(request):
    """200 when the database answers, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
def healthz_all(request):
    """What a monitor pages on: the database, the cache, the broker (when one is configured) and
    the oldest outbox event still waiting to be sent. 200 when all are well; 503 naming what is
    not (an event waiting longer than HEALTH_OUTBOX_MAX_SECONDS counts as not well)."""
    report = health.check_all()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_500(request):
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return unavailable(request)
    return render(request, "500.html", status=500)


def unavailable(request):
    """The database cannot be reached (restarting, the pool exhausted): 503 with the page that
    says nothing was saved, rendered without touching the database (no context processors)."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "30"
    return response
