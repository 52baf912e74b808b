"""English lexicons for attribution: cue verbs and the word classes the grammar needs.

The quote grammar (:mod:`storydesk.analyze.quotes`) runs without a parser, so the
little syntax it needs lives here as closed word classes. The cue verbs are verbs of
saying and writing (communication), plus "according to"; verbs of belief and
perception ("think", "believe", "polls show") are deliberately absent: a reader of
"who said what" wants statements, and PolNeAR's broader attributions are scored
separately in ``bench/quotes.py``. Lists were grown on PolNeAR *train* errors.
"""

from __future__ import annotations

# Verbs of saying that take a clause ("X said (that) ...", "..., X said").
_SAY = """say add note explain state announce claim insist argue warn stress emphasize emphasise
confirm deny suggest write tweet post report reply respond answer recall acknowledge admit concede
declare assert maintain contend comment remark observe mention reveal disclose indicate predict
allege complain counter retort conclude testify clarify reiterate repeat underline underscore
highlight signal hint joke quip boast caution charge speculate affirm tell inform remind assure
ask inquire wonder demand propose recommend vow pledge promise threaten urge lament scoff
concur muse acknowledge opine proclaim contest dispute explain elaborate announce reaffirm
estimate accuse insist predict write continue exclaim shout yell plead""".split()

# Verbs whose first complement is the addressee: "told reporters (that)".
TELL_VERBS = frozenset("tell inform remind assure brief notify warn ask urge promise".split())
# Verbs that report intentions with a to-infinitive: "vowed to end the war".
TO_VERBS = frozenset("vow pledge promise threaten urge ask demand propose".split())
# Verbs whose content is a question: "asked whether ...".
WH_VERBS = frozenset("ask inquire wonder question".split())

_IRREGULAR = {
    "say": ("said", "says", "saying"),
    "tell": ("told", "tells", "telling"),
    "write": ("wrote", "writes", "writing", "written"),
    "reply": ("replied", "replies", "replying"),
    "deny": ("denied", "denies", "denying"),
    "testify": ("testified", "testifies", "testifying"),
    "clarify": ("clarified", "clarifies", "clarifying"),
    "admit": ("admitted", "admits", "admitting"),
    "quip": ("quipped", "quips", "quipping"),
    "concur": ("concurred", "concurs", "concurring"),
    "tweet": ("tweeted", "tweets", "tweeting"),
    "post": ("posted", "posts", "posting"),
    "opine": ("opined", "opines", "opining"),
}


def _inflect(verb: str) -> tuple[str, ...]:
    if verb in _IRREGULAR:
        return (verb, *_IRREGULAR[verb])
    if verb.endswith("e"):
        return verb, verb + "d", verb + "s", verb[:-1] + "ing"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb, verb[:-1] + "ied", verb[:-1] + "ies", verb + "ing"
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb, verb + "ed", verb + "es", verb + "ing"
    return verb, verb + "ed", verb + "s", verb + "ing"


# surface form -> lemma
CUE_FORMS: dict[str, str] = {}
for _v in _SAY:
    for _f in _inflect(_v):
        CUE_FORMS.setdefault(_f, _v)
# a past participle is passive ("was written by", "written off"), never the cue of a speaker
CUE_FORMS.pop("written", None)

# Cue verbs too ambiguous to stand alone: they attribute only in the frames listed
# (e.g. "charge" as a noun, "post" as a noun, "note" as a noun, "state" as a noun, "report"
# as a noun, "answer"/"comment"/"promise"/"demand"/"estimate" as nouns). As nouns they
# follow a determiner, which the grammar checks (see :func:`is_verb_position`).
NOUN_AMBIGUOUS = frozenset(
    "note notes state states report reports post posts answer answers comment comments charge charges "
    "promise promises demand demands estimate estimates vow vows pledge pledges tweet tweets "
    "claim claims warning question joke reply replies".split()
)

# Auxiliaries and adverbs that may stand between a subject and its cue ("has also said",
# "briefly confirmed") or between a cue and its subject in inversion.
AUXILIARIES = frozenset("has have had is was were are am been will would 's 'd 're also has've".split())
ADVERBS = frozenset(
    """also later then further again recently previously once still repeatedly reportedly
    publicly privately separately earlier now already briefly flatly firmly simply just
    bluntly quickly angrily openly often frequently herself himself themselves itself
    subsequently initially originally last first finally ultimately even never explicitly
    specifically directly clearly sharply succinctly calmly curtly emphatically here ever""".split()
)

# Determiners and pronouns that can begin a speaker phrase.
DETERMINERS = frozenset(
    """the a an this these those his her its their our my your some many several other both all
    most few two three four five another each one any no such""".split()
)
SUBJECT_PRONOUNS = frozenset("he she they we i it you".split())
OBJECT_PRONOUNS = frozenset("him her them us me it you".split())

# Words that end a speaker phrase when scanning away from the cue.
PHRASE_BREAKERS = frozenset(
    """that which who whom whose when where while because but and or if as after before since
    although though so than then whether not is are was were be been being has have had will
    would could should may might can must do does did to in on at by from with about during
    into over under through against between among without within across until like near
    upon via per amid despite toward towards this there here what how why""".split()
)
# Prepositions a speaker phrase may contain after a role noun: "a spokeswoman for the
# campaign", "officials in Moscow", "a source at the Pentagon", "head of the agency".
PHRASE_PREPOSITIONS = frozenset("of for at from with in".split())

# Nouns that name people by role; they license the prepositions above and resolve to
# an entity by title ("the spokesman" -> the person introduced as "spokesman ...").
ROLE_NOUNS = frozenset(
    """spokesman spokeswoman spokesperson spokespeople spokesmen official officials source sources
    aide aides adviser advisers advisor advisors president minister leader leaders chief head
    director chairman chairwoman chair secretary ambassador envoy representative representatives
    analyst analysts expert experts professor researcher researchers author authors critic critics
    supporter supporters member members people person officer officers staff staffer staffers
    strategist strategists lawmaker lawmakers senator senators congressman congresswoman governor
    mayor diplomat diplomats negotiator general commander manager executive founder candidate
    nominee campaign team administration government press lawyer attorney prosecutor prosecutors
    judge counsel economist economists pollster pollsters voter voters resident residents
    chancellor premier king queen prince pope ceo deputy correspondent reporter reporters
    journalist journalists editor editors agency ministry department office committee council
    group organization organisation party service friend friends neighbor neighbour relative relatives
    colleague colleagues wife husband son daughter mother father brother sister widow family
    spokesperson's official's admiral admirals associate associates advocate advocates admirer admirers
    confidant confidants activist activists organizer organizers organiser organisers delegate delegates""".split()
)

# Prepositional adjuncts that may follow a cue before the content or at sentence end:
# "said on Friday", "told reporters at a briefing", "said in a statement".
ADJUNCT_PREPOSITIONS = frozenset(
    "on in at during to after before while when last this earlier later via through over by".split()
)

# Words that can begin a reported clause after a cue without "that".
CLAUSE_STARTERS = frozenset(
    """he she they we i it you there the a an this these those his her its their our my your
    some many no all both any every each one russia moscow kyiv washington""".split()
)

# Verbs that introduce a quoted fragment as a description: "describing it as "good"".
DESCRIBE_VERBS = frozenset(
    """describe described describes describing call called calls calling label labeled labelled
    labels labeling branded brand branding dub dubbed dubbing term termed terming""".split()
)
# Words before a quoted phrase that mark it as a name or a mention, not speech.
NAMING_WORDS = frozenset(
    """so-called dubbed named titled entitled headlined word words term phrase slogan hashtag
    nicknamed known as""".split()
)

# Bare time adjuncts between a cue and its content: "said Thursday that", "told reporters
# yesterday".
TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday tonight tomorrow
    morning afternoon evening night week weekend month year earlier later recently""".split()
)
# Discourse openers that are not part of reported content: "Still, almost two in three ...".
DISCOURSE_OPENERS = frozenset("still however but and yet meanwhile so also moreover indeed instead".split())

# Cues that (almost) never take a noun-phrase object, so any word after them starts the
# reported clause ("She says people may not like it"); other cues need "that", a pronoun
# or a name ("confirmed the report" is not reported speech).
CLAUSAL_CUES = frozenset(
    """say add insist argue warn explain predict suggest stress emphasize emphasise contend
    assert acknowledge admit complain write tell note recall reiterate allege
    boast joke caution speculate hint declare agree clarify inform assure remind respond
    reply retort counter quip muse opine""".split()
)

# Cues usually followed by an object noun phrase ("repeated his criticism", "confirmed the
# report", "announced the decision"): after them a determiner starts an object, not a
# reported clause. Chosen on PolNeAR train false positives.
OBJECT_CUES = frozenset(
    """repeat reiterate confirm mention highlight underline underscore signal propose recommend
    demand announce reveal disclose estimate question dispute contest counter charge accuse post
    tweet write continue claim maintain deny""".split()
)
