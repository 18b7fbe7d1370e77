"""Settings for the agency site: one module, configured by environment variables.

Every value that differs between machines is read from the environment, with a
default that suits a developer's laptop. With DEBUG off the site refuses to
start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

import hashlib
import hmac
import ipaddress
import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def installed_data_dir(relative):
    """Find a data folder shipped inside an installed package.

    The XStatic namespace package imports pkg_resources, which new
    virtualenvs no longer have, so we look the folder up instead of importing.
    """
    for entry in sys.path:
        candidate = Path(entry) / relative
        if candidate.is_dir():
            return candidate
    raise ImproperlyConfigured(f"{relative} not found: run `make install`.")


DEV_SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - refused when DEBUG is off

# Off unless set: a server started without its environment is a production server, never a
# debug one. `make run` and the tests set DEBUG=1.
DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if not DEBUG:
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("Set SECRET_KEY (at least 32 characters) when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS when DEBUG is off.")

INSTALLED_APPS = [
    "recruitment.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "outbox",
    "jobs",
    "candidates",
    "pipeline",
    "placements",
]

MIDDLEWARE = [
    "recruitment.middleware.request_id",
    # Before anything asks request.is_secure(): the proxy's word only from a trusted proxy.
    "recruitment.proxies.forwarded_proto_only_from_trusted_proxies",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "recruitment.middleware.security_headers",
    "recruitment.middleware.conditional_get",
    # django-csp's, with the policy built once rather than for every response.
    "recruitment.middleware.ContentSecurityPolicy",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before the CSRF check, which reads the body: rate limits count a post first.
    "candidates.ratelimit.RateLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Cached pages for anonymous visitors are answered here, with everything above applied
    # to them (the visitor's CSRF cookie included) and nothing below: no session or
    # candidate cookie came with them, and their pages' addresses are resolved ones.
    "recruitment.page_cache.answer_from_cache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The candidate's own space: its cookie, kept apart from staff sessions.
    "candidates.space_views.CandidateSpaceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a lock-out into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# make bench adds a bare view beside the site's pages (scripts/bench_urls.py).
ROOT_URLCONF = env("ROOT_URLCONF", "recruitment.urls")
WSGI_APPLICATION = "recruitment.wsgi.application"

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
                "recruitment.context_processors.agency",
                # {% csrf_token %}: Django's tokens, drawn faster (recruitment/csrf.py).
                "recruitment.csrf.csrf",
            ],
        },
    },
]

# Database: SQLite by default; DATABASE_URL (e.g. postgres://...) switches.
SQLITE_OPTIONS = {
    # IMMEDIATE transactions and a busy timeout stop concurrent writers failing with
    # "database is locked" (with the default mode, 3 of 4 concurrent writers did).
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(env("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    # Keep connections open between requests: opening one (and its PRAGMAs) costs more
    # than most of our queries.
    DATABASES["default"]["CONN_MAX_AGE"] = int(env("CONN_MAX_AGE", "600"))
    # A file, not memory: tests that run a live server need real concurrent connections.
    DATABASES["default"]["TEST"] = {
        "NAME": env("SQLITE_TEST_PATH", str(BASE_DIR / "test-db.sqlite3"))
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", "Europe/London")
# English only. Without the translation machinery the pages read the same, byte for byte
# (British date and number formats still come from LANGUAGE_CODE), and the hundred or so
# look-ups of the active language an uncached job page makes cost next to nothing (they
# were about a tenth of its time).
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", installed_data_dir("xstatic/pkg/bootstrap/data")),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# CVs: outside MEDIA_ROOT and without a URL, so only the staff download view can serve them.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# CVs on S3-compatible object storage when S3_BUCKET is set (private: no public URLs; served
# only through the staff download view), so every app server sees every CV.
S3_BUCKET = env("S3_BUCKET")
if S3_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION", "eu-west-2"),
            "access_key": env("S3_ACCESS_KEY_ID") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
            "location": "private",
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }

# Email: real SMTP whenever EMAIL_HOST is set, the console otherwise.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
# Without a timeout a mail server that hangs blocks its caller forever.
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "20"))
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "jobs@samsmall.example")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The name beside DEFAULT_FROM_EMAIL in every email's From ("Sam Small Recruitment
# <jobs@…>"); AGENCY_NAME unless set. A DEFAULT_FROM_EMAIL with its own name keeps it.
EMAIL_FROM_NAME = env("EMAIL_FROM_NAME")

# The agency itself: shown on every page, and used by the importer to spot
# adverts the agency placed for a confidential client.
AGENCY = {
    "NAME": env("AGENCY_NAME", "Sam Small Recruitment"),
    "EMAIL": env("AGENCY_EMAIL", "hello@samsmall.example"),
    "PHONE": env("AGENCY_PHONE", "020 7946 0000"),
    "ADDRESS": env("AGENCY_ADDRESS", "London"),
    "REFERENCE_PREFIX": env("AGENCY_REFERENCE_PREFIX", "SSR"),
    # A logo's address (e.g. /static/img/logo.svg); without one, our mark and the name.
    "LOGO_URL": env("AGENCY_LOGO_URL"),
    "OPENING_HOURS": env("AGENCY_OPENING_HOURS", "Monday to Friday, 8.30am to 6pm"),
    # What a UK agency's footer owes its visitors; each is shown only when set.
    "LEGAL_NAME": env("AGENCY_LEGAL_NAME"),
    "COMPANY_NUMBER": env("AGENCY_COMPANY_NUMBER"),
    "REGISTERED_OFFICE": env("AGENCY_REGISTERED_OFFICE"),
    "ICO_NUMBER": env("AGENCY_ICO_NUMBER"),
    "TRADE_BODY": env("AGENCY_TRADE_BODY"),
}

JOBS_PER_PAGE = int(env("JOBS_PER_PAGE", "20"))
# A closed, filled or expired job's page answers 410 Gone this long after it ended.
JOBS_GONE_AFTER_DAYS = int(env("JOBS_GONE_AFTER_DAYS", "90"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# HTTPS and security headers. Behind a proxy that terminates TLS, set BEHIND_PROXY=1 so the
# proxy's X-Forwarded-Proto header says whether the request came over HTTPS (the proxy must
# set it, and strip any the client sent).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# The proxies in front of the app (addresses or networks, e.g. 127.0.0.1 or 10.0.0.0/8): only
# from them is X-Forwarded-For believed (recruitment.proxies.client_address). With none set the
# header is ignored, and the connection's own address is the client's.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {proxy!r} is not an address") from error
if SECURE_PROXY_SSL_HEADER and not TRUSTED_PROXIES:
    # X-Forwarded-Proto is believed only from TRUSTED_PROXIES: without them every request
    # would look like plain HTTP, and SECURE_SSL_REDIRECT would redirect for ever.
    raise ImproperlyConfigured("BEHIND_PROXY=1 needs TRUSTED_PROXIES (the proxy's address).")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# Staff sessions end after this much inactivity: each request pushes the expiry on.
SESSION_COOKIE_AGE = int(env("STAFF_SESSION_IDLE_MINUTES", "60")) * 60
SESSION_SAVE_EVERY_REQUEST = True
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

# Content Security Policy: our own files only, nothing inline (no 'unsafe-inline').
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Staff login: lock out a username from an address after repeated failures (django-axes).
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(env("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "recruitment.proxies.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Two-factor (TOTP) for the admin: required in production, optional in development.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = AGENCY["NAME"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "recruitment.logging.RedactPersonalData"},
        "request_id": {"()": "recruitment.logging.AddRequestId"},
    },
    "formatters": {
        "json": {"()": "recruitment.logging.JsonFormatter"},
        "plain": {"format": "%(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact"],
            # JSON lines in production (LOG_FORMAT=json by default when DEBUG is off).
            "formatter": env("LOG_FORMAT", "plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The admin's address: moving it off /admin/ cuts the noise of password-guessing bots.
ADMIN_URL = env("ADMIN_URL", "admin/").strip("/") + "/"
LOGIN_URL = "admin:login"
# A public form whose token expired comes back filled in, rather than Django's bare page.
CSRF_FAILURE_VIEW = "candidates.views.csrf_failure"
LOGIN_REDIRECT_URL = "admin:index"

# The site's own address, for links in emails (the admin link to an enquiry, a CV link).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background tasks: a database-backed queue; `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Placements to invoice are exported for Xero's sales invoice import with this sales account
# and tax rate (Xero's defaults for a UK organisation: 200 "Sales", 20 % VAT on income).
INVOICE_ACCOUNT_CODE = env("INVOICE_ACCOUNT_CODE", "200")
INVOICE_TAX_TYPE = env("INVOICE_TAX_TYPE", "20% (VAT on Income)")

# The database cache serves every process on this machine (rate limits count across workers).
# Whole pages are kept in each process's memory, under the public pages' version. That
# version is read on every page, so it lives in files every process on this machine reads
# (a database query would cost as much as the rest of serving a cached page); so do the
# search facets, counted once for all processes rather than once in each.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "public-pages",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    "shared": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("SHARED_CACHE_DIR", str(BASE_DIR / "var" / "shared-cache")),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # Parts of pages that read the same for every visitor ({% cache %} in templates): kept
    # in each process, never in Redis, so no page waits on the network (or fails) for them.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        # Job cards are about 1 KB each: a few MB a process at most.
        "OPTIONS": {"MAX_ENTRIES": 3000},
    },
}
# With REDIS_URL (e.g. redis://127.0.0.1:6379/0) every app server shares one cache: rate
# limits, lock-out counts, page versions and the pages themselves count across instances.
# App servers on several machines need it: the "shared" files above are one machine's.
REDIS_URL = env("REDIS_URL")


def redis_caches(url, prefix=""):
    """Every shared cache above in one Redis, each under a key prefix of its own.

    Without timeouts a Redis that stops answering (rather than refusing) would hold each
    request for as long as the operating system waits; with them the site carries on
    uncached (recruitment/shared_cache.py).
    """
    in_redis = {
        name: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"{prefix}{name}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        for name in CACHES
        if name != "fragments"
    }
    return {**in_redis, "fragments": {**CACHES["fragments"], "LOCATION": f"{prefix}fragments"}}


if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
# Anonymous pages are cached at most this long (0: never); any job change ends it at once.
PUBLIC_PAGE_CACHE_SECONDS = int(env("PUBLIC_PAGE_CACHE_SECONDS", "300"))
# At most this many stored copies of each page (job page, job list, feed...) per data
# version: searches with endless different words cannot fill the cache.
PUBLIC_PAGE_CACHE_MAX_PAGES = int(env("PUBLIC_PAGE_CACHE_MAX_PAGES", "5000"))

# Enquiries
ENQUIRIES_EMAIL = env("ENQUIRIES_EMAIL", AGENCY["EMAIL"])  # the agency's general inbox
PRIVACY_NOTICE_VERSION = env("PRIVACY_NOTICE_VERSION", "2026-11")
# Keys the hashes of addresses on the suppression list (people who objected). Set one of its
# own in production and never change it: with the default, changing SECRET_KEY would make
# every suppressed address unrecognisable.
SUPPRESSION_KEY = (
    env("SUPPRESSION_KEY")
    or hmac.new(SECRET_KEY.encode(), b"recruitment.suppression-list", hashlib.sha256).hexdigest()
)
# Retention, in days since a candidate's last activity, by how far they got with us.
RETENTION_DAYS = {
    "enquiry": int(env("RETENTION_ENQUIRY_DAYS", "365")),  # enquired, never put forward
    "registered": int(env("RETENTION_REGISTERED_DAYS", str(2 * 365))),  # put forward
    "placed": int(env("RETENTION_PLACED_DAYS", str(6 * 365))),  # placed: tax and pay records
}
# The legal minimum the agency must keep records for: no period above is allowed to be shorter.
RETENTION_MINIMUM_DAYS = int(env("RETENTION_MINIMUM_DAYS", "365"))
CV_MAX_UPLOAD_SIZE = int(env("CV_MAX_UPLOAD_SIZE", str(5 * 1024 * 1024)))
# A DOCX or ODT CV whose parts unpack to more than this is refused (a zip bomb).
CV_MAX_UNPACKED_SIZE = int(env("CV_MAX_UNPACKED_SIZE", str(50 * 1024 * 1024)))
# A CV sent with a form that had mistakes is held this long, so it need not be attached again.
CV_HOLD_SECONDS = int(env("CV_HOLD_SECONDS", "3600"))
NOTIFY_ATTACH_MAX_SIZE = int(env("NOTIFY_ATTACH_MAX_SIZE", str(5 * 1024 * 1024)))
# Attempts at sending one email before the outbox marks it failed for staff (about ten hours
# of back-off). NOTIFY_MAX_ATTEMPTS is the older name of the same setting.
OUTBOX_MAX_ATTEMPTS = int(env("OUTBOX_MAX_ATTEMPTS", env("NOTIFY_MAX_ATTEMPTS", "15")))
# Public form posts allowed per address in a rolling hour.
FORM_RATE_LIMIT = int(env("FORM_RATE_LIMIT", "10"))
# Consultants' personal links to jobs: how long they last, and unknown tokens an address may try.
ENQUIRY_LINK_DAYS = int(env("ENQUIRY_LINK_DAYS", "30"))
LINK_GUESS_LIMIT = int(env("LINK_GUESS_LIMIT", "20"))
# The candidate's own space (candidates/space.py): emailed sign-in links last this long and
# work once; a device stays signed in for CANDIDATE_SESSION_DAYS. Links asked for are limited
# per address (below) and per client address (FORM_RATE_LIMIT, like every public form).
CANDIDATE_SIGN_IN_LINK_MINUTES = int(env("CANDIDATE_SIGN_IN_LINK_MINUTES", "15"))
CANDIDATE_SESSION_DAYS = int(env("CANDIDATE_SESSION_DAYS", "30"))
CANDIDATE_SIGN_IN_LIMIT = int(env("CANDIDATE_SIGN_IN_LIMIT", "5"))
CANDIDATE_SESSION_COOKIE = "candidate"
# Clients' review links to the CVs sent to them: how long they last.
REVIEW_LINK_DAYS = int(env("REVIEW_LINK_DAYS", "30"))
# A CV with no answer from the client after this many working days shows on the desk.
CLIENT_RESPONSE_WORKING_DAYS = int(env("CLIENT_RESPONSE_WORKING_DAYS", "2"))
# Working days skip the bank holidays of the agency's part of the UK: ENG (England and
# Wales), SCT or NIR.
BANK_HOLIDAYS_REGION = env("BANK_HOLIDAYS_REGION", "ENG")
if BANK_HOLIDAYS_REGION not in {"ENG", "WLS", "SCT", "NIR"}:
    raise ImproperlyConfigured("BANK_HOLIDAYS_REGION must be ENG, WLS, SCT or NIR.")
# Interview reminders go this long before the interview (send_interview_reminders, hourly).
INTERVIEW_REMINDER_BEFORE = timedelta(hours=int(env("INTERVIEW_REMINDER_HOURS", "24")))
# One file a post: the first upload handler skips any other and the form says so. This is
# the backstop for a post with many.
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_HANDLERS = [
    "candidates.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    # Django's TemporaryFileUploadHandler, but a full disk skips the file, not the whole form.
    "candidates.storage.DiskSafeTemporaryFileUploadHandler",
]
