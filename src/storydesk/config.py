"""Settings and where things live. No I/O beyond reading the environment."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = "storydesk.db"

# Inputs larger than this are rejected (code ``too-large``) instead of being read: a news
# article is rarely above 2 MB of HTML; 20 MB leaves room for bloated pages while
# protecting memory from dumps and binaries given by mistake. The limit also applies to
# whole JSON files and to RSS/Atom feeds (files and URLs alike): both are parsed in one
# piece, so a 50 MB feed is rejected, not read into memory (a real feed is well under 1 MB).
# Only the containers read record by record — JSONL, CSV/TSV and WARC (sources._STREAMED) —
# may be larger, up to MAX_CONTAINER_BYTES; a WARC record or CSV field in them still obeys
# MAX_INPUT_BYTES (a JSONL line is not capped yet: it is read whole).
MAX_INPUT_BYTES = 20 * 1024 * 1024
MAX_CONTAINER_BYTES = 4 * 1024 * 1024 * 1024


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the database path: ``--db`` first, then ``STORYDESK_DB``, then ``./storydesk.db``.

    Args:
        explicit: the value of ``--db``, if given.

    Returns:
        The path to use (not necessarily existing yet).
    """
    if explicit:
        return Path(explicit)
    env = os.environ.get("STORYDESK_DB")
    if env:
        return Path(env)
    return Path(DEFAULT_DB)
