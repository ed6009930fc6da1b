"""Django settings, read from environment variables.

YUSUAN_DATA        data folder (default ~/.local/share/yusuan): SQLite file, uploaded and published files,
                   the generated secret key and the demo accounts file
DATABASE_URL       e.g. postgres://user@127.0.0.1:5432/yusuan; default SQLite in YUSUAN_DATA
YUSUAN_SECRET_KEY  default: generated once and kept in YUSUAN_DATA/secret_key
YUSUAN_DEBUG       1 for debug pages (never in production)
YUSUAN_HTTPS       1 behind HTTPS: secure cookies, HSTS, redirect to https (check --deploy is then clean)
YUSUAN_ALLOWED_HOSTS  comma-separated (default 127.0.0.1,localhost)
YUSUAN_PUBLISH_FORMATS  formats rendered on publication (default docx,pdf,xlsx)
YUSUAN_UPLOAD_MAX_MB   largest accepted upload (default 20)
YUSUAN_ZIP_MAX_MB      largest accepted zip of published documents (default 200)
YUSUAN_JOB_TIMEOUT     seconds one background audit may run before its worker is killed (default 300)
YUSUAN_JOB_ATTEMPTS    runs of a job that crashed before it is given up (default 3)
YUSUAN_WORKERS         worker processes of `yusuan worker` / `yusuan serve` (default 1)
YUSUAN_JOBS_SYNC       1: run background jobs at once in the calling process (tests, debugging)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url


def data_dir() -> Path:
    path = Path(os.environ.get("YUSUAN_DATA") or Path.home() / ".local" / "share" / "yusuan")
    path.mkdir(parents=True, exist_ok=True)
    return path


DATA_DIR = data_dir()


def _secret_key() -> str:
    key = os.environ.get("YUSUAN_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("YUSUAN_DEBUG", "") in ("1", "true", "yes")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("YUSUAN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",")
                 if h.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_q",
    "yusuan.web",
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
    "yusuan.web.apicache.AnonymousApiCache",  # innermost: the headers above are added to cached answers too
]

ROOT_URLCONF = "yusuan.web.urls"
WSGI_APPLICATION = "yusuan.web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "yusuan.web.views.nav",
    ]},
}]

DATABASES = {"default": dj_database_url.parse(
    os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'yusuan.sqlite3'}", conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # the web server and the job worker (another process) share the file: wait for a lock instead of
    # failing at once, let readers go on while one writes (WAL), take the write lock when a transaction starts
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"})

AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = os.environ.get("YUSUAN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve the app's static files without a collectstatic step
MEDIA_ROOT = Path(os.environ.get("YUSUAN_MEDIA") or DATA_DIR / "media")  # served only through permission-checked views

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:public"

UPLOAD_MAX_MB = int(os.environ.get("YUSUAN_UPLOAD_MAX_MB", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ZIP_MAX_MB = int(os.environ.get("YUSUAN_ZIP_MAX_MB", "200"))
PUBLISH_FORMATS = [f.strip() for f in os.environ.get("YUSUAN_PUBLISH_FORMATS", "docx,pdf,xlsx").split(",") if f.strip()]

SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if os.environ.get("YUSUAN_HTTPS", "") in ("1", "true", "yes"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    # HSTS for subdomains and the browsers' preload list bind other sites of the domain: the operator's
    # decision (YUSUAN_HSTS_SUBDOMAINS=1), not a default
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = os.environ.get("YUSUAN_HSTS_SUBDOMAINS", "") in ("1", "true", "yes")
    if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}

# background jobs (web/jobs.py): django-q2 with the database as broker, so no extra server is needed;
# a job running longer than JOB_TIMEOUT is killed, a crashed one is delivered again after `retry`
JOB_TIMEOUT = int(os.environ.get("YUSUAN_JOB_TIMEOUT", "300"))
JOB_ATTEMPTS = int(os.environ.get("YUSUAN_JOB_ATTEMPTS", "3"))
Q_CLUSTER = {
    "name": "yusuan",
    "orm": "default",
    "workers": int(os.environ.get("YUSUAN_WORKERS", "1")),
    "timeout": JOB_TIMEOUT,
    "retry": JOB_TIMEOUT + 30,
    "max_attempts": JOB_ATTEMPTS,
    "poll": 1,
    "catch_up": False,
    "save_limit": 500,
    "label": "后台任务",
    "sync": os.environ.get("YUSUAN_JOBS_SYNC", "") in ("1", "true", "yes"),
}
