"""Errors that name the CQC record they concern, so a failed run says what to look at."""


class CqcError(Exception):
    """Anything that stops one provider from importing; `record` names it (e.g. "provider ZZ1")."""

    def __init__(self, message: str, *, record: str = ""):
        super().__init__(f"{record}: {message}" if record else message)
        self.record = record


class CqcAuthError(CqcError):
    """The API refused the key (401/403): no later request can succeed, so the run stops."""


class CqcNotFound(CqcError):
    """The API has no such provider or location (404)."""


class CqcDataError(CqcError):
    """A body that is not the JSON we expect: unreadable, not an object, or missing a field we need."""


class CqcUnavailable(CqcError):
    """The API kept failing (time-outs, 429, 5xx) after every retry."""
