import gc
import os
from typing import Any

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sasaeai.settings")
application = get_wsgi_application()


# Django runs system checks for management commands only. The server itself refuses to start
# where `manage.py check` fails on the personal-data keys (referrals.E001), rather than start
# and then answer every referral page with an error.
from sasaeai.referrals.checks import refuse_to_serve_without_keys  # noqa: E402

refuse_to_serve_without_keys()


def freeze_after_first_request(**_kwargs: Any) -> None:
    """Keep what the first request has loaded (URL patterns, templates, translations: some
    125,000 objects that live as long as the process) out of the garbage collector's full
    passes. A full pass over them took 40-55 ms, and stalled whichever request it fell in."""
    request_finished.disconnect(freeze_after_first_request)
    gc.freeze()


request_finished.connect(freeze_after_first_request)
