"""Status updates: a provisional "not yet" overtaken by a later statement of the same step.

"Police have not yet identified any suspects" (5 January) and "police have identified a
total of 31 suspects" (11 January); "it is too early for us to confirm numbers" and "at
least seven people are now confirmed as having died". The two share the verb of the step
(identify, confirm, claim, name, determine) and its object, and little else, so alignment
misses them. Both can have been true when said: the pair is ``superseded``, the later
statement ``b`` (GUIDE.md §1 step 3).

The provisional side is read from the whole sentence, not only the claim's proposition:
"Albers says police have not yet identified any suspects, but added that ..." states the
status in its first clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storydesk.compare.statements import Statement
from storydesk.compare.textutil import content_stems, negations, stem, words

__all__ = ["status_updates"]

# "have not yet identified", "has not been determined", "is yet to confirm", "too early
# to confirm", "no group has (yet) claimed".
_PENDING_RE = re.compile(
    r"\b(?:(?:has|have|had|is|are|was|were)\s+(?:not|n['\u2019]t)\s+(?:yet\s+|still\s+)?(?:been\s+)?"
    r"|(?:has|have|had|is|are|was|were)\s+(?:yet|still)\s+to\s+(?:be\s+)?"
    r"|too\s+early\s+(?:for\s+\w+\s+)?to\s+"
    r"|no\s+(?:one|group|organi[sz]ation|suspects?|arrests?)\s+(?:has|have)\s+(?:yet\s+)?(?:been\s+)?)"
    r"(?P<verb>[a-z]+)(?P<rest>(?:\s+[\w'\u2019-]+){0,4})",
    re.I,
)
# Verbs of a step that a later report completes.
def _vstem(word: str) -> str:
    """A verb's stem, "identified" and "identify" alike."""
    w = word.lower()
    if w.endswith("ied"):
        w = w[:-3] + "y"
    return stem(w)


_STEPS = frozenset(_vstem(w) for w in
                   "identify confirm claim name determine establish release recover find locate "
                   "arrest charge reopen open announce disclose".split())
# Objects that a later count answers ("too early to confirm numbers": "seven confirmed dead").
_COUNT_WORDS = frozenset(stem(w) for w in "number numbers figure figures toll casualties victims dead death".split())


def _pending(s: Statement) -> tuple[str, frozenset[str], str] | None:
    """(verb stem, object stems, phrase) of a provisional negative status in the sentence."""
    m = _PENDING_RE.search(s.claim.text)
    if not m or not (s.early or m.group(0).lower().startswith("no ")):
        return None
    v = _vstem(m.group("verb"))
    if v not in _STEPS:
        return None
    obj = frozenset(content_stems(m.group("rest") or "")) - {v}
    return v, obj, m.group(0).strip()


def _completes(y: Statement, verb: str) -> str | None:
    """The word of ``y``'s sentence that states the step done ("identified"), if un-negated."""
    text = y.claim.text
    for m in re.finditer(r"[A-Za-z]+", text):
        if _vstem(m.group(0)) == verb:
            before = text[max(0, m.start() - 25):m.start()]
            if negations(before) or re.search(r"\b(?:yet|still)\s+to\s+$|\bearly\s+to\s+$", before):
                return None
            return m.group(0)
    return None


def status_updates(stmts: Sequence[Statement], *, exclude: set[tuple[int, int]]
                   ) -> list[tuple[int, int, tuple[str, ...]]]:
    """(earlier, later, evidence) pairs where a later statement completes a pending step.

    Args:
        stmts: the story's statements.
        exclude: (i, j) pairs (either order) already judged.

    Returns:
        ``(provisional index, later index, evidence)`` tuples.
    """
    pending = [(s, p) for s in stmts if (p := _pending(s)) is not None]
    out = []
    for x, (verb, obj, phrase) in pending:
        for y in stmts:
            if y.article_id == x.article_id or y.denies or y.polarity != "positive" or _pending(y):
                continue
            if (x.index, y.index) in exclude or (y.index, x.index) in exclude:
                continue
            if x.time and y.time and y.time < x.time:
                continue  # the completion must not predate the pending status
            done = _completes(y, verb)
            if done is None:
                continue
            ystems = y.sentence_stems | {stem(w) for w in words(y.claim.text)}
            shared = obj & ystems
            counted = bool(obj & _COUNT_WORDS) and bool(y.quantities)
            if not (shared or counted):
                continue
            what = ", ".join(sorted(shared)) if shared else "a count"
            ev = (f"'{phrase}' marks a provisional state", f"later: '{done}' ({what})")
            if x.time and y.time and x.time != y.time:
                ev = ev + (f"said {x.time.isoformat()} vs {y.time.isoformat()}",)
            out.append((x.index, y.index, ev))
    return out
