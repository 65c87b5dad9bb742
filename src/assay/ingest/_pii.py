"""PII scrubbing with consistent pseudonyms.

Each detected value is replaced by a token such as ``<EMAIL_7f3a21>``: the same value
gives the same token everywhere in a project (an HMAC keyed with the project key), so a
conversation stays coherent, and the value cannot be recovered without the key.

Detectors (kinds): ``SECRET`` (API keys, bearer tokens, JWTs, private keys, passwords and
keys after a ``password=``-style label, credentials in URLs), ``EMAIL``, ``IBAN`` (mod-97
checked), ``CARD`` (Luhn and issuer-prefix checked), ``SSN`` (US), ``NATIONAL_ID``
(identity and tax numbers of 21 countries, each with its own check: see ``_national``), ``IP`` (IPv4, IPv6), ``PHONE`` (international and
national formats), ``ADDRESS`` (street addresses in English, German, French, Spanish,
Italian and Portuguese patterns). Users add their own kinds (regexes) and an allow-list of
values that must stay as they are (a company's support address, say).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
import re2

from assay.errors import ConfigError
from assay.ingest._national import ID_VALUE, KEY_LABEL, LABELLED, NATIONAL, NOT_AN_ID, NUMBER_NAMES, labelled_ok, national_kind
from assay.ingest._national import label_hint, shape_hint, stdnum_check
from assay.ingest._national import trigger as national_trigger


def luhn_ok(digits: str) -> bool:
    total, parity = 0, len(digits) % 2
    for i, ch in enumerate(digits):
        d = ord(ch) - 48
        if i % 2 == parity:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# IBAN lengths by country (ISO 13616 registry, the common ones)
_IBAN_LEN = {
    "AD": 24, "AE": 23, "AT": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IS": 26, "IT": 27, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
    "MT": 31, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24,
    "SI": 19, "SK": 24, "SM": 27, "TR": 26, "UA": 29,
}


def iban_ok(iban: str) -> bool:
    """ISO 13616: known country length and mod-97 check digits."""
    iban = iban.replace(" ", "").upper()
    if _IBAN_LEN.get(iban[:2]) != len(iban):
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def card_ok(digits: str) -> bool:
    """Luhn plus a known issuer prefix and length (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay,
    Maestro) — the issuer identification numbers of ISO/IEC 7812 as commonly published."""
    n = len(digits)
    if not 12 <= n <= 19 or not luhn_ok(digits):
        return False
    p2, p4 = int(digits[:2]), int(digits[:4])
    return (
        digits[0] == "4" and n in (13, 16, 19)
        or 51 <= p2 <= 55 and n == 16
        or 2221 <= p4 <= 2720 and n == 16
        or p2 in (34, 37) and n == 15
        or (digits.startswith("6011") or p2 == 65 or 644 <= int(digits[:3]) <= 649) and n in (16, 19)
        or 3528 <= p4 <= 3589 and n in (16, 19)
        or (p2 in (36, 38, 39) or 300 <= int(digits[:3]) <= 305) and n in (14, 16)
        or p2 == 62 and 16 <= n <= 19
        or digits[:4] in ("2131", "1800") and n == 15  # JCB, 15 digits
        or (digits[:4] in _MAESTRO or 56 <= p2 <= 58)  # Maestro, 12-19 digits
    )


_MAESTRO = frozenset({"5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763"})


def ean13_ok(digits: str) -> bool:
    """Whether ``digits`` (13 of them) are a valid EAN-13 product barcode (python-stdnum's check)."""
    return len(digits) == 13 and stdnum_check("ean")(digits)


_CARD_WORD = re.compile(r"(?i)\b(?:card|cards|karte|kreditkarte|tarjeta|carte|cartão|cartao|carta|kaart|kort|visa|maestro|mastercard|amex"
                        r"|credit|debit|kredit|cc|pan)\b")


def _a_barcode(digits: str, m: re.Match[str]) -> bool:
    """A 13-digit number written without spaces that is a valid EAN-13 barcode, with no word
    for a card before it: a product's barcode, not one of the old 13-digit Visa numbers (one
    Luhn-valid number in ten is also a valid EAN-13, and German barcodes start with 40-44)."""
    return (len(digits) == 13 and m.end() - m.start() == 13 and ean13_ok(digits)
            and _CARD_WORD.search(m.string, max(0, m.start() - 40), m.start()) is None)


_LABEL = r"(?:password|passwd|pwd|pw|passcode|passwort|kennwort|mot de passe|contraseña|senha|secret|api[_ -]?key|apikey|access[_ -]?token|auth[_ -]?token|client[_ -]?secret|private[_ -]?key)"
_SECRET = re.compile(
    # (a key's body is bounded: an RSA-4096 key is about 3.3 KB; unbounded, many BEGIN lines without
    # an END made the search quadratic)
    r"-----BEGIN (?:[A-Z ]+ )?PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,12000}?-----END (?:[A-Z ]+ )?PRIVATE KEY(?: BLOCK)?-----"
    r"|-----BEGIN (?:[A-Z ]+ )?PRIVATE KEY(?: BLOCK)?-----(?:\s*[A-Za-z0-9+/=:-]{16,})+"  # a key pasted without its end
    r"|(?i:authorization[\"']?\s*[:=]\s*[\"']?(?:basic|token|digest)\s+)[A-Za-z0-9+/=._~-]{16,}"
    r"|\bAccountKey=[A-Za-z0-9+/]{40,}={0,2}|https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,}"
    r"|\b(?:npm_[A-Za-z0-9]{36}|whsec_[A-Za-z0-9+/=]{24,}|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,})"
    r"|(?<![\w-])sk-(?=[A-Za-z0-9_-]{0,400}\d)(?:proj-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{20,400}"
    r"|\b(?:(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}"
    r"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|glpat-[A-Za-z0-9_-]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}"
    r"|AIza[0-9A-Za-z_-]{35}|xox[baprs]-[A-Za-z0-9-]{10,}|hf_[A-Za-z0-9]{30,}"
    r"|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})"
    r"|(?i:bearer\s+)[A-Za-z0-9._~+/-]{16,}=*"
    r"|(?<=://)[^/\s:@]{0,64}:[^\s@]{1,128}(?=@)"
)
# A label, alone or inside an identifier (DB_PASSWORD, AWS_SECRET_ACCESS_KEY, "token"), then
# a word (is, ist, es, ...) or an assignment (=, :), then the value: quoted (a passphrase with
# spaces) or up to the next space or quote.
# A name that ends so says it holds something about a secret, not the secret:
# user_api_key_team_id, api_key_alias, token_type, key_file, password_expires_at
_ABOUT_A_SECRET = "".join(rf"(?<![_.-]{w})" for w in (
    "id", "ids", "alias", "name", "names", "type", "count", "len", "length", "prefix", "suffix", "hint", "version", "at", "expiry",
    "expires", "created", "updated", "url", "uri", "endpoint", "path", "file", "policy", "rotation", "status", "scope", "scopes"))
_LABELLED_SECRET = re.compile(
    r"(?i)((?<![A-Za-z0-9_.-])(?:[A-Za-z0-9]{1,40}[_.-]){0,8}(?P<label>" + _LABEL + r"|token|key)(?:[_.-][A-Za-z0-9]{1,40}){0,8}"
    + _ABOUT_A_SECRET
    + r"[\"']?\s*"
    r"(?:(?P<word>is|was|ist|est|es|era|è|é|lautet)\s*:?|=|:|：|=>|->)\s*)"
    r"(?:\"(?P<dq>[^\"\n]{4,200})\"|'(?P<sq>[^'\n]{4,200})'|(?P<bare>[^\s\"',;)}\]]{4,}))"
)
_STRONG_LABEL = re.compile(r"(?i)" + _LABEL)
# Values that stand for a secret without being one: masks, template and environment
# references, null words, and what people leave in a config until they fill it in
# (changeme, placeholder, "todo", "tbd", n/a)
_PLACEHOLDER = re.compile(r"(?i)[*x•.#_-]+|<.*|\[.*|\{\{.*|\$\{.*|%\(.*|(?:os|sys|env|process|config|settings|self)\.\S*|.*\(.*"
                          r"|none|null|nil|undefined|true|false|required|optional|string|str|redacted|hidden|masked|secret|password"
                          r"|your[_-]\S*|changeme|placeholder|todo|tbd|n/?a")
# Words that follow "the password is" in support chats and docs: what the value is like, not the value
_NOT_A_SECRET = frozenset("""
incorrect invalid wrong expired required missing correct valid not too empty set needed optional revoked rejected
disabled enabled active inactive the a an my your his her our their this that these those still being now also always
never only used stored saved hidden sent shown changed reset weak strong blank ok fine same different unchanged new old
encrypted hashed protected secure insecure sensitive case-sensitive incorrectly working broken compromised leaked exposed
visible available unavailable correctly accepted generated created updated deleted removed locked unlocked forgotten lost
stolen known unknown mandatory wrongly supposed going probably definitely usually generally at in on of for to from with
without under there here what which where how why when who asked requested provided given included attached below above
following something anything nothing very quite really just already right good bad long short simple complex important
falsch ungültig abgelaufen korrekt richtig erforderlich leer nicht zu das der die ein eine mein dein noch jetzt gesperrt
invalide expiré expirée requis correcte vide pas trop le la les un une mon ton votre faux fausse erroné erronée
obligatoire bloqué incorrecta incorrecto inválida inválido caducada caducado requerida correcta vacía vacío no muy el mi
tu su obligatoria errónea bloqueada sbagliata scaduta corretta errata forgotten vergessen oublié oubliée olvidada
olvidado dimenticata
""".split())


def _plausible_secret(value: str, weak: bool, word: bool) -> bool:
    """Whether ``value``, after a secret's label, can be the secret: not a placeholder or a
    reference to where it is kept (``None``, ``****``, ``os.getenv(...)``, ``${API_KEY}``), not
    a word of prose after "is" ("the password is incorrect"); after a ``weak`` label (a bare
    ``token`` or ``key``), only what looks generated (16 characters or more, letters and digits)."""
    if _PLACEHOLDER.fullmatch(value):
        return False
    if value.lower() in _NOT_A_SECRET and (word or not value[:1].isupper() and value.isalpha()):
        return False
    if weak:
        return len(value) >= 16 and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
    return True
# A value starts after a character that cannot be part of it, or right after a JSON escape
# (\n, \t, \r in JSON text: a tool call's arguments), and ends before one. Of the word
# characters, only Latin letters, digits and "_" count: Japanese, Chinese and Korean are
# written without spaces, so "メールはyamada@example.jpです" holds an address.
_ESC = r"(?<=\\[ntr])"
_LATIN = r"A-Za-z0-9_\u00C0-\u024F"
# (accented letters too: jürgen.müller@example.de, info@münchen-reisen.de)
_EMAIL = re.compile(rf"(?:{_ESC}|(?<![{_LATIN}.+\\-]))[A-Za-z0-9\u00C0-\u024F._%+-]{{1,64}}@(?![1-4]x\.)[A-Za-z0-9\u00C0-\u024F-]+"
                    rf"(?:\.[A-Za-z0-9\u00C0-\u024F-]+)*\.[A-Za-z]{{2,}}"
                    rf"(?![{_LATIN}-]|:[A-Za-z0-9/~])")  # (not image@2x.png, nor git@github.com:org/repo)
_CARD = re.compile(rf"(?:{_ESC}|(?<![{_LATIN}\\-]))(?:\d[ -]?){{11,18}}\d(?![{_LATIN}-])")
_IBAN = re.compile(rf"(?:{_ESC}|(?<![A-Za-z0-9\\]))[A-Za-z]{{2}}\d{{2}}(?:[ -]?[A-Za-z0-9]{{4}}){{2,7}}(?:[ -]?[A-Za-z0-9]{{1,4}})?"
                   r"(?![A-Za-z0-9])")
_SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])")
_SSN_CONTEXT = re.compile(
    # (each optional word takes the spaces after it: three optional runs of spaces in a row made
    # a long run of them cubic)
    r"(?i)(?:ssn|social security (?:number|no\.?|#))[\"']?\s*(?:(?:#|no\.?)\s*)?(?:(?:is|was|:|=|-)\s*)?[\"']?((?!000|666|9\d\d)\d{9})(?!\d)"
)
_IPV4 = re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?!\d|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:){1,7}(?::|(?::[0-9A-Fa-f]{1,4}){1,7}|[0-9A-Fa-f]{1,4})(?:%\w+)?(?![\w:])"
                   r"|(?<![\w:])::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4}(?![\w:])")
_PHONE = re.compile(
    r"(?:" + _ESC + r"|(?<![" + _LATIN + r"+/.,\\-]))"
    r"(?P<num>(?:\+\d{1,3}[ .-]?(?:\(0?\d{1,4}\)[ .-]?)?|00\d{2,3}[ .-])\d{1,12}(?:[ .-]\d{1,8}){0,5}"
    r"|\(\d{2,5}\)[ .-]?\d{2,8}(?:[ .-]\d{2,8}){0,5}"
    r"|\d{2,8}(?:[ .-]\d{2,8}){1,5}|1[ .-]\d{3}[ .-]\d{3}[ .-]\d{4}"
    r"|0[1-9]\d{8,9})"  # a national number written without separators: trunk 0, then 9 or 10 digits (0147699205)
    r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![" + _LATIN + r"-]|[.,]\d)"  # an extension stays with its number
    r"|(?<![" + _LATIN + r"+])\+\d{8,14}(?![" + _LATIN + r"])"
)
_NOT_AN_IP = re.compile(r"(?:v|version|versión|versione|release|build|ver\.?|firmware|fw|section|§|oid|chapter|rule|step)"
                        r"[\s:#=]{0,3}(?:is\s+|ist\s+|es\s+|è\s+)?$")
_OTHER_NUMBER = re.compile(
    r"(?i)\b(?:order|tracking|meeting|sku|invoice|ticket|case|ref|reference|booking|confirmation|transaction|serial|part"
    r"|shipment|parcel|package|policy|claim|pedido|commande|bestellung|auftrag|rechnung|ordine"
    r"|isbn|vat|iva|ust-?id|tax|steuer|account|konto|customer|kunden|client|cliente|member|user|id)"
    r"\s*(?:#|no\.?|nr\.?|number|num\.?|id|code|nummer|número|numéro|numero)?\s*(?:is|was|ist|es|est|:)?\s*#?\s*$"
)
_PHONE_WORD = re.compile(r"(?i)phone|tel\b|tél|call|mobile|cell|fax|whatsapp|sms|text me|ring|handy|telefon|teléfono|móvil|portable")
_CURRENCY = re.compile(r"\s?(?:€|\$|£|¥|EUR\b|USD\b|GBP\b|euros?\b|dollars?\b)")
_DIGIT_RUN = re.compile(r"(?<![\w+])\+?\(?\d[\d ./()-]{6,18}\d(?![\d/])")
_PHONE_WORDS = ("phone", "tel", "mobile", "cell", "call me", "whatsapp", "my number", "numéro", "número", "numero", "handy",
                "móvil", "movil", "fijo", "portable", "llám", "llam", "contact", "kontakt", "reach me", "text me")
_PHONE_SAID = re.compile(
    r"(?i)\b(?:phone|tel|mobile|cell|call me|whatsapp|my number|numéro|número|numero|telefono|teléfono|telefon|handy|móvil|movil"
    r"|fijo|portable|cellulare|llámame|llamame|contact(?: me)?|contacto|contatto|kontakt|reach me|text me)\b\.?\s*"
    r"(?:is|es|est|ist|è|é|at|on|al|au|:|#)?\s*[:.]?\s*$"
)
"""A number after a word that says it is a phone number ("Tel. 089/1234567", "my number is
9876543210", "llámame al 612 34 56 78"): read with the national formats the plain pattern
leaves alone (nine digits, a slash, no separators at all)."""
_INTL_00 = re.compile(r"00\d{2,3}[ .-]")
_SEPARATOR = re.compile(r"[ -]")
_ID_SEPARATOR = re.compile(r"[ .-]")


def _compact_id(value: str) -> str:
    """A national number as its token's key: no separators, upper case (one number written
    two ways is one person)."""
    return _ID_SEPARATOR.sub("", value).upper()


_NON_DIGIT = re.compile(r"\D")
# a metadata key that says its value is a US social security number, and such a value
_SSN_KEY = re.compile(r"(?i)(?:^|\s)(?:ssn|social security(?: number| no)?)(?:$|\s)")
_SSN_VALUE = re.compile(r"(?!000|666|9\d\d)\d{3}([- ]?)(?!00)\d{2}\1(?!0000)\d{4}")
# A metadata key that says what its value is, for values the patterns would not find
# alone: {"phone": "5551234567"}, {"customerEmail": "bob at example dot com"},
# {"shipping_address": "Acceso Vial 14, Sevilla"}. The key is read as words (``_``, ``-``,
# ``.`` and camelCase split), the kind's word may have words before it ("customer phone")
# but only these after it ("phone number", "address line 1"), so "phone_verified" or
# "mobile_build" name no phone number. The value must look like one (``_field_value``).
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])")
_KEY_SPLIT = re.compile(r"[\s_.\-]+")
# A person's name: a key that says whose name ("first_name", "customer_name", "Vorname"); a
# bare "name" names a tool, a model or a product as often as a person, so it is not read
_PERSON_KEY = (
    r"(?:first|last|given|family|middle|maiden|full|legal|birth|second|christian)\s?name|surname|forename"
    r"|(?:customer|client|contact|patient|passenger|guest|recipient|sender|card ?holder|account ?holder|policy ?holder|holder"
    r"|applicant|beneficiary|employee|member|buyer|billing|shipping|person|caller|travell?er|student|insured|signer"
    r"|signatory|consignee|addressee|kin|parent|guardian)\sname"
    r"|vorname|nachname|familienname|geburtsname|pr[eé]nom|nom\s(?:client|du client|de famille|complet|patient)"
    r"|apellidos?|nombre\s(?:completo|y apellidos|del? cliente|cliente|del? paciente|paciente|titular|del titular)"
    r"|cognome|nome\s(?:completo|e cognome|do cliente|cliente|del cliente)|sobrenome|voornaam|achternaam|naam\sklant"
    r"|imi[eę]|nazwisko"
)
_FIELD_KEY = re.compile(
    r"(?:^|\s)(?:"
    r"(?P<EMAIL>e ?mail|mail|courriel|correo)(?:\s(?:address|addr|adresse|electr[oó]nico|primary|secondary|work|personal|contact|[1-3]))*"
    r"|(?P<PHONE>(?:tele)?phone|tel|mobile|msisdn|fax|whatsapp|cell ?phone|cell|handy|telefon|tel[eé]fono|telefone|t[eé]l[eé]phone"
    r"|cellulare|celular|m[oó]vil)(?:\s(?:number|no|nr|num|nummer|n[uú]mero|num[eé]ro|e164|primary|secondary|home|work|personal|main|[1-3]))*"
    r"|(?P<ADDRESS>street|address|adresse|direcci[oó]n|endere[cç]o|indirizzo|anschrift|stra(?:ss|ß)e|adres|adresa|morada)"
    r"(?:\s(?:line|street|full|[1-3]))*"
    rf"|(?P<PERSON>{_PERSON_KEY})(?:\s(?:[1-3]|en|latin|kana|kanji|romaji))*"
    r")$"
)
# "ip_address", "wallet_address" and the like name no place ("cell" alone: a cell id, not a phone)
_NOT_A_PLACE = re.compile(r"(?:^|\s)(?:ip|mac|email|e mail|mail|wallet|web|url|server|host|remote|memory|contract|bitcoin|btc|eth"
                          r"|from|sender|recipient|reply to|to|cc|bcc)\s+address")
# "product_full_name", "company_legal_name": the word before says it is no person's name
_NOT_A_PERSON = re.compile(
    r"(?:^|\s)(?:product|company|business|file|tool|model|app|application|host|domain|brand|store|shop|team|org|organization"
    r"|organisation|project|dataset|table|column|field|event|function|class|module|package|service|server|device|branch|city"
    r"|country|region|bank|merchant|vendor|item|plan|course|street|queue|bucket|group|role|channel|workspace|repo|repository"
    r"|database|index|metric|feature|tag|category|entity|trade|registered|site"
    r"|venue|hotel|restaurant|airline|carrier|pet|ship|vessel|dog|cat)\s+$"
)
# a person's name: up to 8 words of letters (O'Brien, Jean-Luc, J. R. Smith, "Smith, John", van 't Wel), no digits
_PERSON_VALUE = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.\-])*(?:(?:\s+|,\s*)['’]?[^\W\d_](?:[^\W\d_]|['’.\-])*){0,7}")
# what a form or a schema's example puts in a name field
_NO_NAME = frozenset(("string", "str", "text", "name", "first name", "last name", "full name", "firstname", "lastname",
                      "anonymous", "anon", "guest", "user", "customer", "client", "test", "none", "nobody", "someone", "me"))
# A name in prose, after the words that introduce it ("my name is", "je m'appelle") or a label
# with a name field's words ("Customer name: ", "Nachname:"): the capitalised words that follow
_NAME_INTRO = (r"my name is|my name's|my name’s|my full name is|i am called|i'm called|i’m called|je m'appelle|je m’appelle"
               r"|mon nom est|me llamo|mi nombre es|mi chiamo|il mio nome è|ich heiße|ich heisse|mein name ist|meu nome é"
               r"|eu me chamo|mijn naam is|ik heet|nazywam się|mam na imię")
_PERSON_LABEL = _PERSON_KEY.replace(r"\s?", r"[ _\-]?").replace(r"\s", r"[ _\-]")
_NAME_IN_TEXT = (  # (compiled by ``_name_regexes``)
    rf"(?:(?i:(?<!\w)(?:{_NAME_INTRO}))|(?P<label>(?i:(?<![\w\-])(?:{_PERSON_LABEL})[ \t]*[:=])))"
    r"[ \t]*(?P<name>[^\W\d_][\w'’.\-]*(?:[ \t]+['’]?[^\W\d_][\w'’.\-]*){0,5})"
)
# words before a name that are no part of it, and capitalised words that are no name
_NAME_TITLE = frozenset("mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sr sr. sra sra. herr frau mme mme. m. mlle dott. sig. sig.ra "
                        "madame monsieur mademoiselle señor señora señorita signor signora signorina senhor senhora dona "
                        "mevrouw meneer heer pan pani".split())
_NAME_PARTICLE = frozenset("de da do dos das del della di du van von der den ten ter le la 't ’t bin ibn al y e".split())
_NOT_A_NAME = frozenset("i the a an not no on in at also just here still now your my our this that what why how it is was "
                        "unknown none n/a anonymous private irrelevant missing blank empty required optional redacted hidden "
                        "withheld same".split())
# after a label ("Customer name: siobhán larsen") a name may be written in lower case: these end it
_NAME_STOP = frozenset("and or but with is was are the a an for from to please thanks thank who which that if as at on in "
                       "of by via order email phone tel".split())
# After "my name is" and its kin, a name may be written in lower case ("hi my name is maria
# garcia, my order..."); prose goes on there too ("my name is spelled wrong", "je m'appelle
# pas comme ça"). Lower-case words are taken as a name only when none is one of these common
# words of the eight languages, and a comma, a full stop, the text's end or a word that joins
# a sentence ("and", "i", "et", "und", ...) comes right after them.
_COMMON_WORDS = frozenset((
    # English
    "a about above after again against all already also always am an and another any anyway are as at attached away back "
    "bad be because been before being below between both but by can cannot changed common complete confidential correct could "
    "different difficult displayed do does done down each easy either else empty enough even ever every fake false fine first "
    "for from full funny given good got had has have having he her here hers him his how however i if important in incorrect "
    "into irrelevant is it its just last legal like listed long lost mentioned might mine misspelled misspelt missing more "
    "most much must my need needed needs never new no nor not nothing now of off ok okay old on once one only or other our "
    "out over own private public real really required right same see short should shown simple since so some spelled "
    "spelt still such sure than that the their them then there these they this those though through to too true under unique "
    "unknown unusual up updated us used very was we well were weird what when where which while who why will with without "
    "wrong written yes yet you your gone visible locked duplicated truncated reversed capitalized capitalised "
    "cut mixed broken fixed ugly invalid valid "
    # French, Spanish, Italian, Portuguese, German, Dutch, Polish
    "pas plus comme ça ce cela le les un une des du et ou mais sur dans avec pour par que qui ne est aussi toujours déjà bien "
    "mal faux vrai "
    "no es importante el los las una y o pero en con por para muy también ya correcto incorrecto otro igual "
    "non è il lo gli uno ma che anche sbagliato giusto "
    "não é o um uma ou mas com também errado certo outro "
    "nicht ist der die das ein eine und oder aber auf mit für falsch richtig auch schon egal anders "
    "niet het een en of maar met voor ook fout goed "
    "nie jest ale też "
    # what follows a name in a sentence ("mi chiamo marco e ho ...") and what a name is called
    "e ed ho sono tengo tenho sou habe heb ben need want would bizarre étrange drôle compliqué raro extraño difícil strano "
    "komisch seltsam lang kurz estranho vreemd dziwne"
).split())
_AFTER_LOWER_NAME = re.compile(
    r"[ \t]*(?:$|[,.!?;:)\n]|(?:and|i|im|i'm|i’m|from|here|et|je|y|und|ich|e|en|ik)(?!\w))", re.IGNORECASE)
# A letter's sign-off, then the name alone on its line (on the same line after a comma, or on
# the next); an e-mail's quote header ("On ..., NAME <addr> wrote:", "Am ... schrieb NAME:",
# "From: NAME <addr>")
_SIGNOFF = (r"(?:kind|best|warm|warmest|many|with)[ \t]+(?:regards|wishes|thanks)|regards|best|thanks|thank[ \t]+you|cheers|sincerely"
            r"|yours[ \t]+(?:sincerely|truly|faithfully)|all[ \t]+the[ \t]+best|take[ \t]+care|respectfully"
            r"|mit[ \t]+freundlichen[ \t]+gr(?:ü|ue)(?:ß|ss)en|(?:viele|beste|liebe|freundliche|herzliche)[ \t]+gr(?:ü|ue)(?:ß|ss)e|gr(?:ü|ue)(?:ß|ss)e|gru(?:ß|ss)|mfg|lg|danke"
            r"|(?:bien[ \t]+)?cordialement|bien[ \t]+à[ \t]+vous|(?:sincères[ \t]+)?salutations|amitiés|merci"
            r"|un[ \t]+saludo|saludos(?:[ \t]+cordiales)?|atentamente|un[ \t]+abrazo|gracias"
            r"|(?:cordiali|distinti)[ \t]+saluti|saluti|grazie|atenciosamente|abraços|obrigad[oa]|att\.|cumprimentos"
            r"|met[ \t]+vriendelijke[ \t]+groet(?:en)?|groeten|groetjes|pozdrawiam|z[ \t]+poważaniem")
_SIGNOFF_WHOLE = re.compile(rf"(?i)(?:{_SIGNOFF})[.!]?")
_NAME_WORDS = r"[^\W\d_][\w'’.\-]*(?:[ \t]+['’]?[^\W\d_][\w'’.\-]*){0,3}"
# A greeting at a line's start, then the name it greets and a comma, "!", ":" or the line's end
# ("Hi Maria,", "Dear Mr. Smith,", "Sehr geehrte Frau Müller,", "Bonjour Éloïse !")
_GREETING = (r"hi|hello|hey|hiya|dear|good[ \t]+(?:morning|afternoon|evening)"
             r"|hallo|moin|servus|guten[ \t]+(?:morgen|tag|abend)|liebe|lieber|sehr[ \t]+geehrte|sehr[ \t]+geehrter"
             r"|bonjour|bonsoir|salut|cher|chère"
             r"|hola|buenos[ \t]+días|buenas[ \t]+tardes|buenas|estimado|estimada|querido|querida"
             r"|ciao|buongiorno|buonasera|salve|gentile|gentilissimo|gentilissima|caro|cara"
             r"|olá|oi|bom[ \t]+dia|boa[ \t]+tarde|prezado|prezada"
             r"|beste|geachte|hoi|dzień[ \t]+dobry|cześć|witam|szanowny|szanowna")
_GREETING_RE2 = _GREETING.replace("i", "[iıİ]")  # (Python's (?i) reads "ı" and "İ" as "i"; RE2's does not)
_NAME_SIGNED = (  # (compiled by ``_name_regexes``)
    rf"(?im)^[ \t>]*(?:{_SIGNOFF})(?!\w)(?:[ \t]*,[ \t]*|[ \t]+|[ \t]*[,!.]?[ \t]*(?:\r?\n[ \t>]*){{1,2}})(?!(?:{_SIGNOFF})(?!\w))"
    rf"(?P<name>{_NAME_WORDS})[ \t]*\.?[ \t]*(?=\r?\n|\Z)"
    rf"|^[ \t>]*(?:On|Le|El|Em)[ \t][^\n]{{4,100}}?,[ \t]+(?P<header>{_NAME_WORDS})[ \t]*(?:<{{1,2}}[^<>\n]{{1,120}}>{{1,2}})?[ \t]+"
    r"(?:wrote|a[ \t]+écrit|escribió|escreveu)[ \t]*:"
    rf"|^[ \t>]*Am[ \t][^\n]{{4,100}}?[ \t]schrieb[ \t]+(?P<schrieb>{_NAME_WORDS})[ \t]*(?:<{{1,2}}[^<>\n]{{1,120}}>{{1,2}})?[ \t]*:"
    rf"|^[ \t>]*(?:{_GREETING})[ \t]+(?P<greeted>{_NAME_WORDS})[ \t]*(?=[,!:]|\r?\n|\Z)"
    rf"|^[ \t>*]*(?:From|Von|De|Da)[ \t]*:[ \t]*(?P<sender>{_NAME_WORDS})[ \t]*(?:<{{1,2}}[^<>\n]{{1,120}}>{{1,2}}|\[mailto:[^\]\n]{{1,120}}\])?[ \t]*(?=\r?\n|\Z)"
)


@functools.cache
def _name_regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """``_NAME_IN_TEXT`` and ``_NAME_SIGNED`` compiled, the first time a text may hold such a
    name (13 ms of a process's start-up otherwise, spent even when no text needs them)."""
    return re.compile(_NAME_IN_TEXT), re.compile(_NAME_SIGNED)


# names a team or a desk signs with, not a person's
_NOT_A_SIGNER = frozenset("support team service services customer customers help helpdesk desk sales billing admin staff "
                          "management kundenservice kundendienst service-team équipe equipo equipe atendimento servicio "
                          "soporte assistance again all everyone so much very guys folks advance you regards for everything lot "
                          "help anyway sir sirs madam world friend friends colleague colleagues valued ladies gentlemen "
                          "there zusammen alle leute damen herren tous todos tutti pessoal allemaal wszystkim państwo "
                          "user users community".split())


_NAME_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "O'", "O’", "D'", "D’")


def _capital_inside_ok(word: str) -> bool:
    """A capital inside a word that a name can hold: after a prefix ("McDonald", "DeShawn",
    "O'Brien"), or in a part after a hyphen ("Jean-Luc"); not "ShopRight", "PayPal"."""
    if "-" in word:
        return all(not any(c.isupper() for c in part[1:]) or _capital_inside_ok(part) for part in word.split("-"))
    for p in _NAME_PREFIXES:
        n = len(p)
        if word.startswith(p) and len(word) > n and word[n].isupper() and not any(c.isupper() for c in word[n + 1:]):
            return True
    return False


def _greets_a_person(words: str) -> bool:
    """Whether the words after a greeting can be a person's name (``take`` checks the rest):
    not in lower case (nor a lower-case title), no word in capitals ("HELLO SHOPRIGHT"), no
    capital inside a word but after a name's prefix ("McDonald", not "ShopRight"), no
    sign-off ("Beste Grüße")."""
    if not words[:1] or words[0].islower():
        return False
    for w in words.split():
        core = w.strip(".,'’-")
        if len(core) > 1 and core.isupper():
            return False
        if any(c.isupper() for c in core[1:]) and not _capital_inside_ok(core):
            return False
    if _SIGNOFF_WHOLE.fullmatch(words.strip()) is not None:
        return False
    return not any(_near(w.strip(".,!").lower(), _SIGNOFF_NOUNS) for w in words.split())


# what follows "Beste", "Liebe", "Cordiali" in a sign-off, to tell "Beste Grüeß" (misspelt) from "Beste Jan"
_SIGNOFF_NOUNS = ("grüße", "grüsse", "gruß", "grüssen", "grüßen", "regards", "wishes", "groeten", "saluti", "saludos",
                  "salutations", "pozdrowienia", "cumprimentos", "abraços", "wünsche")


def _near(word: str, targets: tuple[str, ...]) -> bool:
    """Whether ``word`` is one of ``targets`` or one typo off one: a letter added, dropped,
    changed, or two letters swapped ("grüeß")."""
    if len(word) < 4:
        return False
    for t in targets:
        if abs(len(t) - len(word)) > 1:
            continue
        if word == t:
            return True
        if len(word) == len(t):
            diff = [i for i in range(len(t)) if word[i] != t[i]]
            if len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == t[diff[1]]
                                  and word[diff[1]] == t[diff[0]]):
                return True
            continue
        short, long_ = (word, t) if len(word) < len(t) else (t, word)
        if any(long_[:i] + long_[i + 1:] == short for i in range(len(long_))):
            return True
    return False


def _name_words(words: list[str], lower_ok: bool) -> list[str]:
    """The words of a name at the start of ``words``: capitalised words and initials, with
    particles between them ("de la Cruz", "van 't Wel"); with ``lower_ok``, words in lower
    case too (a form's value). Ends at a digit, a word that is no name, or a comma or full
    stop after a word ("Maria, and ...", "Ana. Please ...")."""
    keep: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if any(c.isdigit() for c in w):
            break
        bare = w.rstrip(".,").lower()
        if w[0].isupper() or (lower_ok and w[0].isalpha() and bare not in _NAME_STOP and (keep or bare not in _NAME_PARTICLE)):
            if keep and bare in _NOT_A_NAME and not (len(w) == 2 and w[1] == "."):  # "Ana I need help", not "Fernanda A."
                break
            keep.append(w)
            i += 1
            if w[-1] == "," or (w[-1] == "." and len(w) > 2):
                break
            continue
        j = i  # particles, then a capitalised word
        while j < len(words) and words[j].lower() in _NAME_PARTICLE:
            j += 1
        if j == i or j == len(words) or not words[j][0].isupper() or not keep:
            break
        keep += words[i:j]
        i = j
    return keep


def _lower_name_words(words: list[str]) -> list[str]:
    """The words of a name written in lower case at the start of ``words`` (after "my name
    is"): up to four words of letters that are no common word, particles between them
    ("maria de la cruz"); none when the first is a common word."""
    keep: list[str] = []
    named = 0  # words kept that are no particle
    for w in words[:6]:
        bare = w.rstrip(".,")
        low = bare.lower()
        if (not bare or any(not (c.isalpha() or c in "'’-") for c in bare) or low in _COMMON_WORDS or low in _NAME_STOP
                or low in _NOT_A_NAME):
            if keep and low in _NAME_PARTICLE and low not in ("y", "e") and bare == w:  # (not "and" in Spanish, Italian)
                keep.append(w)  # a particle: kept only if a name word follows (below)
                continue
            break
        keep.append(w)
        named += low not in _NAME_PARTICLE
        if named == 4 or w != bare:
            break
    while keep and keep[-1].lower() in _NAME_PARTICLE:
        keep.pop()
    return keep


def _scan_names(text: str, said: Callable[[re.Match[str]], tuple[str, int] | None],
                next_at: Callable[[int], Any]) -> str:
    """``text`` with the names after their words (``_NAME_IN_TEXT``) swapped: the regex is
    tried where ``next_at(pos)`` says one may start (a match, or a position), in order; after
    a name the search goes on where the name ends ("my name is Ana. Customer name: Bo" has two)."""
    in_text = _name_regexes()[0]
    parts, last = [], 0
    cue = next_at(0)
    while cue is not None:
        pos = cue if type(cue) is int else cue.start()
        m = in_text.match(text, pos)
        got = said(m) if m is not None else None
        if got is None:
            nxt = pos + 1
        else:
            parts += [text[last:pos], got[0]]
            last = nxt = got[1]
        cue = next_at(nxt) if nxt <= len(text) else None
    return "".join(parts) + text[last:] if parts else text


_NO_VALUE = frozenset(("n/a", "na", "none", "null", "unknown", "not provided", "not available", "redacted", "-", "—", "tbd"))
_AT_WORD = re.compile(r"\s*[\[(<{]\s*at\s*[\])>}]\s*|\s+at\s+")
_DOT_WORD = re.compile(r"\s*[\[(<{]\s*dot\s*[\])>}]\s*|\s+dot\s+")
_EMAIL_VALUE = re.compile(r"[^@\s<>]{1,64}@[^@\s<>]{1,255}")
_PHONE_VALUE = re.compile(r"(?P<num>\+?[\d\s().\-/]{7,25}?)(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?")
_LETTER = re.compile(r"[^\W\d_]")
# words that make a value in an address field a street even without a house number
# ("chemin de Legrand"), not the words city names use too (Park, Lake, Valley, Feira, St. for
# Saint, -ufer as in Taufer)
_STREET_WORD = re.compile(
    r"(?i)(?:straße|strasse|str\.|weg|gasse|platz|allee|straat|laan|plein|gracht|steeg|dreef)(?!\w)"
    r"|(?<!\w)(?:street|road|rd|avenue|ave|lane|ln|drive|boulevard|blvd|court|place|square|sq|terrace|close"
    r"|crescent|way|highway|parkway|alley|row|walk|mews|rue|chemin|allée|impasse|quai|calle|avenida|avda|plaza|paseo|camino"
    r"|carretera|ronda|travesía|pasaje|via|viale|piazza|corso|largo|vicolo|strada|rua|travessa|praça|alameda|estrada|rodovia"
    r"|ulica|ul)(?!\w)"
)
_DIGIT = re.compile(r"\d")
_IBAN_HEAD = re.compile(r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4})* ?$")
_DATEISH = re.compile(r"^(?:\d{4}[-. /]\d{1,2}[-. /]\d{1,2}|\d{1,2}[-. /]\d{1,2}[-. /]\d{4})(?:\D|$)")


try:  # google-re2's extension module: one call per run with byte offsets (the public
    # ``re2.compile().search`` wrapper costs 3 us a call against 1.2)
    _RE2 = re2._re2
    _UNANCHORED = _RE2.RE2.Anchor.UNANCHORED
    _BYTES_TO_CHARS = _RE2.BytesToCharLen
except AttributeError:  # a google-re2 without it: the detectors search whole texts, as before
    _RE2 = None


class _Runs:
    """Where a detector can change a text: the maximal runs of ``chars`` (an RE2 class that
    holds every character the detector's matches are made of) that contain a match of
    ``seed`` (made of ``chars``; part of every match the detector replaces).

    A match lies inside one run, so a search from a run's first character finds the same
    matches there as a search of the whole text, and runs without a seed are left as they
    are. The detector's lookbehinds see what lies before a search's ``pos``; its lookaheads
    read at most ``ahead`` characters past the last one a match could take, so the search
    may stop that far past the run. ``\\p{Nd}`` and the whitespace class of ``_WS`` hold
    Python's Unicode ``\\d`` and ``\\s``; a wider class only makes a run longer.
    """

    def __init__(self, chars: str, seed: str, ahead: int) -> None:
        self.chars, self.seed, self.ahead = chars, seed, ahead
        # the RE2 object under ``re2.compile``: one call per run, with bytes offsets
        self._rx = _RE2.RE2(f"[{chars}]*(?:{seed})[{chars}]*".encode(), re2.Options()) if _RE2 is not None else None

    def spans(self, text: str) -> list[tuple[int, int]] | None:
        """``(pos, endpos)`` of the runs with a seed, in order; ``None`` when there are so many
        that one pass over the whole text costs less, or the text has a lone surrogate."""
        if self._rx is None:
            return None
        try:
            data = text.encode()
        except UnicodeEncodeError:
            return None
        size, n = len(data), len(text)
        limit = 16 + n // 64
        spans: list[tuple[int, int]] = []
        at = byte = char = 0  # search from byte ``at``; byte offset ``byte`` is character ``char``
        while True:
            ((start, end),) = self._rx.Match(_UNANCHORED, data, at, size)
            if start < 0:
                return spans
            if len(spans) == limit:
                return None
            at = end
            if size != n:  # not ASCII: count characters
                first = char + _BYTES_TO_CHARS(data, byte, start)
                char = first + _BYTES_TO_CHARS(data, start, end)
                byte, start, end = end, first, char
            spans.append((start, min(n, end + self.ahead)))


class _Cues:
    """Where an RE2 pattern (``_RE2.RE2``, for bytes) next matches in a text, as a character
    position: the text is encoded once and the C matcher called directly, as ``_Runs`` does
    (the public wrapper spends 20 us a call on 2 KB re-encoding the text and mapping offsets)."""

    __slots__ = ("text", "_b", "_ascii", "_at")

    def __init__(self, text: str) -> None:
        self.text: str | None = text
        try:
            self._b = text.encode()
        except UnicodeEncodeError:
            self.text = None
            return
        self._ascii = len(self._b) == len(text)
        self._at = (0, 0)  # a character position and its byte offset, to count on from

    def next(self, rx: Any, pos: int) -> int | None:
        b = self._b
        if self._ascii:
            bpos = pos
        else:
            c, o = self._at
            bpos = o + len(self.text[c:pos].encode()) if pos >= c else len(self.text[:pos].encode())  # type: ignore[index]
        if bpos > len(b):
            return None
        start = rx.Match(_UNANCHORED, b, bpos, len(b))[0][0]
        if start < 0:
            return None
        if self._ascii:
            return start
        char = pos + _BYTES_TO_CHARS(b, bpos, start)
        self._at = (char, start)
        return char


def _bytes_rx(pattern: str) -> Any:
    """``pattern`` as the RE2 extension's own object, for ``_Cues``; ``None`` without it."""
    return _RE2.RE2(pattern.encode(), re2.Options()) if _RE2 is not None else None


# where a name may follow its words, and where a sign-off or a quote header starts a line
_NAME_CUE_B = _bytes_rx(rf"(?i)(?:{_NAME_INTRO})|(?:{_PERSON_LABEL})[ \t]*[:=]")
_SIGNED_CUE_B = _bytes_rx(rf"(?im)^[ \t>*]*(?:{_SIGNOFF}|{_GREETING_RE2}|on|le|el|em|am|from|von|de|da)")


def _sub(rx: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str, runs: _Runs | None) -> str:
    """``rx.sub(repl, text)``, searching only the spans of ``runs`` when given."""
    spans = runs.spans(text) if runs is not None else None
    if spans is None:
        return rx.sub(repl, text)
    parts: list[str] = []
    last = 0
    for pos, endpos in spans:
        for m in rx.finditer(text, pos, endpos):
            parts.append(text[last:m.start()])
            parts.append(repl(m))
            last = m.end()
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


# Every e-mail holds an "@"; every card number the 12 digits its pattern starts with; every
# phone number with the 8 digits a replacement needs has 8 digits at most two separators
# apart ("+44 (0)20"), and may end in an extension ("x", "ext.", "extension").
_EMAIL_RUNS = _Runs(r"A-Za-z0-9\x{00C0}-\x{024F}._%+@-", r"@", 2)
_CARD_RUNS = _Runs(r"\p{Nd} -", r"\p{Nd}(?:[ -]?\p{Nd}){11}", 1)
_SAID_RUNS = _Runs(r"\p{Nd} ./()+-", r"\p{Nd}(?:[ ./()-]{0,2}\p{Nd}){8}", 1)
_PHONE_RUNS = _Runs(r"\p{Nd}\s\p{Z}\x0b\x1c-\x1f\x85+().xtensio-", r"\p{Nd}(?:[ .()-]{0,2}\p{Nd}){7}", 2)

# Street suffixes of USPS Publication 28 (appendix C1) and UK usage, then common abbreviations
_US_SUFFIXES = (
    "Alley Annex Arcade Avenue Bayou Beach Bend Bluff Bottom Boulevard Branch Bridge Brook Burg "
    "Bypass Camp Canyon Cape Causeway Center Circle Cliff Close Club Commons? Corner Court "
    "Cove Creek Crescent Crest Crossing Crossroad Curve Dale Dam Divide Drive Estates? Expressway Extension "
    "Falls? Ferry Field Flat Ford Forest Forge Fork Fort Freeway Gardens? Gateway Glen Green "
    "Grove Harbor Haven Heights Highway Hill Hollow Inlet Island Isle Junction Key Knoll Lake "
    "Land Landing Lane Light Loaf Lock Lodge Loop Mall Manor Meadows? Mews Mill Mission "
    "Motorway Mount Mountain Neck Orchard Oval Overpass Park Parkway Pass Passage Path Pike Pine "
    "Place Plain Plaza Point Port Prairie Radial Ramp Ranch Rapid Rest Ridge Rise River "
    "Road Route Row Rue Run Shoal Shore Skyway Springs? Spur Square Station Stravenue Stream "
    "Street Summit Terrace Throughway Trace Track Trafficway Trail Trailer Tunnel Turnpike Underpass Union Valley "
    "Viaduct View Village Ville Vista Walk Wall Way Well "
).split()
_US_PLURALS = "Bluffs Brooks Burgs Centers Circles Cliffs Corners Courts Coves Drives Extensions Fields Flats Fords Forges Forks Glens Greens Groves Harbors Hills Islands Junctions Keys Knolls Lakes Lights Locks Manors Mills Mountains Parks Parkways Pines Plains Points Ports Rapids Ridges Roads Shoals Shores Spurs Squares Streets Unions Valleys Views Villages Walks Ways Wells Course".split()
"""Plural suffixes (and Course), which headings end in too ("5 Key Points", "3 Data Centers"): only after a house number of 3 digits or more."""
_US_ABBREVIATIONS = "St Ave Rd Blvd Ln Dr Ct Pl Sq Hwy Pkwy Cir Trl Ter".split()
# ("Dr" before a name is a doctor: "at 3 PM Dr Jones")
_US_SUFFIX = "|".join(_US_SUFFIXES + [a + (r"\.?(?!\s+[A-Z][a-z])" if a == "Dr" else r"\.?") for a in _US_ABBREVIATIONS])
_US_SUFFIX_WORD = "|".join(_US_SUFFIXES + _US_PLURALS + _US_ABBREVIATIONS)  # for the trigger
# German and Dutch street names end in a suffix, lower case in one word ("Hauptstraße") and
# capitalised after a hyphen ("Karl-Marx-Straße")
_NL_DE_SUFFIX = "|".join(
    f"[{w[0].upper()}{w[0]}]{w[1:]}"
    for w in "straße strasse str\\. weg gasse platz allee damm ufer straat laan plein gracht kade dijk singel steeg baan dreef boulevard".split()
)
# "-ring" (Kaiserring, Altstadtring, Karl-Marx-Ring), not an English word in -ing: Spring, String, Engineering, Monitoring
_RING = r"(?:(?<=[^\W\d_]{3})(?<![aeiouy])ring|(?<=-)Ring)"
_DE_STREET_WORD = r"(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer)"
_ROMANCE_STREET = ("Calle|calle|C/|Avenida|avenida|Avda\\.|Plaza|Paseo|Rambla|Camino|Carretera|Ronda|Travesía|Urbanización|Pasaje"
                   "|Via(?!\\s+(?:Email|E-mail|Mail|Phone|Chat|Web|SMS|Text|Slack|Zoom|Teams|Google|Apple|Amazon|API|App|Twitter"
                   "|WhatsApp|Telegram|Discord|LinkedIn|GitHub|Facebook|Instagram|Live|Video|Post|Fax|Stripe|PayPal|Uber)\\b)"
                   "|Viale|viale|Piazza|piazza|Corso|Largo|Vicolo|Strada|Contrada|Rua|rua|Travessa|Praça|praça|Alameda|Estrada|Rodovia"
                   "|Vila|Jardim|Ladeira|Viela")
# Spanish kinds of street that prose also writes ("Acceso Denegado 403", "Bajada de Precios 20%",
# "La Cuesta Enero 2026"): only before a name of two words or more, then a house number that
# is not a year or a share
_ES_STREET_WORD = "Vial|Glorieta|Callejón|Cañada|Acceso|Cuesta|Pasadizo|Bajada|Carrer"
_ROMANCE_TRIGGER = ("Calle|calle|C/|Avenida|avenida|Avda\\.|Plaza|Paseo|Rambla|Camino|Carretera|Ronda|Travesía|Urbanización|Pasaje"
                    "|Via|Viale|viale|Piazza|piazza|Corso|Largo|Vicolo|Strada|Contrada|Rua|rua|Travessa|Praça|praça|Alameda|Estrada"
                    "|Rodovia|Vila|Jardim|Ladeira|Viela|Vial|Glorieta|Callejón|Cañada|Acceso|Cuesta|Pasadizo|Bajada|Carrer")
# Brazilian and Italian kinds of place that are also everyday nouns ("Parque", "Campo", "Área",
# "Borgo", "Canale"): an address only with a comma before its number, "Setor de Cardoso, 89",
# "Borgo Casini, 38"
_BR_PLACE = ("Setor|Conjunto|Condomínio|Loteamento|Quadra|Chácara|Fazenda|Sítio|Vereda|Viaduto|Pátio|Trevo|Colônia|Núcleo"
             "|Residencial|Recanto|Parque|Vale|Lago|Lagoa|Campo|Feira|Favela|Área|Morro|Beco|Passarela|Distrito|Esplanada|Praia"
             "|Borgo|Rotonda|Stretto|Canale|Incrocio|Salita|Lungomare|Lungotevere|Traversa|Galleria|Località|Frazione|Fondamenta")
_FR_STREET = r"(?:[Rr]ue|[Aa]venue|av\.|[Bb]oulevard|bd|[Pp]lace|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai)"
# (word lengths and repeats are bounded: a text of 100 KB without a street in it, such as a
# base64 blob or "Calle Calle ...", otherwise made these searches quadratic)
_UPPER = r"(?!(?:AM|PM)\b)[A-ZÄÖÜÉÈÁÍÓÚÑÇ][\w'’.-]{0,40}"
# The address pattern's alternatives, each with the part of the ADDRESS trigger that every
# one of its matches holds (``_ADDRESS_TRIGGERS``): the step searches a text only with the
# alternatives whose part RE2 found in it (``_address_pattern``).
_ADDRESS_PARTS = (
    ("US", r"\b(?:\d{1,5}[A-Za-z]?,?\s+(?:" + _UPPER + r"\s+){1,3}(?:" + _US_SUFFIX + r")"
     r"|\d{3,5}[A-Za-z]?,?\s+(?:" + _UPPER + r"\s+){1,3}(?:" + "|".join(_US_PLURALS) + r"))(?:\s+(?:NW|NE|SW|SE|N|S|E|W))?\b"
     r"(?:,?\s+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|#)\s?\d{1,5}[A-Za-z]?\b)?"),
    ("US", r"\b\d{1,5}\s+(?:[NSEW]\.?\s+)?\d{1,3}(?:st|nd|rd|th)\s+(?:St|Ave|Avenue|Street|Rd|Road|Blvd|Pl|Place|Dr|Drive)\b"),  # 350 5th Ave
    ("BOX", r"\b(?:P\.?\s?O\.?\s?Box|Post Office Box)\s+\d{1,6}\b"),
    ("DE", r"\b[A-ZÄÖÜ][\w-]{0,40}?(?:" + _NL_DE_SUFFIX + r"|" + _RING + r")\s+\d{1,4}(?:\s?[a-z](?![\w-]))?(?:[/-]\d{1,4})?\b"),
    ("DE", r"\b[A-ZÄÖÜ][a-zäöüß]+(?:er|e|es)\s+" + _DE_STREET_WORD + r"\s+\d{1,4}(?:\s?[a-z](?![\w-]))?\b"),  # Berliner Straße 45
    ("FR", r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+" + _FR_STREET + r"\s+"
     r"(?:(?:de la|de l'|des|du|de|la|le|l'|d')\s*)?" + _UPPER + r"(?:\s+" + _UPPER + r"){0,5}"),
    ("ROMANCE", r"\b(?:" + _ROMANCE_STREET + r")\s+(?:(?:de la|de|del|della|dei|di|da|das|do|dos|des)\s+)?"
     + _UPPER + r"(?:\s+" + _UPPER + r"){0,5},?\s+(?:n\.?º?\s*)?\d{1,4}\b"),
    ("ROMANCE", r"\b(?:" + _ES_STREET_WORD + r")\s+(?:(?:de la|de los|de las|del|de)\s+)?" + _UPPER
     + r"(?:\s+(?:(?:de|del|y)\s+)?" + _UPPER + r"){1,4},?\s+(?:n\.?º?\s*)?(?!(?:19|20)\d\d\b)\d{1,4}\b(?![.,]\d|\s?%)"),
    ("ROMANCE", r"\b(?:" + _BR_PLACE + r")\s+(?:(?:de|da|das|do|dos|di|del|della|dei|degli)\s+){0,2}"
     + _UPPER + r"(?:\s+(?:(?:de|da|das|do|dos|e|di|del|della)\s+)?" + _UPPER + r"){0,4},\s?(?:n\.?º?\s*)?(?!(?:19|20)\d\d\b)\d{1,5}\b(?![.,]\d)"
     # not a distance, a date, a count: "Parque Nacional, 5 km", "Campo Grande, 3 de maio"
     r"(?!\s?(?:km|m|m²|mi|mil|h|%|anos|dias|horas|vezes|pessoas|habitantes|minutos|anni|giorni|ore|volte|persone|abitanti"
     r"|minuti|(?:de|di)\s+(?:janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro"
     r"|gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre))(?!\w))"),
)
_ADDRESS = re.compile("|".join(pattern for _, pattern in _ADDRESS_PARTS))

# One RE2 pass per text decides which detectors can match at all. Each trigger is a
# necessary condition of its detector: any match of the detector's Python regex contains
# a match of the trigger (``\p{Nd}`` and the whitespace class stand for Python's Unicode
# ``\d`` and ``\s``). A text with no trigger costs one linear scan instead of nine
# backtracking ones; a test checks that scrubbing gives the same output with and without.
_D = r"\p{Nd}"
_WS = r"[\s\p{Z}\x0b\x1c-\x1f\x85]"
_NOT_WS = r"[^\s\p{Z}\x0b\x1c-\x1f\x85]"
# In serialised JSON, whitespace may appear as an escape (\n, \u001f, ...).
_WS_JSON = r"(?:[\s\p{Z}\x0b\x1c-\x1f\x85]|\\[ntrfb]|\\u00[01][0-9a-fA-F])"
# A line's start; in serialised JSON also after an escaped line break or a string's quote
_LINE = r"(?m:^)"
_LINE_JSON = r"(?:(?m:^)|\\[nr]|\\u00(?:0[aA]|0[dD]|1[cdeCDE]|85)|\")"
# a line break; in serialised JSON also escaped
_NL = r"(?:\r?\n)"
_NL_JSON = r"(?:\r?\n|\\[rn])"
# the ADDRESS trigger, in parts: what each kind of address in ``_ADDRESS_PARTS`` holds
_ADDRESS_TRIGGERS = {
    # a house number, one to three words, a street's suffix that ends a word ("12 Main St",
    # "350 5th Ave"; not " Stretch", " Please", " Password", " Tracking" as it fired on before)
    "US": rf"{_D}[A-Za-z]?,?{_WS}+(?:{_NOT_WS}+{_WS}+){{1,3}}(?:{_US_SUFFIX_WORD})(?:[^A-Za-z0-9_]|$)",
    "DE": rf"(?:{_NL_DE_SUFFIX}|ring|Ring|{_DE_STREET_WORD}){_WS}+{_D}",
    "FR": rf"{_D}(?:{_WS}?(?:bis|ter))?,?{_WS}+{_FR_STREET}{_WS}",
    "ROMANCE": rf"(?:{_ROMANCE_TRIGGER}|{_BR_PLACE}){_WS}",
    "BOX": rf"(?i:p\.?{_WS}?o\.?{_WS}?box|post office box)",
}
_TRIGGERS = {
    "SECRET": r"(?i)(?:sk-|k_live_|k_test_|gh[pousr]_|github_pat_|glpat-|akia|asia|aiza|xox|hf_|eyj|bearer|private key|://"
              r"|pass|pwd|pw|secret|key|token|contraseña|senha|kennwort|npm_|whsec_|sg\.|hooks\.slack|authorization)",
    "EMAIL": r"@",
    "IBAN": rf"[A-Za-z]{{2}}{_D}{{2}}[ -]?[A-Za-z0-9]{{4}}[ -]?[A-Za-z0-9]{{4}}",
    "CARD": rf"{_D}(?:[ -]?{_D}){{11}}",
    "SSN": rf"{_D}{{3}}[- ]{_D}{{2}}[- ]{_D}{{4}}|{_D}{{9}}",
    "NATIONAL_ID": national_trigger(_D),
    "IP": rf"{_D}{{1,3}}\.{_D}{{1,3}}\.{_D}{{1,3}}\.{_D}{{1,3}}|::|(?:[0-9A-Fa-f]{{1,4}}:){{7}}",
    "PHONE": rf"{_D}(?:[ ./()-]{{0,2}}{_D}){{7}}",
    "ADDRESS": "|".join(_ADDRESS_TRIGGERS.values()),
}


# a quoted key that may name an e-mail, phone or address field (``_FIELD_KEY``), in JSON or a
# Python dict written out in a text, or in the serialised JSON of metadata
_TRIGGERS["FIELDS"] = (r"""(?i)["'][^"']*(?:mail|courriel|correo|phone|tel|mobil|msisdn|fax|whatsapp|cell|celular|handy|m[oó]vil"""
                       r"""|street|address|adres|direcci|endere|indirizzo|anschrift|stra(?:ss|ß)e|morada"""
                       # a person's name field (not a bare "name": tool calls are full of those)
                       r"""|(?:first|last|given|family|middle|maiden|full|legal|birth|second|christian|customer|client|contact"""
                       r"""|patient|passenger|guest|recipient|sender|holder|applicant|beneficiary|employee|member|buyer|billing"""
                       r"""|shipping|person|caller|travel|student|insured|signer|signatory|consignee|addressee|kin|parent|guardian)"""
                       r"""[^"']*name|surname|forename|vorname|nachname|familienname|geburtsname|pr[eé]nom|nom[^"']*(?:client|famille"""
                       r"""|complet|patient)|apellido|nombre[^"']*(?:completo|apellido|cliente|paciente|titular)|cognome"""
                       r"""|nome[^"']*(?:completo|cliente)|sobrenome|voornaam|achternaam|naam[^"']*klant|imi[eę]|nazwisko"""
                       r""")[^"']*["']""" + _WS + "*:")
FIELD_KINDS = ("EMAIL", "PHONE", "ADDRESS", "PERSON")
_TRIGGERS["PERSON"] = (r"(?i)(?:my name|my full name|i am called|i'm called|i’m called|m'appelle|m’appelle|mon nom|me llamo|mi nombre|mi chiamo"
                       r"|mio nome|ich hei|mein name|meu nome|me chamo|mijn naam|ik heet|nazywam|na imi"
                       rf"|(?:{_PERSON_LABEL})[ \t]*[:=]"
                       # a sign-off, then a capitalised word on its line or the next; an e-mail's quote header
                       rf"|{_LINE}[ \t>]*(?:{_SIGNOFF})(?:[ \t]*,[ \t]*|[ \t]+|[ \t]*[,!.]?[ \t]*{_NL}(?:{_WS}|>)*)\p{{Lu}}"
                       r"|wrote|écrit|escribió|escreveu|schrieb"
                       # a greeting, then a word that does not start in lower case
                       rf"|{_LINE}[ \t>]*(?:{_GREETING_RE2})[ \t]+(?-i:[^\s\p{{Ll}}])"
                       r"|(?:from|von|de|da)[ \t]*:)")
# such a pair in a text (a tool call's arguments, a tool's result): the quoted key, then a
# quoted value or a number of 7 to 15 digits
_FIELD_PAIR = re.compile(
    r"""(?P<q>["'])(?P<key>[^"'\\\n]{1,80})(?P=q)\s*:\s*"""
    r"""(?:"(?P<dq>(?:[^"\\\n]|\\.){1,320})"|'(?P<sq>(?:[^'\\\n]|\\.){1,320})'|(?P<num>\d{7,15})(?![\d.eE]))"""
)


def _trigger_set(kinds: list[str], *, json: bool = False) -> Any:
    """The triggers of ``kinds`` as RE2 sets; ``json=True`` for serialised JSON text.
    ``.Match(text)`` gives the indices in ``kinds`` of those found, as ``re2.Set.Match`` does.
    Compiled once per process (1.8 ms each; an ingest of many small files made a scrubber,
    and so two sets, for every file)."""
    key = (tuple(kinds), json)
    hit = _TRIGGER_SETS.get(key)
    if hit is None:
        if json or "FIELDS" not in kinds or len(kinds) == 1:
            hit = _compile_trigger_set(kinds, json=json)
        else:
            hit = _SplitTriggers(kinds)
        _TRIGGER_SETS[key] = hit
    return hit


_TRIGGER_SETS: dict[tuple[tuple[str, ...], bool], Any] = {}


# RE2 builds a set's DFA lazily, state by state, in a cache bounded by ``max_mem``. With the
# default 8 MiB, the states that varied text needs (the bundled example's e-mails and chats)
# did not fit: RE2 threw its cache away again and again and rebuilt it, and a 180-character
# text took 200-300 us to scan instead of 4. The states are allocated only as texts need them
# (+22 MiB after the example's 24,773 different texts); the bound keeps them from growing further.
_SET_MAX_MEM = 64 << 20


_NOTHING = r"[^\x00-\x{10FFFF}]"
"""A pattern that matches nothing: it holds a left-out trigger's place in a set."""


def _re2_set(patterns: list[tuple[str, str]]) -> re2.Set:
    """``patterns`` ((name, pattern) pairs) in one RE2 set with the room for states that
    varied text needs (``_SET_MAX_MEM``); a match's index is its pattern's place."""
    options = re2.Options()
    options.max_mem = _SET_MAX_MEM
    trig = re2.Set.SearchSet(options)
    for name, pattern in patterns:
        if trig.Add(pattern) < 0:  # pragma: no cover - the patterns are fixed
            raise ValueError(f"bad trigger for {name}")
    trig.Compile()
    return trig


def _compile_trigger_set(kinds: list[str], *, json: bool = False, without: str | None = None) -> re2.Set:
    """The triggers of ``kinds`` in one RE2 set; ``without``'s place holds a pattern that
    matches nothing (the set's indices stay those of ``kinds``)."""
    patterns = []
    for kind in kinds:
        if kind == without:
            pattern = _NOTHING
        elif json:
            pattern = _TRIGGERS[kind].replace(_WS, _WS_JSON).replace(_LINE, _LINE_JSON).replace(_NL, _NL_JSON)
        else:
            pattern = _TRIGGERS[kind]
        patterns.append((kind, pattern))
    return _re2_set(patterns)


def _may_hold_a_field(text: bytes) -> bool:
    """Whether ``text`` can match the FIELDS trigger, which ends in a quote, spaces and a
    colon: it needs a quote and a colon. (Each byte is looked for as an int: ``34 in data``
    is a ``memchr``, 27 ns on 600 bytes, where ``b'"' in data`` took 420 ns.)"""
    return (34 in text or 39 in text) and 58 in text  # '"', "'", ":"


class _SplitTriggers:
    """The triggers of prose, with FIELDS (a quoted key that names a field, ``"email":``)
    in a set of its own that scans only a text holding a quote and a colon.

    RE2 builds a set's DFA lazily, one state for each mix of the patterns' partial matches
    that a text reaches. FIELDS's runs of "anything but a quote" mix with every other
    pattern's, so with it the set needed far more states: on the bundled example's 24,773
    different texts, the first scan of a text cost 204k instructions with FIELDS in the set
    and 85k without it (gated as here), a warm scan 7.6k and 9.2k; the uniform benchmark's
    texts, which hold no quote, 11.3k either way (valgrind, ``bench/ingest_example_bench.py``).
    Four texts in five hold no quote and colon: their FIELDS scan is skipped."""

    def __init__(self, kinds: list[str]) -> None:
        self.fields_at = kinds.index("FIELDS")
        self.rest = _compile_trigger_set(kinds, without="FIELDS")
        self.fields = _compile_trigger_set(["FIELDS"])

    def Match(self, text: Any) -> list[int] | None:  # noqa: N802 - re2.Set's name
        out = self.rest.Match(text) or []  # (raises on a lone surrogate, as one set does)
        if _may_hold_a_field(text.encode() if isinstance(text, str) else bytes(text)) and self.fields.Match(text):
            out = sorted([*out, self.fields_at])
        return out or None


def _set_matcher(trig: Any) -> Callable[[Any], list[int] | None]:
    """``trig.Match``: the indices of the triggers found in a text or bytes, ``None`` if none.
    Calls the extension's set directly when it is there (the wrapper's two Python calls
    cost 0.7 of the 1.6 us of a 450-character text)."""
    if isinstance(trig, _SplitTriggers):
        return _split_matcher(trig)
    inner = getattr(trig, "_set", None)
    if inner is None or not hasattr(inner, "Match"):
        return trig.Match

    def match(text: Any) -> list[int] | None:
        if type(text) is str:
            try:
                text = text.encode()
            except UnicodeEncodeError:  # a lone surrogate (from Python's own JSON reader): RE2 reads it as a byte it matches to nothing
                text = text.encode("utf-8", "surrogatepass")
        return inner.Match(text) or None

    return match


def _split_matcher(trig: _SplitTriggers) -> Callable[[Any], list[int] | None]:
    rest_set, fields_set = getattr(trig.rest, "_set", None), getattr(trig.fields, "_set", None)
    if not hasattr(rest_set, "Match") or not hasattr(fields_set, "Match"):
        return trig.Match
    rest, fields, fields_at = rest_set.Match, fields_set.Match, trig.fields_at

    def match(text: Any) -> list[int] | None:
        if type(text) is str:
            try:
                text = text.encode()
            except UnicodeEncodeError:  # a lone surrogate: as ``_set_matcher``'s
                text = text.encode("utf-8", "surrogatepass")
        hit = rest(text) or None
        # (``_may_hold_a_field``, written out: a call costs more than the test)
        if (34 in text or 39 in text) and 58 in text and fields(text):
            if hit is None:
                return [fields_at]
            hit.append(fields_at)
        return hit

    return match


_ADDRESS_PART_KINDS = tuple(_ADDRESS_TRIGGERS)
_ADDRESS_PARTS_FOUND = _set_matcher(_re2_set(list(_ADDRESS_TRIGGERS.items())))
_ADDRESS_BY_PARTS: dict[tuple[int, ...], re.Pattern[str]] = {}


def _address_pattern(text: str) -> re.Pattern[str] | None:
    """``_ADDRESS`` with only the alternatives whose part of the trigger is in ``text`` (None:
    none is). An alternative that cannot match anywhere in a text takes no match from the
    others, so the matches are those of the whole pattern: 150-190 against 400-530 us a text
    on the bundled example's texts that hold a street address's shape, most of them only the
    US kind's (``bench/ingest_example_bench.py --steps``)."""
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate: the whole pattern, as ever
        return _ADDRESS
    found = _ADDRESS_PARTS_FOUND(data)
    if found is None:
        return None
    key = tuple(found)
    rx = _ADDRESS_BY_PARTS.get(key)
    if rx is None:
        kinds = {_ADDRESS_PART_KINDS[i] for i in key}
        rx = _ADDRESS_BY_PARTS[key] = re.compile("|".join(pattern for kind, pattern in _ADDRESS_PARTS if kind in kinds))
    return rx


# which of the two searches of the NATIONAL_ID step can find anything (each costs 50-120 us
# on 500 characters in Python's regex engine; these, about 1 us)
_NATIONAL_SHAPE = re2.compile(shape_hint(_D))
_NATIONAL_LABEL = re2.compile(label_hint())


# what every match of ``_SECRET`` holds (its keys' prefixes, "Bearer", "://"): the SECRET
# trigger also fires on the words of a label ("password", "key", "token"), which only
# ``_LABELLED_SECRET`` needs, and ``_SECRET`` cost 176 us on an 825-character text
_SECRET_HINT = re2.compile(
    r"(?i:author[iı]zat[iı]on|bearer)|-----BEGIN |AccountKey=|hooks\.slack\.com|npm_|whsec_|SG\.|sk-|_live_|_test_|gh[pousr]_"
    r"|github_pat_|glpat-|AKIA|ASIA|AIza|xox[baprs]-|hf_|eyJ|://"
)

# what every match of ``_LABELLED_SECRET`` holds: a label's word, the rest of its identifier,
# then "is" or an assignment ("password=", "api_key:", "Kennwort ist"); most texts that say
# "password" do not assign one ("I forgot my password"). (Python's case-insensitive "i"
# also matches "ı" and "İ", its letter class "ſ" and the Kelvin sign, which RE2 folds
# otherwise: they are written out.)
_LABELLED_HINT = re2.compile(
    r"(?i)(?:pass|pw|kennwort|contraseña|senha|secret|key|token)[A-Za-z0-9_.\-ıİſ\x{212A}]*[\"']?" + _WS + "*"
    r"(?:[iıİ]s|was|[iıİ]st|est|es|era|è|é|lautet|=|:|：|>)"
)


def _may_hold(rx: Any, text: str) -> bool:
    try:
        return rx.search(text) is not None
    except UnicodeEncodeError:  # a lone surrogate: let the full search decide
        return True


KINDS = ("SECRET", "EMAIL", "IBAN", "CARD", "SSN", "NATIONAL_ID", "IP", "PHONE", "ADDRESS", "PERSON")


@dataclass
class ScrubSettings:
    """What to scrub beyond the defaults (``assay.yaml`` section ``scrub``).

    ``patterns``: extra kinds, ``{"CUSTOMER_ID": r"CUST-\\d{8}"}`` (applied first).
    ``allow``: values left as they are; a plain string matches exactly (case-insensitive),
    ``re:<regex>`` matches by full regex. ``disable``: built-in kinds to switch off, or one
    national number (``NATIONAL_ID:in_aadhaar``; the names are ``_national.NUMBER_NAMES``).
    """

    patterns: dict[str, str] = field(default_factory=dict)
    allow: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)

    def compiled(self) -> tuple[list[tuple[str, re.Pattern[str]]], set[str], list[re.Pattern[str]]]:
        pats = []
        for name, rx in self.patterns.items():
            kind = re.sub(r"\W", "_", name).upper()
            try:
                pats.append((kind, re.compile(rx)))
            except re.error as exc:
                raise ConfigError(f"scrub pattern {name!r} is not a valid regex: {exc}", field=f"scrub.patterns.{name}") from None
        for kind in self.disable:
            head, _, number = kind.partition(":")
            if head.upper() not in KINDS or (number and head.upper() != "NATIONAL_ID"):
                raise ConfigError(f"unknown PII kind {kind!r}", field="scrub.disable",
                                  hint=f"use one of: {', '.join(KINDS)}, or NATIONAL_ID:<number> for one national number")
            if number and number.lower() not in NUMBER_NAMES:
                raise ConfigError(f"unknown national number {number!r} in {kind!r}", field="scrub.disable",
                                  hint=f"use one of: {', '.join(NUMBER_NAMES)}")
        literal = {a.lower() for a in self.allow if not a.startswith("re:")}
        regexes = []
        for a in self.allow:
            if a.startswith("re:"):
                try:
                    regexes.append(re.compile(a[3:]))
                except re.error as exc:
                    raise ConfigError(f"allow-list regex {a!r} is not valid: {exc}", field="scrub.allow") from None
        return pats, literal, regexes


_CACHE_MAX = 50_000
_CACHE_CHARS = 32_000_000
"""The scrub cache holds at most this many characters of texts (and as many entries): a
log of 1 MB messages held 2.3 MB per message before."""


class Scrubber:
    """Finds PII in text and swaps it for keyed pseudonyms."""

    def __init__(self, key: bytes, settings: ScrubSettings | None = None, *, prefilter: bool = True, windows: bool = True) -> None:
        """``prefilter=False`` runs every detector on every text; ``windows=False`` searches the
        whole text for e-mails, cards, phone numbers, names and keys, not just where they can
        be (both slower; same output)."""
        self.key = key
        self._windows = windows
        self.found: Counter[str] = Counter()
        self.settings = settings or ScrubSettings()
        self._custom, self._allow_lit, self._allow_re = self.settings.compiled()
        disabled = {k.upper() for k in self.settings.disable if ":" not in k}
        # single national numbers switched off ("NATIONAL_ID:in_aadhaar": a team's 4-4-4 ticket numbers)
        self._numbers_off = frozenset(k.partition(":")[2].lower() for k in self.settings.disable if ":" in k)
        # (kind, detector, trigger index or None = always run); user patterns run first
        self._steps: list[tuple[str, Callable[[str, list[str]], str], int | None]] = [
            (kind, self._simple(kind, rx), None) for kind, rx in self._custom
        ]
        # e-mail, phone and address fields named by their key in a text's JSON ("FIELDS" is no
        # kind of its own: a value gets the kind its key names; it goes with those kinds)
        self._fields = frozenset(k for k in FIELD_KINDS if k not in disabled)
        builtin: list[tuple[str, Callable[[str, list[str]], str]]] = [
            *([("FIELDS", self._keyed)] if self._fields else []),
            ("SECRET", self._secret),
            ("EMAIL", self._simple("EMAIL", _EMAIL, str.lower, _EMAIL_RUNS)),
            ("IBAN", self._checked("IBAN", _IBAN, lambda v: _SEPARATOR.sub("", v).upper(), iban_ok, shorter=True)),
            # before cards: a Chinese resident number or an Aadhaar number can pass a card's Luhn check too
            ("NATIONAL_ID", self._national),
            ("CARD", self._checked("CARD", _CARD, lambda v: _SEPARATOR.sub("", v), card_ok, _CARD_RUNS, shorter=True, veto=_a_barcode)),
            ("SSN", self._ssn),
            ("IP", self._ip),
            ("PHONE", self._phone),
            ("ADDRESS", self._simple("ADDRESS", _ADDRESS, pick=_address_pattern)),
            ("PERSON", self._person),
        ]
        enabled = [(kind, step) for kind, step in builtin if kind not in disabled]
        self._steps += [(kind, step, i if prefilter else None) for i, (kind, step) in enumerate(enabled)]
        self._trigger = _trigger_set([kind for kind, _ in enabled]) if prefilter and enabled else None
        # with the prefilter: the steps that always run, then the built-in steps by trigger index
        self._always = [step for _, step, trigger in self._steps if trigger is None]
        self._triggered = [step for _, step in enabled]
        # metadata keys that name a national number ({"pesel": "44051401359"}): the index of
        # NATIONAL_ID's trigger, -1 when it is switched off
        self._national_at = next((i for i, (kind, _) in enumerate(enabled) if kind == "NATIONAL_ID"), -1)
        self._ssn_keys = "SSN" not in disabled
        # metadata keys that name an e-mail, phone or address field: the index of their
        # trigger, -1 when those kinds are all off
        self._fields_at = next((i for i, (kind, _) in enumerate(enabled) if kind == "FIELDS"), -1)
        self._key_kinds: dict[str, tuple[str, str] | None] = {}
        # a whole JSON value can skip the walk when nothing in it can match (and no user patterns)
        self._json_trigger = _trigger_set([kind for kind, _ in enabled], json=True) if prefilter and enabled and not self._custom else None
        self._match = _set_matcher(self._trigger) if self._trigger is not None else None
        self._json_match = _set_matcher(self._json_trigger) if self._json_trigger is not None else None
        self._cache: dict[str, tuple[str, tuple[str, ...]] | tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]] = {}
        self._cache_chars = 0
        self._tokens: dict[tuple[str, str], str] = {}
        self._json_cache: dict[bytes, tuple[Any, bytes | None, tuple[str, ...], tuple[tuple[str, str], ...]]] = {}
        # the names (value, token) found since ``names_begin`` (in name fields, after "my name
        # is"): the same name written elsewhere in the record gets the same token (``with_names``)
        self._names: list[tuple[str, str]] = []
        # names -> [their regex (its text until a text needs it), forms to tokens, look-ups (with_names)]
        self._name_patterns: dict[tuple[tuple[str, str], ...], list[Any]] = {}

    # -------------------------------------------------------------- tokens

    def allowed(self, value: str) -> bool:
        if value.lower() in self._allow_lit:
            return True
        return any(r.fullmatch(value) for r in self._allow_re)

    def _token(self, kind: str, value: str, kinds: list[str]) -> str:
        kinds.append(kind)
        tok = self._tokens.get((kind, value))
        if tok is None:
            digest = hmac.new(self.key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:6]
            tok = f"<{kind}_{digest}>"
            if len(self._tokens) < _CACHE_MAX:
                self._tokens[(kind, value)] = tok
        return tok

    def token(self, kind: str, value: str) -> str:
        """The pseudonym for ``value`` of ``kind`` (counted in ``found``)."""
        kinds: list[str] = []
        tok = self._token(kind, value, kinds)
        self.found.update(kinds)
        return tok

    # -------------------------------------------------------------- detectors

    def _simple(
        self, kind: str, rx: re.Pattern[str], norm: Callable[[str], str] = lambda v: v, runs: _Runs | None = None,
        pick: Callable[[str], re.Pattern[str] | None] | None = None,
    ) -> Callable[[str, list[str]], str]:
        """``pick(text)``: the pattern to search ``text`` with, which must find what ``rx``
        finds there (None: nothing); with ``windows=False``, ``rx`` itself (the reference)."""
        runs = runs if self._windows else None
        pick = pick if self._windows else None

        def run(text: str, kinds: list[str]) -> str:
            def repl(m: re.Match[str]) -> str:
                v = m.group(0)
                return v if self.allowed(v) else self._token(kind, norm(v), kinds)

            if pick is None:
                return _sub(rx, repl, text, runs)
            chosen = pick(text)
            return text if chosen is None else _sub(chosen, repl, text, runs)

        return run

    def _checked(
        self, kind: str, rx: re.Pattern[str], norm: Callable[[str], str], ok: Callable[[str], bool], runs: _Runs | None = None,
        shorter: bool = False, veto: Callable[[str, re.Match[str]], bool] | None = None,
    ) -> Callable[[str, list[str]], str]:
        """``shorter``: a match that fails its check is tried again without its last groups, one
        at a time (a card followed by its expiry or CVV, an IBAN followed by "BIC" or an amount:
        the pattern takes them in, and the longer number fails). ``veto(value, match)``: a
        value that passes its check but is something else, told from the text around it."""
        runs = runs if self._windows else None

        def run(text: str, kinds: list[str]) -> str:
            def repl(m: re.Match[str]) -> str:
                v = m.group(0)
                n = norm(v)
                if ok(n) and (veto is None or not veto(n, m)):
                    return v if self.allowed(v) else self._token(kind, n, kinds)
                if shorter:
                    cut = v
                    while (at := max(cut.rfind(" "), cut.rfind("-"))) > 0:
                        cut = cut[:at]
                        n = norm(cut)
                        if len(n) < 12:
                            break
                        if ok(n):
                            return v if self.allowed(cut) else self._token(kind, n, kinds) + v[len(cut):]
                return v

            return _sub(rx, repl, text, runs)

        return run

    def _national(self, text: str, kinds: list[str]) -> str:
        def shaped(m: re.Match[str]) -> str:
            v = m.group(0)
            if national_kind(v, self._numbers_off) is None or self.allowed(v):
                return v
            if v[0].isdigit() and v[-1].isdigit() and NOT_AN_ID.search(text, max(0, m.start() - 32), m.start()):
                return v  # "ticket 4585 4732 5288": a number said to be something else
            return self._token("NATIONAL_ID", _compact_id(v), kinds)

        if _may_hold(_NATIONAL_SHAPE, text):
            text = NATIONAL.sub(shaped, text)

        def named(m: re.Match[str]) -> str:
            label, v = m.group("label"), m.group("value")
            # the number may have taken in a number after it ("SIN 278 018 460 2 times"): try it
            # whole, then without its last groups
            cut = v
            while True:
                if sum(c.isdigit() for c in cut) >= 8 and labelled_ok(label, cut, self._numbers_off):
                    if self.allowed(cut):
                        return m.group(0)
                    start = m.start("value") - m.start()
                    return m.group(0)[:start] + self._token("NATIONAL_ID", _compact_id(cut), kinds) + m.group(0)[start + len(cut):]
                at = max(cut.rfind(" "), cut.rfind("."), cut.rfind("-"))
                if at <= 0:
                    return m.group(0)
                cut = cut[:at]

        return LABELLED.sub(named, text) if _may_hold(_NATIONAL_LABEL, text) else text

    def _person(self, text: str, kinds: list[str]) -> str:
        """A name after the words that introduce one: its capitalised words ("my name is Maria
        de la Cruz and ..." -> "Maria de la Cruz"; a title before it stays); after a name
        field's label, also in lower case ("Customer name: siobhán larsen"); a name alone on
        the line after a letter's sign-off ("Kind regards,\nMaria"), or in an e-mail's quote
        header ("On Mon, 5 Nov 2026 at 10:30, Maria García <...> wrote:", "From: ...")."""

        def take(m: re.Match[str], group: str, lower_ok: bool, whole: bool, intro: bool = False) -> tuple[str, int] | None:
            """The match's text up to the end of the name, with the name's token, and where
            that ends; ``None`` if it holds no name. ``intro``: after "my name is" and its
            kin, where a name in lower case is taken when what follows it ends it."""
            words = m.group(group).split()
            start = 0
            while start < len(words) and words[start].lower() in _NAME_TITLE:
                start += 1
            keep = _name_words(words[start:], lower_ok)
            if not keep and start:  # after a title a family name may start with its particle ("Mr. von Berg")
                j = start
                while j < len(words) and words[j].lower() in _NAME_PARTICLE:
                    j += 1
                if start < j < len(words) and words[j][:1].isupper():
                    rest = _name_words(words[j:], lower_ok)
                    keep = words[start:j] + rest if rest else []
            loose = False
            if not keep and intro and start < len(words) and words[start][:1].islower():
                keep = _lower_name_words(words[start:])
                loose = True
            if not keep or (whole and len(keep) != len(words) - start):
                return None
            last = keep[-1]
            if last.endswith((".", ",")) and not (len(last) == 2 and last[0].isupper()):  # a sentence's stop, not "J."
                keep[-1] = last.rstrip(".,")
            value = " ".join(keep)
            if (keep[0].lower() in _NOT_A_NAME or value.lower() in _NO_NAME or self.allowed(value) or PSEUDONYM.search(value)
                    or (whole and any(w.rstrip(".,").lower() in _NOT_A_SIGNER for w in keep))):
                return None
            # the words kept, as written (their spacing too): from the first (after a title) to the last
            text = m.string
            at = end = text.index(keep[0], m.start(group))
            for w in keep:
                end = text.index(w, end) + len(w)
            if end < len(text) and text[end] in "/@_":  # "N/A", "bob@example.com": no name
                return None
            if loose and not _AFTER_LOWER_NAME.match(text, end):
                return None  # "my name is spelled wrong": prose, the words run on
            tok = self._token("PERSON", value.casefold(), kinds)
            self._names.append((value, tok))
            return text[m.start():at] + tok, end

        def said(m: re.Match[str]) -> tuple[str, int] | None:
            label = m.group("label") is not None  # a form's field: its value may be in lower case
            if label and _NOT_A_PERSON.search(m.string[max(0, m.start() - 40):m.start()].lower() + " "):
                return None  # "Product full name: Trail Tent"
            return take(m, "name", label, False, intro=not label)

        def signed(m: re.Match[str]) -> str:
            if m.lastgroup == "greeted" and not _greets_a_person(m.group("greeted")):
                return m.group(0)
            got = take(m, m.lastgroup or "name", False, True)
            return m.group(0) if got is None else got[0] + m.string[got[1]:m.end()]

        name_in_text, name_signed = _name_regexes()
        if not self._windows:  # the regexes alone, position by position (the reference)
            return name_signed.sub(signed, _scan_names(text, said, lambda pos: name_in_text.search(text, pos)))
        # Python's regexes try their many case-folded words at every position (540 us on 2 KB
        # of text): RE2 finds the places where they can start, and they are tried only there
        where = _Cues(text)
        if where.text is None or _NAME_CUE_B is None:  # a lone surrogate (RE2 takes no such text); no RE2 extension
            return name_signed.sub(signed, _scan_names(text, said, lambda pos: name_in_text.search(text, pos)))
        text = _scan_names(text, said, lambda pos: where.next(_NAME_CUE_B, pos))
        if text is not where.text:
            where = _Cues(text)
        found = []  # a sign-off or a quote header at a line's start: as ``sub``, on after each match
        pos = where.next(_SIGNED_CUE_B, 0)
        while pos is not None:
            m = name_signed.match(text, pos)
            if m is None:
                pos = where.next(_SIGNED_CUE_B, pos + 1)
                continue
            found.append(m)
            pos = where.next(_SIGNED_CUE_B, max(m.end(), pos + 1))
        if not found:
            return text
        parts, last = [], 0
        for m in found:
            parts += [text[last:m.start()], signed(m)]
            last = m.end()
        return "".join(parts) + text[last:]

    def _ssn(self, text: str, kinds: list[str]) -> str:
        def repl(m: re.Match[str]) -> str:
            v = m.group(0)
            return v if self.allowed(v) else self._token("SSN", _NON_DIGIT.sub("", v), kinds)

        text = _SSN.sub(repl, text)
        low = text.lower()
        if "ssn" in low or "security n" in low or "security #" in low:
            def ctx(m: re.Match[str]) -> str:
                v = m.group(1)
                return m.group(0)[:m.start(1) - m.start()] + self._token("SSN", v, kinds) + m.group(0)[m.end(1) - m.start():]

            text = _SSN_CONTEXT.sub(ctx, text)
        return text

    def _secret(self, text: str, kinds: list[str]) -> str:
        def repl(m: re.Match[str]) -> str:
            return m.group(0) if self.allowed(m.group(0)) else self._token("SECRET", m.group(0), kinds)

        if not self._windows or _may_hold(_SECRET_HINT, text):  # (``windows=False``: the reference, without the hint)
            text = _SECRET.sub(repl, text)

        def labelled(m: re.Match[str]) -> str:
            quote = '"' if m.group("dq") is not None else "'" if m.group("sq") is not None else ""
            value = m.group("dq") or m.group("sq") or m.group("bare")
            tail = ""
            if not quote:  # a sentence's full stop is no part of the value
                core = value.rstrip(".!?:")
                value, tail = core, value[len(core):]
            # a bare "token" or "key" is a weak label, unless the name holds a strong one (api_key, DB_PASSWORD)
            weak = _STRONG_LABEL.search(m.group(1)) is None
            if len(value) < 4 or not _plausible_secret(value, weak, m.group("word") is not None) or self.allowed(value):
                return m.group(0)
            return m.group(1) + quote + self._token("SECRET", value, kinds) + quote + tail

        if not self._windows or _may_hold(_LABELLED_HINT, text):
            text = _LABELLED_SECRET.sub(labelled, text)
        return text

    def _ip(self, text: str, kinds: list[str]) -> str:
        def v4(m: re.Match[str]) -> str:
            v = m.group(0)
            before = text[max(0, m.start() - 24):m.start()].lower()
            if _NOT_AN_IP.search(before) or self.allowed(v):  # a version, a section's or an OID's number
                return v
            return self._token("IP", v, kinds)

        text = _IPV4.sub(v4, text) if "." in text else text
        if "::" not in text and text.count(":") < 5:
            return text

        def v6(m: re.Match[str]) -> str:
            v = m.group(0)
            try:
                ipaddress.IPv6Address(v.split("%")[0])
            except ValueError:
                return v
            if sum(c in "0123456789abcdefABCDEF" for c in v) < 4 or self.allowed(v):
                return v
            if "::" not in v and all(len(g) <= 1 for g in v.split(":")):  # a ratio, 1:2:3:4:5:6:7:8
                return v
            return self._token("IP", v.lower(), kinds)

        return _IPV6.sub(v6, text)

    def _phone(self, text: str, kinds: list[str]) -> str:
        def repl(m: re.Match[str]) -> str:
            raw = m.group(0)
            digits = _NON_DIGIT.sub("", m.group("num") or raw)
            international = raw.startswith(("+", "(")) or bool(_INTL_00.match(raw))
            # "00" + country code + number: at least 10 digits, so 00499-715 (a postcode) stays
            if len(digits) > 15 or len(digits) < (8 if raw.startswith(("+", "(")) else 10):
                return raw
            if not international and (_DATEISH.match(raw) or text[m.end():m.end() + 1] == ":"):
                return raw
            if _IBAN_HEAD.search(text, max(0, m.start() - 40), m.start()):  # the tail of an IBAN-shaped string
                return raw
            if not international:
                # an order, tracking or meeting number said to be one, or an amount, is no phone number
                before = text[max(0, m.start() - 32):m.start()]
                if _OTHER_NUMBER.search(before) and not _PHONE_WORD.search(before):
                    return raw
                if _CURRENCY.match(text, m.end()):
                    return raw
            if self.allowed(raw):
                return raw
            return self._token("PHONE", digits, kinds)

        text = _sub(_PHONE, repl, text, _PHONE_RUNS if self._windows else None)
        if len(text) < 12:
            return text
        low = text.lower()
        if not any(w in low for w in _PHONE_WORDS):  # (a substring search each: cheaper than the regex's scan)
            return text

        def said(m: re.Match[str]) -> str:
            raw = m.group(0)
            digits = _NON_DIGIT.sub("", raw)
            if (not 9 <= len(digits) <= 13 or _DATEISH.match(raw) or _PHONE_SAID.search(text, max(0, m.start() - 40), m.start())
                    is None or self.allowed(raw)):
                return raw
            return self._token("PHONE", digits, kinds)

        return _sub(_DIGIT_RUN, said, text, _SAID_RUNS if self._windows else None)

    # -------------------------------------------------------------- public

    def scrub(self, text: str) -> str:
        """``text`` with every detected value replaced by its pseudonym."""
        if not text:
            return text
        hit = self._cache.get(text)
        if hit is not None:
            if hit[1]:
                self.found.update(hit[1])
                if len(hit) > 2:  # the names it held (for the rest of its record)
                    self._names.extend(hit[2])  # type: ignore[misc]
            return hit[0]
        kinds: list[str] = []
        named = len(self._names)
        out = text
        for step in self._always:
            out = step(out, kinds)
        if self._match is not None:
            fired = self._match(text)
            if fired is not None:
                for i in sorted(fired):
                    out = self._triggered[i](out, kinds)
        if kinds:
            self.found.update(kinds)
        cache = self._cache
        self._cache_chars += len(text)
        if len(cache) >= _CACHE_MAX or self._cache_chars > _CACHE_CHARS:
            cache.clear()
            self._cache_chars = len(text)
        cache[text] = (out, tuple(kinds), tuple(self._names[named:])) if len(self._names) > named else (out, tuple(kinds))
        return out

    def scrub_json(self, value: Any, blob: bytes | None = None) -> Any:
        """Scrub every string inside a JSON-like value (keys are left alone, but a key that
        names a national number, ``{"pesel": "44051401359"}``, says what its value is).
        ``blob``, the value already serialised as JSON (any key order), saves serialising it
        again for the check that lets a value with nothing to find return as it is."""
        if isinstance(value, str):
            return self.scrub(value)
        # (a key can name a national number, read when their trigger fired, or a US social
        # security number, whose words are part of that trigger: read always if it is off)
        any_keys = self._national_at >= 0 or self._ssn_keys or self._fields_at >= 0
        keys = any_keys and self._json_match is None
        if self._json_match is not None and isinstance(value, (dict, list)) and value:
            if blob is None:
                try:
                    blob = orjson.dumps(value)
                except TypeError:  # non-string keys, odd types: walk it
                    blob = None
            if blob is not None:
                fired = self._json_match(blob)
                if fired is None:
                    return value
                keys = ((self._national_at in fired if self._national_at >= 0 else self._ssn_keys)
                        or self._fields_at in fired)
            else:
                keys = any_keys
        return self._walk(value, keys)

    def _walk(self, value: Any, keys: bool) -> Any:
        if isinstance(value, str):
            return self.scrub(value)
        if type(value) is int and value >= 10**11:  # a card number logged as a JSON number
            digits = str(value)
            if card_ok(digits) and not ean13_ok(digits) and not self.allowed(digits):  # (a barcode, not an old 13-digit Visa)
                return self.token("CARD", digits)
            return value
        if isinstance(value, dict):
            if keys:
                out = {}
                for k, v in value.items():
                    tok = self._named_by_key(k, v) if type(k) is str and (type(v) is str or type(v) is int) else None
                    out[k] = self._walk(v, keys) if tok is None else tok
                return out
            return {k: self._walk(v, keys) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v, keys) for v in value]
        return value

    def _named_by_key(self, key: str, value: str | int) -> str | None:
        """The token for ``value`` when ``key`` names what it is and it is one: a national
        number (``{"pesel": ...}``), a US social security number (``{"ssn": "123456789"}``),
        an e-mail address, a phone number or a postal address (``_FIELD_KEY``)."""
        named = self._key_named(key)
        if named is None:
            return None
        kind, label = named
        if kind in FIELD_KINDS:
            kinds: list[str] = []
            tok = self._field_value(kind, label, value, kinds)
            self.found.update(kinds)
            return tok
        v = str(value).strip()
        if kind == "SSN":
            if _SSN_VALUE.fullmatch(v) and not self.allowed(v):
                return self.token("SSN", _NON_DIGIT.sub("", v))
            return None
        if not ID_VALUE.fullmatch(v) or not labelled_ok(label, v, self._numbers_off) or self.allowed(v):
            return None
        return self.token("NATIONAL_ID", _compact_id(v))

    def _key_named(self, key: str) -> tuple[str, str] | None:
        """``_read_key``, remembered per key (metadata repeats its keys on every row)."""
        named = self._key_kinds.get(key, False)
        if named is False:
            named = self._read_key(key)
            if len(self._key_kinds) < 10_000:
                self._key_kinds[key] = named
        return named

    def _read_key(self, key: str) -> tuple[str, str] | None:
        """What ``key`` says its value is: ``(kind, the words that say it)``, or ``None``."""
        words = _CAMEL.sub(" ", key.replace("_", " "))
        m = KEY_LABEL.search(words) if self._national_at >= 0 else None
        if m is not None:
            return "NATIONAL_ID", m.group(0)
        if self._ssn_keys and _SSN_KEY.search(words):
            return "SSN", "ssn"
        if not self._fields:
            return None
        low = _KEY_SPLIT.sub(" ", words).strip().lower()
        m = _FIELD_KEY.search(low)
        if m is None or m.lastgroup not in self._fields:
            return None
        if m.lastgroup == "ADDRESS" and _NOT_A_PLACE.search(low):
            return None
        if m.lastgroup == "PERSON" and _NOT_A_PERSON.search(low[:m.start()] + " "):
            return None
        return m.lastgroup, m.group(0)

    def _keyed(self, text: str, kinds: list[str]) -> str:
        """Values of e-mail, phone and address fields in JSON (or a Python dict) inside a text,
        ``{"phone": "5551234567"}`` in a tool call's arguments or a tool's result: the value
        becomes one token, as in metadata."""

        def repl(m: re.Match[str]) -> str:
            named = self._key_named(m.group("key"))
            if named is None or named[0] not in FIELD_KINDS:  # (national and SSN keys: their own steps read them)
                return m.group(0)
            where = "dq" if m.group("dq") is not None else "sq" if m.group("sq") is not None else "num"
            raw = m.group(where)
            value: str | int = int(raw) if where == "num" else raw
            if where == "dq" and "\\" in raw:  # a JSON escape: the value as it reads
                try:
                    value = orjson.loads(f'"{raw}"')
                except orjson.JSONDecodeError:
                    pass
            tok = self._field_value(named[0], named[1], value, kinds)
            if tok is None:
                return m.group(0)
            if where == "num":  # (a string now: the text's JSON stays JSON)
                tok = f'"{tok}"'
            at = m.start()
            return m.group(0)[:m.start(where) - at] + tok + m.group(0)[m.end(where) - at:]

        return _FIELD_PAIR.sub(repl, text)

    def _field_value(self, kind: str, label: str, value: str | int, kinds: list[str]) -> str | None:
        """The token for the value of a field that ``kind`` names (in the key's words
        ``label``), if it looks like one."""
        if type(value) is int:
            if kind != "PHONE" or value < 0:
                return None
            v = str(value)
        else:
            v = value.strip()
        if not v or len(v) > 320 or v.lower() in _NO_VALUE or PSEUDONYM.search(v) or self.allowed(v):
            return None
        if kind == "PHONE":
            m = _PHONE_VALUE.fullmatch(v)
            if m is None or _DATEISH.match(v):
                return None
            digits = _NON_DIGIT.sub("", m.group("num"))
            return self._token("PHONE", digits, kinds) if 7 <= len(digits) <= 15 else None
        if kind == "PERSON":  # words of letters; one token whatever the case and spacing ("maria  GARCÍA")
            if len(v) > 100 or v.lower() in _NO_NAME or _PERSON_VALUE.fullmatch(v) is None:
                return None
            tok = self._token("PERSON", " ".join(v.split()).casefold(), kinds)
            self._names.append((v, tok))
            return tok
        if kind == "EMAIL":  # also written around filters: "bob at example dot com", "bob[at]example.com"
            email = _DOT_WORD.sub(".", _AT_WORD.sub("@", v.lower()))
            return self._token("EMAIL", email, kinds) if _EMAIL_VALUE.fullmatch(email) else None
        # ADDRESS: words with a letter, not an e-mail or a URL, and a number or a street's word
        # unless the key names a street ("London" or "Santa Maria da Feira" stay: a city)
        if (len(v) < 4 or "@" in v or "://" in v or _LETTER.search(v) is None or not any(c.isspace() for c in v)
                or ("street" not in label and _DIGIT.search(v) is None and _STREET_WORD.search(v) is None)):
            return None
        return self._token("ADDRESS", v, kinds)

    def json_may_hold(self, blob: bytes) -> bool:
        """Whether scrubbing the JSON value serialised as ``blob`` may change it (``False``:
        no detector can match in it)."""
        return self._json_match is None or self._json_match(blob) is not None

    def scrub_json_cached(self, value: Any, blob: bytes) -> tuple[Any, bytes]:
        """``scrub_json`` for a value many rows repeat (an app's tool list), remembered by
        ``blob``, its JSON with sorted keys: the value scrubbed, and that JSON of it (``blob``
        itself when nothing changed, and then ``value`` itself too). The value returned may be
        shared: do not change it."""
        hit = self._json_cache.get(blob)
        if hit is not None:
            if hit[1] is None:  # nothing in it to scrub: the caller's own value, unchanged
                return value, blob
            if hit[2]:
                self.found.update(hit[2])
                self._names.extend(hit[3])
            return hit[0], hit[1]
        before = self.found.copy()
        named = len(self._names)
        clean = self.scrub_json(value, blob)
        clean_blob = blob if clean is value else orjson.dumps(clean, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
        cache = self._json_cache
        if len(cache) >= 1_000:
            cache.clear()
        found = tuple((self.found - before).elements())
        if clean is value and not found and len(self._names) == named:
            cache[blob] = (None, None, (), ())  # (no copy of the value kept: the next row's own is returned)
        else:
            cache[blob] = (clean, clean_blob, found, tuple(self._names[named:]))
        return clean, clean_blob

    # -------------------------------------------------------------- names across a record

    def names_begin(self) -> None:
        """Start a record: forget the names found in name fields so far."""
        self._names.clear()

    def names_found(self) -> list[tuple[str, str]]:
        """The names (as written, token) found since ``names_begin``: in name fields, after
        "my name is" and its kin, after a name field's label, under a sign-off, in a quote
        header. The first 64 different ones: a tool's result that lists a thousand customers
        has each scrubbed where it stands, not searched for in every other text."""
        return list(dict.fromkeys(self._names))[:64]

    def with_names(self, text: str, names: list[tuple[str, str]]) -> str:
        """``text`` with each of ``names`` (``names_found``) written in it swapped for its token: a record whose
        metadata names its customer (``{"customer_name": "Maria García"}``) keeps no "Maria
        García" in its messages either. A name of several words is found in any case and
        spacing; a name of one word only capitalised or in capitals ("Will", "WILL", not
        "will"), and not where a sentence starts unless a comma, the line's end or "here"
        follows it ("Will you ship it?" keeps its word; "Will, your parcel...", "Will here"
        and "Thanks,\nWill" do not)."""
        if not text:
            return text
        key = tuple(names)
        hit = self._name_patterns.get(key)
        if hit is None:
            by_form: dict[str, str] = {}
            alts = []
            # what each name's match holds: a one-word name as written or in capitals; a word of
            # a longer name in lower case, since its words match in any case (Python's regexes
            # then take "ı", "İ", "ſ" and the Kelvin sign for i, s and k: that look-up holds
            # only for ASCII names in ASCII text, and is None where a longer name is not ASCII)
            exact: list[str] = []
            lower: list[str] | None = []
            for value, tok in names:
                words = value.split()
                if len(words) > 1:
                    parts = [w.strip(",") for w in words if w.strip(",")]
                    alts.append(r"(?i:" + r"[\s,]+".join(re.escape(w) for w in parts) + ")")
                    by_form[" ".join(value.replace(",", " ").split()).casefold()] = tok
                    if lower is not None and parts and value.isascii():
                        lower.append(max(parts, key=len).lower())
                    else:
                        lower = None
                else:
                    word = value[0].upper() + value[1:] if value[0].islower() else value
                    alts += [re.escape(word), re.escape(word.upper())]
                    by_form[word.casefold()] = tok
                    exact += [word, word.upper()]
            alts.sort(key=len, reverse=True)  # the longest name first: "Maria García" before "Maria"
            if len(self._name_patterns) >= 1_000:
                self._name_patterns.clear()
            # (the regex is compiled when a text needs it: each record finds names of its own,
            # and most of its texts hold none of them)
            hit = self._name_patterns[key] = [r"(?<![\w<])(?:" + "|".join(alts) + r")(?![\w>])", by_form, exact, lower]
        pattern, by_form, exact, lower = hit
        if self._windows:
            # most texts hold none of the names: a look-up each instead of the regex's try at
            # every position (27,571 texts of the bundled example's 20,000 records, 4 changed)
            for p in exact:  # (loops, not any(): no generator to make on every call)
                if p in text:
                    break
            else:
                if lower is not None:
                    if not lower:
                        return text
                    if text.isascii():
                        folded = text.lower()
                        for p in lower:
                            if p in folded:
                                break
                        else:
                            return text
        if type(pattern) is str:
            pattern = hit[0] = re.compile(pattern)

        def repl(m: re.Match[str]) -> str:
            word = m.group(0)
            tok = by_form.get(" ".join(word.replace(",", " ").split()).casefold())
            if tok is None:
                return word
            if " " not in word and _SENTENCE_START.search(text, 0, m.start()) and not _NAME_ENDS_LINE.match(text, m.end()):
                return word  # "Will you ship it?": a word that starts a sentence, not the name
            self.found["PERSON"] += 1
            return tok

        return pattern.sub(repl, text)

    def with_names_json(self, value: Any, names: list[tuple[str, str]]) -> Any:
        """``with_names`` on every string inside a JSON-like value."""
        if isinstance(value, str):
            return self.with_names(value, names)
        if isinstance(value, dict):
            return {k: self.with_names_json(v, names) for k, v in value.items()}
        if isinstance(value, list):
            return [self.with_names_json(v, names) for v in value]
        return value


PSEUDONYM = re.compile(r"<([A-Z][A-Z_]*)_[0-9a-f]{6}>")
# (``with_names``) where a sentence starts: the text's start, a line's, or after . ! ? and spaces,
# searched in the text before a word; what may follow a name that starts one
_SENTENCE_START = re.compile(r"(?:\A|[\n.!?¡¿][\s>\"'“”«»]*|\A[\s>\"'“”«»]+)\Z")
_NAME_ENDS_LINE = re.compile(r"[ \t]*(?:[,:;]|[.!]?[ \t]*(?:\r?\n|\Z))|[ \t]+(?:here|speaking)(?!\w)")


def strip_pseudonyms(text: str) -> str:
    """``<EMAIL_7f3a21>`` -> ``<EMAIL>``: the kind stays, the keyed hash goes. For
    comparing or clustering texts across projects, whose keys differ."""
    return PSEUDONYM.sub(r"<\1>", text)
