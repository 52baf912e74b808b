"""Where the story index keeps its state: the :class:`StoryState` protocol and the in-memory one.

The index (:class:`storydesk.stories.StoryIndex`) holds no data itself; everything it
remembers goes through a ``StoryState``:

* story **profiles** (centroid, term and name bags, span), by story id;
* **postings**: key -> (day, story id) for candidate retrieval, read most recent first
  within a day window and a per-key limit, so a lookup costs the same at any index size;
* **aliases**: absorbed story id -> surviving id (merges are O(1): postings are not rewritten);
* **members**: article -> story;
* **MinHash** signatures and LSH band keys for near-duplicates, and the copy links found;
* **document frequencies** of terms and name keys (for idf), and a little metadata;
* **stale** stories: those that lost a member, whose profile must be rebuilt from the rest.

Two implementations: :class:`InMemoryStoryState` here (tests, ``cluster_corpus``, Spark
partitions) and ``storydesk.store.story_state.SQLiteStoryState`` (persistent, indexed
lookups only, never commits: the store owns the transaction).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Iterable, Protocol, Sequence

import numpy as np

from storydesk.stories.profile import StoryProfile

# Day stored for undated postings / signatures (ordinal 0 is no real date).
UNDATED = 0


class StoryState(Protocol):
    """Storage of the story index. Implementations must make every call an indexed lookup."""

    def clear(self) -> None:
        """Forget everything (``storydesk recluster`` rebuilds from scratch)."""
        ...

    def get_meta(self, key: str) -> str | None:
        """A metadata value (e.g. the settings fingerprint), or None."""
        ...

    def set_meta(self, key: str, value: str) -> None:
        """Set a metadata value."""
        ...

    def article_count(self) -> int:
        """Articles added so far (the N of idf)."""
        ...

    def story_count(self) -> int:
        """Live stories (not absorbed by a merge)."""
        ...

    def doc_freq(self, keys: Iterable[str]) -> dict[str, int]:
        """Document frequencies of keys (absent keys are left out)."""
        ...

    def add_doc_freq(self, keys: Iterable[str]) -> None:
        """Count one more article containing each key (and one more article)."""
        ...

    def get_profiles(self, story_ids: Sequence[str]) -> dict[str, StoryProfile]:
        """Profiles of live stories by id (unknown ids are left out)."""
        ...

    def put_profile(self, profile: StoryProfile) -> None:
        """Insert or replace a profile."""
        ...

    def delete_profile(self, story_id: str) -> None:
        """Remove a profile (after a merge)."""
        ...

    def add_postings(self, story_id: str, keys: Iterable[str], day: int) -> None:
        """Record that ``story_id`` had an article with these keys on ``day``."""
        ...

    def lookup(self, key: str, day_lo: int | None, day_hi: int | None, limit: int) -> list[str]:
        """Story ids posted under ``key``, most recent first.

        Args:
            key: the key.
            day_lo, day_hi: inclusive day window; None for no window (undated article).
            limit: at most this many entries (undated entries count separately, ``limit // 4``).
        """
        ...

    def set_alias(self, absorbed: str, survivor: str) -> None:
        """Record that ``absorbed`` was merged into ``survivor``."""
        ...

    def resolve(self, story_ids: Iterable[str]) -> dict[str, str]:
        """Map story ids to their live id, following aliases."""
        ...

    def add_member(self, story_id: str, article_id: str) -> None:
        """Put an article in a story."""
        ...

    def move_members(self, src: str, dst: str) -> None:
        """Move every article of ``src`` to ``dst`` (merge)."""
        ...

    def members(self, story_id: str) -> list[str]:
        """Article ids of a story, in the order they were added."""
        ...

    def story_of(self, article_id: str) -> str | None:
        """The (live) story of an article, or None when it was never added."""
        ...

    def add_signature(self, article_id: str, day: int, time_key: tuple[float, str],
                      signature: np.ndarray, band_keys: Sequence[int]) -> None:
        """Store an article's MinHash signature under its LSH band keys."""
        ...

    def band_candidates(self, band_keys: Sequence[int], day_lo: int | None, day_hi: int | None,
                        limit: int) -> list[str]:
        """Article ids sharing at least one band key, within the day window (most recent first)."""
        ...

    def signatures(self, article_ids: Sequence[str]) -> dict[str, tuple[np.ndarray, tuple[float, str]]]:
        """Signatures and time keys of articles."""
        ...

    def get_original(self, article_id: str) -> tuple[str, float] | None:
        """The copy link of an article: (original id, similarity), or None."""
        ...

    def set_original(self, article_id: str, original_id: str, similarity: float) -> None:
        """Record (or re-point) a copy link."""
        ...

    def mark_stale(self, story_id: str) -> None:
        """Record that a story lost a member: its profile still holds that article's share."""
        ...

    def stale_stories(self) -> list[str]:
        """Stories marked stale, in id order."""
        ...

    def clear_stale(self, story_id: str) -> None:
        """Unmark a story (its profile was rebuilt, or it was deleted)."""
        ...


class InMemoryStoryState:
    """A :class:`StoryState` in Python dicts (postings as day-sorted lists, bisected)."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self._meta: dict[str, str] = {}
        self._n_articles = 0
        self._df: dict[str, int] = defaultdict(int)
        self._profiles: dict[str, StoryProfile] = {}
        self._postings: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._alias: dict[str, str] = {}
        self._members: dict[str, list[str]] = defaultdict(list)
        self._story_of: dict[str, str] = {}
        self._bands: dict[int, list[tuple[int, str]]] = defaultdict(list)
        self._sigs: dict[str, tuple[np.ndarray, tuple[float, str]]] = {}
        self._originals: dict[str, tuple[str, float]] = {}
        self._stale: set[str] = set()

    def get_meta(self, key: str) -> str | None:
        return self._meta.get(key)

    def set_meta(self, key: str, value: str) -> None:
        self._meta[key] = value

    def article_count(self) -> int:
        return self._n_articles

    def story_count(self) -> int:
        return len(self._profiles)

    def doc_freq(self, keys: Iterable[str]) -> dict[str, int]:
        df = self._df
        return {k: df[k] for k in keys if k in df}

    def add_doc_freq(self, keys: Iterable[str]) -> None:
        self._n_articles += 1
        for k in set(keys):
            self._df[k] += 1

    def get_profiles(self, story_ids: Sequence[str]) -> dict[str, StoryProfile]:
        return {i: self._profiles[i] for i in story_ids if i in self._profiles}

    def put_profile(self, profile: StoryProfile) -> None:
        self._profiles[profile.id] = profile

    def delete_profile(self, story_id: str) -> None:
        self._profiles.pop(story_id, None)

    def add_postings(self, story_id: str, keys: Iterable[str], day: int) -> None:
        entry = (day, story_id)
        for key in keys:
            plist = self._postings[key]
            pos = bisect.bisect_left(plist, entry)
            if pos == len(plist) or plist[pos] != entry:
                plist.insert(pos, entry)

    def lookup(self, key: str, day_lo: int | None, day_hi: int | None, limit: int) -> list[str]:
        plist = self._postings.get(key)
        if not plist:
            return []
        out: list[str] = []
        if day_lo is None or day_hi is None:
            for _, sid in reversed(plist[-limit:]):
                out.append(sid)
            return out
        hi = bisect.bisect_right(plist, (day_hi, "\uffff"))
        i = hi - 1
        while i >= 0 and len(out) < limit:
            day, sid = plist[i]
            if day < day_lo:
                break
            out.append(sid)
            i -= 1
        # Undated stories sort first (UNDATED = 0): take the latest-added few of them.
        undated_end = bisect.bisect_right(plist, (UNDATED, "\uffff"))
        for j in range(undated_end - 1, max(-1, undated_end - 1 - limit // 4), -1):
            out.append(plist[j][1])
        return out

    def set_alias(self, absorbed: str, survivor: str) -> None:
        self._alias[absorbed] = survivor

    def resolve(self, story_ids: Iterable[str]) -> dict[str, str]:
        out = {}
        for sid in story_ids:
            live = sid
            seen = 0
            while live in self._alias and seen < 1000:
                live = self._alias[live]
                seen += 1
            out[sid] = live
        return out

    def add_member(self, story_id: str, article_id: str) -> None:
        self._members[story_id].append(article_id)
        self._story_of[article_id] = story_id

    def move_members(self, src: str, dst: str) -> None:
        moved = self._members.pop(src, [])
        self._members[dst].extend(moved)
        for aid in moved:
            self._story_of[aid] = dst

    def members(self, story_id: str) -> list[str]:
        return list(self._members.get(story_id, ()))

    def story_of(self, article_id: str) -> str | None:
        return self._story_of.get(article_id)

    def add_signature(self, article_id: str, day: int, time_key: tuple[float, str],
                      signature: np.ndarray, band_keys: Sequence[int]) -> None:
        self._sigs[article_id] = (signature, time_key)
        entry = (day, article_id)
        for key in band_keys:
            bisect.insort(self._bands[key], entry)

    def band_candidates(self, band_keys: Sequence[int], day_lo: int | None, day_hi: int | None,
                        limit: int) -> list[str]:
        found: dict[str, int] = {}
        for key in band_keys:
            plist = self._bands.get(key)
            if not plist:
                continue
            if day_lo is None or day_hi is None:
                entries = plist[-limit:]
            else:
                lo = bisect.bisect_left(plist, (day_lo, ""))
                hi = bisect.bisect_right(plist, (day_hi, "\uffff"))
                undated_end = bisect.bisect_right(plist, (UNDATED, "\uffff"))
                entries = plist[max(lo, hi - limit):hi] + plist[max(0, undated_end - limit // 4):undated_end]
            for day, aid in entries:
                found[aid] = max(found.get(aid, day), day)
        ranked = sorted(found, key=lambda a: (-found[a], a))
        return ranked[:limit]

    def signatures(self, article_ids: Sequence[str]) -> dict[str, tuple[np.ndarray, tuple[float, str]]]:
        return {a: self._sigs[a] for a in article_ids if a in self._sigs}

    def get_original(self, article_id: str) -> tuple[str, float] | None:
        return self._originals.get(article_id)

    def set_original(self, article_id: str, original_id: str, similarity: float) -> None:
        self._originals[article_id] = (original_id, similarity)

    def mark_stale(self, story_id: str) -> None:
        self._stale.add(story_id)

    def stale_stories(self) -> list[str]:
        return sorted(self._stale)

    def clear_stale(self, story_id: str) -> None:
        self._stale.discard(story_id)
