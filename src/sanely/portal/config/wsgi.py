"""WSGI entry point: `gunicorn sanely.portal.config.wsgi` (what `sanely serve` runs)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanely.portal.config.settings")
application = get_wsgi_application()
