"""Settings, all driven by the environment (see README "Configuration")."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from redress.config.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# Where the embedded database, the generated secret key and other local state live.
DATA_DIR = Path(env_str("REDRESS_DATA_DIR", str(Path.cwd() / "var"))).resolve()


def _secret_key() -> str:
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    # A single-site install has no one to hand it a secret: keep a generated one beside the
    # database so sessions and signed links survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    # Before django_tasks_db: its `db_worker` command (which also queues again the tasks of
    # killed workers) takes the place of the plain one.
    "redress.config",
    "django_tasks",
    "django_tasks_db",
    "redress.common",
    "redress.notify",
    "redress.accounts",
    "redress.cases",
    "redress.sla",
    "redress.triage",
    "redress.remedies",
    "redress.playbook",
    "redress.followup",
    "redress.lessons",
    "redress.intake",
    "redress.insights",
    "redress.api",
    "redress.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "redress.web.middleware.ProductLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "redress.config.urls"
WSGI_APPLICATION = "redress.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "redress.web.context.staff_inbox",
            ],
        },
    },
    {
        # The rows of the busiest pages (redress/web/jinja.py), from <app>/jinja2/.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "redress.web.jinja.environment"},
    },
]

_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            # django.db.backends.sqlite3, with writers that queue (see the module).
            "ENGINE": "redress.common.sqlite",
            "NAME": str(DATA_DIR / "redress.sqlite3"),
            # Each web and task process keeps its connection: opening one reads the whole
            # schema again and runs the pragmas, about 1.7 ms of CPU a request.
            "CONN_MAX_AGE": env_int("REDRESS_SQLITE_CONN_MAX_AGE", 600),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE takes the write
                # lock when a transaction starts, so two writers queue instead of failing
                # with "database is locked" when a read transaction tries to upgrade.
                "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:queue"
LOGOUT_REDIRECT_URL = "web:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Chinese first, English second; the product default ignores the browser's
# Accept-Language so a shared front-desk terminal always opens in Chinese.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("REDRESS_TIME_ZONE", "Asia/Shanghai")

STATIC_URL = "/static/"
# Serve straight from the installed packages: no collectstatic step to forget on upgrade.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Chart library from the npm registry (`npm ci` in the checkout; package.json pins it),
# served as /static/vendor/echarts/echarts.min.js. Without it pages still work: the
# dashboard shows its tables and says the chart library is missing.
NODE_MODULES_DIR = Path(env_str("REDRESS_NODE_MODULES", str(PACKAGE_DIR.parent / "node_modules")))
ECHARTS_DIR = NODE_MODULES_DIR / "echarts" / "dist"
STATICFILES_DIRS = [("vendor/echarts", ECHARTS_DIR)] if ECHARTS_DIR.is_dir() else []

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": env_str("REDRESS_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# A task whose worker was killed while running it is queued again (`redress db_worker`):
# at once when the worker ran on the same host, and after this many minutes of running
# when it ran elsewhere (a host cannot see another's processes). Workers look every so
# many seconds (0: only when they start).
REDRESS_TASK_STALE_MINUTES = env_int("REDRESS_TASK_STALE_MINUTES", 60)
REDRESS_TASK_RECOVER_SECONDS = env_int("REDRESS_TASK_RECOVER_SECONDS", 30)

EMAIL_HOST = env_str("EMAIL_HOST")
# Without a mail server configured, e-mails to customers are written to the server log
# (and kept in the outbox table) instead of failing against a server that is not there.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Redress <noreply@localhost>")

# Public intake is open to anyone; these bound what one address can send.
# e.g. "30/m"; empty turns the limit off (benchmarks, a closed intranet).
REDRESS_PUBLIC_RATE = env_str("REDRESS_PUBLIC_RATE", "30/m") or None
# Where links in e-mails to customers point (the tracking page).
REDRESS_PUBLIC_URL = env_str("REDRESS_PUBLIC_URL", "http://127.0.0.1:8000")

# Follow-up (回访): how long after a case is resolved the customer is asked how it went,
# the hours (organisation's zone) in which a survey goes out, how long its link stays
# valid, the channels whose customers are phoned back rather than sent a link, and the
# answers that reopen a case for a second recovery (not solved, or satisfaction at most).
REDRESS_FOLLOWUP_DELAY_HOURS = env_int("REDRESS_FOLLOWUP_DELAY_HOURS", 24)
REDRESS_FOLLOWUP_HOURS = env_str("REDRESS_FOLLOWUP_HOURS", "09:00-21:00")
REDRESS_SURVEY_VALID_DAYS = env_int("REDRESS_SURVEY_VALID_DAYS", 7)
REDRESS_FOLLOWUP_CALL_CHANNELS = env_list("REDRESS_FOLLOWUP_CALL_CHANNELS", ["phone", "walk_in"])
REDRESS_REOPEN_SATISFACTION_MAX = env_int("REDRESS_REOPEN_SATISFACTION_MAX", 2)
# General satisfaction surveys: an answer at or below these opens a recovery case.
REDRESS_DETRACTOR_NPS_MAX = env_int("REDRESS_DETRACTOR_NPS_MAX", 6)
REDRESS_DETRACTOR_CSAT_MAX = env_int("REDRESS_DETRACTOR_CSAT_MAX", 2)

# Text messages to customers wait out these hours in the organisation's zone unless urgent
# (a P1 case, or a customer who agreed to be contacted at night); e-mail goes any time.
REDRESS_QUIET_HOURS = env_str("REDRESS_QUIET_HOURS", "21:00-08:00")
REDRESS_SMS_BACKEND = env_str("REDRESS_SMS_BACKEND", "redress.notify.services.sms_log_backend")

# Service levels: how long a breach may stay unmet before the department's manager is told.
REDRESS_SLA_MANAGER_AFTER_MINUTES = env_int("REDRESS_SLA_MANAGER_AFTER_MINUTES", 60)
# Remedies: how long an approval may wait before a manager is told, and what an hour of
# staff time costs when counting the cost of a case (compensation + handling time; the
# handling time is estimated from the staff actions on the case's timeline).
REDRESS_APPROVAL_HOURS = env_int("REDRESS_APPROVAL_HOURS", 2)
# Seconds a web request may take before gunicorn restarts its worker (large exports).
REDRESS_WEB_TIMEOUT = env_int("REDRESS_WEB_TIMEOUT", 600)
REDRESS_HANDLING_COST_PER_HOUR = env_str("REDRESS_HANDLING_COST_PER_HOUR", "60.00")
REDRESS_MINUTES_PER_STAFF_ACTION = env_int("REDRESS_MINUTES_PER_STAFF_ACTION", 6)
# How staff hear of warnings and escalations: the console's bell and e-mail; a WeCom or
# DingTalk webhook is another notifier class added here.
REDRESS_STAFF_NOTIFIERS = env_list("REDRESS_STAFF_NOTIFIERS", [
    "redress.notify.services.InboxNotifier",
    "redress.notify.services.EmailNotifier",
])

# Group robots (群机器人) of WeCom (企业微信) and DingTalk (钉钉): the webhook URL with its
# key; DingTalk's optional signing secret (加签). Each configured one is added to the
# notifiers above unless REDRESS_STAFF_NOTIFIERS names them itself.
REDRESS_WECOM_WEBHOOK_URL = env_str("REDRESS_WECOM_WEBHOOK_URL")
REDRESS_DINGTALK_WEBHOOK_URL = env_str("REDRESS_DINGTALK_WEBHOOK_URL")
REDRESS_DINGTALK_WEBHOOK_SECRET = env_str("REDRESS_DINGTALK_WEBHOOK_SECRET")
if "REDRESS_STAFF_NOTIFIERS" not in os.environ:
    if REDRESS_WECOM_WEBHOOK_URL:
        REDRESS_STAFF_NOTIFIERS.append("redress.notify.webhooks.WeComNotifier")
    if REDRESS_DINGTALK_WEBHOOK_URL:
        REDRESS_STAFF_NOTIFIERS.append("redress.notify.webhooks.DingTalkNotifier")
# How often a failed webhook post is tried in all before it is left failed (and logged).
REDRESS_WEBHOOK_ATTEMPTS = env_int("REDRESS_WEBHOOK_ATTEMPTS", 5)

# Lessons: what closing a resolved case needs in its root cause (any of cause, department,
# step, customer_accepted, remedy; empty: nothing), and the length of the windows before
# and after corrective actions that their effectiveness check compares.
REDRESS_CLOSE_REQUIRES = env_list(
    "REDRESS_CLOSE_REQUIRES", ["cause", "department", "step", "customer_accepted", "remedy"]
)
REDRESS_CAPA_WINDOW_WEEKS = env_int("REDRESS_CAPA_WINDOW_WEEKS", 4)

# Triage on intake: a new case from the same customer (phone, e-mail or external id)
# within this many days is linked to the earlier ones and flagged `repeat`; the same words
# received within this many hours are offered to the agent as a duplicate to merge. With
# auto-route on, a complaint that landed in the default intake department moves at once
# to the department the routing rules suggest; off (the default), supervisors decide.
REDRESS_REPEAT_WINDOW_DAYS = env_int("REDRESS_REPEAT_WINDOW_DAYS", 30)
REDRESS_DUPLICATE_WINDOW_HOURS = env_int("REDRESS_DUPLICATE_WINDOW_HOURS", 72)
REDRESS_TRIAGE_AUTO_ROUTE = env_bool("REDRESS_TRIAGE_AUTO_ROUTE", False)
# Triage: the function that derives a priority from a reading (dotted path; the default
# is the rule of TAXONOMY.md).
REDRESS_TRIAGE_PRIORITY_RULE = env_str(
    "REDRESS_TRIAGE_PRIORITY_RULE", "redress.triage.priority.priority_default"
)
# The monthly PDF report: a TrueType font file with Chinese glyphs to embed; empty, Debian's
# WenQuanYi fonts are looked for, then ReportLab's built-in STSong-Light is used.
REDRESS_REPORT_FONT = env_str("REDRESS_REPORT_FONT")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
