"""Recall and precision of the PII detectors on values the detectors were not written against.

    .venv/bin/python bench/pii_faker_eval.py [--n 300] [--errors 5]

The labelled corpus in tests/fixtures/ingest/pii_corpus.jsonl was written together with the
detectors, so its figures are optimistic. Here the values come from Faker (an independent
fake-data library, many locales) and sit in plain sentences; negatives are Faker values
that are *not* PII but look like it (EAN barcodes, ISBNs, dates, times, prices, order and
tracking numbers, version strings). Faker's British "ssn" (ZZ 123456 T) is left out: ZZ and
the suffix T are placeholders that no real National Insurance number uses. A PII value counts as found when a token of its kind
replaced it (the raw value is gone); any token in a negative sentence is a false positive.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter, defaultdict

from faker import Faker

from assay.ingest import Scrubber

LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "pt_BR", "nl_NL"]
TEMPLATES = ["Hi, it's about my order, you can reach me at {v} if needed.", "{v}", "Please update the details to {v}, thanks.",
             "Mein Kontakt: {v}. Danke!", "Mon contact : {v}", "contacto {v} por favor"]
NEG_TEMPLATES = ["My order {v} has not arrived yet.", "Reference: {v}", "It happened at {v} yesterday.", "version {v} crashes"]
TOKEN = re.compile(r"<([A-Z_]+)_[0-9a-f]{6}>")


def positives(fake: Faker, locale: str) -> list[tuple[str, str]]:
    out = [("EMAIL", fake.email()), ("EMAIL", fake.free_email()), ("PHONE", fake.phone_number()),
           ("IP", fake.ipv4_public()), ("IP", fake.ipv6()), ("CARD", fake.credit_card_number()), ("IBAN", fake.iban()),
           ("ADDRESS", fake.street_address())]
    if locale == "en_US":
        out.append(("SSN", fake.ssn()))
    if locale == "es_ES":
        out.append(("NATIONAL_ID", fake.nif()))
    return out


def negatives(fake: Faker, r: random.Random) -> list[str]:
    return [fake.ean13(), fake.isbn13(), fake.date(), fake.time(), fake.date_time().isoformat(sep=" "),
            f"{r.randint(1, 9999)}.{r.randint(0, 99):02d} EUR", f"#{r.randint(10**5, 10**9)}", f"{r.randint(1, 20)}.{r.randint(0, 30)}.{r.randint(0, 99)}",
            f"1Z{r.randint(10**15, 10**16 - 1)}", fake.postcode(), f"{r.randint(1, 31)}/{r.randint(1, 12)}/{r.randint(2000, 2030)}"]


def evaluate(n: int) -> tuple[dict[str, dict[str, object]], dict[str, list[str]], dict[str, list[str]], int]:
    """Per kind: values, recall, false positives, precision, weakest locale (+ misses, false positives)."""
    r = random.Random(7)
    s = Scrubber(b"faker-eval")
    tp: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    fp: Counter[str] = Counter()
    misses: dict[str, list[str]] = defaultdict(list)
    false_pos: dict[str, list[str]] = defaultdict(list)
    n_neg = 0
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(1234)
        for _ in range(n):
            for kind, value in positives(fake, locale):
                text = r.choice(TEMPLATES).format(v=value.replace("\n", ", "))
                out = s.scrub(text)
                total[(kind, locale)] += 1
                core = value.split("\n")[0]
                if any(k == kind for k in TOKEN.findall(out)) and core not in out:
                    tp[(kind, locale)] += 1
                else:
                    misses[kind].append(f"{locale}: {value!r} -> {out!r}")
            for value in negatives(fake, r):
                n_neg += 1
                out = s.scrub(r.choice(NEG_TEMPLATES).format(v=value))
                for k in TOKEN.findall(out):
                    fp[k] += 1
                    false_pos[k].append(f"{locale}: {value!r} -> {out!r}")
    table: dict[str, dict[str, object]] = {}
    for kind in sorted({k for k, _ in total}):
        t = sum(v for (k, _), v in total.items() if k == kind)
        hit = sum(v for (k, _), v in tp.items() if k == kind)
        worst = min((loc for (k, loc) in total if k == kind), key=lambda loc: tp[(kind, loc)] / total[(kind, loc)])
        table[kind] = {"values": t, "recall": hit / t, "false_positives": fp[kind],
                       "precision": hit / (hit + fp[kind]) if hit + fp[kind] else float("nan"),
                       "weakest": f"{worst} {tp[(kind, worst)] / total[(kind, worst)]:.0%}",
                       "by_locale": {loc: tp[(kind, loc)] / total[(kind, loc)] for (k, loc) in total if k == kind}}
    return table, misses, false_pos, n_neg


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300, help="draws per locale")
    ap.add_argument("--errors", type=int, default=0, help="show this many misses and false positives per kind")
    ap.add_argument("--locales", action="store_true", help="recall per locale under each kind")
    args = ap.parse_args()
    table, misses, false_pos, n_neg = evaluate(args.n)
    print(f"Faker values, {len(LOCALES)} locales x {args.n} draws; {n_neg:,} look-alike negatives\n")
    print("| kind | values | recall | false positives on negatives | precision | lowest-recall locale |")
    print("|---|---:|---:|---:|---:|---|")
    for kind, row in table.items():
        print(f"| {kind} | {row['values']:,} | {row['recall']:.1%} | {row['false_positives']} | {row['precision']:.1%} | {row['weakest']} |")
        if args.locales:
            print("|  | " + ", ".join(f"{loc} {r:.0%}" for loc, r in row["by_locale"].items()) + " | | | | |")
    if args.errors:
        for kind in table:
            for line in misses[kind][: args.errors]:
                print(f"miss {kind}: {line}")
        for kind, lines in false_pos.items():
            for line in lines[: args.errors]:
                print(f"false positive {kind}: {line}")


if __name__ == "__main__":
    main()
