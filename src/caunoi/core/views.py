import sys

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db import connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health
from .pagecache import reader_page


@reader_page
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


@require_GET
def service_worker(request):
    """The service worker (static/js/sw.js) from the site's root, so that it may keep every page
    of the site (scope "/"); never cached by the browser's HTTP cache, so a new one is found."""
    path = finders.find("js/sw.js")
    if not path:
        raise Http404
    with open(path, "rb") as f:
        response = HttpResponse(f.read(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_GET
def waiting(request):
    """What the phone keeps to send when the signal returns, and what it sent (listed by the
    page script from the phone's own store; the server knows nothing of it until it arrives)."""
    return render(request, "core/waiting.html")
