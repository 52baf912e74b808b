"""The digest stage: a story's timeline and its cited summary, built from its comparison.

Public API::

    from storydesk.digest import build_timeline, build_summary, timeline_to_dicts, summary_to_dicts

Both are pure functions of the story's ``(article, facts)`` pairs and its
:class:`~storydesk.compare.StoryComparison`.
"""

from storydesk.digest.summary import build_summary, summary_to_dicts
from storydesk.digest.timeline import build_timeline, timeline_to_dicts

__all__ = ["build_summary", "build_timeline", "summary_to_dicts", "timeline_to_dicts"]
