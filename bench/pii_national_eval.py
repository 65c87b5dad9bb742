"""Recall and false alarms of the NATIONAL_ID detector, number by number.

    .venv/bin/python bench/pii_national_eval.py [--n 300] [--errors 3]

Values: Faker's (an independent fake-data library) where it has a generator, kept only
when python-stdnum says they are valid (Faker's Korean, Chinese and Aadhaar numbers mostly
are not); otherwise random digits completed with the check digit that python-stdnum
accepts. Each value is put in a sentence twice: once with no word naming it ("Details:
{v} (as on the form)."), once after the word people write before it, in its language
("Mój numer PESEL to {v}."). Negatives: every value again with its last check character
changed so that python-stdnum rejects it, in both sentences, and numbers of the same
shapes that are not identity numbers (order, tracking and invoice numbers, 18-digit
snowflake ids, 15-digit IMEIs, card-like and IBAN-like digit groups, product codes).
A value counts as found when a NATIONAL_ID token replaced it; any NATIONAL_ID token in a
negative sentence is a false positive. The sentences are this project's own (synthetic).
"""

from __future__ import annotations

import argparse
import importlib
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import cache

from faker import Faker

from assay.ingest import Scrubber

TOKEN = re.compile(r"<NATIONAL_ID_[0-9a-f]{6}>")
UNLABELLED = "Details: {v} (as on the form)."


@cache
def F(locale: str) -> Faker:  # noqa: N802
    return Faker(locale)


def _valid(module: str) -> Callable[[str], bool]:
    return importlib.import_module(f"stdnum.{module}").is_valid  # type: ignore[no-any-return]


def completed(r: random.Random, module: str, body: Callable[[random.Random], str], fmt: Callable[[str], str] = str) -> str:
    """A random number of ``body``'s shape whose last digit python-stdnum accepts."""
    ok = _valid(module)
    while True:
        b = body(r)
        for d in "0123456789":
            if ok(b + d):
                return fmt(b + d)


def _digits(n: int, first: str = "123456789") -> Callable[[random.Random], str]:
    return lambda r: r.choice(first) + "".join(r.choice("0123456789") for _ in range(n - 1))


def _dk_body(r: random.Random) -> str:
    return f"{r.randint(1, 28):02d}{r.randint(1, 12):02d}{r.randint(40, 99):02d}{r.randint(0, 999):03d}"


def _be_body(r: random.Random) -> str:
    body = f"{r.randint(40, 99):02d}{r.randint(1, 12):02d}{r.randint(1, 28):02d}{r.randint(1, 997):03d}"
    return body + f"{97 - int(body) % 97:02d}"[:1]


# name -> (stdnum module, draw a value, labelled template, unlabelled shape is detected)
NUMBERS: dict[str, tuple[str, Callable[[Faker, random.Random], str], str, bool]] = {
    "IT codice fiscale": ("it.codicefiscale", lambda f, r: F("it_IT").ssn(), "Il mio codice fiscale è {v}.", True),
    "FR NIR": ("fr.nir", lambda f, r: F("fr_FR").ssn(), "Mon numéro de sécurité sociale : {v}", True),
    "MX CURP": ("mx.curp", lambda f, r: F("es_MX").curp(), "Mi CURP es {v}", True),
    "CN resident id": ("cn.ric", lambda f, r: F("zh_CN").ssn(), "我的身份证号码是{v}", True),
    "KR RRN": ("kr.rrn", lambda f, r: F("ko_KR").ssn(), "주민등록번호: {v}", True),
    "SE personnummer": ("se.personnummer", lambda f, r: F("sv_SE").ssn(), "Mitt personnummer är {v}.", True),
    "FI henkilötunnus": ("fi.hetu", lambda f, r: F("fi_FI").ssn(), "Henkilötunnus: {v}", True),
    "CH AHV": ("ch.ssn", lambda f, r: F("de_CH").ssn(), "Meine AHV-Nummer ist {v}.", True),
    "BR CPF": ("br.cpf", lambda f, r: F("pt_BR").cpf(), "Meu CPF é {v}.", True),
    "IN Aadhaar": ("in_.aadhaar", lambda f, r: completed(r, "in_.aadhaar", _digits(11, "23456789"),
                                                         lambda v: f"{v[:4]} {v[4:8]} {v[8:]}"), "My Aadhaar number is {v}.", True),
    "IN PAN": ("in_.pan", lambda f, r: "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3)) + r.choice("ABCFGHLJPT")
               + r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + f"{r.randint(1, 9999):04d}" + r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
               "PAN: {v}", True),
    "PL PESEL": ("pl.pesel", lambda f, r: F("pl_PL").pesel(), "Mój numer PESEL to {v}.", False),
    "NL BSN": ("nl.bsn", lambda f, r: F("nl_NL").ssn(), "Mijn BSN is {v}.", False),
    "DE Steuer-ID": ("de.idnr", lambda f, r: completed(r, "de.idnr", _digits(10)), "Meine Steuer-ID lautet: {v}", False),
    "CA SIN": ("ca.sin", lambda f, r: F("en_CA").ssn(), "My SIN is {v}.", False),
    "TR TC Kimlik": ("tr.tckimlik", lambda f, r: F("tr_TR").ssn(), "TC Kimlik No: {v}", False),
    "NO fødselsnummer": ("no.fodselsnummer", lambda f, r: F("no_NO").ssn(), "Fødselsnummer: {v}", False),
    "BE rijksregisternummer": ("be.nn", lambda f, r: completed(r, "be.nn", _be_body), "Rijksregisternummer: {v}", False),
    "PT NIF": ("pt.nif", lambda f, r: completed(r, "pt.nif", _digits(8, "12356789")), "O meu NIF é {v}.", False),
    "DK CPR": ("dk.cpr", lambda f, r: completed(r, "dk.cpr", _dk_body, lambda v: f"{v[:6]}-{v[6:]}"), "CPR-nummer: {v}", False),
}
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def broken(value: str, ok: Callable[[str], bool], r: random.Random) -> str | None:
    """``value`` with its last character changed so that the check fails (None if none does)."""
    pool = "0123456789" if value[-1].isdigit() else _ALNUM
    for c in r.sample(pool, len(pool)):
        v = value[:-1] + c
        if c != value[-1] and not ok(v):
            return v
    return None


def look_alikes(r: random.Random) -> list[str]:
    """Numbers shaped like identity numbers that are not, in sentences that say what they are."""
    d = lambda n: "".join(r.choice("0123456789") for _ in range(n))  # noqa: E731
    return [
        f"Order {r.randint(1, 9)}{d(10)} has shipped.", f"Tracking number: {d(12)}", f"Invoice {d(9)} is overdue.",
        f"user id {r.randint(1, 9)}{d(17)} joined the channel", f"IMEI {r.randint(1, 9)}{d(14)}",
        f"ticket {d(4)} {d(4)} {d(4)} was merged", f"ref {d(6)}-{d(4)}", f"batch {d(6)}-{d(7)}",
        f"SKU {''.join(r.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') for _ in range(10))}",
        f"paid with {d(4)} {d(4)} {d(4)} {d(4)}", f"account {d(3)}.{d(3)}.{d(3)}-{d(2)} (internal)",
        f"transaction {r.randint(1, 2)}{d(14)}", f"build {d(6)}+{d(4)}",
    ]


def bare_look_alikes(r: random.Random) -> list[str]:
    """Random numbers of the digit-only shapes with no word around them: what the shapes and
    checks alone let through."""
    d = lambda n: "".join(r.choice("0123456789") for _ in range(n))  # noqa: E731
    return [f"Details: {d(4)} {d(4)} {d(4)}", f"Details: {r.randint(1, 9)}{d(14)}", f"Details: {r.randint(1, 9)}{d(17)}",
            f"Details: {d(3)}.{d(3)}.{d(3)}-{d(2)}", f"Details: {d(6)}-{d(4)}", f"Details: {d(6)}-{d(7)}"]


def evaluate(n: int) -> tuple[dict[str, dict[str, float]], dict[str, list[str]], int, list[str], int, int]:
    r = random.Random(11)
    Faker.seed(5)
    s = Scrubber(b"national-eval")
    table: dict[str, dict[str, float]] = {}
    errors: dict[str, list[str]] = defaultdict(list)
    for name, (module, draw, template, _) in NUMBERS.items():
        ok = _valid(module)
        hits: Counter[str] = Counter()
        fps = drawn = 0
        tries = 0
        while drawn < n and tries < 50 * n:
            tries += 1
            v = draw(None, r)  # type: ignore[arg-type]
            if not ok(v):
                continue
            drawn += 1
            for ctx, tmpl in (("unlabelled", UNLABELLED), ("labelled", template)):
                text = tmpl.format(v=v)
                out = s.scrub(text)
                if TOKEN.search(out) and v not in out:
                    hits[ctx] += 1
                elif ctx == "labelled" or NUMBERS[name][3]:
                    errors[name].append(f"miss ({ctx}): {text!r} -> {out!r}")
            bad = broken(v, ok, r)
            if bad is not None:
                for tmpl in (UNLABELLED, template):
                    out = s.scrub(tmpl.format(v=bad))
                    if TOKEN.search(out):
                        fps += 1
                        errors[name].append(f"false positive: {tmpl.format(v=bad)!r} -> {out!r}")
        table[name] = {"values": drawn, "unlabelled": hits["unlabelled"] / drawn, "labelled": hits["labelled"] / drawn,
                       "false_positives": fps, "negatives": 2 * drawn}
    n_look, look_fps = 0, []
    for _ in range(n):
        for text in look_alikes(r):
            n_look += 1
            out = s.scrub(text)
            if TOKEN.search(out):
                look_fps.append(f"{text!r} -> {out!r}")
    n_bare, bare_fps = 0, 0
    for _ in range(n):
        for text in bare_look_alikes(r):
            n_bare += 1
            bare_fps += bool(TOKEN.search(s.scrub(text)))
    return table, errors, n_look, look_fps, n_bare, bare_fps


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300, help="values per number")
    ap.add_argument("--errors", type=int, default=0, help="show this many misses and false positives per number")
    args = ap.parse_args()
    table, errors, n_look, look_fps, n_bare, bare_fps = evaluate(args.n)
    print("| number | values | found, no word before it | found after its word | false positives (check digit changed) |")
    print("|---|---:|---:|---:|---:|")
    for name, row in table.items():
        unl = f"{row['unlabelled']:.1%}" if NUMBERS[name][3] else f"({row['unlabelled']:.1%})"
        print(f"| {name} | {row['values']:,} | {unl} | {row['labelled']:.1%} | {row['false_positives']} of {row['negatives']:,} |")
    print(f"\nlook-alikes (order, tracking, snowflake, IMEI, card and product numbers): "
          f"{len(look_fps)} false positives of {n_look:,}")
    print(f"random digits of the digit-only shapes, no word around them (12 in groups of 4, 15, 18, CPF-, "
          f"personnummer- and RRN-shaped): {bare_fps} taken for identity numbers of {n_bare:,}")
    if args.errors:
        for name, lines in errors.items():
            for line in lines[: args.errors]:
                print(f"{name}: {line}")
        for line in look_fps[: args.errors * 3]:
            print(f"look-alike: {line}")


if __name__ == "__main__":
    main()
