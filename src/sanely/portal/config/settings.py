"""
Settings for the sanely portal, read from the environment (see the table in README.md).

One module serves development, tests and production: SANELY_ENV=production turns on the
strict checks (a real secret key, HTTPS cookies, no debug pages).
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from sanely import vault

REPO_DIR = Path(__file__).resolve().parents[4]
ENV = os.environ.get("SANELY_ENV", "development")
PRODUCTION = ENV == "production"
DATA_DIR = Path(os.environ.get("SANELY_DATA_DIR", REPO_DIR / "var")).resolve()
FRONTEND_DIR = Path(
    os.environ.get(
        "SANELY_FRONTEND_DIR", REPO_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
    )
)


def _flag(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def _development_secret_key() -> str:
    """A per-checkout key kept under var/, so sessions survive restarts of the demo."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SANELY_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SANELY_SECRET_KEY must be set when SANELY_ENV=production.")
    SECRET_KEY = _development_secret_key()

# The sealed vault (docs/vault.md, docs/tenders.md): the master key wraps every round's key and
# the Ed25519 key signs receipts. Both come from the environment, never from the database; a
# development checkout makes its own under var/, once.
VAULT_MASTER_KEY = os.environ.get("SANELY_VAULT_MASTER_KEY", "")
RECEIPT_SIGNING_KEY = os.environ.get("SANELY_RECEIPT_SIGNING_KEY", "")
if PRODUCTION and not (VAULT_MASTER_KEY and RECEIPT_SIGNING_KEY):
    raise ImproperlyConfigured(
        "SANELY_VAULT_MASTER_KEY and SANELY_RECEIPT_SIGNING_KEY (PEM) must be set when"
        " SANELY_ENV=production: make them with `sanely vault master-key` and"
        " `sanely vault keygen`."
    )


def _development_vault_key(name: str, make: Callable[[], str]) -> str:
    """A vault key kept under var/ like the secret key; only ever for development."""
    path = DATA_DIR / name
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text()


if not VAULT_MASTER_KEY:
    VAULT_MASTER_KEY = _development_vault_key("vault_master_key", vault.master_key_generate)
if not RECEIPT_SIGNING_KEY:
    RECEIPT_SIGNING_KEY = _development_vault_key(
        "receipt_signing_key.pem", lambda: vault.signing_key_generate().private_pem.decode()
    )
try:  # a key that cannot be read stops the start, not the first submission
    vault.master_key_load(VAULT_MASTER_KEY)
    vault.signing_key_load(RECEIPT_SIGNING_KEY.encode())
except vault.KeyInvalid as error:
    raise ImproperlyConfigured(f"A vault key in the environment is unusable: {error}.") from None
# clamd for the virus-scan hook: "unix:/run/clamav/clamd.ctl" or "tcp://host:3310"; unset,
# files are marked as not scanned.
VAULT_SCANNER = os.environ.get("SANELY_CLAMD") or None
SUBMISSION_MAX_BYTES = int(os.environ.get("SANELY_SUBMISSION_MAX_BYTES", str(250_000_000)))
# Resumable uploads (docs/tenders.md): an unfinished upload is removed after this many hours,
# and each supplier may have at most this many in progress, reserving at most this many bytes
# in all, each sent in at most this many chunks.
UPLOAD_EXPIRY_HOURS = int(os.environ.get("SANELY_UPLOAD_EXPIRY_HOURS", "24"))
UPLOAD_MAX_OPEN = int(os.environ.get("SANELY_UPLOAD_MAX_OPEN", "10"))
UPLOAD_MAX_RESERVED_BYTES = int(
    os.environ.get("SANELY_UPLOAD_MAX_RESERVED_BYTES", str(4 * SUBMISSION_MAX_BYTES))
)
UPLOAD_MAX_CHUNKS = int(os.environ.get("SANELY_UPLOAD_MAX_CHUNKS", "10000"))

DEBUG = _flag("SANELY_DEBUG", default=False)
ALLOWED_HOSTS = os.environ.get("SANELY_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("SANELY_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

SERVICE_NAME = os.environ.get("SANELY_SERVICE_NAME", "Innovation Partnerships")
AUTHORITY_NAME = os.environ.get("SANELY_AUTHORITY_NAME", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "ninja",
    "sanely.portal.core",
    "sanely.portal.web",
    "sanely.portal.accounts",
    "sanely.portal.audit",
    "sanely.portal.pilots",
    "sanely.portal.procurements",
    "sanely.portal.engagement",
    "sanely.portal.competition",
    "sanely.portal.tenders",
    "sanely.portal.selection",
    "sanely.portal.negotiation",
    "sanely.portal.evaluation",
    "sanely.portal.award",
    "sanely.portal.partnerships",
    "sanely.portal.publication",
    "sanely.portal.demo",
    "sanely.portal.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "sanely.portal.web.middleware.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sanely.portal.web.middleware.NumberTooLargeMiddleware",
]

ROOT_URLCONF = "sanely.portal.config.urls"
WSGI_APPLICATION = "sanely.portal.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "sanely.portal.config.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    # Only for the interactive API documentation that django-ninja ships.
    {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True},
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'sanely.sqlite3'}"),
        conn_max_age=int(os.environ.get("SANELY_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes (web and worker) share the file (docs/reliability.md, "Durability"):
    # - every transaction takes the write lock when it begins (IMMEDIATE). A deferred one reads
    #   first and then asks for the lock, and SQLite refuses that upgrade at once, without
    #   waiting, when another connection wrote in between ("database is locked");
    # - a busy connection waits up to `timeout` seconds for the lock instead of failing;
    # - WAL lets pages read while one writer writes; synchronous=FULL syncs every commit, so a
    #   receipt is never issued for a submission a power cut could take back.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SANELY_SQLITE_BUSY_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # The service's own deny-list, after the NCSC's guidance (no composition rules).
    {"NAME": "sanely.portal.accounts.passwords.DenyListValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGIN_FAILURE_LIMIT = int(os.environ.get("SANELY_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("SANELY_LOGIN_FAILURE_WINDOW_MINUTES", "15"))
# Password reset links that may be asked for one address in the window (four times as many from
# one network address).
PASSWORD_RESET_LIMIT = int(os.environ.get("SANELY_PASSWORD_RESET_LIMIT", "3"))
PASSWORD_RESET_WINDOW_MINUTES = int(os.environ.get("SANELY_PASSWORD_RESET_WINDOW_MINUTES", "60"))
# Every API token expires, at most this many days after it is made.
TOKEN_MAX_DAYS = int(os.environ.get("SANELY_TOKEN_MAX_DAYS", "366"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _flag("SANELY_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000

# Content Security Policy: scripts only from this site or with the per-response nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [FRONTEND_DIR] if FRONTEND_DIR.is_dir() else []
# govuk-frontend's CSS asks for /assets/... by absolute path: serve its folder at the site root.
WHITENOISE_ROOT = FRONTEND_DIR if FRONTEND_DIR.is_dir() else None
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def s3_storage(
    bucket: str, *, endpoint_url: str | None, region: str | None, part_bytes: int
) -> dict[str, Any]:
    """
    Django's file storage in an S3-compatible bucket (credentials from the AWS_* variables).
    Files stream both ways in parts of `part_bytes`, one part at a time (requests bring the
    parallelism): an upload holds about two parts in memory, and a file read back spools to a
    temporary file beyond one part (sealed files are ciphertext, so nothing plaintext lands
    there). No file is ever held whole (`test_object_storage.py`).
    """
    from boto3.s3.transfer import TransferConfig

    transfer = TransferConfig(
        multipart_threshold=part_bytes, multipart_chunksize=part_bytes, max_concurrency=1
    )
    # Parts read ahead of the uploading thread (s3transfer's, not in boto3's arguments; 10).
    transfer.max_in_memory_upload_chunks = 1
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            "region_name": region,
            "default_acl": "private",
            "querystring_auth": True,
            "max_memory_size": part_bytes,
            "transfer_config": transfer,
        },
    }


if os.environ.get("SANELY_S3_BUCKET"):
    STORAGES["default"] = s3_storage(
        os.environ["SANELY_S3_BUCKET"],
        endpoint_url=os.environ.get("SANELY_S3_ENDPOINT_URL") or None,
        region=os.environ.get("SANELY_S3_REGION") or None,
        # S3 refuses parts under 5 MiB (but the last).
        part_bytes=max(5 << 20, int(os.environ.get("SANELY_S3_PART_BYTES", str(8 << 20)))),
    )

# Request bodies: forms and JSON are small; files arrive through streamed uploads.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("SANELY_MAX_BODY_BYTES", str(1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Larger files wait, while the request lasts, in a nameless file encrypted under a key held in
# memory only: a killed server leaves nothing readable (core/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "sanely.portal.core.uploads.EphemeralUploadHandler",
]
EVIDENCE_MAX_BYTES = int(os.environ.get("SANELY_EVIDENCE_MAX_BYTES", str(250_000_000)))
# An assessment whose task ended without running it is queued again after this many seconds,
# doubled at each attempt, and fails with a message after the last attempt.
ASSESSMENT_RETRY_SECONDS = int(os.environ.get("SANELY_ASSESSMENT_RETRY_SECONDS", "60"))
ASSESSMENT_MAX_ATTEMPTS = int(os.environ.get("SANELY_ASSESSMENT_MAX_ATTEMPTS", "5"))
# An assessment runs in a child process limited to this much memory (address space) and this
# many seconds of processor and of wall-clock time; over either, it fails saying which.
EVIDENCE_MEMORY_MB = int(os.environ.get("SANELY_EVIDENCE_MEMORY_MB", "2048"))
EVIDENCE_SECONDS = int(os.environ.get("SANELY_EVIDENCE_SECONDS", "600"))
# An email whose sending fails for a transient reason (the server is away, the connection
# drops) is tried again after this many seconds, doubled at each attempt, this many times.
EMAIL_RETRY_SECONDS = int(os.environ.get("SANELY_EMAIL_RETRY_SECONDS", "30"))
EMAIL_MAX_ATTEMPTS = int(os.environ.get("SANELY_EMAIL_MAX_ATTEMPTS", "6"))

# Two queues, each served by its own worker process (`sanely worker --queues`): "default" for
# email, notices and publication, "evidence" for assessments, which may run for minutes.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("SANELY_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "evidence"],
    }
}

# Open contracting data (docs/publication.md). The ocid prefix is the one the Open Contracting
# Partnership registered for this publisher; the public address makes the absolute links in
# releases and notices; the OCDS schemas are read from a folder (never downloaded), laid out as
# the reference copy: standard-1.1.5/ and extensions/<name>/.
OCDS_OCID_PREFIX = os.environ.get("SANELY_OCDS_OCID_PREFIX", "" if PRODUCTION else "ocds-s4n3ly")
PUBLIC_URL = os.environ.get("SANELY_PUBLIC_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
if PRODUCTION and not (OCDS_OCID_PREFIX and PUBLIC_URL):
    raise ImproperlyConfigured(
        "SANELY_OCDS_OCID_PREFIX (the prefix registered with the Open Contracting Partnership)"
        " and SANELY_PUBLIC_URL (the service's public address) must be set when"
        " SANELY_ENV=production."
    )
OCDS_SCHEMA_DIR = Path(
    os.environ.get("SANELY_OCDS_SCHEMA_DIR", REPO_DIR.parent / "shared" / "ocds")
).resolve()
# Find a Tender, where Procurement Act notices are sent (publication/fts.py): nothing is sent
# unless both are set; notices then wait, listed for the authority, to be sent by hand.
FTS_API_URL = os.environ.get("SANELY_FTS_API_URL", "")
FTS_API_KEY = os.environ.get("SANELY_FTS_API_KEY", "")
OCDS_PUBLISHER = {
    "name": os.environ.get("SANELY_OCDS_PUBLISHER_NAME", AUTHORITY_NAME or SERVICE_NAME),
    "scheme": os.environ.get("SANELY_OCDS_PUBLISHER_SCHEME", ""),
    "uid": os.environ.get("SANELY_OCDS_PUBLISHER_UID", ""),
}
OCDS_PUBLICATION_POLICY = os.environ.get("SANELY_OCDS_PUBLICATION_POLICY", "")
# Counts of pilot data below this are published as "fewer than N" (statistical disclosure control).
PUBLIC_COUNT_THRESHOLD = int(os.environ.get("SANELY_PUBLIC_COUNT_THRESHOLD", "10"))

NOTIFY_API_KEY = os.environ.get("SANELY_NOTIFY_API_KEY", "")
NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("SANELY_NOTIFY_TEMPLATE_ID", "")
DEFAULT_FROM_EMAIL = os.environ.get("SANELY_EMAIL_FROM", "sanely <no-reply@sanely.invalid>")
if NOTIFY_API_KEY:
    EMAIL_BACKEND = "sanely.portal.core.email.NotifyEmailBackend"
elif os.environ.get("SANELY_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["SANELY_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("SANELY_SMTP_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("SANELY_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("SANELY_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = _flag("SANELY_SMTP_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SANELY_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
CSRF_FAILURE_VIEW = "sanely.portal.web.views.csrf_failure"
