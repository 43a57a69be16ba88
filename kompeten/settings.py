"""One settings module, read from environment variables with safe defaults.

Every variable is documented in README.md ("Environment variables").
"""

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("KOMPETEN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.getenv(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment. Only a development machine (DEBUG not set to 0) may
    fall back to a key generated once into var/: a production node with its own key would
    log out every user whose request reaches it (README "Running on several machines")."""
    if key := os.getenv("SECRET_KEY"):
        return key
    if os.getenv("DEBUG") is not None and not env_bool("DEBUG", False):
        raise ImproperlyConfigured(
            "DEBUG=0 needs SECRET_KEY in the environment (the same on every node).")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The site's own domain: calendar UIDs and Message-IDs are made on it (never on the request's
# host, which differs behind a proxy or under another name).
SITE_DOMAIN = os.getenv("SITE_DOMAIN") or urlsplit(SITE_URL).hostname or "localhost"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    # In the order of the participant's path: an app imports only those above it
    # (tests/test_architecture.py checks this).
    "kompeten.common",
    "kompeten.signing",
    "kompeten.accounts",
    "kompeten.programs",
    "kompeten.access",
    "kompeten.letters",
    "kompeten.registration",
    "kompeten.nominations",
    "kompeten.participants",
    "kompeten.actionplans",
    "kompeten.review",
    "kompeten.batching",
    "kompeten.rumpun",
    "kompeten.dormitory",
    "kompeten.elearning",
    "kompeten.classroom",
    "kompeten.exam",
    "kompeten.assessment",
    "kompeten.certificates",
    "kompeten.monev",
    "kompeten.reports",
    "kompeten.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # axes last, so it sees the authenticated user
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kompeten.urls"
WSGI_APPLICATION = "kompeten.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kompeten" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kompeten.access.navigation.navigation",
                # After the built-in csrf one: a page rendered for the public page cache
                # gets a placeholder instead of the visitor's token.
                "kompeten.common.pagecache.csrf_placeholder",
            ],
            # {% url %} without arguments reversed once, not on every render.
            "builtins": ["kompeten.common.templatetags.urls_once"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kompeten.sqlite3'}"),
        # Persistent connections: bench/ measured 83 -> 157 req/s on the organiser's home
        # page (gunicorn + PostgreSQL) with 60 s instead of a new connection per request.
        conn_max_age=int(os.getenv("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions make SQLite take the write lock up front, so two
    # writers queue instead of failing with "database is locked" mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login lock-out (django-axes with the rules of kompeten/accounts/lockout.py): a growing
# delay per username+IP, under a ceiling per IP across usernames.
AXES_HANDLER = "kompeten.accounts.lockout.LoginLockoutHandler"
AXES_FAILURE_LIMIT = int(os.getenv("AXES_FAILURE_LIMIT", "5"))
LOGIN_IP_FAILURE_LIMIT = int(os.getenv("LOGIN_IP_FAILURE_LIMIT", "20"))
LOGIN_LOCK_MINUTES = float(os.getenv("LOGIN_LOCK_MINUTES", "2"))
# The longest lock, and how long failures are remembered.
AXES_COOLOFF_TIME = timedelta(minutes=float(os.getenv("LOGIN_LOCK_MAX_MINUTES", "60")))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "kompeten" / "locale"]
FORMAT_MODULE_PATH = "kompeten.formats"
# Django's form renderer, with selects written without a template per option.
FORM_RENDERER = "kompeten.common.formrenderer.FormRenderer"
TIME_ZONE = os.getenv("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(exist_ok=True)
# Serve from the app's static/ folders too, so `make run` works without collectstatic.
WHITENOISE_USE_FINDERS = True

# Every file the app keeps is private (kompeten/common/storage.py): stored outside any served
# directory, or in a private S3-compatible bucket, and only ever streamed by views that check
# role and agency. There is no MEDIA_URL route.
MEDIA_ROOT = Path(os.getenv("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
MEDIA_URL = "/private-media-is-never-served/"

# On disk it follows MEDIA_ROOT (no location option), so a test can move it.
PRIVATE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if bucket := os.getenv("AWS_STORAGE_BUCKET_NAME"):
    # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment (boto3 reads
    # them itself, or an instance role). Objects are private and never linked directly: the
    # app streams them after its permission checks, so no signed URLs are handed out.
    PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.getenv("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.getenv("AWS_S3_REGION_NAME") or None,
            "location": os.getenv("AWS_LOCATION", ""),
            "default_acl": "private",
            "querystring_auth": False,
            "file_overwrite": False,
            "addressing_style": os.getenv("AWS_S3_ADDRESSING_STYLE") or None,
        },
    }

STORAGES = {
    "default": PRIVATE_STORAGE,
    "private": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# E-mail: SMTP when EMAIL_HOST is set, otherwise one file per message under var/mail.
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Pusbang ASN BKN <noreply@kompeten.local>")
if os.getenv("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.getenv("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = os.getenv(
        "EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
    )
    EMAIL_FILE_PATH = Path(os.getenv("EMAIL_FILE_PATH", VAR_DIR / "mail"))
# Seconds an SMTP connection may block; a hung server then fails one e-mail, not the job.
EMAIL_TIMEOUT = int(os.getenv("EMAIL_TIMEOUT", "30"))

# Cache: Redis when REDIS_URL is set, otherwise per-process memory.
if redis_url := os.getenv("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": redis_url}}
    # Sessions read from the shared cache (written through to the database): one query less
    # on every logged-in request. Only with a shared cache: with per-process memory, a
    # session ended (logout) on one process would stay valid in another's copy.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no broker configured, tasks run in-process (as pretix does).
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged after it ran, and handed back when its worker dies: the job's row
# in the database (kompeten/common/jobs.py) makes a second delivery harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged task back after this many seconds (Celery's default is an
# hour); the job reaper re-dispatches a job whose worker died well before that.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.getenv("CELERY_VISIBILITY_TIMEOUT", "900"))}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# How work leaves the request (kompeten/common/jobs.py): "celery" with a broker,
# otherwise "worker" (a database queue run by `manage.py run_jobs`); "eager" runs in-process.
BACKGROUND_JOBS = os.getenv("BACKGROUND_JOBS", "celery" if CELERY_BROKER_URL else "worker")
# A running job's worker writes a heartbeat this often; a job whose heartbeat is older than
# JOB_STALE_SECONDS (its worker died) is queued again by the reaper, which runs every
# JOB_REAP_SECONDS (Celery beat, the run_jobs worker, or cron: `manage.py reap_jobs`).
JOB_HEARTBEAT_SECONDS = float(os.getenv("JOB_HEARTBEAT_SECONDS", "10"))
JOB_STALE_SECONDS = float(os.getenv("JOB_STALE_SECONDS", "120"))
JOB_REAP_SECONDS = float(os.getenv("JOB_REAP_SECONDS", "60"))

# Behind a load balancer every connection comes from the balancer: the client's address is
# read from X-Forwarded-For only when the connection comes from one of these addresses or
# networks (comma-separated, e.g. "10.0.0.5,10.1.0.0/16"); never otherwise, since a client
# can write that header itself. Used by the login lock-out (axes) and any rate limit.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is no address or network") \
            from _exc
AXES_CLIENT_IP_CALLABLE = "kompeten.common.client_ip.client_ip"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS (README "Production"): all off by default so `make run` works over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("USE_X_FORWARDED_PROTO", False):
    # Only behind a proxy that sets (never forwards) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

DJANGO_TABLES2_TEMPLATE = "django_tables2/kompeten.html"

# Upload limits (bytes), used by the registration uploads.
UPLOAD_MAX_BYTES = int(os.getenv("UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
IMPORT_MAX_BYTES = int(os.getenv("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
# E-learning materials (slides) and resumes.
ELEARNING_MAX_BYTES = int(os.getenv("ELEARNING_MAX_BYTES", str(20 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
    # pyHanko logs a traceback for every signature outside the trust roots; verify_pdf
    # reports that itself (kompeten/signing/pdf.py).
    "loggers": {"pyhanko.sign.validation": {"level": "ERROR"}},
}

# Digital signatures of certificates (kompeten/signing). Without CERT_SIGNING_P12 the app signs
# with a demo CA and signer marked DEMO, generated once under CERT_SIGNING_DIR.
CERT_SIGNING_DIR = Path(os.getenv("CERT_SIGNING_DIR", VAR_DIR / "signing"))
CERT_SIGNING_P12 = os.getenv("CERT_SIGNING_P12", "")
# The passphrase of that PKCS#12 file comes from the environment only.
CERT_SIGNING_P12_PASSPHRASE = os.getenv("CERT_SIGNING_P12_PASSPHRASE", "")
# PEM/DER files of the CA certificates a signature must chain to (comma-separated).
CERT_TRUST_ROOTS = env_list("CERT_TRUST_ROOTS", "")
# "p12" signs locally; "remote" sends the unsigned PDF to a BSrE-style signing API.
CERT_SIGNER = os.getenv("CERT_SIGNER", "p12")
CERT_REMOTE_URL = os.getenv("CERT_REMOTE_URL", "")
CERT_REMOTE_TIMEOUT = float(os.getenv("CERT_REMOTE_TIMEOUT", "30"))
# "user:password" for HTTP Basic authentication at the remote signer, if it asks for it.
CERT_REMOTE_AUTH = os.getenv("CERT_REMOTE_AUTH", "")
# The signing official's id at the remote signer (BSrE: NIK), unless given per call.
CERT_REMOTE_USER = os.getenv("CERT_REMOTE_USER", "")
# An RFC 3161 time-stamping authority: PDFs signed with the PKCS#12 key get PAdES B-T.
CERT_TSA_URL = os.getenv("CERT_TSA_URL", "")
CERT_TSA_TIMEOUT = float(os.getenv("CERT_TSA_TIMEOUT", "10"))
