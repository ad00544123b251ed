import os

from django.core.wsgi import get_wsgi_application

from clinic.checks import refuse_to_start_on_errors

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
application = get_wsgi_application()
# gunicorn runs no system checks: refuse to serve on an error, as runserver would.
refuse_to_start_on_errors()
