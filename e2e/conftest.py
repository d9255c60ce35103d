"""Browser tests: Debian Chromium driven by Playwright against pytest-django's live server.

Fixtures:
- `browser` (session): one Chromium for the whole run. Missing Chromium: the tests skip (locally)
  or FAIL when CI=true, so a CI image without the browser cannot pass silently.
- `e2e_world`: caunoi.testing.build_world() in a transactional database the live server sees.
- `phone` / `desktop`: a fresh Page in its own context (360×640 Vietnamese phone, 1280×800 desktop),
  base URL = the live server, with a `page.meter` (see harness.Meter) counting transfer bytes.
- `new_page(kind)`: another page (e.g. a second phone for a second person, or a fresh context).
"""

from __future__ import annotations

import os

import pytest
from chromium import CHROMIUM_CANDIDATES, DESKTOP, LAUNCH_ARGS, PHONE, chromium_path
from harness import SCREENSHOTS, Meter, findings

CONTEXTS = {"phone": PHONE, "desktop": DESKTOP}
HOW_TO_INSTALL = (
    "Chromium is needed for the browser tests: run `sudo make browser-deps` "
    "(Debian packages chromium and fonts-noto-core), or deselect them with -m 'not browser'."
)


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip). {HOW_TO_INSTALL}")
    pytest.skip(f"{reason}. {HOW_TO_INSTALL}")


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        where = os.environ.get("CHROMIUM_PATH") or " or ".join(CHROMIUM_CANDIDATES)
        _unavailable(f"Chromium not found at {where}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev lock installs it
        _unavailable("Python Playwright is not installed")
    # Playwright's sync API keeps an asyncio loop on this thread; Django would then refuse ORM
    # calls made by the test itself (SynchronousOnlyOperation). The calls are synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
    except Exception as exc:  # a broken install is as bad as a missing one
        playwright.stop()
        _unavailable(f"Chromium at {executable} did not start: {exc}")
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


PLAIN_HTTP = {
    "SECURE_SSL_REDIRECT": False,
    "SECURE_HSTS_SECONDS": 0,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
}


@pytest.fixture(scope="session")
def _plain_http_server_settings():
    """Plain-HTTP settings in force while the live server starts: the security middleware reads
    SECURE_SSL_REDIRECT and the HSTS header once, when the server thread builds its handler, so a
    per-test `settings` change would come too late (every page would redirect to https)."""
    from django.test.utils import override_settings

    with override_settings(**PLAIN_HTTP):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http_server_settings, live_server):
    """pytest-django's live server (static files served too), started over plain HTTP."""
    return live_server


@pytest.fixture
def e2e_settings(settings):
    """Per test too: the cookie flags are read on every response."""
    for name, value in PLAIN_HTTP.items():
        setattr(settings, name, value)
    return settings


@pytest.fixture
def e2e_world(transactional_db, e2e_settings):
    from caunoi.testing import build_world

    return build_world()


@pytest.fixture
def new_page(browser, live_server, e2e_settings):
    """new_page("phone" | "desktop", **context_options) → a Page with a meter attached."""
    contexts = []

    def make(kind: str = "phone", **options):
        context = browser.new_context(base_url=live_server.url, **{**CONTEXTS[kind], **options})
        # E2E_TIMEOUT_MS: more patience on a machine shared and loaded (never less than 10 s)
        context.set_default_timeout(max(10_000, int(os.environ.get("E2E_TIMEOUT_MS", "0"))))
        contexts.append(context)
        page = context.new_page()
        page.meter = Meter.attach(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def phone(new_page):
    return new_page("phone")


@pytest.fixture
def desktop(new_page):
    return new_page("desktop")


def pytest_sessionstart(session):
    SCREENSHOTS.mkdir(exist_ok=True)


def pytest_terminal_summary(terminalreporter):
    if findings:
        terminalreporter.section("browser layout notes (not failures)")
        for line in sorted(set(findings)):
            terminalreporter.write_line(line)
