"""The compare stage: what each outlet says against what the others say, for one story.

Public API::

    from storydesk.compare import (
        compare_story, comparison_to_dict, StoryComparison,   # the story comparison
        extract_claims,                                       # per article, at the end of analysis
        group_quotes, quote_group_ids,                        # after each ingest batch, per story
        check_claim, candidate_query,                         # storydesk check
        SentenceEncoder, CompareSettings, QuoteSettings,
    )

* :func:`extract_claims` (model-free) turns an article's sentences, quotes, entities and
  dates into :class:`~storydesk.records.Claim` records with attribution, polarity, hedges
  and denials.
* :func:`group_quotes` groups the same remark across outlets and translations; group ids
  derive from the earliest member quote, so re-running gives the same ids.
* :func:`compare_story` aligns the claims of a story (embeddings, shared words and
  entities), decides denials, conflicts and superseded statements with the evidence for
  each verdict, groups claims per proposition with each article's stance, finds omissions
  and copied paragraphs. :func:`comparison_to_dict` renders it for ``storydesk story --json``.
* :func:`check_claim` gives each article's stance on a claim a user types;
  :func:`candidate_query` builds the FTS5 query that finds candidate articles.
"""

from storydesk.compare.check import candidate_query, check_claim, stance_to_dict
from storydesk.compare.claims import extract_claims
from storydesk.compare.copies import PassageCopy, find_copies
from storydesk.compare.embed import SentenceEncoder
from storydesk.compare.quotes import QuoteSettings, group_quotes, quote_group_ids
from storydesk.compare.relate import CompareSettings
from storydesk.compare.story import StoryComparison, compare_story, comparison_to_dict

__all__ = [
    "CompareSettings",
    "PassageCopy",
    "QuoteSettings",
    "SentenceEncoder",
    "StoryComparison",
    "candidate_query",
    "check_claim",
    "compare_story",
    "comparison_to_dict",
    "extract_claims",
    "find_copies",
    "group_quotes",
    "quote_group_ids",
    "stance_to_dict",
]
