"""Closed word lists the compare stage reads claims with: denial, negation, hedging, updates.

They are small on purpose: each entry is a cue a reader would point at when explaining a
verdict ("denial cue 'pure fiction'"), and every verdict quotes the cue it used. Lists were
grown on the five sample articles and on the *tuning* half of ``bench/data/compare`` (the
stories ``bench/compare.py`` does not report as held out); see that script.
"""

from __future__ import annotations

import re

# Phrases that reject a claim outright. Matched case-insensitively on word boundaries.
# Multi-word cues first so the evidence string quotes the longest match.
DENIAL_PHRASES = (
    "pure fiction", "just false information", "false information", "fake news", "not true",
    "untrue", "is false", "are false", "was false", "were false", "is unreliable", "unreliable",
    "fabrication", "fabricated", "a fabrication", "baseless", "groundless", "unfounded",
    "nonexistent", "non-existent", "does not exist", "absolutely does not exist",
    "did not accord with the facts", "do not accord with facts", "does not accord with the facts",
    "do not accord with the facts", "not accord with", "no basis in fact", "without foundation",
    "a lie", "lies and", "fibs", "a series of fibs", "nonsense", "absurd", "disinformation",
    "misinformation", "hoax", "is fiction", "a fiction", "no truth", "there is no truth",
    "has nothing to do with", "had nothing to do with", "have nothing to do with",
    "never happened", "did not happen", "didn't happen", "not truthful",
    "чистая выдумка", "выдумка", "ложь", "фейк", "не соответствует действительности",
    "неправда", "недостоверн",
)

# Verbs of denial: "X denied (that) ...", "X dismissed the reports", "X rejected claims".
DENIAL_VERBS = {
    "deny": ("deny", "denies", "denied", "denying", "denial", "denials"),
    "dismiss": ("dismiss", "dismisses", "dismissed", "dismissing"),
    "reject": ("reject", "rejects", "rejected", "rejecting"),
    "refute": ("refute", "refutes", "refuted", "refuting"),
    "rebut": ("rebut", "rebuts", "rebutted", "rebutting"),
    "disavow": ("disavow", "disavows", "disavowed"),
    "debunk": ("debunk", "debunks", "debunked"),
    "contest": ("contest", "contests", "contested"),
    "dispute": ("dispute", "disputes", "disputed", "disputing"),
    "insist": ("insist", "insists", "insisted", "insisting"),
    "опровергнуть": ("опроверг", "опровергла", "опровергли", "опровергает", "опровергают"),
    "отрицать": ("отрицает", "отрицают", "отрицал", "отрицала", "отрицали"),
}
DENIAL_VERB_FORMS = {form: lemma for lemma, forms in DENIAL_VERBS.items() for form in forms}
# "insist", "dispute" and "contest" deny only with a negated or contrary complement; they
# count as denial verbs only when the sentence is negative (checked by the caller).
WEAK_DENIAL_VERBS = frozenset({"insist", "dispute", "contest"})

# "rejected the peace proposal" refuses an offer; it does not deny a claim (GUIDE.md: a
# refusal is not a denial).
REFUSAL_OBJECTS = frozenset(
    """proposal proposals offer offers request requests demand demands plan plans idea ideas call calls
    invitation invitations deal deals bid bids appeal appeals motion motions bill bills application
    applications resignation candidacy nomination plea pleas initiative initiatives compromise
    ultimatum terms condition conditions access entry permission visa visas bail issue issues
    concerns question questions suggestion""".split()
)

# "does not deny" confirms (GUIDE.md: a non-denial is agreement), so a negated denial verb
# is not a denial.
NEGATED_DENIAL_RE = re.compile(
    r"\b(?:did not|didn't|does not|doesn't|do not|don't|not|never|would not|wouldn't|refused to)"
    r"\s+(?:\w+\s+)?(?:deny|denied|dismiss|reject|refute|dispute)\b",
    re.I,
)

# Nouns naming a report whose content a denial targets: "dismissed media reports claiming".
REPORT_NOUNS = (
    "report", "reports", "claim", "claims", "allegation", "allegations", "accusation",
    "accusations", "charge", "charges", "rumour", "rumours", "rumor", "rumors", "story",
    "stories", "information", "speculation", "suggestion", "suggestions", "assertion",
    "assertions", "revelations", "account", "accounts", "article", "articles",
)

NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor n't without cannot nowhere "
    "не нет ни никогда ничего никто".split()
)
# Negations that do not negate the statement they sit in.
NEGATION_IDIOMS = re.compile(
    r"\b(?:not only|no doubt|no later than|no less than|no more than|not least|"
    r"nothing but|no matter|not to mention|not long after|not just)\b",
    re.I,
)

# Hedges: the statement is reported as uncertain.
HEDGES = (
    "allegedly", "reportedly", "supposedly", "purportedly", "apparently", "may have", "might have",
    "is said to", "are said to", "was said to", "were said to", "is believed to", "are believed to",
    "is thought to", "are thought to", "thought to be", "believed to be", "according to unconfirmed",
    "unconfirmed", "rumoured", "rumored", "claimed", "claiming", "it is alleged", "alleged",
    "якобы", "предположительно", "по слухам", "вероятно",
)

# Markers that a statement describes a state of knowledge that may later change: "not yet",
# "so far", "initially". A negative statement carrying one is superseded, not contradicted,
# by a later positive one (GUIDE.md §1 step 3).
UPDATE_MARKERS_EARLY = (
    "not yet", "yet", "so far", "as yet", "as of yet", "at this stage", "at this point",
    "at the moment", "at this moment", "for now", "for the time being", "still", "initially",
    "at first", "originally", "preliminary", "early reports", "first reports", "not immediately",
    "currently", "too early", "pending",
    "пока", "ещё не", "еще не",
)
# Markers that a statement updates an earlier one: "rose to", "now", "revised".
UPDATE_MARKERS_LATE = (
    "rose to", "risen to", "has risen", "climbed to", "increased to", "bringing the total",
    "brings the total", "raising the total", "revised", "updated", "update:", "later said",
    "now says", "now said", "now confirmed", "has now", "have now", "are now", "is now",
    "corrected", "has since", "have since", "the latest figures", "latest figures",
)

# Bounds on numbers: which side of the value the truth is on.
LOWER_BOUNDS = ("at least", "more than", "over", "upwards of", "in excess of", "no fewer than",
                "no less than", "above", "some", "dozens of", "hundreds of", "thousands of")
UPPER_BOUNDS = ("up to", "fewer than", "less than", "under", "at most", "no more than", "below",
                "nearly", "almost", "just under")
APPROXIMATE = ("about", "around", "approximately", "roughly", "some", "an estimated",
               "estimated", "nearly", "almost", "close to", "just over", "just under", "~")

# Words that start a sentence of page furniture rather than a statement.
FURNITURE_RE = re.compile(
    r"^\s*(?:share|comments?|related(?: article)?s?:|read more|original url|credit:|photo:|"
    r"please enable|advertisement|subscribe|sign up|follow us|click here|image copyright|"
    r"getty images|reuters/|ap photo)",
    re.I,
)

# English stopwords for lexical overlap (closed-class words and reporting verbs: two claims
# share nothing because both say "said").
STOPWORDS = frozenset(
    """a an the and or but if then else when while of at by for with about against between into
    through during before after above below to from up down in out on off over under again further
    once here there where why how all any both each few more most other some such only own same so
    than too very can will just should now is are was were be been being have has had having do does
    did doing would could might must shall may i me my we our you your he him his she her it its they
    them their what which who whom this that these those am also said says say saying told tell tells
    according reported reports report added adding noted stated statement would which its it's
    mr mrs ms dr one two three four five six seven eight nine ten as not no never""".split()
)
