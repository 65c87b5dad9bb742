"""E-mail, card and phone regexes searched only around their candidates, and the name
regexes only where RE2 finds their words (``windows=True``, the default), must scrub exactly
as searching the whole text does."""

import re

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.ingest import Scrubber
from assay.ingest._pii import _CARD_RUNS, _EMAIL_RUNS, _PHONE_RUNS, _Runs

_FRAGMENTS = [
    # e-mails and their pieces
    "jane.doe+shop@example.co.uk", "a@b.co", "x@y", "user0@example.com", "@", "@@", "user", "jane.doe", "example.com",
    "co.uk", ".", "_", "%", "+", "-", "support@acme.example", "<EMAIL_607269>",
    # phone numbers and their pieces
    "+44 20 7946 0958", "(0161) 4960066", "+1-537-640-6812x41586", "+39 0925141776", "00669 074391", "(415) 555-0132",
    "+4930123456789", " ext. ", "ext", "x", "extension", " x ", "555", "0132", "(0)", "(", ")", "+1", "+44", "00",
    # card numbers, IBANs, other numbers
    "4111 1111 1111 1111", "4111-1111-1111-1111", "6759649826438453", "5500 0000 0000 0004", "378282246310005",
    "GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00", "DE89", "GB82", "WEST", "123-45-6789", "2026-11-26",
    "12:30", "0.639957", "1.299,00", "v1.2.3.4",
    # digits, Unicode digits
    "0", "1", "12", "123", "1234", "12345678", "123456789012", "\u0663\u0664\u0665", "\u0967\u0968", "\U0001d7d9\U0001d7da",
    # punctuation, letters, whitespace
    " ", " ", "  ", ",", "/", ":", ";", "#", "'", '"', "<", ">", "=", "é", "ß", "日本", "Ä", "ı", "\t", "\n", "\r\n",
    "\u00a0", "\u2009", "\u3000", "\x0b", "\x1c", "\x85", "tie", "notes", "on", "Suite",
    # people's names and the words around them
    "my name is ", "My full name is ", "Customer name: ", "first_name=", "Kind regards,", "Thanks", "Beste Grüße", "\n> ",
    "On Mon, 5 Nov 2026, ", " wrote:", "From: ", "Maria", "García", "de la", "J.", "Ana",
    "Hi ", "hı ", "Dear Mr. ", "Sehr geehrte Frau ", "Bonjour ", "ShopRight", "McDonald", "MARIA", "!", "von ",
    # keys and what stands before them
    "sk-", "sk-proj-", "abcdefghijklmnopqrstuvwxyz0123", "Bearer ", "bearer ", "authorization: token ", "Authorızation: Basic ",
    "eyJhbGciOiJIUzI1NiJ9", "https://", "bob:hunter2@", "AKIAIOSFODNN7EXAMPLE", "ghp_", "sk_live_", "-----BEGIN RSA PRIVATE KEY-----",
    "-----END RSA PRIVATE KEY-----", "AccountKey=", "xoxb-", "hf_", "npm_", "SG.", "password", "api_key=", "token: ",
    "Password", "PASSWORT", " ist ", " is ", " ıs ", " İS ", "ſecret", "\u212aey", "mot de passe", "contraseña", " es ", ":", "=",
    "=>", "->", "：", "DB_", "_PASSWORD", ".token", "'", "hunter2", "s3cr3t-value-123",
    # street addresses and their pieces, of each kind the ADDRESS pattern knows
    "12 Main Street", "350 5th Ave", "N. ", "221B Baker St.", " Apt 4", ", Suite 200", "Street", "St", "Ave", "Dr ", "Way",
    "Harbor ", "Lake Ln", "Oak ", "Hauptstraße 5", "Karl-Marx-Ring 12", "Berliner Straße 45", "straße", "Ring", "weg ",
    "5 rue de la Paix", "12 bis, avenue ", "boulevard ", "Calle Mayor 12", "Rua Augusta, 100", "Via Roma 3", "Acceso ",
    "Setor de Cardoso, 89", "Plaza ", "de la ", "PO Box 12", "P.O. Box ", "Post Office Box ", "7 | 27/09/2026 | ",
]

_text = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=3)), max_size=30).map("".join)


def _same(texts, settings_=None, prefilter=True):
    fast = Scrubber(b"k", settings_, prefilter=prefilter)
    slow = Scrubber(b"k", settings_, prefilter=prefilter, windows=False)
    for t in texts:
        assert fast.scrub(t) == slow.scrub(t), t
    assert fast.found == slow.found


@settings(max_examples=3000, deadline=None)
@given(_text)
def test_windows_keep_the_output_on_generated_text(text):
    _same([text])


@settings(max_examples=3000, deadline=None)
@given(_text)
def test_each_windowed_detector_matches_its_whole_text_search(text):
    fast, slow = Scrubber(b"k", prefilter=False), Scrubber(b"k", prefilter=False, windows=False)
    for (kind, a, _), (_, b, _) in zip(fast._steps, slow._steps):
        ka: list[str] = []
        kb: list[str] = []
        assert a(text, ka) == b(text, kb), (kind, text)
        assert ka == kb


@settings(max_examples=500, deadline=None)
@given(st.lists(_text, max_size=6))
def test_windows_keep_the_output_without_the_prefilter_and_with_an_allow_list(texts):
    _same(texts, prefilter=False)
    from assay.ingest import ScrubSettings

    _same(texts, ScrubSettings(allow=["a@b.co", r"re:\+44 20 7946 0\d{3}", "4111 1111 1111 1111"]))


@pytest.mark.parametrize(
    "text",
    [
        "mail a@b.co, " + "@ " * 400 + "call +44 20 7946 0958",  # more runs than the limit: whole-text search
        "é" * 50 + " jane@example.com ٣٤٥ 4111 1111 1111 1111 日本 +1-537-640-6812x41586",  # bytes vs characters
        "4111 1111 1111 1111",  # a run at both ends of the text
        "call 555 1234 x 12 34 56 78 90 12",  # an extension reaching into the next run
        "12 34 ext 12 34 56 78 90",
        "see +44 20 7946 0958, or +44 20 7946 0958,5",  # lookahead two characters past the run
        "éjane@example.comé 4111 1111 1111 1111é é4111 1111 1111 1111",  # lookarounds outside the run
    ],
)
def test_windows_keep_the_output_on_edge_cases(text):
    _same([text])


def test_a_lone_surrogate_means_a_whole_text_search():
    text = "\ud800 a@b.co +44 20 7946 0958 4111 1111 1111 1111"
    _same([text], prefilter=False)
    assert "a@b.co" not in Scrubber(b"k", prefilter=False).scrub(text)


def _python_class(rx: str) -> str:
    """Every code point a Python character class matches."""
    cls = re.compile(rx)
    return "".join(c for c in map(chr, range(0x110000)) if not 0xD800 <= ord(c) < 0xE000 and cls.match(c))


@pytest.mark.parametrize(
    "runs,python_chars",
    [
        # what the detector patterns can take: see _EMAIL, _CARD, _PHONE
        (_EMAIL_RUNS, r"[A-Za-z0-9._%+@-]"),
        (_CARD_RUNS, r"[\d -]"),
        (_PHONE_RUNS, r"[\d\s+().xtensio-]"),
    ],
)
def test_run_classes_hold_every_character_a_match_can_take(runs: _Runs, python_chars: str):
    chars = _python_class(python_chars)
    assert re2.fullmatch(f"[{runs.chars}]*", chars), python_chars


def test_seeds_hold_every_python_seed():
    digits = _python_class(r"\d")
    assert re2.fullmatch(f"(?:{_CARD_RUNS.seed})*", "".join(d * 12 for d in digits))
    assert re2.fullmatch(f"(?:{_PHONE_RUNS.seed})*", "".join(d * 8 for d in digits))


def test_without_the_low_level_re2_api_the_detectors_search_whole_texts(monkeypatch):
    text = "mail ann@example.com, call +44 20 7946 0958, card 4111 1111 1111 1111"
    expected = Scrubber(b"k" * 32, windows=False).scrub(text)
    for runs in (_EMAIL_RUNS, _CARD_RUNS, _PHONE_RUNS):
        monkeypatch.setattr(runs, "_rx", None)
        assert runs.spans(text) is None
    assert Scrubber(b"k" * 32).scrub(text) == expected != text


@settings(max_examples=3000, deadline=None)
@given(_text)
def test_every_key_pattern_match_holds_its_hint(text):
    # the SECRET step runs its key patterns only on a text its hint finds something in
    from assay.ingest._pii import _SECRET, _SECRET_HINT

    assert _SECRET.search(text) is None or _SECRET_HINT.search(text) is not None, text


@settings(max_examples=3000, deadline=None)
@given(_text)
def test_every_labelled_secret_holds_its_hint(text):
    from assay.ingest._pii import _LABELLED_HINT, _LABELLED_SECRET

    assert _LABELLED_SECRET.search(text) is None or _LABELLED_HINT.search(text) is not None, text


@pytest.mark.parametrize("text", ["password: hunter2-x", "ſecret = abcdefgh1234", "\u212aEY: abcdefghijklmnop1234",
                                  "Kennwort ıst Sommer2026!", "the api_key => 'abcd1234efgh'", "DB_PASSWORD=s3cr3t-value"])
def test_labelled_secrets_written_oddly_are_held_to_their_hint(text):
    from assay.ingest._pii import _LABELLED_HINT, _LABELLED_SECRET

    assert _LABELLED_SECRET.search(text) is not None and _LABELLED_HINT.search(text) is not None
    assert Scrubber(b"k").scrub(text) == Scrubber(b"k", windows=False).scrub(text)


@settings(max_examples=3000, deadline=None)
@given(_text)
def test_every_kind_of_address_holds_its_part_of_the_trigger(text):
    # the ADDRESS step searches a text only with the kinds whose part of the trigger RE2 finds
    from assay.ingest._pii import _ADDRESS_PARTS, _ADDRESS_TRIGGERS

    for kind, pattern in _ADDRESS_PARTS:
        if re.search(pattern, text):
            assert re2.search(_ADDRESS_TRIGGERS[kind], text) is not None, (kind, text)


def test_the_example_addresses_scrub_as_the_whole_pattern_does():
    # texts of the bundled example that hold a street address's shape, of every kind it writes
    import runpy
    from pathlib import Path

    from assay.ingest._pii import _TRIGGERS

    gen = runpy.run_path(str(Path(__file__).resolve().parents[2] / "examples" / "support-desk" / "generate.py"))
    texts = []
    for _, rec in gen["production_records"](4000, 3):
        texts += [m["content"] for m in rec["messages"] if isinstance(m.get("content"), str)]
    texts = [t for t in dict.fromkeys(texts) if re2.search(_TRIGGERS["ADDRESS"], t)]
    fast, slow = Scrubber(b"k", prefilter=False), Scrubber(b"k", prefilter=False, windows=False)
    step = {kind: run for kind, run, _ in fast._steps}["ADDRESS"]
    reference = {kind: run for kind, run, _ in slow._steps}["ADDRESS"]
    changed = 0
    for t in texts:
        out = step(t, [])
        assert out == reference(t, []), t
        changed += out != t
    assert len(texts) > 50 and changed > 30, (len(texts), changed)


_NAMES = ["Maria", "maria", "Maria García", "Tom", "Will", "Ali Veli", "Yıldız Kaya", "Iſaac", "Jean-Luc", "O'Brien",
          "Kate", "Ann Lee", "J. Smith", "Smith, Ann", "İsmail", "Sam Stone", "Iſaac Stone", "\u212aate Lee", "Yusuf Kılıç"]
_NAME_TEXT = st.lists(st.one_of(st.sampled_from(
    ["Maria", "MARIA", "maria", "García", "garcia", "Tom", "TOM", "tom", "Will", "will", "WILL", "Ali", "ALI", "Veli", "VELİ",
     "yildiz", "Yıldız", "KAYA", "Isaac", "ıſaac", "\u212aate", "kate", "Kate", "Ann", "ANN", "Lee", "lee", "J.", "Smith", "SMITH",
     "Jean-Luc", "jean-luc", "O'Brien", "İSMAİL", "ismail", "Sam", "STONE", "stone", " ", "  ", ", ", "\n", ".", "! ", "<", ">",
     "Thanks,\n", "here", "Hi ", "é"]), st.text(max_size=2)), max_size=14).map("".join)


_FOLDS = {"i": "iIıİ", "I": "iIıİ", "ı": "iIı", "İ": "iIİ", "s": "sSſ", "S": "sSſ", "ſ": "sSſ", "k": "kK\u212a", "K": "kK\u212a"}


@st.composite
def _written_name(draw, value):
    """``value`` as a text may write it: each letter in either case or as a letter Python's
    regexes take for it in any case ("ı" for i, "ſ" for s), the words apart by spaces, commas, a line."""
    out = []
    for ch in value:
        if ch == " ":
            out.append(draw(st.sampled_from([" ", "  ", ", ", "\n", ","])))
        else:
            out.append(draw(st.sampled_from(_FOLDS.get(ch, ch + ch.upper() + ch.lower()))))
    return "".join(out)


@st.composite
def _texts_with_names(draw):
    values = draw(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=3, unique=True))
    pieces = draw(st.lists(st.one_of(_NAME_TEXT, st.sampled_from(values).flatmap(_written_name)), max_size=4))
    return "".join(pieces), values


@settings(max_examples=3000, deadline=None)
@given(_texts_with_names())
def test_a_name_looked_up_first_is_swapped_as_the_regex_alone_swaps_it(case):
    text, values = case
    # with_names looks each name up in ASCII text before it runs its regex (windows=True)
    fast, slow = Scrubber(b"k"), Scrubber(b"k", windows=False)
    names = [(v, fast._token("PERSON", v.casefold(), [])) for v in values]
    assert fast.with_names(text, names) == slow.with_names(text, names), (text, values)
    assert fast.found["PERSON"] == slow.found["PERSON"]
