"""Domain errors. The library raises these; the CLI maps them to messages and exit codes."""

from __future__ import annotations


class StorydeskError(Exception):
    """Base class for errors a user can act on; the message says what to do."""

    exit_code = 1


class UsageError(StorydeskError):
    """A bad option or argument (programmer or user error): the message says the fix."""

    exit_code = 2


class NotFound(StorydeskError):
    """An id or path the user named does not exist."""

    exit_code = 4


class AmbiguousId(StorydeskError):
    """An id prefix matches more than one record."""

    exit_code = 2


class MissingExtra(StorydeskError):
    """An optional dependency is not installed; the message names the ``pip install`` that fixes it."""

    exit_code = 5

    def __init__(self, what: str, extra: str, package: str | None = None):
        fix = f"pip install 'storydesk[{extra}]'" + (f" (or pip install {package})" if package else "")
        super().__init__(f"{what} needs an optional dependency that is not installed: {fix}")
        self.extra = extra


class StoreError(StorydeskError):
    """The database cannot be opened or is not a storydesk database."""

    exit_code = 6
