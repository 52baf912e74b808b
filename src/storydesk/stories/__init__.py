"""The stories stage: group articles about the same event, across outlets and languages.

Public API::

    from storydesk.stories import (ClusterSettings, StoryIndex, StoryUpdate, cluster_corpus,
                                   final_stories, story_similarity, InMemoryStoryState, StoryState)

* :class:`StoryIndex` adds articles one batch at a time (stateful, state in a
  :class:`StoryState`: :class:`InMemoryStoryState` or
  ``storydesk.store.story_state.SQLiteStoryState``);
* :func:`cluster_corpus` clusters a whole corpus in memory in canonical order (pure);
* :func:`story_similarity` is the join score between two articles;
* :mod:`storydesk.stories.evaluate` has B-cubed and pairwise metrics.
"""

from storydesk.stories.embed import Embedder, Embeddings, ModelEmbedder
from storydesk.stories.index import (
    StoryIndex,
    StoryUpdate,
    article_features,
    canonical_order,
    cluster_corpus,
    final_stories,
    story_similarity,
)
from storydesk.stories.settings import ClusterSettings, ScoreWeights
from storydesk.stories.state import InMemoryStoryState, StoryState

__all__ = [
    "ClusterSettings",
    "Embedder",
    "Embeddings",
    "InMemoryStoryState",
    "ModelEmbedder",
    "ScoreWeights",
    "StoryIndex",
    "StoryState",
    "StoryUpdate",
    "article_features",
    "canonical_order",
    "cluster_corpus",
    "final_stories",
    "story_similarity",
]
