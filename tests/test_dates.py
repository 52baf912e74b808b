"""Date and time expressions: recognition and normalisation against the publication date.

Real sentences from the sample articles (examples/kremlin-trump-2024), Russian and
Ukrainian news phrasing, the rules that keep wrong dates out (no invented years,
durations never dated), and invariants checked by hypothesis.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storydesk.analyze.dates import find_dates
from storydesk.records import DateMention, timex_value

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "kremlin-trump-2024"

D = dt.date


def article(prefix: str) -> str:
    return next(EXAMPLES.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def dates(text: str, published: dt.date | None, language: str | None = "en") -> tuple[DateMention, ...]:
    return find_dates(text, article_id="a", published=published, language=language)


def at(mentions: tuple[DateMention, ...], text: str, phrase: str, nth: int = 0) -> DateMention:
    """The mention covering the ``nth`` occurrence of ``phrase`` (the part after any
    preposition in it: "On Thursday" → the mention over "Thursday")."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(phrase, pos + 1)
    end = pos + len(phrase)
    covering = [m for m in mentions if m.start < end and m.end > pos]
    assert covering, f"no mention over {phrase!r}; found {[m.text for m in mentions]}"
    return max(covering, key=lambda m: min(m.end, end) - max(m.start, pos))


def value(m: DateMention) -> str | None:
    return timex_value(m.value, m.precision)


def timeml(m: DateMention) -> str | None:
    """TimeML value as bench/dates.py maps it (vague references → PAST_REF etc.)."""
    if m.value is None and m.precision is None and m.kind == "date" and m.direction:
        return {"past": "PAST_REF", "present": "PRESENT_REF", "future": "FUTURE_REF"}[m.direction]
    return value(m)


# --------------------------------------------------------------------------- sample articles


def test_article_001_published_friday_8_november_2024() -> None:
    text = article("001")
    ms = dates(text, D(2024, 11, 8))
    assert value(at(ms, text, "said on Friday")) == "2024-11-08"
    thursday = at(ms, text, "On Thursday")
    assert thursday.value == D(2024, 11, 7) and thursday.relative and thursday.direction == "past"
    assert value(at(ms, text, "November 5")) == "2024-11-05"
    assert value(at(ms, text, "December 17")) == "2024-12-17"
    assert value(at(ms, text, "January 6")) == "2025-01-06"
    inauguration = at(ms, text, "January 20")
    assert inauguration.value == D(2025, 1, 20) and inauguration.direction == "future"
    y1, y2 = at(ms, text, "2017"), at(ms, text, "2021")
    assert (value(y1), value(y2)) == ("2017", "2021") and y1 is not y2
    assert not y1.relative


def test_article_004_published_thursday_7_november_2024() -> None:
    text = article("004")
    ms = dates(text, D(2024, 11, 7))
    assert value(at(ms, text, "</u> Thursday")) == "2024-11-07"
    assert value(at(ms, text, "on Wednesday")) == "2024-11-06"
    assert value(at(ms, text, "On Wednesday")) == "2024-11-06"
    # the date is attributive ("the Jan. 20 inauguration"): the upcoming one
    assert value(at(ms, text, "Jan. 20")) == "2025-01-20"
    assert value(at(ms, text, "inauguration in January")) == "2025-01"
    assert [value(at(ms, text, y)) for y in ("2017", "2019")] == ["2017", "2019"]


def test_article_003_published_6_december_2024() -> None:
    text = article("003")
    ms = dates(text, D(2024, 12, 6))
    assert value(at(ms, text, "conversation on November 7")) == "2024-11-07"
    assert value(at(ms, text, "briefing on November 11")) == "2024-11-11"
    assert value(at(ms, text, "On November 10")) == "2024-11-10"
    assert value(at(ms, text, "after November 5")) == "2024-11-05"
    # "47th president" is an ordinal, not a date
    assert not [m for m in ms if "47" in m.text]


def test_article_000_dateline_with_time() -> None:
    text = article("000")
    ms = dates(text, D(2024, 11, 7))
    day = at(ms, text, "Thursday, November 7, 2024")
    assert (day.text, value(day), day.relative) == ("Thursday, November 7, 2024", "2024-11-07", False)
    clock = at(ms, text, "2:21:13 PM")
    assert clock.kind == "time" and clock.value == D(2024, 11, 7) and clock.precision == "time"
    assert value(at(ms, text, "Thursday, November 7th")) == "2024-11-07"


def test_article_002_without_publication_date_keeps_relative_dates_null() -> None:
    text = article("002")
    ms = dates(text, None)
    friday = at(ms, text, "on Friday")
    assert friday.value is None and friday.relative and friday.precision == "day"
    january = at(ms, text, "January 20")
    assert january.value is None and january.relative  # never an invented year
    assert at(ms, text, "24 hours").kind == "duration"
    assert at(ms, text, "six months").kind == "duration"
    assert at(ms, text, "100-day").kind == "duration"
    assert value(at(ms, text, "2024 presidential")) == "2024"  # absolute: still resolved


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize("phrase", ["within 24 hours", "six months", "a 100-day timeline", "for two years",
                                    "the first nine months", "every Friday", "daily"])
def test_durations_and_sets_never_get_a_calendar_value(phrase: str) -> None:
    text = f"Trump vowed on Friday to act {phrase} after the inauguration on January 20."
    ms = dates(text, D(2024, 11, 8))
    m = at(ms, text, phrase)
    assert m.kind in ("duration", "set")
    assert m.value is None and m.precision is None
    # and the real dates of the sentence still resolve
    assert value(at(ms, text, "January 20")) == "2025-01-20"


def test_no_publication_date_resolves_only_absolute_dates() -> None:
    text = ("Peskov spoke on Thursday, November 7, 2024, and again yesterday. The vote is on December 17; "
            "results came last week. Talks were held on 08.11.2024 and on November 5.")
    ms = dates(text, None)
    assert value(at(ms, text, "Thursday, November 7, 2024")) == "2024-11-07"
    assert value(at(ms, text, "08.11.2024")) == "2024-11-08"
    for phrase in ("yesterday", "December 17", "last week", "November 5"):
        m = at(ms, text, phrase)
        assert m.value is None and m.relative, phrase


def test_year_inference_follows_tense() -> None:
    pub = D(2024, 11, 8)
    past = "The summit took place on March 3."
    future = "The summit will take place on March 3."
    assert value(at(dates(past, pub), past, "March 3")) == "2024-03-03"
    assert value(at(dates(future, pub), future, "March 3")) == "2025-03-03"
    # weekdays: past tense → the latest such day (today included), future → the next one
    text = "Putin met Orban on Monday and will meet Erdogan on Monday."
    ms = dates(text, pub)
    assert value(at(ms, text, "Monday", 0)) == "2024-11-04"
    assert value(at(ms, text, "Monday", 1)) == "2024-11-11"


def test_relative_expressions() -> None:
    pub = D(2024, 11, 8)
    text = ("Yesterday officials said that last week, earlier this week and two days ago nothing happened; "
            "this winter and next year will be hard, as they were in 2017.")
    ms = dates(text, pub)
    assert value(at(ms, text, "Yesterday")) == "2024-11-07"
    assert value(at(ms, text, "last week")) == "2024-W44"
    earlier = at(ms, text, "earlier this week")
    assert (earlier.text, value(earlier), earlier.precision) == ("earlier this week", "2024-W45", "week")
    assert value(at(ms, text, "two days ago")) == "2024-11-06"
    assert value(at(ms, text, "this winter")) == "2024-WI"
    assert value(at(ms, text, "next year")) == "2025"
    assert value(at(ms, text, "2017")) == "2017"


@pytest.mark.parametrize("text,bad", [
    ("Theresa May may speak to reporters.", "May"),
    ("Protesters joined the March for Life.", "March"),
    ("The Sun reported the story.", "Sun"),
    ("Moscow sent 2,000 troops and 1941 people were evacuated.", "1941"),
    ("Trump, the 47th president, spoke at the G20.", "47"),
    ("The COVID-19 response runs 24/7, see page 2019.", "2019"),
])
def test_news_false_positives(text: str, bad: str) -> None:
    ms = dates(text, D(2024, 11, 8))
    assert not [m for m in ms if bad in m.text and m.kind == "date"], [m.text for m in ms]


def test_month_may_with_a_cue_is_a_month() -> None:
    text = "Elections were held in May, and Theresa May lost."
    ms = dates(text, D(2024, 11, 8))
    assert [m.text for m in ms] == ["May"] and value(ms[0]) == "2024-05"


def test_numeric_forms_for_unknown_languages() -> None:
    text = "Opublikowano 08.11.2024, aktualizacja 2024-11-09T10:00Z. Spotkanie 7 listopada."
    ms = dates(text, D(2024, 11, 9), language=None)
    assert [(m.text, m.value, m.kind) for m in ms] == [("08.11.2024", D(2024, 11, 8), "date"),
                                                       ("2024-11-09T10:00Z", D(2024, 11, 9), "time")]


def test_slash_dates_follow_the_language() -> None:
    assert dates("Filed 11/08/2024.", D(2024, 11, 9), "en")[0].value == D(2024, 11, 8)
    assert dates("Opublikowano 11/08/2024.", D(2024, 11, 9), "fr")[0].value == D(2024, 8, 11)


# --------------------------------------------------------------------------- Russian / Ukrainian / others


def test_russian_sentences() -> None:
    pub = D(2024, 11, 8)
    text = ("Песков заявил 7 ноября, что контактов не было. В четверг Путин поздравил Трампа. "
            "Инаугурация состоится 20 января. Вчера представитель Кремля сказал, что в прошлом году "
            "всё было иначе. В 2017-2021 годах Трамп был президентом. Урегулирование может занять "
            "шесть месяцев, а не 24 часа. Три дня назад. Окружающей среды это не касается.")
    ms = dates(text, pub, "ru")
    assert value(at(ms, text, "7 ноября")) == "2024-11-07"
    assert value(at(ms, text, "четверг")) == "2024-11-07"
    assert value(at(ms, text, "20 января")) == "2025-01-20"
    assert value(at(ms, text, "Вчера")) == "2024-11-07"
    assert value(at(ms, text, "прошлом году")) == "2023"
    assert [value(at(ms, text, y)) for y in ("2017", "2021")] == ["2017", "2021"]
    assert at(ms, text, "шесть месяцев").kind == "duration"
    assert at(ms, text, "24 часа").kind == "duration"
    assert value(at(ms, text, "Три дня назад")) == "2024-11-05"
    assert not [m for m in ms if "среды" in m.text]  # "среда" = environment


def test_russian_without_publication_date() -> None:
    text = "Песков заявил 7 ноября 2024 года, что в четверг разговора не было."
    ms = dates(text, None, "ru")
    assert value(at(ms, text, "7 ноября 2024 года")) == "2024-11-07"
    assert at(ms, text, "четверг").value is None


def test_ukrainian_sentences() -> None:
    pub = D(2024, 11, 8)
    text = ("Пєсков заявив 20 січня, що у четвер Путін привітав Трампа. Вчора він сказав, що минулого "
            "тижня нічого не було. Зустріч відбудеться у п'ятницю. Минулого року, у 2017 році, "
            "два дні тому, протягом 24 годин.")
    ms = dates(text, pub, "uk")
    assert value(at(ms, text, "20 січня")) == "2024-01-20"  # past tense ("заявив"), within the window
    assert value(at(ms, text, "четвер")) == "2024-11-07"
    assert value(at(ms, text, "Вчора")) == "2024-11-07"
    assert value(at(ms, text, "минулого тижня")) == "2024-W44"
    assert value(at(ms, text, "п'ятницю")) == "2024-11-08"
    assert value(at(ms, text, "Минулого року")) == "2023"
    assert value(at(ms, text, "2017 році")) == "2017"
    assert value(at(ms, text, "два дні тому")) == "2024-11-06"
    assert at(ms, text, "24 годин").kind == "duration"


@pytest.mark.parametrize("lang,text,phrase,expected", [
    ("de", "Am 7. November 2024 sagte Peskow, dass am 20. Januar nichts geplant sei.", "7. November 2024", "2024-11-07"),
    ("de", "Am 7. November 2024 sagte Peskow, dass am 20. Januar nichts geplant sei.", "20. Januar", "2025-01-20"),
    ("fr", "Le 7 novembre 2024, le Kremlin a parlé de janvier 2025.", "janvier 2025", "2025-01"),
    ("es", "El 7 de noviembre de 2024 Peskov habló.", "7 de noviembre de 2024", "2024-11-07"),
])
def test_european_dates_with_month_names(lang: str, text: str, phrase: str, expected: str) -> None:
    ms = dates(text, D(2024, 11, 8), lang)
    assert value(at(ms, text, phrase)) == expected


# --------------------------------------------------------------------------- invariants


def check_invariants(text: str, ms: tuple[DateMention, ...]) -> None:
    last_end = -1
    for m in ms:
        assert text[m.start:m.end] == m.text
        assert m.start >= last_end, "mentions overlap or are out of order"
        last_end = m.end
        if m.kind in ("duration", "set"):
            assert m.value is None and m.precision is None


_WORDS = ["on", "Friday", "November", "7", "2024", "May", "last", "week", "ago", "two", "days", "in", "the",
          "third", "quarter", "08.11.2024", "2017-2021", "2 p.m.", "yesterday", "ноября", "в", "четверг",
          "вчера", "20", "січня", "п'ятницю", "year-earlier", "'90s", "fiscal", "1990", "every", "Jan.",
          ",", ".", "\n", "within", "24", "hours", "next", "this", "winter", "Q3", "İ", "ß"]


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(_WORDS), max_size=30),
       noise=st.text(max_size=40),
       lang=st.sampled_from(["en", "ru", "uk", "de", "fr", "es", None, "xx"]),
       published=st.one_of(st.none(), st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))))
def test_offsets_order_and_no_exceptions(words: list[str], noise: str, lang: str | None,
                                         published: dt.date | None) -> None:
    text = " ".join(words) + noise
    ms = find_dates(text, article_id="p", published=published, language=lang)
    check_invariants(text, ms)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200), published=st.one_of(st.none(), st.dates()))
def test_arbitrary_text_never_raises(text: str, published: dt.date | None) -> None:
    for lang in ("en", "ru", None):
        check_invariants(text, find_dates(text, article_id="p", published=published, language=lang))


def test_sample_articles_keep_invariants_and_all_durations_undated() -> None:
    for path in sorted(EXAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        ms = dates(text, D(2024, 11, 8))
        check_invariants(text, ms)


def test_given_sentences_are_used_for_tense() -> None:
    text = "The vote was on March 3. The next vote will be on March 3"
    # one sentence given over the whole text: the nearest verb decides each date
    ms = find_dates(text, article_id="a", published=D(2024, 11, 8), language="en",
                    sentences=[(0, len(text))])
    assert [value(m) for m in ms] == ["2024-03-03", "2025-03-03"]


def test_rejects_non_string_text() -> None:
    with pytest.raises(TypeError):
        find_dates(b"November 7", article_id="a", published=None, language="en")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- with a spaCy parse


@pytest.mark.slow
def test_spacy_doc_decides_tense_when_given() -> None:
    from storydesk.models import spacy_english

    nlp = spacy_english()
    text = article("001")
    doc = nlp(text)
    ms = find_dates(text, article_id="a", published=D(2024, 11, 8), language="en", doc=doc)
    assert value(at(ms, text, "January 20")) == "2025-01-20"
    assert value(at(ms, text, "November 5")) == "2024-11-05"
    assert value(at(ms, text, "On Thursday")) == "2024-11-07"


# --------------------------------------------------------------------------- quality floor on TimeBank


@pytest.mark.shared
@pytest.mark.slow
def test_timebank_value_f1_floor(shared_data: Path) -> None:
    """A floor under the benchmark (bench/dates.py): value F1 for DATE on 60 TimeBank files."""
    root = shared_data / "temporal" / "timebank-tbaq" / "TimeBank"
    if not root.is_dir():
        pytest.skip("../shared/data/temporal/timebank-tbaq is not available")
    from lxml import etree

    correct = system = gold_n = 0
    for path in sorted(root.glob("*.tml"))[:60]:
        tree = etree.parse(str(path))
        dct = next(t for t in tree.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME")
        parts: list[str] = []
        gold: list[tuple[int, int, str]] = []

        def walk(el) -> None:
            if el.text:
                parts.append(el.text)
            for child in el:
                start = sum(map(len, parts))
                walk(child)
                if child.tag == "TIMEX3" and child.get("type") == "DATE":
                    gold.append((start, sum(map(len, parts)), child.get("value")))
                if child.tail:
                    parts.append(child.tail)

        walk(tree.find(".//TEXT"))
        text = "".join(parts)
        ms = [m for m in find_dates(text, article_id=path.stem,
                                    published=D.fromisoformat(dct.get("value")[:10]), language="en")
              if m.kind == "date"]
        system += len(ms)
        gold_n += len(gold)
        for gs, ge, gv in gold:
            if any(m.start < ge and m.end > gs and timeml(m) == gv for m in ms):
                correct += 1
    p, r = correct / system, correct / gold_n
    # measured 0.77 on these 60 files (0.79 on all of TimeBank); the floor leaves room
    assert 2 * p * r / (p + r) >= 0.74


@pytest.mark.parametrize("text", [
    "The church has stood for two centuries, and three centuries ago it was rebuilt.",
    "He said the vote would come the following weekend, a fortnight later than planned.",
])
def test_rare_units_never_crash(text):
    """Regressions: 'centuries' and 'weekend' once raised KeyError on real PolNeAR articles."""
    mentions = find_dates(text, article_id="x", published=D(2016, 5, 1), language="en")
    for m in mentions:
        assert text[m.start:m.end] == m.text
        if m.kind == "duration":
            assert m.value is None
