#!/usr/bin/env python3
"""Generates the synthetic demo participant files in demo/participants/.

For each förbund (hoglandet, sodra-vatterbygden, finnveden) three files in the public
import formats (docs/participants.md), semicolon separated, UTF-8:

    FORBUND-deltagare.csv       one row per enrolment
    FORBUND-matningar.csv       ladder step, health (VAS) and quality of life every ~3 months
    FORBUND-uppfoljningar.csv   follow-ups 6 and 12 months after exit

The data is synthetic and deterministic (seeded random; Python 3 standard library only).
Participants are known only by local codes such as "SV-ENT-0001" (never a personnummer).
About 5 % of the enrolments are without consent (anonymous rows).

The 2023 figures are built to equal the participant tables in seed 004 (medlemssamråd
2024): participants by kön, new, exits by reason group. After writing the files the script
reads them back, computes the 2023 figures with the counting rules of the deltagare report
(a person once per intervention, felregistrering left out, an anonymous enrolment covers its
start year) and fails if any differs from the target. It also checks the import rules
(age range, start dates, no overlapping enrolments, measurements inside the enrolment,
follow-ups attached to the intended exit).

Usage: python3 scripts/demo-participants.py [--out DIR] [--plans DIR]
"""

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import sys
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "demo")

YEAR = 2023                          # The year whose figures come from seed 004.
SNAPSHOT = dt.date(2024, 6, 30)      # Data as of this day: no start, exit or measurement later.
FOLLOW_UP_LIMIT = dt.date(2024, 10, 31)  # Follow-ups are known up to this day.
EARLIEST = dt.date(2021, 1, 1)       # The demo history starts here.

DELTAGARE_HEADER = ["deltagare", "insats", "kon", "fodelsear", "kommun", "samtycke",
                    "startdatum", "remittent", "forsorjning_start", "steg_start", "slutdatum",
                    "avslutsorsak", "forsorjning_slut", "steg_slut"]
MATNINGAR_HEADER = ["deltagare", "insats", "datum", "matt", "varde"]
UPPFOLJNINGAR_HEADER = ["deltagare", "insats", "datum", "manader", "sysselsattning"]

EXIT_REASONS = ["arbete", "arbete_med_stod", "studier", "arbetsinriktad", "arbetssokande",
                "sjukdom", "egen_begaran", "ater_remittent", "flytt", "annat", "felregistrering"]
EXIT_GROUPS = ["arbete", "studier", "arbetsinriktad", "sjukdom", "annat_skal"]
GROUP_OF = {
    "arbete": "arbete", "arbete_med_stod": "arbete", "studier": "studier",
    "arbetsinriktad": "arbetsinriktad", "arbetssokande": "arbetsinriktad",
    "sjukdom": "sjukdom", "egen_begaran": "annat_skal", "ater_remittent": "annat_skal",
    "flytt": "annat_skal", "annat": "annat_skal", "felregistrering": None,
}
WORK_OR_STUDIES = {"arbete", "arbete_med_stod", "studier"}
KON = ["kvinna", "man", "annat"]

# ---------------------------------------------------------------------------------------
# Profiles shared by several interventions
# ---------------------------------------------------------------------------------------

# Age at the first start: (weight, youngest, oldest). Mostly 18–29, some older.
AGES_YOUNG = [(70, 19, 29), (20, 30, 44), (10, 45, 60)]
AGES_IT = [(85, 19, 28), (15, 29, 32)]
AGES_FINNVEDEN = [(6, 16, 17), (64, 18, 29), (20, 30, 44), (10, 45, 60)]
AGES_KOLL = [(35, 20, 29), (40, 30, 44), (25, 45, 60)]
AGES_FIA = [(50, 20, 29), (35, 30, 44), (15, 45, 60)]

# Income at start: (weight, codes).
INCOME_GENERAL = [(22, "forsorjningsstod"), (14, "aktivitetsersattning"), (12, "sjukpenning"),
                  (8, "aktivitetsstod"), (8, "a_kassa"), (8, "ingen"),
                  (6, "forsorjningsstod|aktivitetsstod"), (6, "rehabiliteringspenning"),
                  (4, "aktivitetsersattning|forsorjningsstod"), (4, "etableringsersattning"),
                  (4, "studiemedel"), (4, "annan")]
INCOME_KOLL = [(70, "forsorjningsstod"), (15, "forsorjningsstod|aktivitetsstod"),
               (10, "forsorjningsstod|sjukpenning"), (5, "ingen")]
INCOME_IT = [(50, "aktivitetsersattning"), (20, "ingen"), (15, "forsorjningsstod"),
             (15, "studiemedel")]
INCOME_FIA = [(30, "sjukpenning"), (25, "aktivitetsstod"), (20, "aktivitetsersattning"),
              (15, "sjukersattning"), (10, "a_kassa")]

# Ladder step at start: (weight, step). Mostly 1–3.
STEPS_GENERAL = [(25, 1), (35, 2), (25, 3), (10, 4), (5, 5)]
STEPS_NOVA = [(40, 1), (40, 2), (20, 3)]          # Less than 25 % activity ability.
STEPS_FIA = [(15, 2), (45, 3), (30, 4), (10, 5)]  # At least 25 % work ability.
STEPS_IT = [(20, 2), (50, 3), (30, 4)]


# ---------------------------------------------------------------------------------------
# The interventions and their 2023 targets (seed 004)
# ---------------------------------------------------------------------------------------

def insats(**values):
    defaults = dict(
        anon_2023=0,        # Anonymous enrolments started in 2023 (count in 2023 as new).
        anon_other={},      # Anonymous enrolments in other years: {year: count}.
        pre=0,              # Persons enrolled and exited before 2023 only.
        post=0,             # Persons first enrolled in 2024 (January–June).
        prior=0,            # 2023 persons with an earlier enrolment that ended before 2023.
        within=0,           # 2023 persons who exited and came back within 2023.
        nxt=0,              # 2023 exits who come back in 2024.
        felreg=0,           # Enrolments exited as felregistrering (left out of statistics).
        exit_kon=None,      # Exits in 2023 by kön, when the seed gives it.
        by_kommun=None,     # {(kommun, kon): (at year start, new in 2023)} when the seed gives it.
        carry_start_from=None,  # Earliest start of the persons carried over into 2023.
        carry_exit_share=None,  # Share of the 2023 exits among those carried over.
        cohort_start=None,  # (month, day) when the intervention takes in a cohort (IT-spåret).
        exit_2024_share=0.35,   # Share of the 2023 persons still enrolled who exit by mid 2024.
        max_months=None,
        steps=STEPS_GENERAL,
        ages=AGES_YOUNG,
        income=INCOME_GENERAL,
    )
    defaults.update(values)
    return defaults


FORBUND = [
    dict(
        id="sodra-vatterbygden",
        prefix="SV",
        insatser=[
            # Enter 2023: 24 women, 38 men, 19 new, 20 exits 4/5/3/7/1.
            insats(id="enter", code="ENT", women=24, men=38, new=19,
                   exits={"arbete": 2, "arbete_med_stod": 2, "studier": 5, "arbetsinriktad": 2,
                          "arbetssokande": 1, "sjukdom": 7, "flytt": 1},
                   kommun={"jonkoping": 70, "habo": 10, "mullsjo": 6, "vaggeryd": 14},
                   remittent=[(35, "af"), (25, "kommun"), (20, "fk"), (15, "region"), (5, "egen")],
                   anon_2023=1, anon_other={2022: 3, 2024: 2}, pre=26, post=12, prior=3,
                   within=1, nxt=2, felreg=1, carry_start_from=dt.date(2022, 1, 10),
                   carry_exit_share=0.75, max_months=12, exit_2024_share=0.6),
            # NOVA 2023: 27 women, 17 men, 27 new, 40 exits 2/1/19/9/9 (the table's figures).
            insats(id="nova", code="NOVA", women=27, men=17, new=27,
                   exits={"arbete": 1, "arbete_med_stod": 1, "studier": 1, "arbetsinriktad": 16,
                          "arbetssokande": 3, "sjukdom": 9, "egen_begaran": 4,
                          "ater_remittent": 3, "flytt": 1, "annat": 1},
                   kommun={"jonkoping": 75, "vaggeryd": 25},
                   remittent=[(60, "kommun"), (15, "fk"), (15, "region"), (10, "af")],
                   anon_2023=2, anon_other={2022: 2, 2024: 1}, pre=7, post=16, prior=2,
                   within=2, nxt=2, steps=STEPS_NOVA),
            # FIA 2023: 23 women, 13 men, 19 new, 14 exits (nine women, five men) 2/1/3/8/0.
            insats(id="fia", code="FIA", women=23, men=13, new=19,
                   exits={"arbete": 1, "arbete_med_stod": 1, "studier": 1, "arbetsinriktad": 1,
                          "arbetssokande": 2, "sjukdom": 8},
                   exit_kon={"kvinna": 9, "man": 5},
                   kommun={"jonkoping": 70, "habo": 10, "mullsjo": 6, "vaggeryd": 14},
                   remittent=[(50, "fk"), (30, "af"), (10, "region"), (10, "egen")],
                   anon_2023=1, anon_other={2022: 1, 2024: 1}, pre=8, post=9, prior=1, nxt=1,
                   steps=STEPS_FIA, ages=AGES_FIA, income=INCOME_FIA),
            # IT-spåret 2023: 0 women, 4 men, 4 new, no exits (cohort starting in August).
            insats(id="it-sparet", code="IT", women=0, men=4, new=4, exits={},
                   kommun={"jonkoping": 70, "habo": 10, "mullsjo": 6, "vaggeryd": 14},
                   remittent=[(40, "af"), (30, "fk"), (20, "region"), (10, "kommun")],
                   pre=2, post=0, cohort_start=(8, 14), steps=STEPS_IT, ages=AGES_IT,
                   income=INCOME_IT, exit_2024_share=0.0),
            # Koll på förmåga 2023: 35 women, 27 men, 39 new; exits by spår (13 + 18 + 0 + 8).
            insats(id="koll-pa-formaga", code="KOLL", women=35, men=27, new=39,
                   exits={"arbetsinriktad": 13, "ater_remittent": 18, "sjukdom": 8},
                   kommun={"jonkoping": 100},
                   remittent=[(90, "kommun"), (10, "region")],
                   anon_2023=3, anon_other={2024: 2}, pre=0, post=18, nxt=1, felreg=1,
                   ages=AGES_KOLL, income=INCOME_KOLL, exit_2024_share=0.7),
        ],
    ),
    dict(
        id="hoglandet",
        prefix="HL",
        insatser=[
            # SE-Höglandet 2023: 95 women, 106 men, 61 new, 62 exits: 28 to work or studies,
            # 20 actively seeking work, the rest illness or other reasons.
            insats(id="se-hoglandet", code="SE", women=95, men=106, new=61,
                   exits={"arbete": 12, "arbete_med_stod": 9, "studier": 7,
                          "arbetssokande": 20, "sjukdom": 6, "egen_begaran": 4, "flytt": 2,
                          "ater_remittent": 1, "annat": 1},
                   kommun={"aneby": 75, "eksjo": 150, "nassjo": 180, "savsjo": 150,
                           "tranas": 125, "vetlanda": 150},
                   remittent=[(30, "af"), (25, "kommun"), (20, "region"), (20, "fk"),
                              (5, "egen")],
                   anon_2023=5, anon_other={2022: 6, 2024: 5}, pre=60, post=36, prior=6,
                   within=2, nxt=3, felreg=2, carry_start_from=dt.date(2021, 3, 1),
                   carry_exit_share=0.8, exit_2024_share=0.3),
            # IT-spåret 2023: 3 women, 14 men, no new ("-"), 3 exits.
            insats(id="it-sparet", code="IT", women=3, men=14, new=0,
                   exits={"studier": 1, "arbete": 1, "egen_begaran": 1},
                   kommun={"aneby": 75, "eksjo": 150, "nassjo": 180, "savsjo": 150,
                           "tranas": 125, "vetlanda": 150},
                   remittent=[(40, "af"), (30, "fk"), (20, "region"), (10, "kommun")],
                   pre=6, post=0, cohort_start=(8, 16), carry_start_from=dt.date(2021, 8, 1),
                   steps=STEPS_IT, ages=AGES_IT, income=INCOME_IT, exit_2024_share=0.5),
        ],
    ),
    dict(
        id="finnveden",
        prefix="FV",
        insatser=[
            # Samverkansteam Finnveden 2023: 76 participants by kommun and kön (at the turn
            # of the year + new in 2023), 31 exits 3/6/7/6/8/1.
            insats(id="samverkansteam-finnveden", code="ST",
                   by_kommun={("gnosjo", "kvinna"): (5, 3), ("gnosjo", "man"): (2, 3),
                              ("gislaved", "kvinna"): (7, 11), ("gislaved", "man"): (11, 6),
                              ("varnamo", "kvinna"): (11, 14), ("varnamo", "man"): (1, 2)},
                   exits={"arbete": 1, "arbete_med_stod": 1, "studier": 1, "arbetsinriktad": 6,
                          "sjukdom": 7, "egen_begaran": 6, "ater_remittent": 8, "annat": 1},
                   kommun={"gislaved": 40, "gnosjo": 15, "varnamo": 45},
                   remittent=[(35, "fk"), (25, "kommun"), (20, "region"), (15, "af"),
                              (5, "egen")],
                   # No anonymous enrolment in 2023, so that the table by kommun holds exactly.
                   anon_2023=0, anon_other={2022: 3, 2024: 3}, pre=16, post=20, prior=2,
                   within=1, nxt=2, felreg=1, carry_start_from=dt.date(2022, 2, 1),
                   carry_exit_share=0.75, max_months=12, ages=AGES_FINNVEDEN,
                   exit_2024_share=0.6),
            # IT-spåret: a handful from Finnveden.
            insats(id="it-sparet", code="IT", women=1, men=3, new=1, exits={"studier": 1},
                   kommun={"gislaved": 40, "gnosjo": 15, "varnamo": 45},
                   remittent=[(40, "af"), (30, "fk"), (20, "region"), (10, "kommun")],
                   pre=1, post=0, cohort_start=(8, 15), carry_start_from=dt.date(2021, 8, 1),
                   steps=STEPS_IT, ages=AGES_IT, income=INCOME_IT, exit_2024_share=0.3),
        ],
    ),
]


# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------

def iso(day):
    return day.isoformat()


def add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


def weekday_on_or_after(day):
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def random_day(rng, first, last):
    """A working day in [first, last] (or `first` when the range is empty)."""
    if last < first:
        return first
    for _ in range(20):
        day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
        if day.weekday() < 5:
            return day
    return first


def weighted(rng, pairs):
    total = sum(weight for weight, _ in pairs)
    pick = rng.uniform(0, total)
    for weight, value in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][1]


def clamp(value, low, high):
    return max(low, min(high, value))


# ---------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------

class Enrolment:
    def __init__(self, start, exit_date=None, reason=None):
        self.start = start
        self.exit = exit_date
        self.reason = reason
        self.remittent = None
        self.income_start = ""
        self.income_end = ""
        self.step_start = None
        self.step_end = None
        self.measurements = []  # (date, measure, value)
        self.follow_ups = []    # (date, months, status)

    def last_day(self):
        return self.exit


class Person:
    def __init__(self, kon, anonymous=False):
        self.kon = kon
        self.anonymous = anonymous
        self.code = ""
        self.birth_year = None
        self.kommun = None
        self.enrolments = []
        self.role = ""  # carry / new / pre / post / felreg / anon: how the person was made.


class Generator:
    def __init__(self, forbund, plan):
        self.forbund = forbund
        self.plan = plan
        self.kommuner = {m["id"] for m in plan["medlemmar"] if m["typ"] == "kommun"}
        self.insatser = {i["id"]: i for i in plan["insatser"]}
        self.notes = []

    # -- targets ------------------------------------------------------------------------

    def targets(self, cfg):
        """The 2023 target figures of an intervention, adapted to what its plan allows."""
        plan_insats = self.insatser[cfg["id"]]
        start = dt.date.fromisoformat(plan_insats["start"])
        if cfg["by_kommun"]:
            women = sum(c + n for (k, kon), (c, n) in cfg["by_kommun"].items() if kon == "kvinna")
            men = sum(c + n for (k, kon), (c, n) in cfg["by_kommun"].items() if kon == "man")
            new = sum(n for (c, n) in cfg["by_kommun"].values())
        else:
            women, men, new = cfg["women"], cfg["men"], cfg["new"]
        if start >= dt.date(YEAR, 1, 1) and new < women + men:
            self.notes.append(
                f"{self.forbund['id']}/{cfg['id']}: the plan starts the intervention on "
                f"{plan_insats['start']}, so nobody can be enrolled before {YEAR}; all "
                f"{women + men} participants of {YEAR} are new (seed: {new}).")
            new = women + men
        exits = Counter()
        for reason, count in cfg["exits"].items():
            exits[GROUP_OF[reason]] += count
        return dict(women=women, men=men, new=new, exits=sum(cfg["exits"].values()),
                    groups={g: exits.get(g, 0) for g in EXIT_GROUPS})

    # -- building persons ---------------------------------------------------------------

    def build(self, cfg, rng):
        plan_insats = self.insatser[cfg["id"]]
        assert plan_insats["typ"] == "individ", cfg["id"]
        for kommun in cfg["kommun"]:
            assert kommun in self.kommuner, (self.forbund["id"], kommun)
        insats_start = dt.date.fromisoformat(plan_insats["start"])
        insats_end = dt.date.fromisoformat(plan_insats["slut"]) if plan_insats.get("slut") else None
        last_start = min(SNAPSHOT, insats_end) if insats_end else SNAPSHOT
        target = self.targets(cfg)
        year_start = dt.date(YEAR, 1, 1)
        year_end = dt.date(YEAR, 12, 31)
        first_start = max(insats_start, EARLIEST)
        carry_from = max(first_start, cfg["carry_start_from"] or first_start)

        # The 2023 roster: kön (and kommun) of those carried over and of the new.
        carry, new = [], []
        if cfg["by_kommun"]:
            for (kommun, kon), (c, n) in sorted(cfg["by_kommun"].items()):
                assert kommun in self.kommuner, kommun
                for _ in range(c):
                    person = Person(kon)
                    person.kommun = kommun
                    carry.append(person)
                for _ in range(n):
                    person = Person(kon)
                    person.kommun = kommun
                    new.append(person)
        else:
            kons = ["kvinna"] * target["women"] + ["man"] * target["men"]
            rng.shuffle(kons)
            n_carry = len(kons) - target["new"]
            carry = [Person(kon) for kon in kons[:n_carry]]
            new = [Person(kon) for kon in kons[n_carry:]]
        if insats_start >= year_start:
            new, carry = carry + new, []
        for person in carry:
            person.role = "carry"
        for person in new:
            person.role = "new"

        # Anonymous new persons (never exit: an anonymous enrolment has no exit).
        rng.shuffle(new)
        anonymous = new[:cfg["anon_2023"]]
        for person in anonymous:
            person.anonymous = True
        named_new = new[cfg["anon_2023"]:]

        # Who exits in 2023.
        n_exits = target["exits"]
        share = cfg["carry_exit_share"]
        if share is None:
            share = len(carry) / max(1, len(carry) + len(named_new))
        c_ex = clamp(round(n_exits * share), max(0, n_exits - len(named_new)), len(carry))
        n_ex = n_exits - c_ex
        assert n_ex <= len(named_new), (cfg["id"], "too many exits among the new")
        for attempt in range(100000):
            leavers = rng.sample(carry, c_ex) + rng.sample(named_new, n_ex)
            if not cfg["exit_kon"]:
                break
            if Counter(p.kon for p in leavers) == Counter(cfg["exit_kon"]):
                break
        else:
            raise SystemExit(f"{cfg['id']}: cannot pick exits by kön")
        reasons = [r for r, count in sorted(cfg["exits"].items()) for _ in range(count)]
        rng.shuffle(reasons)
        reason_of = {id(p): r for p, r in zip(leavers, reasons)}

        # Persons who leave and come back within 2023: new, leaving for a reason that is not
        # work or studies.
        within = [p for p in leavers if p.role == "new" and reason_of[id(p)] not in WORK_OR_STUDIES]
        within = within[:cfg["within"]]
        within_ids = {id(p) for p in within}

        persons = []
        max_days = cfg["max_months"] * 30 if cfg["max_months"] else None

        def cohort_day(year):
            month, day = cfg["cohort_start"]
            return weekday_on_or_after(dt.date(year, month, day))

        def pick_start_carry():
            if cfg["cohort_start"]:
                years = [y for y in range(carry_from.year, YEAR)
                         if carry_from <= cohort_day(y) <= dt.date(YEAR - 1, 12, 31)]
                return cohort_day(rng.choice(years))
            return random_day(rng, carry_from, dt.date(YEAR - 1, 12, 16))

        def pick_start_new(latest):
            if cfg["cohort_start"]:
                return cohort_day(YEAR)
            return random_day(rng, max(insats_start, dt.date(YEAR, 1, 9)), latest)

        def exit_in_year(start, first, last):
            low = max(first, start + dt.timedelta(days=45))
            high = last
            if max_days and start + dt.timedelta(days=max_days) >= low:
                high = min(high, start + dt.timedelta(days=max_days))
            return random_day(rng, low, high)

        def end_after_2023(start, reason_weights):
            """An exit in January–June 2024 for some of those still enrolled, else open."""
            if rng.random() < cfg["exit_2024_share"]:
                day = random_day(rng, max(dt.date(YEAR + 1, 1, 8), start + dt.timedelta(days=45)),
                                 SNAPSHOT - dt.timedelta(days=2))
                if day <= SNAPSHOT:
                    return day, weighted(rng, reason_weights)
            return None, None

        profile = [(count, reason) for reason, count in sorted(cfg["exits"].items())]
        if not profile:
            profile = [(2, "studier"), (1, "arbete"), (1, "egen_begaran")]
        profile = profile + [(0.5, "egen_begaran"), (0.5, "ater_remittent")]

        for person in carry + new:
            if person.anonymous:
                start = pick_start_new(dt.date(YEAR, 12, 15))
                person.enrolments.append(Enrolment(start))
                persons.append(person)
                continue
            leaving = id(person) in reason_of
            if id(person) in within_ids:
                start = random_day(rng, max(insats_start, dt.date(YEAR, 1, 9)), dt.date(YEAR, 4, 28))
                first_exit = random_day(rng, start + dt.timedelta(days=45), dt.date(YEAR, 8, 31))
                person.enrolments.append(Enrolment(start, first_exit, reason_of[id(person)]))
                again = random_day(rng, first_exit + dt.timedelta(days=30), dt.date(YEAR, 11, 30))
                end, reason = end_after_2023(again, profile)
                person.enrolments.append(Enrolment(again, end, reason))
            elif person.role == "carry":
                start = pick_start_carry()
                if leaving:
                    end = exit_in_year(start, dt.date(YEAR, 1, 9), dt.date(YEAR, 12, 20))
                    if cfg["cohort_start"] and reason_of[id(person)] in WORK_OR_STUDIES:
                        end = weekday_on_or_after(dt.date(YEAR, 6, 9))  # End of the course year.
                    person.enrolments.append(Enrolment(start, end, reason_of[id(person)]))
                else:
                    end, reason = end_after_2023(start, profile)
                    person.enrolments.append(Enrolment(start, end, reason))
            else:
                if leaving:
                    start = pick_start_new(dt.date(YEAR, 10, 13))
                    end = exit_in_year(start, start, dt.date(YEAR, 12, 20))
                    person.enrolments.append(Enrolment(start, end, reason_of[id(person)]))
                else:
                    start = pick_start_new(dt.date(YEAR, 12, 15))
                    end, reason = end_after_2023(start, profile)
                    person.enrolments.append(Enrolment(start, end, reason))
            persons.append(person)

        # Earlier enrolments (ended before 2023) for some of the 2023 persons: re-enrolment.
        candidates = [p for p in persons if not p.anonymous and id(p) not in within_ids
                      and p.enrolments[0].start - first_start > dt.timedelta(days=150)]
        rng.shuffle(candidates)
        added = 0
        for person in candidates:
            if added >= cfg["prior"]:
                break
            later = person.enrolments[0].start
            latest_exit = min(later - dt.timedelta(days=30), dt.date(YEAR - 1, 12, 20))
            start = random_day(rng, first_start, latest_exit - dt.timedelta(days=60))
            if start + dt.timedelta(days=45) > latest_exit:
                continue
            end = random_day(rng, start + dt.timedelta(days=45), latest_exit)
            reason = weighted(rng, [(3, "egen_begaran"), (3, "sjukdom"), (2, "ater_remittent"),
                                    (1, "arbete")])
            person.enrolments.insert(0, Enrolment(start, end, reason))
            added += 1
        if added < cfg["prior"]:
            self.notes.append(f"{cfg['id']}: only {added} earlier enrolments placed")

        # Some of those who left in 2023 come back in 2024.
        back = [p for p in persons if not p.anonymous and p.enrolments[-1].exit
                and p.enrolments[-1].exit.year == YEAR
                and p.enrolments[-1].reason not in WORK_OR_STUDIES]
        rng.shuffle(back)
        for person in back[:cfg["nxt"]]:
            previous = person.enrolments[-1]
            start = random_day(rng, max(dt.date(YEAR + 1, 1, 8),
                                        previous.exit + dt.timedelta(days=30)),
                               min(last_start, dt.date(YEAR + 1, 5, 31)))
            if start > last_start:
                continue
            end, reason = (None, None)
            if rng.random() < 0.25 and start + dt.timedelta(days=45) < SNAPSHOT:
                end = random_day(rng, start + dt.timedelta(days=45), SNAPSHOT)
                reason = weighted(rng, profile)
            person.enrolments.append(Enrolment(start, end, reason))

        # Persons of the years before (enrolled and exited before 2023).
        for _ in range(cfg["pre"]):
            person = Person(weighted(rng, [(target["women"] + 1, "kvinna"), (target["men"] + 1, "man")]))
            person.role = "pre"
            if cfg["cohort_start"]:
                years = [y for y in range(first_start.year, YEAR - 1)
                         if first_start <= cohort_day(y)]
                start = cohort_day(rng.choice(years))
            else:
                start = random_day(rng, first_start, dt.date(YEAR - 1, 9, 30))
            high = dt.date(YEAR - 1, 12, 20)
            if max_days:
                high = min(high, max(start + dt.timedelta(days=max_days), start + dt.timedelta(days=60)))
            end = random_day(rng, start + dt.timedelta(days=45), high)
            person.enrolments.append(Enrolment(start, end, weighted(rng, profile)))
            persons.append(person)

        # Persons first enrolled in 2024.
        for _ in range(cfg["post"]):
            if dt.date(YEAR + 1, 1, 8) > last_start:
                break
            person = Person(weighted(rng, [(target["women"] + 1, "kvinna"), (target["men"] + 1, "man")]))
            person.role = "post"
            start = random_day(rng, dt.date(YEAR + 1, 1, 8), min(last_start, dt.date(YEAR + 1, 6, 20)))
            end = reason = None
            if rng.random() < 0.2 and start + dt.timedelta(days=45) < SNAPSHOT:
                end = random_day(rng, start + dt.timedelta(days=45), SNAPSHOT)
                reason = weighted(rng, profile)
            person.enrolments.append(Enrolment(start, end, reason))
            persons.append(person)

        # Anonymous enrolments of other years.
        for year, count in sorted(cfg["anon_other"].items()):
            for _ in range(count):
                first = max(insats_start, dt.date(year, 1, 9))
                last = min(last_start, dt.date(year, 12, 15))
                if last < first:
                    continue
                person = Person(weighted(rng, [(target["women"] + 1, "kvinna"), (target["men"] + 1, "man")]),
                                anonymous=True)
                person.role = "anon"
                person.enrolments.append(Enrolment(random_day(rng, first, last)))
                persons.append(person)

        # Registrations made by mistake: exited a few days later as felregistrering.
        for _ in range(cfg["felreg"]):
            person = Person(rng.choice(["kvinna", "man"]))
            person.role = "felreg"
            start = random_day(rng, max(insats_start, dt.date(YEAR, 2, 1)), dt.date(YEAR, 11, 30))
            person.enrolments.append(Enrolment(start, start + dt.timedelta(days=rng.randint(1, 9)),
                                               "felregistrering"))
            persons.append(person)

        # One participant who states kön "annat" (enrolled in 2024, outside the 2023 figures).
        if cfg["id"] == "se-hoglandet":
            person = Person("annat")
            person.role = "post"
            start = random_day(rng, dt.date(YEAR + 1, 2, 1), dt.date(YEAR + 1, 4, 30))
            person.enrolments.append(Enrolment(start))
            persons.append(person)

        for person in persons:
            self.fill(person, cfg, rng, insats_start, plan_insats)
        return persons

    # -- background, ladder, measurements, follow-ups -----------------------------------

    def fill(self, person, cfg, rng, insats_start, plan_insats):
        if person.anonymous:
            return
        rules = plan_insats.get("malgrupp", {})
        age_min, age_max = rules.get("alder_min", 16), rules.get("alder_max", 64)
        first, last = person.enrolments[0].start.year, person.enrolments[-1].start.year
        low, high, = weighted(rng, [(w, (lo, hi)) for w, lo, hi in cfg["ages"]])
        age = rng.randint(max(low, age_min), min(high, age_max - (last - first)))
        person.birth_year = first - age
        if person.kommun is None:
            person.kommun = weighted(rng, [(w, k) for k, w in sorted(cfg["kommun"].items())])
        for enrolment in person.enrolments:
            self.fill_enrolment(enrolment, cfg, rng)

    def fill_enrolment(self, e, cfg, rng):
        e.remittent = weighted(rng, cfg["remittent"])
        e.income_start = weighted(rng, cfg["income"])
        s0 = weighted(rng, cfg["steps"])
        if rng.random() < 0.03 and e.reason != "felregistrering":
            s0 = None  # The step at start was not recorded.
        e.step_start = s0
        if e.reason == "felregistrering":
            return
        base = s0 if s0 is not None else 2

        # The step at exit, or the step reached by the snapshot for an open enrolment.
        reason = e.reason
        if reason in ("arbete",):
            final = weighted(rng, [(70, 7), (30, 6)])
        elif reason in ("arbete_med_stod",):
            final = 6
        elif reason == "studier":
            final = weighted(rng, [(50, 7), (50, 6)])
        elif reason in ("arbetsinriktad", "arbetssokande"):
            final = max(base + 1, weighted(rng, [(30, 4), (60, 5), (10, 3)]))
        elif reason == "sjukdom":
            final = base - weighted(rng, [(55, 0), (40, 1), (5, 2)])
        elif reason == "egen_begaran":
            final = base + weighted(rng, [(25, -1), (45, 0), (30, 1)])
        elif reason == "ater_remittent":
            final = base + weighted(rng, [(10, -1), (40, 0), (50, 1)])
        elif reason in ("flytt", "annat"):
            final = base + weighted(rng, [(50, 0), (50, 1)])
        else:  # Still enrolled.
            months = ((SNAPSHOT - e.start).days) / 30.4
            if rng.random() < 0.1:
                final = base - 1
            else:
                final = base + round(rng.uniform(0, 1) * min(3, months / 5))
        final = clamp(final, 1, 7)
        if e.exit:
            e.step_end = final if rng.random() > 0.04 else None
            e.income_end = self.exit_income(e, rng)

        # Measurements every ~3 months: steg between start and exit (the steps at start and
        # exit are in deltagare.csv), halsa and livskvalitet also on the first and last day.
        end = e.exit or SNAPSHOT
        days = [e.start]
        k = 1
        while True:
            day = e.start + dt.timedelta(days=91 * k + rng.randint(-10, 10))
            if day >= end - dt.timedelta(days=5):
                break
            days.append(weekday_on_or_after(day) if weekday_on_or_after(day) < end else day)
            k += 1
        if e.exit:
            days.append(e.exit)
        span = max(1, (end - e.start).days)
        h0 = rng.randint(20, 65)
        q0 = rng.randint(2, 6)
        hf = h0 + 6 * (final - base) + rng.gauss(3, 9)
        if reason == "sjukdom":
            hf = h0 - rng.randint(0, 15)
        qf = q0 + round(0.7 * (final - base) + rng.gauss(0.5, 1))
        value_end = e.step_end if e.step_end is not None else final
        for i, day in enumerate(days):
            t = (day - e.start).days / span
            is_first, is_last = i == 0, (e.exit is not None and i == len(days) - 1)
            if not (is_first or is_last) and rng.random() < 0.08:
                continue  # A missed measurement.
            if not (is_first or is_last):
                step = round(base + (final - base) * t + rng.gauss(0, 0.45))
                e.measurements.append((day, "steg", clamp(step, 1, 7)))
            elif is_last and e.step_end is None:
                e.measurements.append((day, "steg", value_end))
            halsa = round(h0 + (hf - h0) * t + rng.gauss(0, 6))
            e.measurements.append((day, "halsa", clamp(halsa, 0, 100)))
            kvalitet = round(q0 + (qf - q0) * t + rng.gauss(0, 0.6))
            e.measurements.append((day, "livskvalitet", clamp(kvalitet, 1, 10)))

    def exit_income(self, e, rng):
        reason = e.reason
        if reason == "arbete":
            return weighted(rng, [(85, "lon"), (15, "lon|forsorjningsstod")])
        if reason == "arbete_med_stod":
            return "lonebidrag"
        if reason == "studier":
            return weighted(rng, [(80, "studiemedel"), (20, "studiemedel|lon")])
        if reason == "arbetssokande":
            return weighted(rng, [(50, "aktivitetsstod"), (30, "a_kassa"), (20, "forsorjningsstod")])
        if reason == "arbetsinriktad":
            return weighted(rng, [(50, "aktivitetsstod"), (30, e.income_start),
                                 (20, "forsorjningsstod")])
        if reason == "sjukdom":
            return weighted(rng, [(40, "sjukpenning"), (30, "aktivitetsersattning"),
                                 (20, "sjukersattning"), (10, e.income_start)])
        if reason == "felregistrering":
            return ""
        return e.income_start if rng.random() < 0.8 else "ingen"

    def add_follow_ups(self, persons, rng):
        for person in persons:
            if person.anonymous:
                continue
            for e in person.enrolments:
                if not e.exit or e.reason == "felregistrering":
                    continue
                if e.reason in WORK_OR_STUDIES:
                    if rng.random() > 0.85:
                        continue
                elif e.reason in ("arbetssokande", "arbetsinriktad"):
                    if rng.random() > 0.3:
                        continue
                else:
                    continue
                status6 = self.status(e.reason, None, rng)
                for months, status in ((6, status6), (12, None)):
                    day = add_months(e.exit, months)
                    if day > FOLLOW_UP_LIMIT:
                        break
                    # The follow-up attaches to the latest exit on or before its date.
                    if any(o is not e and o.exit and e.exit < o.exit <= day
                           for o in person.enrolments):
                        break
                    if months == 12:
                        if rng.random() < 0.1:
                            break  # Not reached at 12 months.
                        status = self.status(e.reason, status6, rng)
                    e.follow_ups.append((day, months, status))

    @staticmethod
    def status(reason, previous, rng):
        if previous is not None:
            if previous in WORK_OR_STUDIES:
                return previous if rng.random() < 0.85 else weighted(
                    rng, [(60, "arbetssokande"), (25, "ingen"), (15, "okand")])
            return weighted(rng, [(25, "arbete"), (5, "studier"), (40, previous),
                                 (20, "arbetssokande"), (10, "okand")])
        if reason in ("arbete", "arbete_med_stod"):
            return weighted(rng, [(58, reason), (8, "arbete" if reason != "arbete" else
                                                    "arbete_med_stod"),
                                 (4, "studier"), (17, "arbetssokande"), (7, "ingen"),
                                 (6, "okand")])
        if reason == "studier":
            return weighted(rng, [(58, "studier"), (12, "arbete"), (15, "arbetssokande"),
                                 (8, "ingen"), (7, "okand")])
        return weighted(rng, [(30, "arbete"), (8, "arbete_med_stod"), (5, "studier"),
                             (37, "arbetssokande"), (12, "ingen"), (8, "okand")])


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------

def assign_codes(forbund, cfg, persons):
    named = [p for p in persons if not p.anonymous]
    named.sort(key=lambda p: (p.enrolments[0].start, p.role, p.kon))
    for number, person in enumerate(named, start=1):
        person.code = f"{forbund['prefix']}-{cfg['code']}-{number:04d}"


def rows_for(cfg, persons):
    deltagare, matningar, uppfoljningar = [], [], []
    for person in persons:
        for e in person.enrolments:
            if person.anonymous:
                deltagare.append(["", cfg["id"], person.kon, "", "", "nej", iso(e.start),
                                  "", "", "", "", "", "", ""])
                continue
            deltagare.append([
                person.code, cfg["id"], person.kon, str(person.birth_year), person.kommun, "ja",
                iso(e.start), e.remittent, e.income_start,
                "" if e.step_start is None else str(e.step_start),
                iso(e.exit) if e.exit else "", e.reason or "", e.income_end if e.exit else "",
                "" if e.step_end is None else str(e.step_end)])
            for day, measure, value in sorted(e.measurements,
                                              key=lambda m: (m[0], ["steg", "halsa",
                                                                    "livskvalitet"].index(m[1]))):
                matningar.append([person.code, cfg["id"], iso(day), measure, str(value)])
            for day, months, status in sorted(e.follow_ups):
                uppfoljningar.append([person.code, cfg["id"], iso(day), str(months), status])
    return deltagare, matningar, uppfoljningar


def write_csv(path, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(buffer.getvalue())


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as source:
        reader = csv.reader(source, delimiter=";")
        header = next(reader)
        return header, [dict(zip(header, row)) for row in reader if row]


# ---------------------------------------------------------------------------------------
# Checking what was written
# ---------------------------------------------------------------------------------------

def d(text):
    return dt.date.fromisoformat(text) if text else None


def load_enrolments(out_dir, forbund_id):
    """Reads the three files back into enrolments, the way the import attaches rows."""
    _, deltagare = read_csv(os.path.join(out_dir, f"{forbund_id}-deltagare.csv"))
    _, matningar = read_csv(os.path.join(out_dir, f"{forbund_id}-matningar.csv"))
    _, uppfoljningar = read_csv(os.path.join(out_dir, f"{forbund_id}-uppfoljningar.csv"))
    enrolments = []
    for row in deltagare:
        anonymous = row["samtycke"] == "nej"
        start = d(row["startdatum"])
        if anonymous:
            start = dt.date(start.year, 1, 1)
        e = dict(person=row["deltagare"] or None, insats=row["insats"], kon=row["kon"],
                 birth_year=int(row["fodelsear"]) if row["fodelsear"] else None,
                 kommun=row["kommun"] or None, anonymous=anonymous, start=start,
                 exit=d(row["slutdatum"]), reason=row["avslutsorsak"] or None,
                 measurements=[], follow_ups=[], row=row)
        if row["steg_start"]:
            e["measurements"].append((start, "steg", int(row["steg_start"])))
        if row["steg_slut"]:
            e["measurements"].append((e["exit"], "steg", int(row["steg_slut"])))
        enrolments.append(e)
    by_person = defaultdict(list)
    for e in enrolments:
        if e["person"]:
            by_person[(e["person"], e["insats"])].append(e)

    def last_day(e):
        if e["anonymous"] and not e["exit"]:
            return dt.date(e["start"].year, 12, 31)
        return e["exit"]

    for row in matningar:
        day = d(row["datum"])
        covering = [e for e in by_person[(row["deltagare"], row["insats"])]
                    if e["start"] <= day and (last_day(e) is None or last_day(e) >= day)]
        assert len(covering) == 1, ("measurement not covered by exactly one enrolment", row)
        e = covering[0]
        e["measurements"] = [m for m in e["measurements"]
                             if not (m[0] == day and m[1] == row["matt"])]
        e["measurements"].append((day, row["matt"], int(row["varde"])))
    for row in uppfoljningar:
        day = d(row["datum"])
        exits = [e for e in by_person[(row["deltagare"], row["insats"])]
                 if e["exit"] and e["exit"] <= day]
        assert exits, ("follow-up without exit", row)
        e = max(exits, key=lambda x: x["exit"])
        assert add_months(e["exit"], int(row["manader"])) == day, \
            ("follow-up attaches to another exit", row)
        e["follow_ups"].append((day, int(row["manader"]), row["sysselsattning"]))
    return enrolments, by_person, last_day


def check_rules(plan, enrolments, by_person, last_day):
    """The rules the import enforces (src/core/participant_rules.cc), plus the contract."""
    insatser = {i["id"]: i for i in plan["insatser"]}
    kommuner = {m["id"] for m in plan["medlemmar"] if m["typ"] == "kommun"}
    codes = dict(kon=set(KON), remittent={"fk", "af", "kommun", "region", "egen", "annan"},
                 forsorjning={"lon", "lonebidrag", "sjukpenning", "rehabiliteringspenning",
                              "aktivitetsersattning", "sjukersattning", "a_kassa",
                              "aktivitetsstod", "etableringsersattning", "forsorjningsstod",
                              "studiemedel", "ingen", "annan"},
                 sysselsattning={"arbete", "arbete_med_stod", "studier", "arbetssokande",
                                 "ingen", "okand"})
    ranges = {"steg": (1, 7), "halsa": (0, 100), "livskvalitet": (1, 10)}
    for e in enrolments:
        row = e["row"]
        insats = insatser[e["insats"]]
        assert insats["typ"] == "individ"
        assert row["kon"] in codes["kon"]
        start = dt.date.fromisoformat(insats["start"])
        end = dt.date.fromisoformat(insats["slut"]) if insats.get("slut") else None
        earliest = dt.date(start.year, 1, 1) if e["anonymous"] else start
        assert earliest <= e["start"] and (end is None or e["start"] <= end), row
        assert d(row["startdatum"]) <= SNAPSHOT, row
        if e["anonymous"]:
            assert all(row[c] == "" for c in DELTAGARE_HEADER
                       if c not in ("insats", "kon", "samtycke", "startdatum")), row
            continue
        assert any(ch.isalpha() for ch in e["person"]) and len(e["person"]) <= 64
        assert (row["slutdatum"] == "") == (row["avslutsorsak"] == ""), row
        if e["exit"]:
            assert e["start"] <= e["exit"] <= SNAPSHOT, row
            assert e["reason"] in EXIT_REASONS, row
        else:
            assert row["steg_slut"] == "" and row["forsorjning_slut"] == "", row
        rules = insats.get("malgrupp", {})
        age = e["start"].year - e["birth_year"]
        assert rules.get("alder_min", 0) <= age <= rules.get("alder_max", 120), (row, age)
        assert e["kommun"] in kommuner, row
        assert row["remittent"] in codes["remittent"], row
        for column in ("forsorjning_start", "forsorjning_slut"):
            for code in filter(None, row[column].split("|")):
                assert code in codes["forsorjning"], row
        for day, measure, value in e["measurements"]:
            low, high = ranges[measure]
            assert low <= value <= high, (row, measure, value)
            assert e["start"] <= day and (last_day(e) is None or day <= last_day(e)), (row, day)
            assert day <= SNAPSHOT
        for day, months, status in e["follow_ups"]:
            assert e["exit"] and day >= e["exit"] and day <= FOLLOW_UP_LIMIT, row
            assert months in (6, 12) and status in codes["sysselsattning"], row
    for key, same in by_person.items():
        same = sorted(same, key=lambda x: x["start"])
        starts = [x["start"] for x in same]
        assert len(set(starts)) == len(starts), key
        for previous, current in zip(same, same[1:]):
            assert previous["exit"] is not None and previous["exit"] <= current["start"], key
        assert len({(x["kon"], x["birth_year"], x["kommun"]) for x in same}) == 1, key


def figures(enrolments, insats_id, year):
    """The deltagare report's 2023 figures (src/report/participants.cc, PersonsIn)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    persons = {}
    for index, e in enumerate(enrolments):
        if e["insats"] != insats_id or e["reason"] == "felregistrering":
            continue
        end = e["exit"] if e["exit"] else (dt.date(e["start"].year, 12, 31) if e["anonymous"]
                                           else None)
        if not (e["start"] <= last and (end is None or end >= first)):
            continue
        key = e["person"] or f"anonym:{index}"
        facts = persons.setdefault(key, dict(kon=e["kon"], latest=e["start"], new=False,
                                             exit=None, exit_date=None, kommun=e["kommun"]))
        if facts["latest"] <= e["start"]:
            facts["kon"], facts["latest"] = e["kon"], e["start"]
        facts["new"] = facts["new"] or first <= e["start"] <= last
        if e["exit"] and first <= e["exit"] <= last and \
                (facts["exit"] is None or facts["exit_date"] <= e["exit"]):
            facts["exit"], facts["exit_date"] = e["reason"], e["exit"]
    result = dict(women=0, men=0, annat=0, new=0, exits=0, groups=Counter(),
                  exit_kon=Counter(), by_kommun=Counter())
    for facts in persons.values():
        result[{"kvinna": "women", "man": "men", "annat": "annat"}[facts["kon"]]] += 1
        result["new"] += facts["new"]
        result["by_kommun"][(facts["kommun"], facts["kon"], "new" if facts["new"] else "carry")] += 1
        if facts["exit"]:
            result["exits"] += 1
            result["groups"][GROUP_OF[facts["exit"]]] += 1
            result["exit_kon"][facts["kon"]] += 1
    result["groups"] = {g: result["groups"].get(g, 0) for g in EXIT_GROUPS}
    return result


def steg_figures(enrolments, insats_id, year):
    """First against latest ladder step, enrolments overlapping the year with two steps."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counts = Counter()
    for e in enrolments:
        if e["insats"] != insats_id or e["anonymous"] or e["reason"] == "felregistrering":
            continue
        if not (e["start"] <= last and (e["exit"] is None or e["exit"] >= first)):
            continue
        steps = sorted((day, value) for day, measure, value in e["measurements"]
                       if measure == "steg" and day <= last)
        if len(steps) < 2:
            continue
        change = steps[-1][1] - steps[0][1]
        counts["n"] += 1
        counts["closer" if change > 0 else "further" if change < 0 else "unchanged"] += 1
    return counts


def follow_up_figures(enrolments, insats_id, year):
    counts = Counter()
    for e in enrolments:
        if e["insats"] != insats_id or not e["exit"] or e["exit"].year != year:
            continue
        if e["reason"] not in WORK_OR_STUDIES:
            continue
        counts["left"] += 1
        for day, months, status in e["follow_ups"]:
            counts[f"followed_{months}"] += 1
            counts[f"still_{months}"] += status in WORK_OR_STUDIES
    return counts


# ---------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(DEMO, "participants"),
                        help="where to write the files (default demo/participants)")
    parser.add_argument("--plans", default=DEMO,
                        help="folder with the plan files FORBUND.json (default demo)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    failures = []
    for forbund in FORBUND:
        with open(os.path.join(args.plans, f"{forbund['id']}.json"), encoding="utf-8") as source:
            plan = json.load(source)
        assert plan["forbund"]["id"] == forbund["id"]
        generator = Generator(forbund, plan)
        all_rows = ([], [], [])
        targets = {}
        for cfg in forbund["insatser"]:
            rng = random.Random(f"stegvis-demo-participants/{forbund['id']}/{cfg['id']}")
            persons = generator.build(cfg, rng)
            generator.add_follow_ups(persons, rng)
            assign_codes(forbund, cfg, persons)
            persons.sort(key=lambda p: (p.anonymous, p.code, p.enrolments[0].start, p.kon))
            for rows, new_rows in zip(all_rows, rows_for(cfg, persons)):
                rows.extend(new_rows)
            targets[cfg["id"]] = (generator.targets(cfg), cfg)
        write_csv(os.path.join(args.out, f"{forbund['id']}-deltagare.csv"), DELTAGARE_HEADER,
                  all_rows[0])
        write_csv(os.path.join(args.out, f"{forbund['id']}-matningar.csv"), MATNINGAR_HEADER,
                  all_rows[1])
        write_csv(os.path.join(args.out, f"{forbund['id']}-uppfoljningar.csv"),
                  UPPFOLJNINGAR_HEADER, all_rows[2])

        # Read back and check.
        enrolments, by_person, last_day = load_enrolments(args.out, forbund["id"])
        check_rules(plan, enrolments, by_person, last_day)
        anonymous = sum(e["anonymous"] for e in enrolments)
        print(f"== {forbund['id']}: {len(all_rows[0])} deltagare rows ({anonymous} without "
              f"consent, {100 * anonymous / len(enrolments):.1f} %), {len(all_rows[1])} "
              f"matningar rows, {len(all_rows[2])} uppfoljningar rows")
        for note in dict.fromkeys(generator.notes):
            print(f"   note: {note}")
        for insats_id, (target, cfg) in targets.items():
            got = figures(enrolments, insats_id, YEAR)
            groups = " ".join(f"{g}={got['groups'][g]}" for g in EXIT_GROUPS)
            print(f"   {insats_id} {YEAR}: kvinnor={got['women']} man={got['men']} "
                  f"nya={got['new']} avslutade={got['exits']} [{groups}]")
            expected = [("women", target["women"]), ("men", target["men"]),
                        ("annat", 0), ("new", target["new"]), ("exits", target["exits"]),
                        ("groups", target["groups"])]
            for key, value in expected:
                if got[key] != value:
                    failures.append(f"{forbund['id']}/{insats_id}: {key} {got[key]} != {value}")
            if cfg["exit_kon"] and dict(got["exit_kon"]) != cfg["exit_kon"]:
                failures.append(f"{insats_id}: exits by kön {dict(got['exit_kon'])}")
            if cfg["exit_kon"]:
                print(f"      avslutade by kön: {dict(sorted(got['exit_kon'].items()))}")
            if cfg["by_kommun"]:
                for (kommun, kon), (c, n) in sorted(cfg["by_kommun"].items()):
                    have = (got["by_kommun"][(kommun, kon, "carry")],
                            got["by_kommun"][(kommun, kon, "new")])
                    print(f"      {kommun} {kon}: vid årsskiftet {have[0]}, nya {have[1]}")
                    if have != (c, n):
                        failures.append(f"{insats_id}: {kommun} {kon} {have} != {(c, n)}")
            for year in (2022, 2024):
                other = figures(enrolments, insats_id, year)
                print(f"      ({year}: kvinnor={other['women']} man={other['men']} "
                      f"annat={other['annat']} nya={other['new']} avslutade={other['exits']})")
            steg = steg_figures(enrolments, insats_id, YEAR)
            print(f"      steg {YEAR}: n={steg['n']} närmare={steg['closer']} "
                  f"oförändrat={steg['unchanged']} längre bort={steg['further']}")
            follow = follow_up_figures(enrolments, insats_id, YEAR)
            if follow["left"]:
                print(f"      uppföljning (avslut {YEAR} till arbete/studier {follow['left']}): "
                      f"6 mån {follow['still_6']}/{follow['followed_6']} kvar, "
                      f"12 mån {follow['still_12']}/{follow['followed_12']} kvar")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print(f"All {YEAR} figures equal the targets.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
