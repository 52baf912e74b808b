"""Date rules for languages other than English: Russian / Ukrainian and German / French / Spanish.

Month and weekday forms of each language and the rules that read them; the numeric and
year rules every language shares are in :mod:`storydesk.analyze.date_patterns`, which
assembles ``RULES_BY_LANGUAGE``. Specs are the same vocabulary as English's (see there).
"""

from __future__ import annotations

import re

from storydesk.analyze.date_rule import Hit, Rule, alt_words, build_duration, build_set, match_left, one_hit, valid_day

# =========================================================================== lexicons

def _month_forms(stems: list[tuple[str, str]]) -> dict[str, int]:
    """Every inflected form of each month: ``(stem, "endings separated by spaces")`` in
    calendar order (a leading space gives the bare stem as a form too, "март")."""
    return {stem + ending: month for month, (stem, endings) in enumerate(stems, start=1)
            for ending in endings.split(" ")}


RU_MONTH_FORMS = _month_forms([
    ("январ", "ь я е ю ём ем"), ("феврал", "ь я е ю ём ем"), ("март", " а е у ом"),
    ("апрел", "ь я е ю ем"), ("ма", "й я е ю ем"), ("июн", "ь я е ю ем"),
    ("июл", "ь я е ю ем"), ("август", " а е у ом"), ("сентябр", "ь я е ю ём ем"),
    ("октябр", "ь я е ю ём ем"), ("ноябр", "ь я е ю ём ем"), ("декабр", "ь я е ю ём ем"),
])
UK_MONTH_FORMS = _month_forms([
    ("січ", "ень ня ні нем"), ("лют", "ий ого ому ім"), ("берез", "ень ня ні нем"),
    ("квіт", "ень ня ні нем"), ("трав", "ень ня ні нем"), ("черв", "ень ня ні нем"),
    ("лип", "ень ня ні нем"), ("серп", "ень ня ні нем"), ("верес", "ень ня ні нем"),
    ("жовт", "ень ня ні нем"), ("листопад", " а і ом у"), ("груд", "ень ня ні нем"),
])

# Weekdays in the accusative (after "в"/"у": "в четверг", "у п'ятницю") and the other
# forms seen in news ("в минувшую пятницу", "минулої п'ятниці", "в ночь на пятницу").
RU_WEEKDAYS: dict[str, int] = {
    "понедельник": 0, "понедельника": 0, "вторник": 1, "вторника": 1, "среду": 2,
    "среды": 2, "четверг": 3, "четверга": 3, "пятницу": 4, "пятницы": 4, "субботу": 5,
    "субботы": 5, "воскресенье": 6, "воскресенья": 6,
}
_APOS = "'’ʼ"
UK_WEEKDAYS: dict[str, int] = {
    "понеділок": 0, "понеділка": 0, "вівторок": 1, "вівторка": 1, "середу": 2,
    "середи": 2, "четвер": 3, "четверга": 3, "п'ятницю": 4, "п'ятниці": 4, "суботу": 5,
    "суботи": 5, "неділю": 6, "неділі": 6,
}

DE_MONTHS = {"januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5,
             "juni": 6, "juli": 7, "august": 8, "september": 9, "oktober": 10,
             "november": 11, "dezember": 12}
FR_MONTHS = {"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5,
             "juin": 6, "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10,
             "novembre": 11, "décembre": 12, "decembre": 12}
ES_MONTHS = {"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6,
             "julio": 7, "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10,
             "noviembre": 11, "diciembre": 12}


# =========================================================================== Russian / Ukrainian

_CYR = "а-яёіїєґ"
_NOT_CYR_AFTER = rf"(?![{_CYR}'’ʼ])"
_YEAR_WORD = (r"(?:\s*(?:г\.|гг\.|года|году|годах|годов|годы|год|р\.|рр\.|року|році|рік|роках|років|роки)"
              rf"{_NOT_CYR_AFTER})")
_PREV_NEXT = {
    "ru": r"прошл\w*|минувш\w*|эт\w+|следующ\w*|ближайш\w*|нынешн\w*|текущ\w*|будущ\w*|предыдущ\w*",
    "uk": r"минул\w*|ц\w+|наступн\w*|найближч\w*|поточн\w*|майбутн\w*|попередн\w*",
}


def _mode_of(word: str | None) -> str | None:
    if not word:
        return None
    if word.startswith(("прошл", "минул", "минувш", "предыдущ", "попередн")):
        return "last"
    if word.startswith(("следующ", "наступн", "будущ", "грядущ", "майбутн", "ближайш", "найближч")):
        return "next"
    return "this"


def _slavic_rules(lang: str) -> list[Rule]:
    forms = RU_MONTH_FORMS if lang == "ru" else UK_MONTH_FORMS
    weekdays = RU_WEEKDAYS if lang == "ru" else UK_WEEKDAYS
    month = rf"(?P<mon>{alt_words(forms)})"
    wd_alt = alt_words(weekdays).replace("'", f"[{_APOS}]")
    prev_next = _PREV_NEXT[lang]
    left_month = re.compile(
        r"\b(?P<cue>в|во|у|с|со|з|із|до|по|к|от|від|после|після|перед|начале|конце|середине|начала|конца"
        rf"|середины|середини|кінця|початку|наприкінці)\s+(?:(?P<mode>{prev_next})\s+)?\Z")
    left_wd = re.compile(
        r"(?:\b(?P<prep>в|во|на|к|до|с|со|по|у|з|із|від|ночь\s+на|ніч\s+на)\s+)?"
        rf"(?:\b(?P<mode>{prev_next})\s+)?\Z")
    left_unit = re.compile(rf"\b(?P<which>{prev_next}|цього|цей|торішн\w*)\s+\Z")
    num = (r"(?P<num>\d{1,4}|один|одну|одна|два|две|дві|три|четыре|чотири|пять|п['’]ять|шесть|шість|семь|сім"
           r"|восемь|вісім|девять|дев['’]ять|десять|пару|полтора|несколько|нескольких|кілька|декілька|много"
           r"|многих|багато)")
    left_num = re.compile(
        r"(?:\b(?:в\s+течение|течение|протягом|впродовж|около|близько|более|больше|більше|почти|майже)\s+)?"
        rf"(?:\b(?:последни[ех]|ближайши[ех]|останні|останніх|найближчі)\s+)?(?<![\w.,]){num}[\s-]+\Z")
    unit = (r"(?P<unit>секунд[уы]?|минут[уы]?|хвилин[иу]?|час(?:а|ов)?|годин[иу]?|дн(?:я|ей|і|ів)|день|сут(?:ки|ок)"
            r"|недел[ьюияе]|тиж(?:день|ні|нів|ня)|месяц(?:а|ев)?|місяц(?:ь|і|ів|я)|год(?:а)?|лет|рок(?:и|ів|у)|рік"
            r"|десятилети[йея]|десятиліт(?:тя|ь))")
    left_ago = re.compile(rf"(?:(?<![\w.,]){num}\s+)?\b{unit}\s+\Z")

    def b_day_month(m: re.Match[str]) -> list[Hit]:
        mon, day = forms[m["mon"]], int(m["day"])
        if not valid_day(mon, day):
            return []
        if m["year"]:
            return one_hit(m.start(), m.end(), "date", ("ymd", int(m["year"]), mon, day))
        return one_hit(m.start(), m.end(), "date", ("md", mon, day, None))

    def b_month(m: re.Match[str]) -> list[Hit]:
        mon = forms[m["mon"]]
        if m["year"]:
            return one_hit(m.start(), m.end(), "date", ("ym", int(m["year"]), mon))
        left = match_left(m, left_month, 40)
        if left is None:
            return []  # a bare "марта" may be the name Marta, "лютого" the adjective "fierce"
        start = left.start("mode") if left["mode"] else m.start()
        return one_hit(start, m.end(), "date", ("m", mon, _mode_of(left["mode"])))

    def b_weekday(m: re.Match[str]) -> list[Hit]:
        left = match_left(m, left_wd, 40)
        if left is None or not (left["prep"] or left["mode"]):
            return []  # "окружающей среды" is the environment
        w = re.sub(f"[{_APOS}]", "'", m["wd"])
        start = left.start("mode") if left["mode"] else m.start()
        return one_hit(start, m.end(), "date", ("wd", weekdays[w], _mode_of(left["mode"])))

    def b_unit(m: re.Match[str]) -> list[Hit]:
        left = match_left(m, left_unit, 30)
        if left is None:
            return []
        u = m["u"]
        unit = ("week" if u.startswith(("недел", "тиж")) else "month" if u.startswith(("месяц", "місяц"))
                else "quarter" if u.startswith("квартал") else "year")
        which = left["which"]
        n = -1 if which.startswith("торішн") else {"last": -1, "next": 1}.get(_mode_of(which) or "", 0)
        return one_hit(left.start(), m.end(), "date", ("rel", unit, n))

    def unit_of(u: str) -> str | None:
        if u.startswith(("дн", "ден", "сут")):
            return "day"
        if u.startswith(("недел", "тиж")):
            return "week"
        if u.startswith(("месяц", "місяц")):
            return "month"
        if u.startswith(("год", "лет", "рок", "рік")) and not u.startswith("годин"):
            return "year"
        return None

    def b_ago(m: re.Match[str]) -> list[Hit]:
        left = match_left(m, left_ago, 40)
        if left is None:
            return []
        raw = (left["num"] or "1").replace("’", "'")
        n = int(raw) if raw.isdigit() else _SLAVIC_NUMS.get(raw)
        u = unit_of(left["unit"])
        if u is None or not n:
            return one_hit(left.start(), m.end(), "date", ("vague", "past"))
        return one_hit(left.start(), m.end(), "date", ("rel", u, -n))

    def b_duration(m: re.Match[str]) -> list[Hit]:
        left = match_left(m, left_num, 60)
        if left is None:
            return []
        return one_hit(left.start(), m.end(), "duration", ("none",))

    def b_deictic(m: re.Match[str]) -> list[Hit]:
        return one_hit(m.start(), m.end(), "date", _SLAVIC_DEICTIC[re.sub(r"\s+", " ", m["w"])])

    def b_year(m: re.Match[str]) -> list[Hit]:
        if m["y2"]:  # "в 2017-2021 годах": two years, the range's word goes with the second
            return [(m.start("y1"), m.end("y1"), "date", ("y", int(m["y1"]))),
                    (m.start("y2"), m.end(), "date", ("y", int(m["y2"])))]
        return one_hit(m.start(), m.end(), "date", ("y", int(m["y1"])))

    return [
        Rule(f"{lang}-day-month", re.compile(
            rf"(?=\d)(?<![\d.,])(?P<day>[0-3]?\d)(?:-?(?:го|е|ого|а))?\s+{month}{_NOT_CYR_AFTER}"
            rf"(?:\s+(?P<year>(?:1[5-9]|20)\d\d){_YEAR_WORD}?)?"), b_day_month, 5, True, "0"),
        Rule(f"{lang}-month", re.compile(
            rf"(?<![{_CYR}]){month}{_NOT_CYR_AFTER}(?:\s+(?P<year>(?:1[5-9]|20)\d\d){_YEAR_WORD}?)?"),
            b_month, 4, True, alt_words(forms)),
        Rule(f"{lang}-weekday", re.compile(rf"(?<![{_CYR}])(?P<wd>{wd_alt}){_NOT_CYR_AFTER}"),
             b_weekday, 3, True, alt_words(weekdays)),
        Rule(f"{lang}-deictic", re.compile(
            rf"(?<![{_CYR}])(?P<w>{alt_words(_SLAVIC_DEICTIC)}){_NOT_CYR_AFTER}"), b_deictic, 3, True,
             alt_words({w.split()[0] for w in _SLAVIC_DEICTIC})),
        Rule(f"{lang}-unit", re.compile(
            r"(?<![а-яёіїєґ])(?P<u>недел[еиюя]|тиж(?:день|ня|ні)|месяц(?:е|а)?|місяц(?:і|я|ь)|год(?:у|а)?"
            rf"|році|року|рік|квартал(?:е|а)?){_NOT_CYR_AFTER}"), b_unit, 3, True,
             r"недел[еиюя]|тиж(?:день|ня|ні)|месяц(?:е|а)?|місяц(?:і|я|ь)|год(?:у|а)?|році|року|рік|квартал(?:е|а)?"),
        Rule(f"{lang}-ago", re.compile(rf"(?<![{_CYR}])(?:назад|тому){_NOT_CYR_AFTER}"), b_ago, 6, True, "назад|тому"),
        Rule(f"{lang}-duration", re.compile(rf"(?<![{_CYR}]){unit}{_NOT_CYR_AFTER}"), b_duration, 1, True,
             re.sub(r"\(\?P<\w+>", "(?:", unit)),
        Rule(f"{lang}-duration-adj", re.compile(
            r"(?=\d)(?<![\d.,])\d{1,4}-(?:дневн|летн|месячн|часов|денн|річн|місячн|годинн)\w*"), build_duration, 2, True, "0"),
        Rule(f"{lang}-set", re.compile(
            rf"(?<![{_CYR}])(?:(?:кажд\w+|кожн\w+)\s+(?:день|недел\w+|месяц|год|пятниц\w+|тиждень|місяць"
            r"|рік|ранок|вечір|утро)|ежедневно|еженедельно|ежемесячно|ежегодно|щодня|щотижня|щомісяця|щороку"
            rf"|щорічно){_NOT_CYR_AFTER}"), build_set, 2, True,
             r"кажд\w+|кожн\w+|ежедневно|еженедельно|ежемесячно|ежегодно|щодня|щотижня|щомісяця|щороку|щорічно"),
        Rule(f"{lang}-year", re.compile(
            rf"(?<![\d.,\-])(?P<y1>(?:1[5-9]|20)\d\d)(?:\s*[-–—]\s*(?P<y2>(?:1[5-9]|20)\d\d))?{_YEAR_WORD}"),
            b_year, 5, True, "0"),
    ]


_SLAVIC_NUMS = {"один": 1, "одну": 1, "одна": 1, "два": 2, "две": 2, "дві": 2, "три": 3, "четыре": 4,
                "чотири": 4, "пять": 5, "п'ять": 5, "шесть": 6, "шість": 6, "семь": 7, "сім": 7,
                "восемь": 8, "вісім": 8, "девять": 9, "дев'ять": 9, "десять": 10, "пару": 2}
_SLAVIC_DEICTIC = {
    "сегодня": ("rel", "day", 0), "вчера": ("rel", "day", -1), "завтра": ("rel", "day", 1),
    "позавчера": ("rel", "day", -2), "послезавтра": ("rel", "day", 2),
    "сьогодні": ("rel", "day", 0), "вчора": ("rel", "day", -1), "учора": ("rel", "day", -1),
    "позавчора": ("rel", "day", -2), "післязавтра": ("rel", "day", 2),
    "торік": ("rel", "year", -1), "сейчас": ("vague", "present"), "зараз": ("vague", "present"),
    "недавно": ("vague", "past"), "нещодавно": ("vague", "past"), "теперь": ("vague", "present"),
    "ныне": ("vague", "present"), "наразі": ("vague", "present"), "вскоре": ("vague", "future"),
    "незабаром": ("vague", "future"), "ранее": ("vague", "past"), "раніше": ("vague", "past"),
    "в настоящее время": ("vague", "present"), "в будущем": ("vague", "future"),
    "в майбутньому": ("vague", "future"), "в прошлом": ("vague", "past"), "у минулому": ("vague", "past"),
}

RU_RULES = _slavic_rules("ru")
UK_RULES = _slavic_rules("uk")


# =========================================================================== German / French / Spanish (dates with month names)


def _romance_rules(lang: str, forms: dict[str, int], day_sep: str, year_sep: str) -> list[Rule]:
    left_day = re.compile(rf"(?<![\w.,])(?P<day>[0-3]?\d)(?:\.|er|º|°)?{day_sep}\Z")
    right_year = re.compile(rf"{year_sep}(?P<year>(?:1[5-9]|20)\d\d)\b")

    def build(m: re.Match[str]) -> list[Hit]:
        mon = forms[m["mon"]]
        left = match_left(m, left_day, 12)
        right = right_year.match(m.string, m.end())
        start = left.start() if left else m.start()
        end = right.end() if right else m.end()
        if left is not None:
            day = int(left["day"])
            if not valid_day(mon, day):
                return []
            if right is not None:
                return one_hit(start, end, "date", ("ymd", int(right["year"]), mon, day))
            return one_hit(start, end, "date", ("md", mon, day, None))
        if right is not None:
            return one_hit(start, end, "date", ("ym", int(right["year"]), mon))
        return []  # a month name alone ("mars", "mai") is too often something else

    return [Rule(f"{lang}-date", re.compile(rf"\b(?P<mon>{alt_words(forms)})(?![\w])"), build, 5, True, alt_words(forms))]


DE_RULES = _romance_rules("de", DE_MONTHS, r"\s*", r",?\s+")
FR_RULES = _romance_rules("fr", FR_MONTHS, r"\s+", r"\s+")
ES_RULES = _romance_rules("es", ES_MONTHS, r"\s+de\s+", r"(?:\s+de|\s+del|,)?\s+")
