"""`redress serve`: migrate, optionally load the demo, then run the web server and the task
worker side by side until Ctrl-C, which stops both."""

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from redress.triage.engine import get_model as triage_model

STOP_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Run Redress: web server (gunicorn) and background task worker together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("REDRESS_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--demo", action="store_true",
                            help="Load the demo organisation first (once).")
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("WEB_CONCURRENCY", "0")) or None,
                            help="Web worker processes (default: two per CPU core).")
        parser.add_argument("--no-task-worker", action="store_true",
                            help="Web only, for deployments that run `redress db_worker` apart.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(_("Database is up to date."))
        # Read (or, the first time, trained from the seed corpus in a few seconds) here,
        # so no complaint waits for it; each web worker then loads the saved file.
        self.stdout.write(_("Preparing triage…"))
        model = triage_model()
        self.stdout.write(_("Triage is ready (%(examples)d examples).")
                          % {"examples": model.meta.get("examples", 0)})
        if options["demo"]:
            call_command("demo", stdout=self.stdout)
        # Follow-ups that fell due or expired while Redress was stopped: sent, or closed.
        call_command("followup", "sweep", stdout=self.stdout)
        # Deadlines that passed while Redress was stopped are handled before anything else.
        call_command("sla", "sweep", stdout=self.stdout)
        call_command("remedies", "sweep", stdout=self.stdout)
        # The weekly review of recurring problems; idempotent, so a restart costs nothing.
        call_command("lessons", "scan", stdout=self.stdout)

        # Catch Ctrl-C before the children start, so none is left behind by an early stop.
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        workers = options["workers"] or 2 * (os.cpu_count() or 1)
        bind = f"{options['host']}:{options['port']}"
        children: dict[str, subprocess.Popen[bytes]] = {
            "web": subprocess.Popen([  # noqa: S603 - fixed argv, no shell
                sys.executable, "-m", "gunicorn", "redress.config.wsgi:application",
                "--bind", bind, "--workers", str(workers), "--graceful-timeout", "5",
                # A year's cases exported to Excel takes minutes at a million cases; the
                # default 30 s would kill the worker half-way through the download.
                "--timeout", str(settings.REDRESS_WEB_TIMEOUT),
                "--access-logfile", "-", "--error-logfile", "-",
            ]),
        }
        if not options["no_task_worker"]:
            children["tasks"] = subprocess.Popen([  # noqa: S603
                sys.executable, "-m", "redress.config.cli", "db_worker",
            ])
        self.stdout.write(
            _("Redress is serving on http://%(bind)s/ — console /console/, complaint form "
              "/complain/. Press Ctrl-C to stop.") % {"bind": bind}
        )

        failed = ""
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    failed = name
                    stopping = True
            time.sleep(0.2)
        self._stop_all(children)
        if failed:
            raise CommandError(_("The %(part)s process stopped unexpectedly.") % {"part": failed})
        self.stdout.write(_("Stopped."))

    def _stop_all(self, children: dict[str, "subprocess.Popen[bytes]"]) -> None:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
