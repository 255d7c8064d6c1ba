"""The machine's limit beside Redress's intake: the least a Django endpoint can do.

Two views on a one-module Django project, served by bench/intake.py with the gunicorn
settings `redress serve` uses: `POST /insert` stores the request body as one row in SQLite
(one INSERT, committed) and answers 201; `GET /json` answers a constant JSON document.
No middleware, no ORM model, no templates: what is left is WSGI, Django's request cycle
and SQLite on this machine.

    BARE_DB=/tmp/bare.sqlite3 gunicorn bench.bare_app:application

The table `complaint (id, received_at, body)` is created by bench/intake.py before the
server starts.
"""

import os

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-only",  # noqa: S106 - signs nothing: no sessions, no forms
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        MIDDLEWARE=[],
        USE_TZ=True,
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ.get("BARE_DB", "bare.sqlite3"),
                # The same connection options as redress/config/settings.py, so the limit
                # is measured on the same SQLite set-up.
                "OPTIONS": {
                    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
                    "transaction_mode": "IMMEDIATE",
                    "timeout": 20,
                },
            }
        },
    )

import django  # noqa: E402 - settings first

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402


def bare_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def bare_insert(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO complaint (received_at, body) VALUES (%s, %s)",
            [timezone.now().isoformat(), request.body.decode("utf-8")],
        )
        row_id = cursor.lastrowid
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [path("json", bare_json), path("insert", bare_insert)]

application = get_wsgi_application()
