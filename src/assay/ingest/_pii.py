"""PII scrubbing with consistent pseudonyms.

Each detected value is replaced by a token such as ``<EMAIL_7f3a21>``: the same value
gives the same token everywhere in a project (an HMAC keyed with the project key), so a
conversation stays coherent, and the value cannot be recovered without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from dataclasses import dataclass, field


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


_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?![\w-])")
# 13-19 digits, optionally grouped by single spaces or dashes.
_CARD = re.compile(r"(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])")
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])")
_SSN = re.compile(r"(?<!\d)(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?!\d)")
_IPV4 = re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])")
# Phone numbers: an international prefix or a parenthesised area code, or at least 10
# digits in separated groups. Dates (2026-10-01) and short ids fall below the bar.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ .-]?(?:\(0?\d{1,4}\)[ .-]?)?|\(\d{2,5}\)[ .-]?)?\d{2,8}(?:[ .-]\d{2,8}){1,4}(?![\w-])"
    r"|(?<![\w+])\+\d{8,14}(?!\w)"
)
_SECRET = re.compile(
    r"\b(?:sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16}|xox[baprs]-[A-Za-z0-9-]{10,})\b"
    r"|(?i:bearer\s+)[A-Za-z0-9._~+/-]{20,}=*"
)


@dataclass
class Scrubber:
    """Finds PII in text and swaps it for keyed pseudonyms."""

    key: bytes
    found: Counter[str] = field(default_factory=Counter)

    def token(self, kind: str, value: str) -> str:
        digest = hmac.new(self.key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:6]
        self.found[kind] += 1
        return f"<{kind}_{digest}>"

    def _card(self, m: re.Match[str]) -> str:
        digits = re.sub(r"[ -]", "", m.group(0))
        if 13 <= len(digits) <= 19 and luhn_ok(digits):
            return self.token("CARD", digits)
        return m.group(0)

    def _phone(self, m: re.Match[str]) -> str:
        raw = m.group(0)
        digits = re.sub(r"\D", "", raw)
        international = raw.startswith("+") or raw.startswith("(")
        if len(digits) > 15 or len(digits) < (8 if international else 10):
            return raw
        return self.token("PHONE", digits)

    def scrub(self, text: str) -> str:
        if not text:
            return text
        text = _SECRET.sub(lambda m: self.token("SECRET", m.group(0)), text)
        text = _EMAIL.sub(lambda m: self.token("EMAIL", m.group(0).lower()), text)
        text = _IBAN.sub(lambda m: self.token("IBAN", m.group(0).replace(" ", "")), text)
        text = _CARD.sub(self._card, text)
        text = _SSN.sub(lambda m: self.token("SSN", m.group(0)), text)
        text = _IPV4.sub(lambda m: self.token("IP", m.group(0)), text)
        text = _PHONE.sub(self._phone, text)
        return text
