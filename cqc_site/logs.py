"""Logging helpers named in settings.LOGGING."""

import logging


class OneLineWarning(logging.Filter):
    """Log the record as one warning line: no traceback, level WARNING.

    For events that are the visitor's fault and arrive in floods (a Host not in ALLOWED_HOSTS):
    the message names the host, the traceback says nothing more.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
