"""Settings for sasaeai, read from environment variables only.

Every variable is documented in docs/configuration.md. Defaults are safe for
production except where `DEBUG` is on, which `make run` sets for the demo.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
import xstatic.pkg.leaflet
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG")
TESTING = envbool("SASAEAI_TESTING")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "sasaeai.lib",
    "sasaeai.areas",
    "sasaeai.accounts",
    "sasaeai.audit",
    "sasaeai.directory",
    "sasaeai.councils",
    "sasaeai.needs",
    "sasaeai.surveys",
    "sasaeai.progress",
    "sasaeai.reports",
    "sasaeai.booklets",
    "sasaeai.referrals",
    "sasaeai.events",
    "sasaeai.support",
    "sasaeai.budgets",
    "sasaeai.knowhow",
    "sasaeai.api",
    "sasaeai.core",
]

MIDDLEWARE = [
    # First: everything below that keys on an address (lockout, rate limits, audit) reads the
    # client's, not the reverse proxy's (sasaeai/lib/client_address.py).
    "sasaeai.lib.client_address.ClientAddressMiddleware",
    # Outermost: it decides on the final response whether the proxy may share it
    # (sasaeai/lib/public_cache.py).
    "sasaeai.lib.public_cache.PublicCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Django's CSP, the header written once per policy (sasaeai/lib/site_middleware.py).
    "sasaeai.lib.site_middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for old phones on slow lines (WhiteNoise above serves static files
    # compressed already, without reaching this).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # LocaleMiddleware for a site in one language (Django's own with more: site_middleware).
    "sasaeai.lib.site_middleware.OneLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A file that did not fit on the disk: back to the page, with the message.
    "sasaeai.lib.storage.StorageFullMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "sasaeai.areas.middleware.MunicipalityMiddleware",
    "sasaeai.audit.middleware.AuditContextMiddleware",
    "sasaeai.accounts.middleware.SessionExpiryMiddleware",
    "sasaeai.accounts.middleware.RequireMFAMiddleware",
    # axes must be last: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sasaeai.urls"
WSGI_APPLICATION = "sasaeai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sasaeai.core.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
VAR_DIR = Path(os.environ.get("SASAEAI_VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sasaeai.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept for reuse like PostgreSQL's (one per server thread): a new SQLite connection for
    # each request ran its PRAGMAs and started with an empty page cache: over HTTP a search
    # page took 11.2 ms with it, 8.0 ms without (at 1,100,000 activities).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short web queries: compiling one with JIT (when the planner's cost estimate is high,
    # as for a LIKE it cannot estimate) costs tens of milliseconds and saves none; so does
    # starting parallel workers for one (a know-how word's count: 21.6 ms with them, 5.5
    # without, at 10,000 cases), and many requests at once already use every core.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=off -c max_parallel_workers_per_gather=0"
    )
    if TESTING:
        # A test that waits on a lock another connection never lets go of, or whose query
        # the planner got badly wrong, fails with that statement instead of stalling the
        # whole run until CI's limit.
        DATABASES["default"]["OPTIONS"]["options"] += (
            " -c lock_timeout=120s -c statement_timeout=300s"
        )
# A PostgreSQL streaming replica (hot standby) for the public pages' reads; unset: one database.
# Writes, staff pages and a visitor's pages for SASAEAI_REPLICA_STICKY_SECONDS after their own
# write read the primary (sasaeai/lib/db_router.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
SASAEAI_REPLICA_STICKY_SECONDS = envint("SASAEAI_REPLICA_STICKY_SECONDS", 10)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] == DATABASES["default"]["ENGINE"]:
        DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    # Tests read the replica's alias from the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["sasaeai.lib.db_router.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "sasaeai.lib.db_router.ReplicaMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Tests create many users; a slow hash there buys nothing.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:staff_home"
LOGOUT_REDIRECT_URL = "core:home"

ACCOUNT_ADAPTER = "sasaeai.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# django-axes owns sign-in lockout (with its own page and audit entry).
ACCOUNT_RATE_LIMITS = {"login_failed": False}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Accept the code of the previous/next 30-second step too: slow typing and clock drift.
MFA_TOTP_TOLERANCE = 1
MFA_TOTP_ISSUER = os.environ.get("SASAEAI_MFA_ISSUER", "sasaeai")
SASAEAI_REQUIRE_MFA = envbool("SASAEAI_REQUIRE_MFA", "1")

AXES_FAILURE_LIMIT = envint("SASAEAI_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = envint("SASAEAI_LOCKOUT_MINUTES", 30) / 60  # hours
# Locked per account and address: a stranger who guesses locks out only their own address
# (the client's behind the proxy: SASAEAI_TRUSTED_PROXIES), never the account's owner.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "sasaeai.accounts.lockout.username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Sessions live in the database, which every app server shares (and which a Redis restart
# does not empty).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Django's FallbackStorage (cookie, else session), made only when a message is read or kept.
MESSAGE_STORAGE = "sasaeai.lib.site_middleware.MessageStorage"
SESSION_COOKIE_AGE = envint("SASAEAI_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security -------------------------------------------------------------------
# Tests and DEBUG talk plain HTTP to 127.0.0.1; everything else is HTTPS only.
_plain_http = DEBUG or TESTING
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0" if _plain_http else "1")
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "0" if _plain_http else "1")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if _plain_http else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "1" if SECURE_HSTS_SECONDS else "0")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("SECURE_BEHIND_PROXY") else None
)
# The reverse proxies (addresses or networks) whose X-Forwarded-For is believed.
SASAEAI_TRUSTED_PROXIES = envlist("SASAEAI_TRUSTED_PROXIES")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "sasaeai.core.views.csrf_failure"

TILE_URL = os.environ.get(
    "SASAEAI_TILE_URL", "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
)
_tile_origin = "/".join(TILE_URL.split("/")[:3]) if "://" in TILE_URL else ""
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *([_tile_origin] if _tile_origin else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Tenancy --------------------------------------------------------------------
# Requests a token may make to the staff API: "<count>/<s|m|h|d>" (a 429 past it).
SASAEAI_API_RATE = os.environ.get("SASAEAI_API_RATE", "120/m")
SASAEAI_DEFAULT_MUNICIPALITY = os.environ.get("SASAEAI_DEFAULT_MUNICIPALITY", "")
# Where links in e-mails point (scheme and host, no trailing slash); e-mails are sent by the
# task worker, which has no request to take the host from.
SASAEAI_BASE_URL = os.environ.get("SASAEAI_BASE_URL", "").rstrip("/")

# Referral retention (referrals/services.py): a municipality's own period overrides the years.
SASAEAI_REFERRAL_RETENTION_YEARS = envint("SASAEAI_REFERRAL_RETENTION_YEARS", 5)
SASAEAI_REFERRAL_DRAFT_DAYS = envint("SASAEAI_REFERRAL_DRAFT_DAYS", 30)

# --- E-mail ---------------------------------------------------------------------
_mail_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_mail_options: dict[str, object] = {}
if _mail_backend.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": envint("EMAIL_PORT", 25),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": envbool("EMAIL_USE_TLS"),
    }
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sasaeai@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Shared by every worker process (used TOTP codes, rate counters): no process-local state.
# CACHE_URL (redis://host:6379/0) puts it in Redis, shared by several app servers, and with it
# the memo's generation mark (sasaeai/lib/memo.py); unset: the database's cache table.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES: dict[str, dict[str, object]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sasaeai_cache",
    }
}
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("CACHE_URL must be a redis://, rediss:// or unix:// URL.")
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": os.environ.get("SASAEAI_CACHE_PREFIX", "sasaeai"),
        # A Redis that does not answer fails the request in seconds, not minutes.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
SASAEAI_SHARED_MEMO = bool(CACHE_URL)

# --- Tasks ----------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A task running longer than this is taken for one whose worker died, and queued again
# (sasaeai/lib/requeue.py): keep it above the longest task's run.
SASAEAI_TASK_RUNNING_LIMIT = envint("SASAEAI_TASK_RUNNING_LIMIT", 60)  # minutes

# --- Internationalisation ----------------------------------------------------------
# Japanese is the source language: message ids are Japanese, other languages translate.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static", ("leaflet", xstatic.pkg.leaflet.BASE_DIR)]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Hashed names (kept by browsers for a year) and gzip/brotli copies, made by collectstatic.
DEPLOYED_STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
STORAGES = {
    # Django's, leaving no partial file when the disk is full (sasaeai/lib/storage.py).
    "default": {"BACKEND": "sasaeai.lib.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": DEPLOYED_STATIC_STORAGE
        if not TESTING
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files in an S3-compatible bucket (django-storages) that every app server reads,
# instead of MEDIA_ROOT (which may also be a shared mount). Objects get no ACL (the bucket's
# own: private) and the application serves each file after its access check, as from disk.
# Credentials come from boto3's own variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
SASAEAI_S3_BUCKET = os.environ.get("SASAEAI_S3_BUCKET", "")
if SASAEAI_S3_BUCKET:
    _s3_storage: Any = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": SASAEAI_S3_BUCKET,
            "endpoint_url": os.environ.get("SASAEAI_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SASAEAI_S3_REGION") or None,
            "location": os.environ.get("SASAEAI_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    STORAGES["default"] = _s3_storage

# Tests serve static files from the app folders, without collectstatic.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
WHITENOISE_USE_FINDERS = DEBUG or TESTING

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
