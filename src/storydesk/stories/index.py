"""The incremental story index: each new article joins the best story or starts one.

Adding an article reads top-down:

1. compute its features (terms, name keys, date, MinHash; embedding done per batch);
2. find **near-duplicates** through MinHash LSH bands within a time window and verify them
   on the signatures; a copy joins the story of the earliest copy;
3. retrieve **candidate stories** through the inverted index (its most specific names and
   terms, and SimHash bands of its embedding), most recent first within the story window,
   at most ``per_key_limit`` per key; rank them by the idf mass of shared keys and score the
   best ``max_candidates`` in full (:func:`storydesk.stories.profile.similarity`);
4. ask the **second opinion** (e5) on the comparisons the fast score leaves ambiguous
   (``second_opinion_band``, ``second_opinion_modes``): the article is embedded once, a
   story once (its vector is kept in its profile), everything else never;
5. **join** the best story scoring at least ``join_threshold``, or start a new story;
6. **merge** other stories the article also matched (a bridging article) when the two
   stories are themselves similar enough, and stories holding copies of the article;
7. update the index (profile, postings, members, document frequencies, signature, copy links).

Every step is an indexed read or write of the :class:`StoryState`, so the cost of an add
depends on the news volume of the time window and the per-key limits, not on the number of
stories in the index.

**Order (in)dependence.** Incremental clustering depends on arrival order; these choices
keep the result close to order-free (``bench/clustering.py`` measures B-cubed agreement
between three random orders of all of giveme5w1h: 0.967 mean, 0.952 min; it was 0.955
and 0.942 before the time-gap, merge and undated rules below):

* stories are compared by **summed vectors and bags** (average link, idf-weighted cosine),
  which do not depend on the order their members arrived in;
* the **time gap** is measured to the story's nearest dated member, not to the edges of its
  span: with span edges, an article dated inside a story's span scored gap 0 only when the
  story's later members happened to arrive first;
* the join is the Bayes decision of a calibrated probability (``join_threshold`` 0.5) and
  a **merge uses the same rule** (``merge_threshold`` = ``join_threshold``): a story is
  merged into another when it would have joined it as one article, so two halves of one
  story that started apart because their bridging article came last end up as they would
  have in canonical order;
* an **undated** article pays the expected time cost of an unknown date
  (``undated_gap_days``), so it cannot glue itself to whichever story of the same people
  came first;
* the idf has a **prior** (``idf_prior_docs``) so that early scores barely depend on which
  articles came first;
* ids and ties are decided by **content, not arrival**: a merge keeps the story whose
  earliest article is earliest, copy links point to the earliest published copy, and
  ties between equal scores break on ids.

What is left is greedy: a decision, once made, is not revisited when later articles would
have changed it. :func:`cluster_corpus` (and ``storydesk recluster``, and the pipeline
within each ingest batch) feeds articles in a canonical order (publication date, then id),
so the same corpus always gives the same stories whatever order it arrived in.
"""

from __future__ import annotations

import functools
import logging
import math
from dataclasses import dataclass, replace
from datetime import date
from typing import Sequence

import numpy as np

from storydesk.errors import UsageError
from storydesk.records import Article, ArticleFacts, Membership, NearDuplicate, Story
from storydesk.stories.embed import Embedder, ModelEmbedder
from storydesk.stories.features import (
    ArticleFeatures,
    extract_features,
    jaccard,
    minhash_band_keys,
    simhash_keys,
)
from storydesk.stories.profile import (
    Similarity,
    StoryProfile,
    Weigher,
    absorb,
    profile_of,
    second_cosine,
    similarity,
)
from storydesk.stories.settings import ClusterSettings, opinion_modes
from storydesk.stories.state import UNDATED, InMemoryStoryState, StoryState

log = logging.getLogger(__name__)

_FINGERPRINT = "settings_fingerprint"
_MODE = "stories_mode"
_ENTITIES_SHOWN = 8


@dataclass(frozen=True, slots=True)
class StoryUpdate:
    """What adding one article changed.

    Attributes:
        membership: where the article went and why (scores against that story).
        duplicate: the copy link when the article is a near-copy of an earlier one.
        stories: the stories created or changed by this add, in their new state.
        merged: ``(absorbed_story_id, surviving_story_id)`` for each merge this add caused;
            memberships of the absorbed story now belong to the survivor.
        relinked: earlier-indexed copies re-pointed to this article because it turned out
            to be the earliest published copy (out-of-order arrival).
    """

    membership: Membership
    duplicate: NearDuplicate | None
    stories: tuple[Story, ...]
    merged: tuple[tuple[str, str], ...]
    relinked: tuple[NearDuplicate, ...] = ()


class StoryIndex:
    """Stateful incremental clusterer. Holds no DB handle itself; reads/writes go through a StoryState.

    Args:
        state: where the index lives (:class:`InMemoryStoryState` or ``SQLiteStoryState``).
        settings: tuned constants.
        embedder: what embeds title+lead; defaults to the model named in the settings.
        second_embedder: the second-opinion model (``settings.second_opinion_model``,
            loaded only when a comparison first needs it).

    Raises:
        UsageError: the state was built with different persisted settings.
    """

    def __init__(self, state: StoryState, *, settings: ClusterSettings = ClusterSettings(),
                 embedder: Embedder | None = None, second_embedder: Embedder | None = None):
        self.state = state
        self.settings = settings
        self.embedder = embedder or _default_embedder(settings.embedding_model, settings.embed_batch)
        self.second_embedder: Embedder | None = None
        if settings.second_opinion_model != "none":
            self.second_embedder = second_embedder or _default_embedder(settings.second_opinion_model,
                                                                        settings.embed_batch)
        self._second_note: str | None = None
        stored = state.get_meta(_FINGERPRINT)
        mine = settings.fingerprint()
        if stored is None:
            state.set_meta(_FINGERPRINT, mine)
            state.set_meta(_MODE, settings.mode)
        elif stored != mine:
            raise UsageError(
                f"the story index was built with other clustering settings (fingerprint {stored}, "
                f"now {mine}): rebuild it with `storydesk recluster`"
            )
        else:
            # The mode changes decisions, not what is stored, so the fingerprint does not
            # cover it; mixing modes in one index would make its stories depend on when each
            # article arrived.
            check_mode(state, settings.mode)

    @classmethod
    def open(cls, state: StoryState, *, mode: str | None = None, settings: ClusterSettings = ClusterSettings(),
             embedder: Embedder | None = None, second_embedder: Embedder | None = None) -> StoryIndex:
        """Open an index in the mode it was built in, or in ``mode`` (which must then match, unless it is empty).

        ``settings`` give everything but the mode (:data:`~storydesk.stories.settings.STORY_MODES`).

        Raises:
            UsageError: an unknown ``mode``, or one other than a non-empty index's; settings
                other than those the index was built with.
        """
        # with_mode refuses an unknown mode, the constructor one other than the index's.
        chosen = mode or stored_mode(state) or settings.mode
        return cls(state, settings=settings.with_mode(chosen), embedder=embedder, second_embedder=second_embedder)

    # ------------------------------------------------------------------ public

    def add_batch(self, items: Sequence[tuple[Article, ArticleFacts | None]]) -> list[StoryUpdate]:
        """Add articles: embed them in one batch, then add them in the given order.

        Args:
            items: ``(article, facts-or-None)`` pairs.

        Returns:
            One update per item, in order.
        """
        return [self._add(f) for f in self.features(items)]

    def add_features(self, features: ArticleFeatures) -> StoryUpdate:
        """Add one article by its precomputed features (from :func:`article_features`).

        Features are pure per-article work, so the pipeline computes them in worker
        processes; only this step, which reads and writes the index, runs in order.

        Args:
            features: the article's features, computed with this index's settings.

        Returns:
            The update.
        """
        return self._add(features)

    def add(self, article: Article, facts: ArticleFacts | None = None) -> StoryUpdate:
        """Add one article (prefer :meth:`add_batch`: embedding one text at a time is slow).

        Args:
            article: the article.
            facts: its analysis, if any.

        Returns:
            The update.
        """
        return self.add_batch([(article, facts)])[0]

    def features(self, items: Sequence[tuple[Article, ArticleFacts | None]]) -> list[ArticleFeatures]:
        """Compute features of articles with this index's settings and embedder.

        Args:
            items: ``(article, facts-or-None)`` pairs.

        Returns:
            Features with vectors attached (or a note saying why not).
        """
        return article_features(items, settings=self.settings, embedder=self.embedder)

    def score(self, features: ArticleFeatures, story_id: str) -> Similarity | None:
        """Score an article against one story, exactly as a join would (without adding it).

        When the comparison is ambiguous and the second opinion applies, the story's e5
        vector is computed and kept in its profile (a cache: no membership changes).

        Args:
            features: the article's features (from :meth:`features`).
            story_id: the story.

        Returns:
            The similarity, or None when the story does not exist.
        """
        live = self.state.resolve([story_id])[story_id]
        profile = self.state.get_profiles([live]).get(live)
        if profile is None:
            return None
        idf = self._idf([*features.terms, *features.names, *profile.terms, *profile.names])
        scored, _, _ = self._score(profile_of(features, "_"), [profile], Weigher(idf))
        return scored[0][0]

    def rebuild(self, story_id: str, items: Sequence[tuple[Article, ArticleFacts | None]]) -> Story | None:
        """Rebuild a story's profile from its remaining members, after one was removed; keep its id.

        Profiles are folded sums with capped bags and a chosen title, so a member's share
        cannot be subtracted: the profile is refolded from the members' features, earliest
        first. Postings and document frequencies keep the removed member's keys: a posting
        only makes the story a candidate, which the rebuilt profile then scores. The
        second-opinion vector is dropped and re-embedded from the new display title when next
        needed. Memberships and aliases do not change.

        Args:
            story_id: the story (an absorbed id is followed to its survivor).
            items: ``(article, facts-or-None)`` of the story's remaining members.

        Returns:
            The story's new record, or None when the story no longer exists or has no member.
        """
        st = self.state
        live = st.resolve([story_id])[story_id]
        st.clear_stale(story_id)
        st.clear_stale(live)
        if live not in st.get_profiles([live]) or not items:
            return None
        feats = sorted(self.features(items), key=lambda f: (f.time_key, f.article_id))
        idf = self._idf([k for f in feats for k in (*f.terms, *f.names)])
        profile = profile_of(feats[0], live)
        for f in feats[1:]:
            profile = absorb(profile, profile_of(f, live), idf, settings=self.settings)
        st.put_profile(profile)
        return self._record(profile)

    def story(self, story_id: str) -> Story | None:
        """The current record of a story (following merges), or None."""
        live = self.state.resolve([story_id])[story_id]
        profile = self.state.get_profiles([live]).get(live)
        return None if profile is None else self._record(profile)

    # ------------------------------------------------------------------ the add

    def _add(self, f: ArticleFeatures) -> StoryUpdate:
        st, s = self.state, self.settings
        existing = st.story_of(f.article_id)
        if existing is not None:
            # Re-ingesting an article changes nothing (the store upserts by content hash).
            return StoryUpdate(Membership(f.article_id, existing, 1.0, "already-indexed", {}), None, (), ())
        own_keys = list(f.terms) + list(f.names)
        idf = self._idf(own_keys)
        index_keys = self._index_keys(f, idf)

        matches = self._near_duplicates(f)
        dup_stories = {st.story_of(aid) for _, aid, _ in matches} - {None}
        candidate_ids = self._candidates(f, index_keys, idf)
        live = st.resolve(list(candidate_ids) + sorted(dup_stories))
        ordered = list(dict.fromkeys(live[c] for c in list(candidate_ids) + sorted(dup_stories)))
        profiles = st.get_profiles(ordered)
        idf = self._idf([k for p in profiles.values() for k in (*p.terms, *p.names)], base=idf)
        weigh = Weigher(idf)

        new_id = f"story-{f.article_id}"
        scored, article_profile, second_missing = self._score(profile_of(f, new_id), list(profiles.values()), weigh)

        target: StoryProfile | None = None
        sim: Similarity | None = None
        if matches:
            original = min(matches)[1]
            target_id = st.resolve([st.story_of(original) or ""]).get(st.story_of(original) or "")
            for cand_sim, cand in scored:
                if cand.id == target_id:
                    target, sim, reason = cand, cand_sim, "near-duplicate"
        if target is None and scored and scored[0][0].total >= s.join_threshold:
            sim, target = scored[0]
            reason = "joined"
        if target is None:
            reason = "new-story"
            updated = article_profile
            sim = scored[0][0] if scored else None
        else:
            updated = absorb(target, article_profile, idf, settings=s)
        st.put_profile(updated)
        st.add_member(updated.id, f.article_id)
        st.add_postings(updated.id, index_keys, f.day if f.day is not None else UNDATED)

        merged, updated = self._merge_bridged(updated, scored, dup_stories, idf)
        st.add_doc_freq(own_keys)
        duplicate, relinked = self._link_copies(f, matches)

        scores = sim.scores() if sim is not None else {}
        if reason == "new-story":
            scores = {f"nearest_{k}": v for k, v in scores.items()}
            scores["threshold"] = s.join_threshold
        if sim is not None and sim.mode != "same-language":
            scores[sim.mode.replace("-", "_")] = 1.0
        if matches:
            # The similarity to the copy this article is linked to (or, when it is the
            # earliest copy itself, to its closest later copy).
            linked = duplicate.similarity if duplicate else max(j for _, _, j in matches)
            scores["near_duplicate"] = round(linked, 4)
        scores["candidates"] = float(len(profiles))
        if second_missing:
            # An ambiguous comparison was decided on the fast score alone: the second-opinion
            # model is not installed (logged once; recorded on every article it affects).
            scores["second_opinion_unavailable"] = 1.0
        if f.vector is None:
            scores["no_embedding"] = 1.0
        elif f.note:
            scores["embedding_language_unsupported"] = 1.0
        if merged:
            reason = "merged"
            scores["merged_stories"] = float(len(merged))
        # A new story's article defines it: score 1.0; its scores hold the nearest rejected
        # candidate's components (``nearest_*``) against the threshold, to explain the split.
        total = sim.total if sim is not None and reason != "new-story" else 1.0
        membership = Membership(f.article_id, updated.id, round(total, 4), reason, scores)
        if f.note:
            log.debug("article %s: %s", f.article_id, f.note)
        return StoryUpdate(membership, duplicate, (self._record(updated),), tuple(merged), tuple(relinked))

    # ------------------------------------------------------------------ steps

    def _score(self, article: StoryProfile, stories: list[StoryProfile],
               weigh: Weigher) -> tuple[list[tuple[Similarity, StoryProfile]], StoryProfile, bool]:
        """Score an article against candidate stories, best first, with the second opinion where ambiguous.

        Returns:
            ``(similarity, story)`` pairs sorted by total (ties: earliest story first), the
            article's profile (with its e5 vector when the second opinion was consulted), and
            whether an ambiguous comparison went without the second opinion (model missing).
        """
        s = self.settings
        scored = [(similarity(article, p, weigh, settings=s), p) for p in stories]
        lo, hi = s.second_opinion_band
        ambiguous = [i for i, (sim, p) in enumerate(scored)
                     if lo <= sim.total <= hi and sim.mode in s.second_opinion_modes
                     and (sim.mode != "same-language" or article.language in s.second_same_languages)
                     and (p.e5_sum is not None or p.probe_text)]
        refreshed: list[StoryProfile] = []
        if ambiguous and self.second_embedder is not None:
            # Drops the embedder (and returns the profiles unchanged) when its model is missing.
            article, refreshed = self._second_vectors(article, [scored[i][1] for i in ambiguous])
        for i, story in zip(ambiguous, refreshed):
            cos = second_cosine(article, story)
            if cos is not None:
                scored[i] = (similarity(article, story, weigh, settings=s, second=cos), story)
        scored.sort(key=lambda sp: (-sp[0].total, sp[1].seed_key))
        missing = bool(ambiguous) and self.second_embedder is None and s.second_opinion_model != "none"
        return scored, article, missing

    def _second_vectors(self, article: StoryProfile,
                        stories: list[StoryProfile]) -> tuple[StoryProfile, list[StoryProfile]]:
        """Embed (once) the article and the stories that have no second-opinion vector yet.

        A story's vector is kept in its profile, so a story is embedded once, when it is
        first ambiguous; the article's vector joins its story's when it is added.
        """
        todo = [p for p in stories if p.e5_sum is None]
        texts = ([article.probe_text] if article.e5_sum is None else []) + [p.probe_text for p in todo]
        if not texts:
            return article, stories
        assert self.second_embedder is not None
        langs = ([article.language] if article.e5_sum is None else []) + [p.title_language for p in todo]
        got = self.second_embedder.embed(texts, langs)
        if got.vectors is None:
            if self._second_note is None:
                self._second_note = got.notes[0] if got.notes else "second opinion unavailable"
                log.warning("%s: ambiguous candidates are decided on the fast score", self._second_note)
            self.second_embedder = None
            return article, stories
        row = 0
        if article.e5_sum is None:
            article = replace(article, e5_sum=got.vectors[0].copy(), e5_n=1)
            row = 1
        fresh: dict[str, StoryProfile] = {}
        for p in todo:
            fresh[p.id] = replace(p, e5_sum=got.vectors[row].copy(), e5_n=1)
            self.state.put_profile(fresh[p.id])  # keep it: the story is embedded once
            row += 1
        return article, [fresh.get(p.id, p) for p in stories]

    def _idf(self, keys: Sequence[str], base=None):
        """idf of keys from the state's document frequencies; ``base`` (an earlier result) is extended."""
        st, prior = self.state, self.settings.idf_prior_docs
        known = base.table if base is not None else {}
        wanted = {k for k in keys if k not in known}
        df = st.doc_freq(wanted) if wanted else {}
        n_docs = st.article_count() + prior
        unseen = math.log(n_docs)
        table = dict(known)
        log = math.log
        for k, n in df.items():
            table[k] = log(n_docs / (n + 1.0))
        return _Idf(table, unseen)

    def _index_keys(self, f: ArticleFeatures, idf) -> list[str]:
        """The keys an article is looked up and posted under: its most specific names and terms."""
        s = self.settings

        def top(bag: dict[str, float], n: int) -> list[str]:
            return [k for k, _ in sorted(bag.items(), key=lambda kv: (-_tfw(kv[1]) * idf(kv[0]), kv[0]))[:n]]

        keys = top(f.names, s.query_names) + top(f.terms, s.query_terms)
        if f.vector is not None:
            keys += simhash_keys(f.vector, f.vector_model, s)
        return keys

    def _candidates(self, f: ArticleFeatures, keys: list[str], idf) -> list[str]:
        st, s = self.state, self.settings
        lo = hi = None
        if f.day is not None:
            lo, hi = f.day - s.window_days, f.day + s.window_days
        votes: dict[str, float] = {}
        for key in keys:
            weight = s.simhash_vote if key.startswith("h") else idf(key)
            for sid in dict.fromkeys(st.lookup(key, lo, hi, s.per_key_limit)):
                votes[sid] = votes.get(sid, 0.0) + weight
        ranked = sorted(votes, key=lambda sid: (-votes[sid], sid))
        return ranked[: s.max_candidates]

    def _near_duplicates(self, f: ArticleFeatures) -> list[tuple[tuple[float, str], str, float]]:
        """Verified copies of the article: (time key, article id, estimated Jaccard)."""
        if f.signature is None:
            return []
        st, s = self.state, self.settings
        bands = minhash_band_keys(f.signature, s.minhash_bands)
        lo = hi = None
        if f.day is not None:
            lo, hi = f.day - s.near_dup_window_days, f.day + s.near_dup_window_days
        found = st.band_candidates(bands, lo, hi, limit=2 * s.per_key_limit)
        out = []
        for aid, (sig, tkey) in st.signatures([a for a in found if a != f.article_id]).items():
            j = jaccard(f.signature, sig)
            if j >= s.near_dup_jaccard:
                out.append((tkey, aid, j))
        return sorted(out)

    def _merge_bridged(self, current: StoryProfile, scored: list[tuple[Similarity, StoryProfile]],
                       dup_stories: set[str], idf) -> tuple[list[tuple[str, str]], StoryProfile]:
        """Merge stories the new article bridges into its story; returns merges and the survivor."""
        st, s = self.state, self.settings
        merged: list[tuple[str, str]] = []
        live_dups = set(st.resolve(sorted(dup_stories)).values())
        for art_sim, other in scored:
            if other.id == current.id:
                continue
            forced = other.id in live_dups
            if not forced and art_sim.total < s.join_threshold:
                continue
            if not forced and similarity(current, other, idf, settings=s).total < s.merge_threshold:
                continue
            survivor, absorbed = sorted((current, other), key=lambda p: (p.seed_key, p.id))
            current = absorb(survivor, absorbed, idf, settings=s)
            st.put_profile(current)
            st.delete_profile(absorbed.id)
            st.set_alias(absorbed.id, survivor.id)
            st.move_members(absorbed.id, survivor.id)
            merged.append((absorbed.id, survivor.id))
            log.debug("merged story %s into %s", absorbed.id, survivor.id)
        return merged, current

    def _link_copies(self, f: ArticleFeatures, matches) -> tuple[NearDuplicate | None, list[NearDuplicate]]:
        """Store the signature and the copy links: copies point to the earliest published copy."""
        st, s = self.state, self.settings
        if f.signature is None:
            return None, []
        st.add_signature(f.article_id, f.day if f.day is not None else UNDATED, f.time_key, f.signature,
                         minhash_band_keys(f.signature, s.minhash_bands))
        if not matches:
            return None, []
        earliest_key, earliest, j = matches[0]
        if earliest_key < f.time_key:
            root, sim = earliest, j
            link = st.get_original(earliest)
            if link is not None:
                # The earliest match is itself a copy: point at the root, with our own similarity.
                root = link[0]
                root_sig = st.signatures([root]).get(root)
                sim = jaccard(f.signature, root_sig[0]) if root_sig else link[1]
            st.set_original(f.article_id, root, sim)
            return NearDuplicate(f.article_id, root, round(sim, 4)), []
        relinked = []
        for _, aid, jm in matches:
            link = st.get_original(aid)
            if link is not None:
                current = st.signatures([link[0]]).get(link[0])
                if current is not None and current[1] < f.time_key:
                    continue
            st.set_original(aid, f.article_id, jm)
            relinked.append(NearDuplicate(aid, f.article_id, round(jm, 4)))
        return None, relinked

    def _record(self, p: StoryProfile) -> Story:
        # Multi-word names ("Dmitry Peskov") are more telling than single capitalised words,
        # which include page furniture ("Caption", "Continue"): they count 1.5 times.
        ents = sorted(p.display.items(), key=lambda kv: (-kv[1] * (1.5 if " " in kv[0] else 1.0), kv[0]))
        ents = ents[:_ENTITIES_SHOWN]
        return Story(
            id=p.id,
            title=p.title,
            article_ids=tuple(self.state.members(p.id)),
            first_published=date.fromordinal(p.first_day) if p.first_day else None,
            last_published=date.fromordinal(p.last_day) if p.last_day else None,
            entities=tuple(name for name, _ in ents),
            outlets=tuple(k for k, _ in sorted(p.outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
            languages=tuple(k for k, _ in sorted(p.languages.items(), key=lambda kv: (-kv[1], kv[0]))),
        )


class _Idf:
    """idf lookup for one add: a table of the keys seen, ln(N + prior) for unseen keys."""

    __slots__ = ("table", "unseen")

    def __init__(self, table: dict[str, float], unseen: float):
        self.table = table
        self.unseen = unseen

    def __call__(self, key: str) -> float:
        return self.table.get(key, self.unseen)


def _tfw(count: float) -> float:
    return 1.0 + math.log(count) if count >= 1.0 else count


def article_features(items: Sequence[tuple[Article, ArticleFacts | None]], *,
                     settings: ClusterSettings = ClusterSettings(),
                     embedder: Embedder | None = None) -> list[ArticleFeatures]:
    """The clustering features of articles, title+lead and headline embedded in one batch (pure).

    Args:
        items: ``(article, facts-or-None)`` pairs.
        settings: clustering settings (must be the index's).
        embedder: what embeds title+lead (default: the settings' model, loaded once per process).

    Returns:
        One :class:`ArticleFeatures` per item, with its vector (or a note saying why not).
    """
    feats = [extract_features(a, f, settings=settings) for a, f in items]
    if not feats:
        return []
    if embedder is None:
        embedder = _default_embedder(settings.embedding_model, settings.embed_batch)
    langs = [f.language for f in feats]
    heads = [i for i, f in enumerate(feats)
             if settings.embed_headline and f.headline and f.headline != f.embed_text]
    # (A headline is short; one that is not is cut like the lead.)
    head_texts = [(feats[i].headline or "")[: settings.embed_chars] for i in heads]
    emb = embedder.embed([f.embed_text for f in feats] + head_texts, langs + [langs[i] for i in heads])
    vectors = emb.vectors
    if vectors is not None and heads:
        # The headline embedded alone, added to the title+lead vector: the sum's cosine is
        # close to the mean of the headline and lead cosines, so the headline counts twice
        # (it names the event; the lead often opens on background).
        vectors = vectors[: len(feats)].copy()
        vectors[heads] += emb.vectors[len(feats):]
        vectors[heads] /= np.maximum(np.linalg.norm(vectors[heads], axis=1, keepdims=True), 1e-12)
    out = []
    for i, f in enumerate(feats):
        vec = None if vectors is None else vectors[i]
        model = emb.model if vec is not None else "none"
        out.append(replace(f, vector=vec, vector_model=model, note=emb.notes[i]))
    return out


def stored_mode(state: StoryState) -> str | None:
    """The mode an index was built in (``fast`` or ``accurate``), or None for an empty index."""
    if state.get_meta(_FINGERPRINT) is None:
        return None
    # Indexes built before modes existed were all built in fast mode.
    return state.get_meta(_MODE) or "fast"


def check_mode(state: StoryState, mode: str | None) -> None:
    """Refuse an unknown mode, or one other than the mode a non-empty index was built in.

    Raises:
        UsageError: with what to do instead.
    """
    if mode is None:
        return
    opinion_modes(mode)  # refuses an unknown one
    built = stored_mode(state)
    if built is not None and built != mode:
        raise UsageError(
            f"the story index was built in {built} mode, not {mode}: keep {built} mode "
            f"(leave out --stories-mode) or rebuild it with `storydesk recluster --stories-mode {mode}`"
        )


@functools.cache
def _default_embedder(model: str, batch: int) -> ModelEmbedder:
    return ModelEmbedder(model, batch=batch)


def canonical_order(
    items: Sequence[tuple[Article, ArticleFacts | None]],
) -> list[tuple[Article, ArticleFacts | None]]:
    """Sort articles by publication date (undated last), then id: the order of :func:`cluster_corpus`."""
    return sorted(items, key=lambda it: (it[0].published is None, it[0].published or date.min, it[0].id))


def cluster_corpus(items: Sequence[tuple[Article, ArticleFacts | None]], *,
                   settings: ClusterSettings = ClusterSettings(),
                   embedder: Embedder | None = None,
                   second_embedder: Embedder | None = None) -> list[StoryUpdate]:
    """Cluster a whole corpus in memory, in canonical order (same corpus -> same stories).

    Args:
        items: ``(article, facts-or-None)`` pairs, in any order.
        settings: tuned constants.
        embedder: optional embedder (defaults to the settings' model).
        second_embedder: optional second-opinion embedder (defaults to the settings' model).

    Returns:
        One update per article, in canonical order (publication date, then id; undated
        last). The final stories are the last ``stories`` entry seen for each surviving id;
        :func:`final_stories` collects them.
    """
    index = StoryIndex(InMemoryStoryState(), settings=settings, embedder=embedder, second_embedder=second_embedder)
    ordered = canonical_order(items)
    out: list[StoryUpdate] = []
    step = max(1, settings.embed_batch * 4)
    for lo in range(0, len(ordered), step):
        out.extend(index.add_batch(ordered[lo:lo + step]))
    return out


def final_stories(updates: Sequence[StoryUpdate]) -> list[Story]:
    """The stories as they stand after a sequence of updates (absorbed stories dropped).

    Args:
        updates: updates in the order they were produced.

    Returns:
        Surviving stories, ordered by first appearance.
    """
    latest: dict[str, Story] = {}
    for u in updates:
        for absorbed, _ in u.merged:
            latest.pop(absorbed, None)
        for story in u.stories:
            latest[story.id] = story
    return list(latest.values())


def story_similarity(a: Article, b: Article, *, facts_a: ArticleFacts | None = None,
                     facts_b: ArticleFacts | None = None, settings: ClusterSettings = ClusterSettings(),
                     embedder: Embedder | None = None, second_embedder: Embedder | None = None) -> float:
    """The score the clusterer would give ``b`` joining a story made of ``a`` alone.

    Both articles are put in canonical order first, so the score is symmetric. Near-copies
    join regardless of this score (see ``ClusterSettings.near_dup_jaccard``).

    Args:
        a, b: the articles.
        facts_a, facts_b: their analyses, if any.
        settings: tuned constants.
        embedder: optional embedder.
        second_embedder: optional second-opinion embedder.

    Returns:
        The join probability in [0, 1] (>= ``settings.join_threshold`` means same story).
    """
    (first, ffirst), (second, fsecond) = canonical_order([(a, facts_a), (b, facts_b)])
    index = StoryIndex(InMemoryStoryState(), settings=settings, embedder=embedder, second_embedder=second_embedder)
    feats = index.features([(first, ffirst), (second, fsecond)])
    upd = index._add(feats[0])
    sim = index.score(feats[1], upd.membership.story_id)
    assert sim is not None
    return sim.total
