"""Hard cases for the PII detectors, written by this project after an adversarial review of
what support chats and their logs hold: values the detectors missed and everyday text they
scrubbed. A positive must lose its value to a token of its kind; a negative must come out
unchanged."""

import json

import pytest

from assay.ingest import Scrubber

POSITIVES = [
    # e-mails in Japanese, Chinese and Korean text, written without spaces; after a JSON escape
    ("EMAIL", "連絡先はtanaka.taro@example.co.jpです", "tanaka.taro@example.co.jp"),
    ("EMAIL", "我的邮箱是wang.wei@163.com谢谢", "wang.wei@163.com"),
    ("EMAIL", "이메일은kim.minsu@naver.com입니다", "kim.minsu@naver.com"),
    ("EMAIL", '{"body": "Contact:\\nalice@example.com"}', "alice@example.com"),
    ("EMAIL", "meine Mail: jürgen.müller@example.de", "müller@example.de"),
    ("EMAIL", "info@münchen-reisen.de ist die Adresse", "münchen-reisen.de"),
    # phones: national formats, a word that says it is one
    ("PHONE", "Call 1-800-555-0199 for support", "800-555-0199"),
    ("PHONE", "Tel. 089/1234567", "1234567"),
    ("PHONE", "my number is 9876543210", "9876543210"),
    ("PHONE", "llámame al 612 34 56 78", "612 34 56 78"),
    ("PHONE", "mi teléfono es 612 345 678", "612 345 678"),
    ("PHONE", "電話番号は090-1234-5678です", "090-1234-5678"),
    ("PHONE", "Hi, this is about my account, 471-572-3227 is the one on file.", "471-572-3227"),
    # national numbers written without separators: trunk 0, then 9 or 10 digits (France, Germany, UK, NL)
    ("PHONE", "contactez-moi au 0147699205 svp", "0147699205"),
    ("PHONE", "Rufen Sie mich unter 01620466109 an", "01620466109"),
    # Spanish kinds of street that prose also uses: before a name of two words or more
    ("ADDRESS", "Envíalo a Acceso Yolanda Sáez 119, por favor", "Yolanda Sáez 119"),
    ("ADDRESS", "vivo en Cuesta de San Vicente 12, Madrid", "San Vicente 12"),
    ("ADDRESS", "Cañada de Tadeo Vendrell 69 Puerta 9", "Tadeo Vendrell 69"),
    ("ADDRESS", "Vial Rufina Zabala 20", "Rufina Zabala 20"),
    # plain digits after a word that says how to reach the writer
    ("PHONE", "you can reach me at 6677552727 if needed", "6677552727"),
    ("PHONE", "Contact me on 4155552671 tomorrow", "4155552671"),
    ("PHONE", "Mein Kontakt: 2183299884. Danke!", "2183299884"),
    ("PHONE", "contacto 5867127002 por favor", "5867127002"),
    ("PHONE", "text me at 3383254389 when it ships", "3383254389"),
    ("PHONE", "you can reach me at 02074960913 if needed", "02074960913"),
    # a card followed by its expiry or CVV, in CJK text, after a JSON escape
    ("CARD", "card 4111 1111 1111 1111 12/26", "4111 1111 1111 1111"),
    ("CARD", "4242424242424242 123 is the cvv", "4242424242424242"),
    ("CARD", "カード番号は4111111111111111です", "4111111111111111"),
    ("CARD", '{"note": "Card:\\n4111 1111 1111 1111"}', "4111 1111"),
    # IBANs in lower case, with dashes, followed by a BIC or an amount
    ("IBAN", "iban de89370400440532013000 please", "de89370400440532013000"),
    ("IBAN", "DE89-3704-0044-0532-0130-00", "3704-0044"),
    ("IBAN", "IBAN ES91 2100 0418 4502 0005 1332 BIC CAIXESBBXXX", "2100 0418 4502"),
    ("IBAN", "ES9121000418450200051332 500 EUR", "ES9121000418450200051332"),
    # SSNs after the words that name them
    ("SSN", "my SSN is 123456789", "123456789"),
    ("SSN", "Social Security Number: 123456789", "123456789"),
    ("SSN", '{"ssn": "123456789"}', "123456789"),
    # secrets in .env and config files, headers, vendor formats
    ("SECRET", "DB_PASSWORD=Tr0ub4dor&3", "Tr0ub4dor&3"),
    ("SECRET", "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI"),
    ("SECRET", '{"password": "correct horse battery"}', "horse battery"),
    ("SECRET", '"token": "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"', "3f9a8b7c6d5e4f3a2b1c"),
    ("SECRET", "Authorization: Basic YWRtaW46czNjcjN0UGFzcw==", "YWRtaW46czNjcjN0UGFzcw"),
    ("SECRET", "redis://:Sup3rS3cret@cache.example.com:6379/0", "Sup3rS3cret"),
    ("SECRET", "SENDGRID_API_KEY=SG.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg", "SG.abcdef"),
    ("SECRET", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq98Zlb0gG8kXm3lKdUq2vN4Q9p1xJdF0Ytq\n... (truncated)", "MIIEowIBAAKCAQEA7bq98"),
    ("SECRET", "minha senha é Brasil2024", "Brasil2024"),
    ("SECRET", "password: hunter22.", "hunter22"),
    ("SECRET", '"user_api_key": "sk-abcdefghijklmnopqrstuv12"', "abcdefghijklmnop"),
    ("SECRET", '"password_hash": "$2b$12$abcdefghijklmnopqrstuv"', "abcdefghijklmnop"),
    # addresses
    ("ADDRESS", "ship to 350 5th Ave, New York", "350 5th Ave"),
    ("ADDRESS", "send it to PO Box 1234", "PO Box 1234"),
    ("ADDRESS", "Lieferung an Berliner Straße 45", "Berliner Straße 45"),
    ("ADDRESS", "J'habite au 8 Rue de Rivoli", "Rue de Rivoli"),
    ("ADDRESS", "wir wohnen am Kaiserring 12", "Kaiserring 12"),
    ("ADDRESS", "1234 Maple Courts, Springfield", "Maple Courts"),
]

NEGATIVES = [
    # the same Spanish words in prose
    "Error: Acceso Denegado 403",
    "La Cuesta Enero 2026 fue dura",
    "Acceso Directo 3 veces al día",
    "Bajada de Precios 20% en todo",
    # a contact word that does not name the number after it
    "contact ID 1234567890 in the CRM",
    "Contact our team about order 1234567890",
    "Kontakt aufnehmen: Ticket 1234567890",
    # support prose about passwords and keys
    "The password is incorrect", "The API key is invalid", "Your access token was rejected", "Passwort ist falsch",
    "La contraseña es incorrecta", "contraseña: olvidada", "api_key: None", "password: ********",
    "api_key=os.getenv('OPENAI_API_KEY')", "password = getpass.getpass()", "key: ${API_KEY}",
    "use the sk-learn-compatible-transformer-api",
    # headings and words an answer is full of
    "Here are 5 Key Points to remember:", "4 Easy Ways to save", "Python 3 Crash Course", "We have 3 Data Centers",
    "meeting at 3 PM Dr Jones", "Contact us Via Email 2 days before", "J'ai 2 cours de Physique",
    "Spring 2025 collection", "Engineering 201 syllabus", "Monitoring 3 alerts", "String 2 is longer",
    # versions, sections, ratios
    "Version: 1.2.3.4", "App version is 4.12.0.1", "firmware 2.1.0.4", "see section 1.2.3.4", "OID 2.5.4.3",
    "ratio 1:2:3:4:5:6:7:8",
    # order, tracking and meeting numbers, amounts
    "Your order number is 1123 4567 8901", "Zoom meeting ID: 812 3456 7890", "DHL Express tracking 1234 5678 90",
    "Le budget est de 12 500 000 000 €", "Order #123-456-7890 has shipped",
    # ids that look like a national number written without separators
    # names that hold something about a secret, not the secret (a proxy's logged metadata)
    '"user_api_key_team_id": "team-cs"', '"user_api_key_alias": "support-bot-prod"', "api_key_id: 1234abcd",
    "token_type: Bearer", "key_file: /etc/ssl/private/key.pem",
    "ISBN 0306406152", "Partita IVA 01234567890", "Kundennummer: 0123456789", "customer id 0612345678",
    "invoice 0004512345", "timestamp 0512345678:00", "012345678901 is 12 digits",
    # e-mail look-alikes
    "see git@github.com:org/repo.git", "logo image.png@2x.png",
]


@pytest.mark.parametrize("kind, text, value", POSITIVES)
def test_hard_positives_are_scrubbed(kind, text, value):
    out = Scrubber(b"k" * 32).scrub(text)
    assert f"<{kind}_" in out and value not in out, out


@pytest.mark.parametrize("text", NEGATIVES)
def test_hard_negatives_are_left_alone(text):
    assert Scrubber(b"k" * 32).scrub(text) == text


def test_scrubbing_keeps_the_text_around_a_value():
    s = Scrubber(b"k" * 32)
    assert s.scrub("42 Baker Street.").endswith(">.") and s.scrub("42 Baker Street.")[:-1] == s.scrub("42 Baker Street")
    assert s.scrub("password: hunter22.") == s.scrub("password: hunter22") + "."
    assert s.scrub("Spring 2025 collection") == "Spring 2025 collection"
    out = s.scrub('{"body": "Contact:\\nalice@example.com", "iban": "x\\nDE89370400440532013000"}')
    assert json.loads(out)["body"].startswith("Contact:\n<EMAIL_")  # the escape is whole: still JSON


def test_a_card_number_logged_as_a_json_number():
    s = Scrubber(b"k" * 32)
    out = s.scrub_json({"card": 4111111111111111, "user_id": 123456789012, "n": 3})
    assert out["card"].startswith("<CARD_") and out["user_id"] == 123456789012 and out["n"] == 3
