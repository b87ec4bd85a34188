import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the web application with gunicorn (put a TLS-terminating proxy in front)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="2 suits a 2-core machine")

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "sanely.portal.config.wsgi",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            os.environ.get("SANELY_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with the server
