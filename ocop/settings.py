"""Settings for the OCOP platform, read from the environment.

Development defaults work with no set-up (SQLite, local media, console email). In
production set DEBUG=False, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; the platform refuses
to start with DEBUG=False and no real SECRET_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "DEBUG is off: set SECRET_KEY to a random value of at least 32 characters."
    )

# Rotating the key: put the old one here (comma-separated) for as long as sessions and
# password-reset links signed with it should stay valid.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "ocop.audit",
    "ocop.geo",
    "ocop.accounts",
    "ocop.producers",
    "ocop.criteria",
    "ocop.documents",
    "ocop.ideas",
    "ocop.plans",
    "ocop.products",
    "ocop.dossiers",
    "ocop.certificates",
    "ocop.consultants",
    "ocop.evaluation",
    "ocop.traceability",
    "ocop.catalog",
    "ocop.reports",
    "ocop.programme",
    "ocop.imports",
    "ocop.backups",
]

MIDDLEWARE = [
    "ocop.logs.RequestIdMiddleware",
    "ocop.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ocop.databases.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a locked-out sign-in into its page
]

ROOT_URLCONF = "ocop.urls"
WSGI_APPLICATION = "ocop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ocop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ocop.accounts.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite is the embedded default; PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections too (DB_CONN_MAX_AGE): opening the file costs ~1 ms a request.
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while the worker writes; IMMEDIATE avoids lock upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_PREPARED_STATEMENTS", True
):
    # Server-side parameters, and each query run twice on a connection kept as a prepared
    # statement: PostgreSQL plans it once per connection, not on every request (planning
    # the pages' many-join queries cost more than running them). Off (false) behind a
    # pooler in transaction mode that cannot keep them (PgBouncer before 1.21).
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}
# A read replica (PostgreSQL streaming replication) for public read-only pages: see
# ocop/databases.py. In the tests it mirrors the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
    DATABASES["replica"]["OPTIONS"] = DATABASES["default"].get("OPTIONS", {})
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ocop.databases.ReplicaRouter"]
# The views whose anonymous GETs may read from the replica ("namespace" or "namespace:name").
REPLICA_VIEWS = [
    "catalog",
    "traceability:stamp_gs1",
    "traceability:stamp_gs1_lot",
    "traceability:stamp_short",
    "traceability:stamp_epcis",
    "certificates:verify",
    "certificates:verify_json",
    "programme:guidance_list",
    "sitemap",
    "api:public",
    "api:facet_counts",
    "api:certificate_verify",
    "api:provinces",
    "api:communes",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses while an account+address is locked out
    "ocop.accounts.backends.EmailOrPhoneBackend",
]
# Sign-in lockout: 5 failures for one account from one address lock that pair for 15
# minutes; the same answer whether or not the account exists (no enumeration), and an
# attacker elsewhere cannot lock a person out.
AXES_ENABLED = env_bool("LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every management command
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_PROXY", False) else 0
# Cache: Redis when REDIS_URL is set, shared by every web node and worker (rate-limit
# counters, the dashboards' charts and figures, sessions); otherwise memory in each process,
# which is right for one process and the tests.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ocop"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long the catalogue keeps what it works out (a search's ids, facets and producers; the
# home page's showcases and counts) when no listing changes (a change is seen at once:
# ocop.catalog.selectors); 0 keeps nothing.
CATALOG_CACHE_SECONDS = int(os.environ.get("CATALOG_CACHE_SECONDS", "300"))

# Per-client limits on public pages (django-ratelimit, on the cache: Redis when configured).
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_VIEW = "ocop.views.rate_limited"
RATE_LIMITS = {
    "search": os.environ.get("RATE_SEARCH", "120/m"),
    "scan": os.environ.get("RATE_SCAN", "300/m"),
    "password_reset": os.environ.get("RATE_PASSWORD_RESET", "5/h"),
    "login": os.environ.get("RATE_LOGIN", "30/m"),
}
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Internationalisation: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "ocop" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

# Static files are served by the platform itself (WhiteNoise); media through the storage API.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "ocop" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# In development the files are served straight from the source folders, fresh on each request.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files: on this machine's disk (MEDIA_ROOT), or with MEDIA_STORAGE=s3 in an
# S3-compatible bucket (AWS S3, MinIO, Ceph...) through django-storages, which every web node
# and worker then shares. The bucket stays private: files are read through the platform's
# views, which check who asks. Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or
# the machine's role).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    _media = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", "ocop-media"),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE == "filesystem":
    _media = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    _media = {"BACKEND": MEDIA_STORAGE}  # a storage class's dotted path
STORAGES = {
    "default": _media,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
    }
}
if MAILERS["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    # The mail server, from the same variables Django's EMAIL_* settings were named after.
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OCOP <no-reply@ocop.local>")

# Background work: Django's Tasks framework with the database-backed worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS: redirect and HSTS in production (one year by default; 0 turns HSTS off). Behind a
# proxy that ends TLS (nginx), set BEHIND_PROXY so that Django trusts its X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer's plain checks and Prometheus's scrape on the internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (Django's own middleware): scripts only from the platform itself,
# no inline script, no plug-ins, no framing. Inline styles stay allowed (the SVG charts and
# maps carry style attributes).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The public address of the platform, for links that leave it (QR codes, emails).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# How many rows a list page shows.
PAGE_SIZE = 25

# Uploads: the largest file accepted, in bytes (UPLOAD_MAX_BYTES, default 20 MB).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# Imports: the largest file read, and the size from which the worker applies it.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "2000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Logs on stderr, each line with its request id (ocop/logs.py); LOG_FORMAT=json writes one
# JSON object per line for a log shipper.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ocop.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "ocop.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own lines through the same handler, once (not also through its default one).
    "loggers": {"django": {"handlers": ["console"], "propagate": False}},
}

# /metrics (ocop/metrics.py): straight from these addresses, or with this bearer token.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
