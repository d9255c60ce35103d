"""Cầu Nối settings. Every deploy knob comes from the environment; `.env.example` lists them all.

Safe development defaults: SQLite under var/, DEBUG on only when asked, SMS printed to the console,
Celery tasks run eagerly when no broker is configured.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CAUNOI_VAR_DIR", PROJECT_DIR / "var"))


def env(name: str, default: str = "") -> str:
    """Read a setting; `NAME_FILE` (a path, e.g. a Docker secret) wins over `NAME`."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "")
    if value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name, "")
    return int(value) if value.strip() else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "")
# True when no SECRET_KEY was given and one was made under var/: `check --deploy` refuses it
# (core.E001), since several app servers would each make their own.
SECRET_KEY_GENERATED = not SECRET_KEY
if not SECRET_KEY:
    # No key given (a developer's machine): make a random one once and keep it under var/.
    # Production sets SECRET_KEY so that every app server shares it.
    import secrets

    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text(encoding="utf-8").strip()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The site's own address, for links sent away from it (SMS, Zalo, printed sign-ins). Without it,
# this machine on PORT (what `make demo PORT=…` serves on).
SITE_URL = env("SITE_URL", f"http://127.0.0.1:{env('PORT', '8000')}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "caunoi.core",
    "caunoi.territory",
    "caunoi.people",
    "caunoi.accounts",
    "caunoi.api",
    "caunoi.feedback",
    "caunoi.demo",
    "caunoi.funds",
    "caunoi.outreach",
    "caunoi.directives",
    "caunoi.surveys",
    "caunoi.meetings",
    "caunoi.elections",
    "caunoi.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages are compressed for weak 3G (Django's GZip carries the BREACH mitigation of 4.2+).
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages kept for readers signed out (`@public_page`), answered here on a hit: before
    # sessions, locale, CSRF and authentication (`caunoi.core.pagecache`)
    "caunoi.core.pagecache.PageCache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # What a request reads several times (the person's mandates, for each home section) once
    "caunoi.core.memo.RequestMemo",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # CSP (with a nonce for our few inline lines) and Permissions-Policy on every page
    "caunoi.core.middleware.SecurityHeaders",
    # NUL characters refused at every entry point (forms, API, Open311), before any view
    "caunoi.core.middleware.RefuseNul",
]

ROOT_URLCONF = "caunoi.urls"
WSGI_APPLICATION = "caunoi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            "builtins": ["caunoi.core.templatetags.caunoi"],
        },
    }
]

# Database: SQLite file under var/ by default (WAL), PostgreSQL when DATABASE_URL says so.

DATABASE_URL = env("DATABASE_URL", "")
if DATABASE_URL:
    # PostgreSQL through Django's built-in psycopg pool, one pool per app process: connections are
    # made once and lent to each request (DB_POOL_MAX per process, so workers × processes ×
    # DB_POOL_MAX must stay under the server's max_connections). DB_POOL_MAX=0 turns it off
    # (e.g. behind PgBouncer in transaction mode), with connections kept DB_CONN_MAX_AGE seconds.
    _pool_max = env_int("DB_POOL_MAX", 10)
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=0 if _pool_max else env_int("DB_CONN_MAX_AGE", 60),
            # checked before use: connections a restarted server dropped are replaced, not lent
            conn_health_checks=True,
        )
    }
    _ENGINES = {  # Django's, with the page versions written at commit (caunoi.core.backends)
        "django.db.backends.postgresql": "caunoi.core.backends.postgresql",
        "django.db.backends.sqlite3": "caunoi.core.backends.sqlite3",
    }
    DATABASES["default"]["ENGINE"] = _ENGINES.get(
        DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"]
    )
    if DATABASES["default"]["ENGINE"].endswith("postgresql") and _pool_max:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(env_int("DB_POOL_MIN", 1), _pool_max),
            "max_size": _pool_max,
            # a request waits this long for a free connection, then fails (the 503 page)
            "timeout": env_int("DB_POOL_TIMEOUT", 10),
        }
    # A streaming read replica for the reports (`caunoi.core.replica`): same settings as the
    # primary but its address; in tests it mirrors `default`.
    DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", "")
    if DATABASE_REPLICA_URL:
        _replica = dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        )
        _replica["ENGINE"] = DATABASES["default"]["ENGINE"]
        _replica["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
        _replica["TEST"] = {"MIRROR": "default"}
        DATABASES["replica"] = _replica
        DATABASE_ROUTERS = ["caunoi.core.replica.ReplicaRouter"]
else:
    DATABASES = {
        "default": {
            "ENGINE": "caunoi.core.backends.sqlite3",
            "NAME": str(VAR_DIR / "caunoi.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                # every transaction takes the write lock when it begins, so two writers queue
                # for it (up to `timeout` seconds) instead of one failing with "database is
                # locked" when a read transaction tries to become a write
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
            },
            # tests on a file too (WAL, the busy timeout, concurrent writers as in production),
            # not in shared-cache memory, whose table locks fail at once instead of waiting
            "TEST": {"NAME": str(VAR_DIR / "test-caunoi.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.Person"
AUTHENTICATION_BACKENDS = ["caunoi.accounts.backends.PhoneOrUsernameBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:signin"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"


# SMS gateway: "console" (prints), "file" (appends JSON lines to SMS_FILE_PATH) or "http".
SMS_BACKEND = env("SMS_BACKEND", "console")
SMS_FILE_PATH = env("SMS_FILE_PATH", str(VAR_DIR / "sms.jsonl"))
SMS_HTTP_URL = env("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = env("SMS_HTTP_TOKEN", "")
SMS_HTTP_TIMEOUT = env_int("SMS_HTTP_TIMEOUT", 10)
SMS_SENDER = env("SMS_SENDER", "CAUNOI")
# Surveys: the secret of the keyed hash that stands for a household (one answer per household).
SURVEY_HASH_KEY = env("SURVEY_HASH_KEY", "")
# Funds: the key of the ledger's seals (HMAC-SHA256; never in the database). Required when DEBUG=0.
LEDGER_KEY = env("LEDGER_KEY", "")

# Language, time, numbers
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["caunoi.formats"]
LANGUAGE_COOKIE_NAME = "caunoi_language"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads are served only through views that check access, never straight from MEDIA_ROOT.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or not STATIC_ROOT.exists()
WHITENOISE_AUTOREFRESH = DEBUG

# Security: strict unless DEBUG; behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/all$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Preloading commits the whole domain to HTTPS in browsers for months: the operator opts in
# (.env.example), so it is off by default and its deploy warning (W021) is silenced.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 30)

# Background work: eager without a broker (embedded default), Redis or RabbitMQ in production.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "celery")
# A request that publishes while the broker is down fails fast; the outbox keeps the work.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Queues per kind of work (CELERY_QUEUES_BY_KIND=1), so that a national SMS fan-out never waits
# behind a report: start one worker per queue (`celery -A caunoi worker -Q messages`, …).
CELERY_QUEUES_BY_KIND = env_bool("CELERY_QUEUES_BY_KIND", False)
if CELERY_QUEUES_BY_KIND:
    CELERY_TASK_ROUTES = {
        "outreach.*": {"queue": "messages"},
        "outbox.*": {"queue": "messages"},
        "documents.*": {"queue": "documents"},
        "audio.*": {"queue": "audio"},
        "reports.*": {"queue": "reports"},
        "directives.*": {"queue": "periodic"},
        "feedback.*": {"queue": "periodic"},
        "core.*": {"queue": "periodic"},
    }
# What `celery beat` runs (or cron: dispatch_outbox, send_task_reminders, escalate_overdue,
# purge_rate_limits).
CELERY_BEAT_SCHEDULE = {
    "outbox-relay": {"task": "outbox.relay", "schedule": 60.0},
    "task-reminders": {"task": "directives.send_reminders", "schedule": crontab(hour=7, minute=0)},
    "escalate-overdue": {
        "task": "feedback.escalate_overdue",
        "schedule": crontab(hour=6, minute=30),
    },
    "commendation-reminders": {
        "task": "reports.commendation_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    "purge-rate-limits": {"task": "core.purge_rate_limits", "schedule": crontab(hour=3, minute=0)},
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}
        if env("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# The province's report is read from stored figures (caunoi.reports.figures); a read after a write
# asks for a refresh, at most once in this many seconds per unit, year and language.
REPORT_REFRESH_LEASE_SECONDS = env_int("REPORT_REFRESH_LEASE_SECONDS", 300)

# Public pages for readers signed out, and signed-in pages marked `@reader_page` (per session), are
# kept this long at most (`caunoi.core.pagecache`); every write bumps their version first, so this
# only bounds what changes with time alone. 0: off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "caunoi@localhost")

ADMINS = [("Admin", a) for a in env_list("ADMIN_EMAILS")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Demo
DEMO_SEED = env_int("DEMO_SEED", 2022)
DEMO_PASSWORD = env("DEMO_PASSWORD", "caunoi-demo-2022")

# Outreach: notices to every household (caunoi.outreach) and the outbox (caunoi.core.outbox).
# An outbox event published this long ago and not done (its worker died) is published again.
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300)
# A territory or household list larger than this is imported by a worker, with a progress page
# (`territory.jobs`); a smaller one while the officer waits.
TERRITORY_IMPORT_BACKGROUND_BYTES = env_int("TERRITORY_IMPORT_BACKGROUND_BYTES", 256 * 1024)
# /healthz/all fails when an outbox event has waited longer than this (broker or workers down).
HEALTH_OUTBOX_MAX_SECONDS = env_int("HEALTH_OUTBOX_MAX_SECONDS", 900)
# The SMS gateway forwards residents' replies ("DB": got it) with this bearer token; empty: refused.
SMS_INBOUND_TOKEN = env("SMS_INBOUND_TOKEN", "")
ZALO_BACKEND = env("ZALO_BACKEND", "console")
ZALO_FILE_PATH = env("ZALO_FILE_PATH", str(VAR_DIR / "zalo.jsonl"))
ZALO_HTTP_URL = env("ZALO_HTTP_URL", "")
ZALO_HTTP_TOKEN = env("ZALO_HTTP_TOKEN", "")
ZALO_HTTP_TIMEOUT = env_int("ZALO_HTTP_TIMEOUT", 10)
OUTREACH_SEND_ATTEMPTS = env_int("OUTREACH_SEND_ATTEMPTS", 5)
OUTREACH_RETRY_BASE_SECONDS = env_int("OUTREACH_RETRY_BASE_SECONDS", 30)
OUTREACH_SENDING_TIMEOUT_SECONDS = env_int("OUTREACH_SENDING_TIMEOUT_SECONDS", 600)
OUTREACH_DISPATCH_PARTS = env_int("OUTREACH_DISPATCH_PARTS", 4)
# Publishing a notice asks a worker for its audio (eSpeak NG, caunoi.core.speech).
OUTREACH_AUDIO_ON_PUBLISH = env_bool("OUTREACH_AUDIO_ON_PUBLISH", True)
# Luật Thực hiện dân chủ ở cơ sở 2022, Điều 13 khoản 3: items of Điều 11 khoản 7–12 go on the
# commune loudspeaker for at least 3 consecutive days (domain.md ). Which categories carry
# such items is the commune's reading of the law: configurable.
OUTREACH_BROADCAST_CATEGORIES = env_list(
    "OUTREACH_BROADCAST_CATEGORIES", "policy,land,contribution,disaster"
)
OUTREACH_LOUDSPEAKER_TIMES = env_list("OUTREACH_LOUDSPEAKER_TIMES", "06:30,17:30")
# Residents' questions and reports (caunoi.feedback): how long statistics are kept.
FEEDBACK_STATS_SECONDS = env_int("FEEDBACK_STATS_SECONDS", 300)  # statistics pages kept this long

# Every legal or configurable threshold (lead times, quorums, decision thresholds, due days, rate
# limits) is a rule declared with its legal basis and default in its app's policy.py; each becomes
# a setting here, read from the environment variable of the same name.
from caunoi.core.policy import settings_from_env  # noqa: E402

POLICY_MODULES = [
    "caunoi.people.policy",
    "caunoi.accounts.policy",
    "caunoi.directives.policy",
    "caunoi.outreach.policy",
    "caunoi.funds.policy",
    "caunoi.feedback.policy",
    "caunoi.surveys.policy",
    "caunoi.meetings.policy",
    "caunoi.elections.policy",
    "caunoi.reports.policy",
]
globals().update(settings_from_env(env, POLICY_MODULES))
