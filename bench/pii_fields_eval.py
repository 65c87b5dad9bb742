"""Recall and false positives of PII scrubbing in metadata fields whose key says what they hold.

    .venv/bin/python bench/pii_fields_eval.py [--n 100] [--errors 5]

Production logs carry user profile fields in their metadata: ``{"phone": ...}``,
``{"customerEmail": ...}``, ``{"shipping_address": ...}``, ``{"customer_name": ...}``. Their values come from Faker (8
locales), under key names apps use, in the forms they take there: a phone number as Faker
writes it, as bare digits and as a JSON number; an e-mail plainly and written around filters
("bob at example dot com"); a street address and a whole postal address; a first name, a
last name and a full name. Negatives are fields
whose key only looks like such a name (``phone_verified``, ``mobile_build``, ``mail_server``,
``ip_address`` holds no place, ``product_name``, ``company_legal_name``, a tool's ``name``) or
whose value is none (``"N/A"``, a date, a city). A value counts
as found when the field became a token of its kind; any token in a negative is a false positive.
Each value is also put, as the same field in JSON, into a message ("in a message": a tool call's
arguments as the OpenAI shape writes them). A name is also written in a sentence of its record
("named in its record": ingest gives it the field's token there).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter, defaultdict
from typing import Any

from faker import Faker

from assay.ingest import Scrubber

LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "pt_BR", "nl_NL"]
KEYS = {
    "EMAIL": ["email", "customer_email", "userEmail", "contact.email", "E-Mail"],
    "PHONE": ["phone", "phone_number", "phoneNumber", "mobile", "customer.phone", "whatsapp", "msisdn"],
    "ADDRESS": ["address", "shipping_address", "street_address", "billing_address", "addressLine1"],
    "PERSON": ["first_name", "lastName", "full_name", "customer_name", "customer.fullName", "cardholder_name", "contact.first_name",
               "recipientName", "surname"],
}
TOKEN = re.compile(r"<([A-Z_]+)_[0-9a-f]{6}>")


def _field(key: str, value: Any) -> dict[str, Any]:
    """``{"a.b": v}`` as ``{"a": {"b": v}}``: nested, as apps log a profile."""
    head, _, rest = key.partition(".")
    return {head: _field(rest, value)} if rest else {key: value}


def _leaf(d: Any) -> Any:
    while isinstance(d, dict):
        (d,) = d.values()
    return d


def _obfuscated(email: str, r: random.Random) -> str:
    local, _, domain = email.partition("@")
    return r.choice([f"{local} at {domain.replace('.', ' dot ')}", f"{local}[at]{domain}", f"{local} (at) {domain}",
                     f"{local} [at] {domain.replace('.', ' [dot] ')}"])


def positives(fake: Faker, r: random.Random) -> list[tuple[str, str, Any]]:
    """(kind, form, value)"""
    phone = fake.phone_number()
    bare = re.sub(r"\s*(?:x|ext\.?)\s*\d+$", "", phone)  # (an extension is not part of the number)
    digits = ("+" if phone.startswith("+") else "") + re.sub(r"\D", "", bare)
    msisdn = fake.msisdn()
    email = fake.email()
    return [
        ("EMAIL", "plain", fake.free_email()), ("EMAIL", "around filters", _obfuscated(email, r)),
        ("PHONE", "as written", phone), ("PHONE", "bare digits", digits), ("PHONE", "JSON number", int(msisdn)),
        ("ADDRESS", "street", fake.street_address()), ("ADDRESS", "postal address", fake.address()),
    ]


def name_positives(fake: Faker) -> list[tuple[str, str, Any]]:
    """(Names were added later, drawn from their own generators, so the draws above stay as they were.)"""
    return [("PERSON", "first name", fake.first_name()), ("PERSON", "last name", fake.last_name()), ("PERSON", "full name", fake.name())]


def negatives(fake: Faker, r: random.Random) -> list[dict[str, Any]]:
    return [
        {"phone_verified": r.choice([True, False])}, {"phone_country_code": str(r.randint(1, 999))},
        {"mobile_app_version": f"{r.randint(1, 20)}.{r.randint(0, 30)}.{r.randint(0, 99)}"},
        {"mobile_build": fake.date().replace("-", "")}, {"cell_id": str(r.randint(10**11, 10**12))},
        {"telemetry_id": str(r.randint(10**7, 10**9))}, {"email_count": r.randint(0, 500)},
        {"email_template": r.choice(["welcome_v2", "reset-password", "order_shipped"])}, {"email_opt_in": r.choice(["yes", "no"])},
        {"mail_server": fake.hostname()}, {"address_type": r.choice(["billing", "shipping", "home"])},
        {"street_number": fake.building_number()}, {"wallet_address": "0x" + fake.sha1()[:40]},
        {"order_number": str(r.randint(10**6, 10**10))}, {"hotel": fake.company()},
        {"email": r.choice(["unknown", "N/A", "none", "", "redacted"])}, {"phone": fake.date()},
        {"address": fake.city()}, {"delivery": {"address": r.choice(["N/A", "unknown", "-"])}},
    ]


def name_negatives(fake: Faker, r: random.Random) -> list[dict[str, Any]]:
    return [
        {"name": r.choice(["get_order", "start_return", "search_docs"])}, {"product_name": fake.catch_phrase()},
        {"company_name": fake.company()}, {"file_name": fake.file_name()}, {"model_name": r.choice(["gpt-4o-mini", "claude-sonnet-4"])},
        {"tool_name": r.choice(["lookup_customer", "create_ticket"])}, {"display_name": fake.user_name()},
        {"user_name": fake.user_name()}, {"company_legal_name": fake.company()}, {"first_name_verified": r.choice([True, False])},
        {"last_name_length": r.randint(2, 20)}, {"first_name": r.choice(["string", "N/A", "", "unknown"])},
        {"customer": {"name_id": str(r.randint(1000, 99999))}}, {"app_name": fake.word()},
    ]


def evaluate(n: int) -> tuple[dict[tuple[str, str], list[int]], Counter[str], int, dict[str, list[Any]], list[Any]]:
    r, rn = random.Random(11), random.Random(12)
    s = Scrubber(b"fields-eval")
    found: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    fp: Counter[str] = Counter()
    n_neg = 0
    misses: dict[str, list[Any]] = defaultdict(list)
    false_pos: list[Any] = []
    for locale in LOCALES:
        fake, fake_names = Faker(locale), Faker(locale)
        fake.seed_instance(11)
        fake_names.seed_instance(12)
        for _ in range(n):
            for kind, form, value in positives(fake, r) + name_positives(fake_names):
                key = (rn if kind == "PERSON" else r).choice(KEYS[kind])
                out = _leaf(s.scrub_json(_field(key, value)))
                m = TOKEN.fullmatch(out) if isinstance(out, str) else None
                hit = m is not None and m.group(1) == kind
                found[(kind, form)][0] += hit
                found[(kind, form)][1] += 1
                if not hit:
                    misses[kind].append((locale, key, value, out))
                # the same field as JSON inside a message (a tool call's arguments, a tool's result)
                text = s.scrub(f"[tool_call lookup_customer {json.dumps(_field(key, value), ensure_ascii=False)}]")
                try:
                    leaf = _leaf(json.loads(text[len("[tool_call lookup_customer "):-1]))
                    m = TOKEN.fullmatch(leaf) if isinstance(leaf, str) else None
                    hit = m is not None and m.group(1) == kind
                except json.JSONDecodeError:  # a number replaced by a bare token: no longer JSON
                    hit = f"<{kind}_" in text and str(value) not in text
                found[(kind, "in a message")][0] += hit
                found[(kind, "in a message")][1] += 1
                if kind == "PERSON":  # the name from the field, written in the record's message
                    s.names_begin()
                    s.scrub_json(_field(key, value))
                    said = rn.choice(["Hi, this is {} speaking.", "Dear {}, your parcel is on its way.", "{} here: where is my order?",
                                     "Thanks {}!", "Name on the card: {}"]).format(value)
                    out = s.with_names(s.scrub(said), s.names_found())
                    found[(kind, "named in its record")][0] += value not in out and "<PERSON_" in out
                    found[(kind, "named in its record")][1] += 1
            for neg in negatives(fake, r) + name_negatives(fake_names, rn):
                n_neg += 1
                out = s.scrub_json(neg)
                if out != neg:
                    fp[next(iter(neg))] += 1
                    false_pos.append((locale, neg, out))
    return found, fp, n_neg, misses, false_pos


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100, help="draws per locale")
    ap.add_argument("--errors", type=int, default=5, help="misses and false positives to show per kind")
    args = ap.parse_args()
    found, fp, n_neg, misses, false_pos = evaluate(args.n)
    print(f"{'kind':8s} {'form':16s} {'values':>7s} {'recall':>7s}")
    for kind in KEYS:
        got = [found[k] for k in found if k[0] == kind]
        for (k, form), (hit, total) in found.items():
            if k == kind:
                print(f"{kind:8s} {form:16s} {total:7d} {hit / total:7.1%}")
        print(f"{kind:8s} {'all':16s} {sum(t for _, t in got):7d} {sum(h for h, _ in got) / sum(t for _, t in got):7.1%}")
    print(f"negatives: {n_neg}, false positives: {sum(fp.values())} {dict(fp)}")
    for kind, items in misses.items():
        for item in items[:args.errors]:
            print(f"  missed {kind}: {item}")
    for item in false_pos[:args.errors]:
        print(f"  false positive: {item}")


if __name__ == "__main__":
    main()
