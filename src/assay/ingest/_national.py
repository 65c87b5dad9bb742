"""National identity and tax numbers beyond the US SSN: where they are found, and their checks.

Two ways a number is taken for one:

* **By its shape and check alone**, for numbers whose written form few other things share:
  the Italian codice fiscale, the Mexican CURP, the Indian PAN, the Finnish henkilötunnus,
  the Korean resident registration number, the Swedish personnummer (``YYMMDD-NNNN``), the
  Brazilian CPF as written (``123.456.789-09``), the Swiss AHV number (``756.1234.5678.97``),
  the Aadhaar number in its printed groups (``2345 6789 0123``), the French NIR and the
  Chinese resident identity number. Each must pass its check digit(s) and, where it holds
  one, a real birth date.
* **After a word that names it** (``PESEL``, ``BSN``, ``Steuer-ID``, ``SIN``, ``CPF``,
  ``Aadhaar``, ``TC Kimlik No``, ``fødselsnummer``, ``rijksregisternummer``, ``NIF``,
  ``CPR``, ...), for numbers that are plain runs of 8 to 13 digits, which order, account
  and phone numbers also are: the number must then pass the check of a number that word
  names.

The checks are python-stdnum's (a library of validators for standard numbers); this module
decides what is a candidate, which is where false alarms come from. The UK National
Insurance number and the Spanish DNI/NIE, checked here too, predate this module.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from functools import cache

# ------------------------------------------------------------------ the checks


@cache
def stdnum_check(name: str) -> Callable[[str], bool]:
    """``stdnum.<name>.is_valid``, imported on first use (each module costs a few ms)."""
    return importlib.import_module(f"stdnum.{name}").is_valid  # type: ignore[no-any-return]


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni_ok(value: str) -> bool:
    v = value.upper().replace("-", "").replace(" ", "")
    v = {"X": "0", "Y": "1", "Z": "2"}.get(v[0], v[0]) + v[1:]
    return v[:-1].isdigit() and _DNI_LETTERS[int(v[:-1]) % 23] == v[-1]


def _nino_ok(value: str) -> bool:
    return True  # the pattern's letter rules are the check


# name -> (pattern of the whole written number, check). The new patterns hold ASCII digits only.
SHAPES: dict[str, tuple[str, Callable[[str], bool]]] = {
    "uk_nino": (r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]", _nino_ok),
    "es_dni": (r"[0-9]{8}-?[A-Z]|[XYZ]-?[0-9]{7}-?[A-Z]", dni_ok),
    # 16 characters; omocodia swaps digits for the letters LMNPQRSTUV, from the right, so the
    # year's two digits are the last it reaches (and letters there would make English words
    # such as "temperature" candidates)
    "it_codicefiscale": (r"[A-Za-z]{6}[0-9]{2}[A-EHLMPR-Ta-ehlmpr-t][0-9LMNP-Vlmnp-v]{2}[A-Za-z][0-9LMNP-Vlmnp-v]{3}[A-Za-z]",
                         lambda v: stdnum_check("it.codicefiscale")(v)),
    "mx_curp": (r"[A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9]", lambda v: stdnum_check("mx.curp")(v)),
    "in_pan": (r"[A-Z]{3}[ABCFGHJLPT][A-Z][0-9]{4}[A-Z]", lambda v: stdnum_check("in_.pan")(v)),
    "fi_hetu": (r"[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-FHJ-NPR-Y]", lambda v: stdnum_check("fi.hetu")(v)),
    "kr_rrn": (r"[0-9]{6}-[1-8][0-9]{6}", lambda v: stdnum_check("kr.rrn")(v)),
    "se_personnummer": (r"(?:19|20)?[0-9]{6}[-+][0-9]{4}", lambda v: stdnum_check("se.personnummer")(v)),
    "br_cpf": (r"[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}", lambda v: stdnum_check("br.cpf")(v)),
    "ch_ahv": (r"756\.[0-9]{4}\.[0-9]{4}\.[0-9]{2}", lambda v: stdnum_check("ch.ssn")(v)),
    "in_aadhaar": (r"[2-9][0-9]{3} [0-9]{4} [0-9]{4}", lambda v: stdnum_check("in_.aadhaar")(v)),
    # sex, year, month (20+ for some born abroad), department (2A/2B: Corsica), commune, order, key
    "fr_nir": (r"[12] ?[0-9]{2} ?(?:0[1-9]|1[0-2]|[2-9][0-9]) ?(?:[0-9]{2}|2[ABab]) ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}",
               lambda v: stdnum_check("fr.nir")(v)),
    "cn_ric": (r"[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]",
               lambda v: stdnum_check("cn.ric")(v)),
}

# The candidates, longest shapes first where two can start alike; a candidate is a national
# number when one shape it wholly matches passes its check.
# (not part of a longer run of digit groups: the start of a card or an IBAN's groups)
_EDGE_BEFORE = r"(?<![A-Za-z0-9])(?<![0-9][ .-])"
_EDGE_AFTER = r"(?![A-Za-z0-9]|[ .-][0-9])"
NATIONAL = re.compile(_EDGE_BEFORE + "(?:" + "|".join(f"(?:{SHAPES[k][0]})" for k in (
    "cn_ric", "fr_nir", "it_codicefiscale", "mx_curp", "kr_rrn", "se_personnummer", "fi_hetu", "br_cpf", "ch_ahv",
    "in_aadhaar", "in_pan", "uk_nino", "es_dni")) + ")" + _EDGE_AFTER)
_WHOLE = [(name, re.compile(pattern), ok) for name, (pattern, ok) in SHAPES.items()]
# a number the words before it say is something else ("ticket 4585 4732 5288", "order
# 196658307590904") is left alone, as phone numbers are
NOT_AN_ID = re.compile(
    r"(?i)\b(?:order|tracking|meeting|sku|invoice|ticket|case|ref|reference|booking|confirmation|transaction|serial|part"
    r"|shipment|parcel|package|policy|claim|pedido|commande|bestellung|auftrag|rechnung|ordine|isbn|account|konto|imei"
    r"|build|batch|version|release)"
    r"\s*(?:#|no\.?|nr\.?|number|num\.?|id|code|nummer|número|numéro|numero)?\s*(?:is|was|ist|es|est|:)?\s*#?\s*$"
)


def national_kind(value: str, off: frozenset[str] = frozenset()) -> str | None:
    """The name of the national number ``value`` is (as written), or None; numbers named in
    ``off`` (switched off: ``scrub.disable: [NATIONAL_ID:in_aadhaar]``) are not looked for."""
    for name, rx, ok in _WHOLE:
        if name not in off and rx.fullmatch(value) and ok(value):
            return name
    return None


# ------------------------------------------------------------------ named by a word before them

# the word (lower case unless it is an upper-case abbreviation that is also a word: SIN, NAS,
# NIR, CF) -> the checks of the numbers it can name
_LABELS: dict[str, tuple[str, ...]] = {
    "pesel": ("pl.pesel",),
    "bsn": ("nl.bsn",), "burgerservicenummer": ("nl.bsn",), "sofinummer": ("nl.bsn",), "sofi-nummer": ("nl.bsn",),
    "steuer-id": ("de.idnr",), "steuerid": ("de.idnr",), "steuer-identifikationsnummer": ("de.idnr",),
    "steueridentifikationsnummer": ("de.idnr",), "steuerliche identifikationsnummer": ("de.idnr",),
    "identifikationsnummer": ("de.idnr",), "idnr": ("de.idnr",),
    "SIN": ("ca.sin",), "social insurance number": ("ca.sin",), "NAS": ("ca.sin",),
    "numéro d'assurance sociale": ("ca.sin",),
    "cpf": ("br.cpf",),
    "aadhaar": ("in_.aadhaar",), "aadhar": ("in_.aadhaar",), "uidai": ("in_.aadhaar",),
    "tc kimlik": ("tr.tckimlik",), "t.c. kimlik": ("tr.tckimlik",), "kimlik": ("tr.tckimlik",), "tckn": ("tr.tckimlik",),
    "fødselsnummer": ("no.fodselsnummer",), "fodselsnummer": ("no.fodselsnummer",), "personnummer": ("se.personnummer", "no.fodselsnummer"),
    "personnr": ("se.personnummer",),
    "NIR": ("fr.nir",), "sécurité sociale": ("fr.nir",), "securite sociale": ("fr.nir",), "sécu": ("fr.nir",),
    "ahv": ("ch.ssn",), "AVS": ("ch.ssn",),
    "rijksregisternummer": ("be.nn",), "numéro national": ("be.nn",), "numéro de registre national": ("be.nn",),
    "insz": ("be.nn",), "niss": ("be.nn",),
    "nif": ("pt.nif",), "contribuinte": ("pt.nif",),
    "cpr": ("dk.cpr",), "cpr-nummer": ("dk.cpr",),
    "주민등록번호": ("kr.rrn",), "身份证": ("cn.ric",), "身份证号": ("cn.ric",), "身份证号码": ("cn.ric",), "公民身份号码": ("cn.ric",),
}
_CJK = [w for w in _LABELS if not w.isascii() and not any("a" <= c.lower() <= "z" for c in w)]
_UPPER_LABELS = [w for w in _LABELS if w.isupper() and w not in _CJK]
_LOWER_LABELS = sorted((w for w in _LABELS if not w.isupper() and w not in _CJK), key=len, reverse=True)
_CJK.sort(key=len, reverse=True)
_SEP = r"[\s:=：—\-\"'#]"
_LABEL = (r"(?<![\w-])(?:(?-i:" + "|".join(map(re.escape, _UPPER_LABELS)) + r")|(?i:" + "|".join(map(re.escape, _LOWER_LABELS))
          + r"))(?!\w)|" + "|".join(map(re.escape, _CJK)))
LABELLED = re.compile(
    r"(?P<label>" + _LABEL + r")(?:是|는|은|は)?"
    # up to three words between the word and the number ("PESEL to", "Steuer-ID lautet:",
    # "SIN number is"): the number must pass the check of what the word names. Each word takes
    # the separators before it, and none of them is a run of spaces on its own (two optional
    # runs side by side backtrack badly).
    r"(?:" + _SEP + r"{1,4}[^\W\d_]{1,14}\.?){0,3}" + _SEP + r"{0,4}"
    r"(?P<value>[0-9](?:[ .-]?[0-9]){7,12})(?![0-9A-Za-z]|[.-][0-9])"
)
# a JSON key that names the number its value is ({"pesel": ...}, {"customer_cpf": ...} with
# underscores read as spaces)
KEY_LABEL = re.compile(_LABEL)
ID_VALUE = re.compile(r"[0-9](?:[ .-]?[0-9]){7,12}")
_LABEL_KEYS = {w.lower(): checks for w, checks in _LABELS.items()}


# a check's python-stdnum module -> the number's name (as SHAPES names them)
_CHECK_NAMES = {"pl.pesel": "pl_pesel", "nl.bsn": "nl_bsn", "de.idnr": "de_steuerid", "ca.sin": "ca_sin", "br.cpf": "br_cpf",
                "in_.aadhaar": "in_aadhaar", "tr.tckimlik": "tr_tckimlik", "no.fodselsnummer": "no_fodselsnummer",
                "se.personnummer": "se_personnummer", "fr.nir": "fr_nir", "ch.ssn": "ch_ahv", "be.nn": "be_nn", "pt.nif": "pt_nif",
                "dk.cpr": "dk_cpr", "kr.rrn": "kr_rrn", "cn.ric": "cn_ric"}
NUMBER_NAMES = tuple(sorted({*SHAPES, *_CHECK_NAMES.values()}))
"""The numbers NATIONAL_ID finds, by name: each can be switched off on its own
(``scrub.disable: [NATIONAL_ID:in_aadhaar]``)."""


def labelled_ok(label: str, value: str, off: frozenset[str] = frozenset()) -> bool:
    """Whether ``value`` is a number that ``label`` (as written before it) can name (and
    that is not one of the numbers named in ``off``)."""
    checks = _LABEL_KEYS.get(label.lower())
    return checks is not None and any(_CHECK_NAMES[name] not in off and stdnum_check(name)(value) for name in checks)


# What the prefilter looks for (RE2 syntax; ``d`` is RE2's class for Python's ``\d``): a
# superset of the shapes, and the words. Digit groups inside a longer run of groups (a card
# number's first twelve digits) do not count: a text with a card number would otherwise run
# the shapes' regex (50 us for 500 characters) for nothing.
# the start of a token: also after a JSON escape, as the trigger reads serialised JSON too
# ("\nAB 12 34 56 C" holds the letter n before the number)
_TOKEN_START = r"(?:^|[^0-9A-Za-z]|\\[ntrfb]|\\u[0-9a-fA-F]{4})"


def shape_hint(d: str) -> str:
    return (
        # NINO, DNI/NIE: a token of their own (not the middle of an upper-case hex id)
        rf"{_TOKEN_START}(?:[A-Z]{{2}} ?{d}{{2}} ?{d}{{2}} ?{d}{{2}} ?[A-D]|{d}{{8}}-?[A-Z]|[XYZ]-?{d}{{7}}-?[A-Z])"
        # codice fiscale, CURP, PAN: a token of their own (not the middle of a hex id)
        rf"|{_TOKEN_START}(?:[A-Za-z]{{6}}[0-9]{{2}}[A-Za-z]|[A-Z]{{4}}[0-9]{{6}}[HMX]|[A-Z]{{5}}[0-9]{{4}}[A-Z])"
        rf"|{_TOKEN_START}[0-9]{{6}}[-+A-FU-Y][0-9]{{3}}"  # HETU, RRN, personnummer
        rf"|[0-9]{{3}}\.[0-9]{{3}}\.[0-9]{{3}}-|756\.[0-9]{{4}}"  # CPF, AHV
        rf"|(?:^|[^0-9 ]|[^0-9] )[0-9]{{4}} [0-9]{{4}} [0-9]{{4}}(?:$|[^ 0-9]| [^0-9])"  # Aadhaar
        # NIR, RIC: not inside a longer run of digits (epoch times in ms, us or ns)
        rf"|(?:^|[^0-9])[12] ?[0-9]{{2}} ?[0-9]{{2}} ?(?:[0-9]{{2}}|2[ABab]) ?[0-9]{{3}} ?[0-9]{{3}} ?[0-9]{{2}}(?:$|[^0-9])"
        rf"|(?:^|[^0-9])[1-9][0-9]{{5}}(?:18|19|20)[0-9]{{9}}[0-9Xx](?:$|[^0-9])"
    )


def label_hint() -> str:
    """(Also "ssn" and "social_security": a metadata key that names a US social security
    number is read in the same walk.)"""
    return ("(?-i:" + "|".join(map(re.escape, _UPPER_LABELS)) + r")\b|(?i:(?:\b|_)(?:" + "|".join(map(re.escape, _LOWER_LABELS))
            + r"|ssn|social[ _]security))|" + "|".join(map(re.escape, _CJK)))


def trigger(d: str) -> str:
    return shape_hint(d) + "|" + label_hint()
