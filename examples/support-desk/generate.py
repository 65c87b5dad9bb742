"""Generator of SYNTHETIC support-desk logs for the `assay` examples.

Everything this script writes is synthetic. It was written by this project
(the `assay` LLM-evaluation toolkit) for its "support-desk" example: there are
no real customers, orders, conversations, people, e-mail addresses, phone
numbers or payment cards in it. Names, addresses and card numbers are made up
at random (US phone numbers use the fictional 555-01xx range, UK ones the
Ofcom drama ranges); any resemblance to a real person or account is
coincidental. The multiple-choice "public benchmark style" questions are
written by this project too and are not taken from any benchmark.

It simulates one month (October 2026) of production traffic of a customer
support "triage" assistant of a fictional shop, ShopRight, answered by a
fictional production model, ``incumbent-v3``:

* ``logs/support-2026-10.jsonl``       the production log (``--records`` lines)
* ``labelled/train.jsonl``             1,500 labelled examples from September 2026
* ``sets/demo_prompts.jsonl``          a deliberately cherry-picked demo set (40)
* ``sets/public_benchmark_sample.jsonl`` 60 benchmark-style trivia questions

See DATA.md next to this file for the fields and the distributions.

Usage::

    python generate.py --out DIR [--records 20000] [--seed 7]

or, from Python, ``generate(out_dir, n_records=20000, seed=7) -> dict``.

Output is a pure function of (seed, n_records): the same arguments give
byte-identical files. Only the standard library is used, and only private
``random.Random`` instances (never the global generator, never the clock).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

# ---------------------------------------------------------------------------
# Fixed parameters
# ---------------------------------------------------------------------------

BASE_DATE = datetime(2026, 10, 1)  # production month: 2026-10-01 .. 2026-10-30
TRAIN_BASE_DATE = datetime(2026, 9, 1)  # labelled training month
N_DAYS = 30
MODEL = "incumbent-v3"
N_TRAIN = 1500
N_DEMO = 40

EXTRACT_SHARE = 0.20
MULTI_TURN_RATE = 0.25
TYPO_RATE = 0.08
LONG_RATE = 0.03
PII_RATE = 0.10
LABEL_RATE = 0.30
MALFORMED_JSON_RATE = 0.03  # of extract outputs
TRIAGE_FORMAT_NOISE = 0.008  # "Intent: x" / "x." instead of the bare label

# Intent ranks: a fixed, realistic popularity order (not alphabetical).
INTENTS_BY_RANK = [
    "order_status",
    "return_request",
    "refund_status",
    "delivery_delayed",
    "cancel_order",
    "change_shipping_address",
    "payment_failed",
    "wrong_item",
    "damaged_item",
    "account_login",
    "password_reset",
    "apply_coupon",
    "missing_item",
    "exchange_item",
    "speak_to_human",
    "double_charge",
    "shipping_cost",
    "product_availability",
    "size_guide",
    "complaint",
    "invoice_request",
    "gift_card",
    "subscription_cancel",
    "loyalty_points",
    "update_email",
    "international_shipping",
    "warranty_claim",
    "price_match",
    "delete_account",
    "store_hours",
]

# The label list as the system prompt shows it (grouped by topic).
INTENTS = [
    "order_status", "cancel_order", "return_request", "refund_status",
    "change_shipping_address", "delivery_delayed", "damaged_item", "wrong_item",
    "missing_item", "payment_failed", "double_charge", "apply_coupon",
    "invoice_request", "account_login", "password_reset", "update_email",
    "delete_account", "subscription_cancel", "loyalty_points",
    "product_availability", "size_guide", "warranty_claim", "price_match",
    "gift_card", "store_hours", "shipping_cost", "international_shipping",
    "exchange_item", "complaint", "speak_to_human",
]

# Zipf-Mandelbrot weights, s = 1.1, offset 3.5, with an exponential cut-off
# (scale 12) so that the head is ~20% and the tail items are ~0.2-0.4% each.
ZIPF_S, ZIPF_Q, ZIPF_CUTOFF = 1.1, 3.5, 12.0
INTENT_WEIGHTS = {
    name: (rank + ZIPF_Q) ** -ZIPF_S * math.exp(-rank / ZIPF_CUTOFF)
    for rank, name in enumerate(INTENTS_BY_RANK, start=1)
}
INTENT_RANK = {name: i for i, name in enumerate(INTENTS_BY_RANK)}

# Intents that come through the "extract" feature (they concern one order).
EXTRACT_INTENTS = [
    "order_status", "return_request", "refund_status", "delivery_delayed",
    "cancel_order", "payment_failed", "wrong_item", "damaged_item",
    "missing_item", "exchange_item", "double_charge", "complaint",
    "invoice_request", "warranty_claim", "price_match",
]

# Intents about one specific order (the assistant may ask for the order number).
ORDER_INTENTS = {
    "order_status", "return_request", "refund_status", "delivery_delayed", "cancel_order",
    "change_shipping_address", "wrong_item", "damaged_item", "missing_item", "exchange_item",
    "double_charge", "invoice_request", "warranty_claim", "price_match", "complaint",
}

NEGATIVE_INTENTS = {
    "delivery_delayed", "damaged_item", "wrong_item", "missing_item",
    "double_charge", "payment_failed", "complaint", "refund_status",
    "speak_to_human", "account_login",
}

# What the incumbent says instead when it gets a triage case wrong.
CONFUSABLE = {
    "order_status": ["delivery_delayed", "missing_item", "shipping_cost"],
    "return_request": ["refund_status", "exchange_item", "damaged_item"],
    "refund_status": ["return_request", "double_charge", "cancel_order"],
    "delivery_delayed": ["order_status", "missing_item", "complaint"],
    "cancel_order": ["subscription_cancel", "refund_status", "return_request"],
    "change_shipping_address": ["order_status", "update_email", "international_shipping"],
    "payment_failed": ["double_charge", "apply_coupon", "gift_card"],
    "wrong_item": ["missing_item", "exchange_item", "damaged_item"],
    "damaged_item": ["wrong_item", "return_request", "warranty_claim"],
    "account_login": ["password_reset", "delete_account", "update_email"],
    "password_reset": ["account_login", "update_email"],
    "apply_coupon": ["price_match", "gift_card", "payment_failed"],
    "missing_item": ["wrong_item", "order_status", "delivery_delayed"],
    "exchange_item": ["return_request", "size_guide", "wrong_item"],
    "speak_to_human": ["complaint"],
    "double_charge": ["payment_failed", "refund_status", "invoice_request"],
    "shipping_cost": ["international_shipping", "order_status", "apply_coupon"],
    "product_availability": ["size_guide", "order_status", "price_match"],
    "size_guide": ["exchange_item", "product_availability"],
    "complaint": ["speak_to_human", "delivery_delayed", "damaged_item"],
    "invoice_request": ["double_charge", "order_status", "refund_status"],
    "gift_card": ["apply_coupon", "payment_failed", "loyalty_points"],
    "subscription_cancel": ["cancel_order", "delete_account", "refund_status"],
    "loyalty_points": ["gift_card", "apply_coupon", "account_login"],
    "update_email": ["account_login", "password_reset", "change_shipping_address"],
    "international_shipping": ["shipping_cost", "change_shipping_address", "delivery_delayed"],
    "warranty_claim": ["damaged_item", "return_request", "exchange_item"],
    "price_match": ["apply_coupon", "refund_status", "product_availability"],
    "delete_account": ["subscription_cancel", "account_login", "update_email"],
    "store_hours": ["speak_to_human", "product_availability"],
}

LOCALES = [("en-US", 62), ("en-GB", 8), ("de-DE", 12), ("es-ES", 8), ("fr-FR", 6), ("pt-BR", 4)]
LANG_OF = {"en-US": "en", "en-GB": "en", "de-DE": "de", "es-ES": "es", "fr-FR": "fr", "pt-BR": "pt"}
CHANNELS = [("chat", 46), ("app", 22), ("email", 24), ("voice-transcript", 8)]
SEGMENTS = [("returning", 50), ("new", 30), ("business", 12), ("vip", 8)]

# Catalogue: canonical product name -> list price in USD.
PRODUCTS = {
    "AeroFlex Running Jacket": 89.99,
    "Merino Crew-Neck Sweater": 74.99,
    "Nordic Wool Throw Blanket": 59.99,
    "Brewmaster 12-Cup Coffee Maker": 49.99,
    "ZenSound ANC Headset": 179.99,
    "PulseFit Smartwatch S2": 229.00,
    "Iron Core Kettlebell Set": 119.99,
    "Trailhead 40L Backpack": 99.99,
    "CloudRest Memory Foam Pillow": 39.99,
    "Lumio LED Desk Lamp": 34.99,
    "ChefPro 5-Piece Knife Set": 129.00,
    "Arctic Down Parka": 249.00,
    "Velvet Touch Duvet Cover": 64.99,
    "SmartHome Wi-Fi Plug 4-Pack": 29.99,
    "VitaBlend 1200 Blender": 89.00,
    "UrbanGlide Electric Scooter": 449.00,
    "Puddle Jumper Kids' Rain Jacket": 34.99,
    "Classic Leather Belt": 29.99,
    "Slim Fit Stretch Chino": 49.99,
    "Everyday Cotton T-Shirt 3-Pack": 24.99,
    "Summit Waterproof Hiking Boot": 139.99,
    "StrideMax Running Shoe": 109.99,
    "AquaPure Water Filter Pitcher": 27.99,
    "Nimbus Robot Vacuum": 299.00,
    "ClearView 27-inch 4K Monitor": 329.99,
    "TypeFlow Mechanical Keyboard": 89.99,
    "Orbit Wireless Mouse": 24.99,
    "Harbor Canvas Tote Bag": 39.00,
    "Meadow Floral Summer Dress": 59.99,
    "Cast Iron Skillet 28 cm": 44.99,
    "Bamboo Bath Towel Set": 54.99,
    "Terra Ceramic Dinner Set": 119.00,
    "PowerCell 20000mAh Power Bank": 39.99,
    "Glow Vitamin C Serum": 22.99,
    "Sprout Kids' Bike 16-inch": 189.00,
    "FlowGrip Yoga Mat": 44.99,
    "Heritage Wool Coat": 279.00,
    "Hydra Steel Water Bottle 750 ml": 24.99,
    "Aurora Air Fryer XL": 129.99,
    "Nomad Carry-On Suitcase": 159.00,
    "Denim Trucker Jacket": 79.99,
    "Luna Silk Pillowcase": 49.00,
}
PRODUCT_NAMES = list(PRODUCTS)
APPAREL = [
    "AeroFlex Running Jacket", "Merino Crew-Neck Sweater", "Arctic Down Parka",
    "Puddle Jumper Kids' Rain Jacket", "Classic Leather Belt", "Slim Fit Stretch Chino",
    "Everyday Cotton T-Shirt 3-Pack", "Summit Waterproof Hiking Boot", "StrideMax Running Shoe",
    "Meadow Floral Summer Dress", "Heritage Wool Coat", "Denim Trucker Jacket",
]
DEVICES = [
    "Brewmaster 12-Cup Coffee Maker", "ZenSound ANC Headset", "PulseFit Smartwatch S2",
    "SmartHome Wi-Fi Plug 4-Pack", "VitaBlend 1200 Blender", "UrbanGlide Electric Scooter",
    "Nimbus Robot Vacuum", "ClearView 27-inch 4K Monitor", "TypeFlow Mechanical Keyboard",
    "Orbit Wireless Mouse", "PowerCell 20000mAh Power Bank", "Aurora Air Fryer XL", "Lumio LED Desk Lamp",
]
BATTERY_DEVICES = [
    "ZenSound ANC Headset", "PulseFit Smartwatch S2", "UrbanGlide Electric Scooter",
    "Nimbus Robot Vacuum", "Orbit Wireless Mouse", "PowerCell 20000mAh Power Bank",
]

COUPONS = ["FALL15", "WELCOME10", "SAVE20", "VIP25", "FREESHIP", "OCTOBER10", "APP5", "SHOPRIGHT15"]

# ---------------------------------------------------------------------------
# User-message templates: TEMPLATES[intent][lang] -> list of templates.
# Slots: {order_id} {product} {amount} {date} {city} {intl_city} {days} {coupon}
# ---------------------------------------------------------------------------

TEMPLATES: dict[str, dict[str, list[str]]] = {
    "order_status": {
        "en": [
            "where is my order {order_id}? it's been {days} days",
            "Can you tell me the status of order {order_id}?",
            "I placed an order on {date} and haven't heard anything since. Has it shipped yet?",
            "Has my {product} shipped yet? Order number is {order_id}.",
            "tracking link has said 'label created' since {date}, is it actually on its way??",
            "Just checking in on my order {order_id} - any update on when it'll arrive?",
            "i ordered the {product} last week and the app still says processing what does that even mean, do I need to do something",
            "When will my order arrive? I didn't get a shipping confirmation.",
        ],
        "de": [
            "Wo bleibt meine Bestellung {order_id}? Ich warte jetzt schon {days} Tage.",
            "Können Sie mir bitte sagen, wie der aktuelle Stand meiner Bestellung {order_id} ist?",
            "Ich habe am {date} bestellt und seitdem nichts mehr gehört. Ist das Paket schon unterwegs?",
            "ist der Artikel {product} schon verschickt worden? in der app steht seit tagen nur 'in Bearbeitung'",
            "Gibt es für Bestellung {order_id} schon eine Sendungsnummer? Ich finde in meinem Konto nichts.",
        ],
        "es": [
            "¿Dónde está mi pedido {order_id}? Llevo {days} días esperando.",
            "¿Me podéis decir en qué estado está el pedido {order_id}?",
            "Hice un pedido el {date} y desde entonces no sé nada. ¿Ya ha salido?",
            "¿Ya se ha enviado el artículo {product}? En la app sigue poniendo 'en preparación'.",
            "quería saber si el pedido {order_id} tiene ya número de seguimiento",
        ],
        "fr": [
            "Où en est ma commande {order_id} ? J'attends depuis {days} jours.",
            "Pouvez-vous me donner le statut de la commande {order_id} ?",
            "J'ai passé commande le {date} et depuis je n'ai aucune nouvelle. Le colis est-il parti ?",
            "l'article {product} a-t-il été expédié ? dans l'appli c'est toujours marqué 'en préparation'",
            "Est-ce qu'il y a déjà un numéro de suivi pour la commande {order_id} ?",
        ],
        "pt": [
            "Cadê meu pedido {order_id}? Já estou esperando há {days} dias.",
            "Vocês podem me informar o status do pedido {order_id}?",
            "Fiz um pedido no dia {date} e até agora nada. Já foi enviado?",
            "O produto {product} já foi despachado? No app continua 'em processamento'.",
            "o pedido {order_id} já tem código de rastreio?",
        ],
    },
    "return_request": {
        "en": [
            "I'd like to return the {product} I bought, it doesn't fit.",
            "How do I send back an item? Order {order_id}.",
            "I want to return my {product}, it's not what I expected at all. Can you send me a return label?",
            "Is it too late to return something I bought on {date}?",
            "need to return the {product} from order {order_id}, how does this work",
            "My daughter already has the {product} so we want to return it, it's still unopened.",
            "Can I return an item in store or does it have to be by mail?",
        ],
        "de": [
            "Ich möchte den Artikel {product} zurückschicken, er passt leider nicht.",
            "Wie funktioniert bei Ihnen die Rücksendung? Bestellnummer {order_id}.",
            "Bitte schicken Sie mir ein Retourenlabel für meine Bestellung {order_id}, ich möchte alles zurückgeben.",
            "Kann ich etwas, das ich am {date} gekauft habe, noch zurückgeben?",
            "{product} gefällt mir überhaupt nicht, wie kann ich das zurückschicken",
        ],
        "es": [
            "Quiero devolver el artículo {product}, no me queda bien.",
            "¿Cómo hago una devolución? Número de pedido {order_id}.",
            "Por favor, enviadme una etiqueta de devolución para el pedido {order_id}.",
            "¿Todavía puedo devolver algo que compré el {date}?",
            "el artículo {product} no es lo que esperaba, cómo lo devuelvo",
        ],
        "fr": [
            "Je voudrais retourner l'article {product}, la taille ne me va pas.",
            "Comment faire un retour ? Commande n° {order_id}.",
            "Merci de m'envoyer une étiquette de retour pour la commande {order_id}.",
            "Est-ce que je peux encore retourner un article acheté le {date} ?",
            "l'article {product} ne correspond pas du tout à la photo, comment je le renvoie",
        ],
        "pt": [
            "Quero devolver o produto {product}, não serviu.",
            "Como faço uma devolução? Pedido {order_id}.",
            "Por favor, me mandem uma etiqueta de devolução para o pedido {order_id}.",
            "Ainda dá pra devolver uma coisa que eu comprei no dia {date}?",
            "o produto {product} não é nada do que eu esperava, como faço pra devolver",
        ],
    },
    "refund_status": {
        "en": [
            "I returned my {product} two weeks ago and still no refund. When will I get my money back?",
            "Where is my refund for order {order_id}? You confirmed the return on {date}.",
            "The return was delivered to your warehouse on {date} but I haven't seen the {amount} on my card yet",
            "how long do refunds take?? still waiting on {amount}",
            "Can you check the status of my refund for order {order_id} please?",
            "you said 5-7 business days for the refund, it's been {days} days",
            "I got an email saying my refund was processed but nothing has shown up in my account.",
        ],
        "de": [
            "Ich habe den Artikel {product} vor zwei Wochen zurückgeschickt und noch immer kein Geld bekommen. Wann kommt die Erstattung?",
            "Wo bleibt meine Rückerstattung für Bestellung {order_id}? Die Retoure ist laut Tracking am {date} bei Ihnen angekommen.",
            "Die {amount} sind immer noch nicht auf meinem Konto, wie lange dauert das denn noch?",
            "Können Sie bitte prüfen, ob meine Erstattung für {order_id} schon bearbeitet wurde?",
            "Sie hatten mir eine Gutschrift innerhalb von 5 Werktagen versprochen, jetzt sind es schon {days} Tage.",
        ],
        "es": [
            "Devolví el artículo {product} hace dos semanas y todavía no me habéis devuelto el dinero.",
            "¿Dónde está mi reembolso del pedido {order_id}? La devolución os llegó el {date}.",
            "Sigo sin ver los {amount} en mi cuenta, ¿cuánto tarda el reembolso?",
            "¿Podéis comprobar el estado de mi reembolso del pedido {order_id}, por favor?",
            "Me dijisteis 5 días hábiles para el reembolso y ya van {days} días.",
        ],
        "fr": [
            "J'ai renvoyé l'article {product} il y a deux semaines et je n'ai toujours pas été remboursé.",
            "Où en est mon remboursement pour la commande {order_id} ? Vous avez reçu le retour le {date}.",
            "Je ne vois toujours pas les {amount} sur mon compte, combien de temps faut-il ?",
            "Pouvez-vous vérifier où en est mon remboursement pour la commande {order_id} svp ?",
            "On m'avait dit 5 jours ouvrés pour le remboursement, ça fait déjà {days} jours.",
        ],
        "pt": [
            "Devolvi o produto {product} faz duas semanas e até agora não recebi o reembolso.",
            "Cadê meu estorno do pedido {order_id}? A devolução chegou aí no dia {date}.",
            "Os {amount} ainda não caíram na minha conta, quanto tempo demora o reembolso?",
            "Podem verificar o status do meu reembolso do pedido {order_id}, por favor?",
            "Vocês falaram 5 dias úteis para o estorno e já faz {days} dias.",
        ],
    },
    "delivery_delayed": {
        "en": [
            "My package was supposed to arrive on {date} and it's still not here.",
            "Order {order_id} is late. The estimated delivery date has passed and tracking hasn't moved in {days} days.",
            "WHY is my order always late, I paid for express shipping",
            "the {product} was meant to be here for a birthday on {date}, now tracking says delayed, will it make it or not",
            "Tracking has said 'in transit' in {city} for {days} days. Is my package lost?",
            "I'm still waiting for my delivery, it's over a week late.",
            "Your site promised delivery by {date}. It's now past that and no package.",
        ],
        "de": [
            "Mein Paket sollte am {date} ankommen und ist immer noch nicht da.",
            "Bestellung {order_id} ist überfällig, die Sendungsverfolgung hat sich seit {days} Tagen nicht bewegt.",
            "Ich habe extra für Expressversand bezahlt und die Lieferung ist trotzdem zu spät!!",
            "Laut Tracking liegt mein Paket seit {days} Tagen in {city}. Ist es verloren gegangen?",
            "Das war ein Geburtstagsgeschenk für den {date}, jetzt steht da 'verzögert'. Kommt das noch rechtzeitig oder nicht?",
        ],
        "es": [
            "Mi paquete tenía que llegar el {date} y todavía no ha llegado.",
            "El pedido {order_id} va con retraso, el seguimiento no se mueve desde hace {days} días.",
            "¡¡Pagué envío urgente y aun así llega tarde!!",
            "Según el seguimiento el paquete lleva {days} días en {city}. ¿Se ha perdido?",
            "Era un regalo de cumpleaños para el {date} y ahora pone 'retrasado'. ¿Llegará a tiempo o no?",
        ],
        "fr": [
            "Mon colis devait arriver le {date} et il n'est toujours pas là.",
            "La commande {order_id} est en retard, le suivi n'a pas bougé depuis {days} jours.",
            "J'ai payé la livraison express et c'est quand même en retard !!",
            "D'après le suivi mon colis est bloqué à {city} depuis {days} jours. Il est perdu ?",
            "C'était un cadeau d'anniversaire pour le {date}, maintenant c'est marqué 'retardé'. Il arrivera à temps ou pas ?",
        ],
        "pt": [
            "Meu pacote era pra chegar no dia {date} e até agora nada.",
            "O pedido {order_id} está atrasado, o rastreio não atualiza há {days} dias.",
            "Paguei frete expresso e mesmo assim está atrasado!!",
            "Pelo rastreio o pacote está parado em {city} há {days} dias. Foi extraviado?",
            "Era presente de aniversário para o dia {date}, agora aparece 'atrasado'. Vai chegar a tempo ou não?",
        ],
    },
    "cancel_order": {
        "en": [
            "Please cancel my order {order_id}, I ordered the wrong size.",
            "Can I still cancel an order I placed an hour ago?",
            "I want to cancel the {product}, found it cheaper elsewhere",
            "cancel order {order_id} asap please it hasn't shipped yet",
            "Accidentally ordered twice, can you cancel one of them? Order {order_id}",
            "I changed my mind about the {product}. How do I cancel before it ships?",
        ],
        "de": [
            "Bitte stornieren Sie meine Bestellung {order_id}, ich habe mich in der Größe vertan.",
            "Kann ich eine Bestellung von vor einer Stunde noch stornieren?",
            "Ich möchte den Artikel {product} stornieren, habe ihn woanders günstiger gefunden.",
            "Versehentlich doppelt bestellt - können Sie eine der beiden Bestellungen stornieren? Nummer {order_id}",
            "bitte bestellung {order_id} stornieren, ist noch nicht verschickt",
        ],
        "es": [
            "Por favor, cancelad mi pedido {order_id}, me he equivocado de talla.",
            "¿Puedo cancelar un pedido que hice hace una hora?",
            "Quiero cancelar el artículo {product}, lo he encontrado más barato en otro sitio.",
            "Hice el pedido dos veces sin querer, ¿podéis cancelar uno? El número es {order_id}.",
            "cancelar pedido {order_id} por favor, todavía no se ha enviado",
        ],
        "fr": [
            "Merci d'annuler ma commande {order_id}, je me suis trompé de taille.",
            "Est-ce que je peux encore annuler une commande passée il y a une heure ?",
            "Je veux annuler l'article {product}, je l'ai trouvé moins cher ailleurs.",
            "J'ai commandé deux fois par erreur, vous pouvez en annuler une ? Numéro {order_id}.",
            "annulez la commande {order_id} svp, elle n'est pas encore partie",
        ],
        "pt": [
            "Por favor, cancelem meu pedido {order_id}, escolhi o tamanho errado.",
            "Ainda dá pra cancelar um pedido que fiz há uma hora?",
            "Quero cancelar o produto {product}, achei mais barato em outro lugar.",
            "Fiz o pedido duas vezes sem querer, podem cancelar um? O número é {order_id}.",
            "cancela o pedido {order_id} por favor, ainda não foi enviado",
        ],
    },
    "change_shipping_address": {
        "en": [
            "I need to change the delivery address for order {order_id}.",
            "I'm moving to {city} next week, can you update the shipping address on my order?",
            "I put my old address by mistake, is it possible to change it before it ships?",
            "Can you send my {product} to my office instead of my home address?",
            "wrong address on order {order_id}!! please fix before it goes out",
            "How do I change where my package is delivered? I won't be home that week.",
        ],
        "de": [
            "Ich muss die Lieferadresse für Bestellung {order_id} ändern.",
            "Ich ziehe nächste Woche nach {city} um, können Sie die Adresse in meiner Bestellung noch anpassen?",
            "Ich habe aus Versehen meine alte Adresse angegeben, lässt sich das noch ändern, bevor das Paket rausgeht?",
            "Kann der Artikel {product} an meine Arbeitsadresse statt nach Hause geliefert werden?",
            "Falsche Adresse bei Bestellung {order_id}! Bitte korrigieren, bevor es verschickt wird.",
        ],
        "es": [
            "Necesito cambiar la dirección de entrega del pedido {order_id}.",
            "Me mudo a {city} la semana que viene, ¿podéis cambiar la dirección del pedido?",
            "Puse mi dirección antigua por error, ¿se puede cambiar antes de que salga el paquete?",
            "¿Podéis enviar el artículo {product} a mi oficina en vez de a casa?",
            "¡Dirección equivocada en el pedido {order_id}! Corregidla antes de enviarlo, por favor.",
        ],
        "fr": [
            "Je dois modifier l'adresse de livraison de la commande {order_id}.",
            "Je déménage à {city} la semaine prochaine, pouvez-vous changer l'adresse de ma commande ?",
            "J'ai mis mon ancienne adresse par erreur, est-ce qu'on peut la changer avant l'expédition ?",
            "Pouvez-vous livrer l'article {product} à mon bureau plutôt qu'à la maison ?",
        ],
        "pt": [
            "Preciso mudar o endereço de entrega do pedido {order_id}.",
            "Vou me mudar para {city} semana que vem, dá pra alterar o endereço do pedido?",
            "Coloquei meu endereço antigo sem querer, dá pra mudar antes de enviar?",
            "Podem entregar o produto {product} no meu trabalho em vez de em casa?",
        ],
    },
    "payment_failed": {
        "en": [
            "My payment keeps getting declined at checkout but my card works everywhere else.",
            "I tried to pay {amount} and got 'transaction failed', what's wrong?",
            "Checkout won't accept my card. I've tried three times.",
            "payment error when ordering the {product}, the money seems to be on hold on my account but no order confirmation",
            "PayPal payment failed for some reason, can I still complete my order?",
            "Why does it say payment could not be processed? Nothing is wrong with my bank.",
        ],
        "de": [
            "Meine Zahlung wird an der Kasse immer abgelehnt, obwohl die Karte überall sonst funktioniert.",
            "Ich wollte {amount} bezahlen und bekomme nur 'Transaktion fehlgeschlagen'. Was ist da los?",
            "Zahlung per PayPal hat nicht geklappt, kann ich die Bestellung trotzdem abschließen?",
            "Fehler beim Bezahlen: Das Geld für den Artikel {product} ist auf meinem Konto reserviert, aber ich habe keine Bestellbestätigung bekommen.",
            "Die Kartenzahlung geht einfach nicht durch, schon dreimal probiert.",
        ],
        "es": [
            "Me rechazan el pago al finalizar la compra, pero la tarjeta funciona en todas partes.",
            "Intenté pagar {amount} y me sale 'transacción fallida'. ¿Qué pasa?",
            "El pago con PayPal ha fallado, ¿puedo terminar el pedido de todas formas?",
            "Error al pagar el artículo {product}: me han retenido el dinero en la cuenta pero no tengo confirmación del pedido.",
        ],
        "fr": [
            "Mon paiement est refusé à chaque fois alors que ma carte marche partout ailleurs.",
            "J'ai essayé de payer {amount} et j'ai eu 'transaction échouée'. Que se passe-t-il ?",
            "Le paiement PayPal n'a pas marché, je peux quand même finaliser la commande ?",
            "Erreur de paiement pour l'article {product} : l'argent est bloqué sur mon compte mais pas de confirmation de commande.",
        ],
        "pt": [
            "Meu pagamento é recusado no checkout, mas o cartão funciona em todo lugar.",
            "Tentei pagar {amount} e deu 'transação não autorizada'. O que houve?",
            "O pagamento via Pix não foi concluído, consigo finalizar o pedido mesmo assim?",
            "Erro ao pagar o produto {product}: o valor ficou bloqueado no cartão mas não recebi confirmação do pedido.",
        ],
    },
    "wrong_item": {
        "en": [
            "I received the wrong item. I ordered the {product} but got something completely different.",
            "Order {order_id} came in the wrong size and color.",
            "This isn't what I ordered?? The box had someone else's stuff in it",
            "You sent me the {product} instead of what I actually ordered. How do I get the right one?",
            "Got the wrong product in my order {order_id}, please advise.",
            "opened the box and it's not my order at all, wrong item",
        ],
        "de": [
            "Ich habe den falschen Artikel bekommen. Bestellt war {product}, geliefert wurde etwas ganz anderes.",
            "In Bestellung {order_id} war die falsche Größe und Farbe.",
            "Das habe ich nicht bestellt?! Im Karton waren Sachen von jemand anderem.",
            "Sie haben mir {product} geschickt, aber das habe ich gar nicht bestellt. Wie bekomme ich den richtigen Artikel?",
        ],
        "es": [
            "Me ha llegado un artículo equivocado. Pedí {product} y me ha llegado otra cosa totalmente distinta.",
            "En el pedido {order_id} me habéis mandado la talla y el color equivocados.",
            "¿¿Esto no es lo que pedí?? En la caja venían cosas de otra persona.",
            "Me habéis enviado {product} pero yo no pedí eso. ¿Cómo consigo el artículo correcto?",
        ],
        "fr": [
            "J'ai reçu le mauvais article. J'avais commandé {product} et j'ai reçu tout autre chose.",
            "Dans la commande {order_id}, la taille et la couleur ne sont pas les bonnes.",
            "Ce n'est pas du tout ce que j'ai commandé ?! Il y avait les affaires de quelqu'un d'autre dans le carton.",
            "Vous m'avez envoyé {product} alors que je n'ai jamais commandé ça. Comment j'obtiens le bon article ?",
        ],
        "pt": [
            "Recebi o produto errado. Pedi {product} e veio outra coisa completamente diferente.",
            "No pedido {order_id} veio o tamanho e a cor errados.",
            "Isso não é o que eu pedi?! Na caixa tinha coisa de outra pessoa.",
            "Vocês me mandaram {product} mas eu não pedi isso. Como recebo o produto certo?",
        ],
    },
    "damaged_item": {
        "en": [
            "My {product} arrived broken.",
            "The box was crushed and the {product} inside is damaged. Order {order_id}.",
            "item arrived with a big crack in it, i have photos",
            "The {product} I got has scratches all over it, clearly damaged in transit.",
            "Opened my package today and the {product} is damaged and doesn't work. What now?",
            "Part of it was smashed when it arrived, the packaging was ripped open too.",
        ],
        "de": [
            "Der Artikel {product} ist kaputt bei mir angekommen.",
            "Der Karton war völlig zerdrückt und der Artikel {product} ist beschädigt. Bestellung {order_id}.",
            "artikel kam mit einem riesigen riss an, fotos habe ich gemacht",
            "Der Artikel {product} hat überall Kratzer, ist offensichtlich beim Transport beschädigt worden.",
            "Heute ausgepackt und das Gerät funktioniert nicht, das Gehäuse ist gebrochen. Was nun?",
        ],
        "es": [
            "El artículo {product} ha llegado roto.",
            "La caja venía aplastada y el artículo {product} está dañado. Pedido {order_id}.",
            "el producto ha llegado con una grieta enorme, tengo fotos",
            "El artículo {product} tiene arañazos por todas partes, se ha dañado en el transporte.",
        ],
        "fr": [
            "L'article {product} est arrivé cassé.",
            "Le carton était écrasé et l'article {product} est abîmé. Commande {order_id}.",
            "le produit est arrivé avec une grosse fissure, j'ai des photos",
            "L'article {product} est rayé de partout, clairement abîmé pendant le transport.",
        ],
        "pt": [
            "O produto {product} chegou quebrado.",
            "A caixa veio amassada e o produto {product} está danificado. Pedido {order_id}.",
            "o produto chegou com uma rachadura enorme, tenho fotos",
            "O produto {product} está todo arranhado, claramente danificado no transporte.",
        ],
    },
    "missing_item": {
        "en": [
            "My order {order_id} arrived but the {product} is missing from the box.",
            "Package came today but only 2 of the 3 items were in it.",
            "Tracking says delivered but there's nothing at my door.",
            "The {product} wasn't in the package even though the packing slip lists it.",
            "something is missing from my order, the invoice says {amount} but I didn't get everything",
        ],
        "de": [
            "Bestellung {order_id} ist angekommen, aber der Artikel {product} fehlt im Paket.",
            "Es waren nur 2 von 3 Artikeln im Paket.",
            "Laut Sendungsverfolgung zugestellt, aber bei mir ist nichts angekommen.",
            "Auf dem Lieferschein steht {product}, im Paket war es aber nicht.",
        ],
        "es": [
            "Ha llegado el pedido {order_id} pero falta el artículo {product}.",
            "En el paquete solo venían 2 de los 3 artículos.",
            "El seguimiento dice entregado pero a mí no me ha llegado nada.",
            "En el albarán aparece {product} pero en la caja no estaba.",
        ],
        "fr": [
            "La commande {order_id} est arrivée mais l'article {product} manque.",
            "Il n'y avait que 2 articles sur 3 dans le colis.",
            "Le suivi indique livré mais je n'ai rien reçu.",
            "Le bon de livraison mentionne {product} mais il n'était pas dans le colis.",
        ],
        "pt": [
            "O pedido {order_id} chegou, mas está faltando o produto {product}.",
            "Só vieram 2 dos 3 itens no pacote.",
            "O rastreio diz entregue mas eu não recebi nada.",
            "A nota fiscal lista {product} mas não veio na caixa.",
        ],
    },
    "account_login": {
        "en": [
            "I can't log into my account, it keeps saying invalid credentials.",
            "Account locked after too many login attempts, please help.",
            "I can't sign in on the app, it just loops back to the login page",
            "Login not working since the update, tried on phone and laptop.",
            "It says my account doesn't exist but I've ordered from you many times",
        ],
        "de": [
            "Ich kann mich nicht in mein Konto einloggen, es kommt immer 'ungültige Anmeldedaten'.",
            "Mein Konto ist nach zu vielen Anmeldeversuchen gesperrt, bitte helfen Sie mir.",
            "In der App komme ich nicht rein, ich lande immer wieder auf der Login-Seite.",
            "Seit dem Update funktioniert die Anmeldung nicht mehr, weder am Handy noch am Laptop.",
        ],
        "es": [
            "No puedo entrar en mi cuenta, me dice que las credenciales no son válidas.",
            "Se me ha bloqueado la cuenta por demasiados intentos, ayuda por favor.",
            "No consigo iniciar sesión en la app, me devuelve todo el rato a la pantalla de inicio.",
            "Desde la actualización no me deja entrar ni en el móvil ni en el ordenador.",
        ],
        "fr": [
            "Je n'arrive pas à me connecter à mon compte, ça me dit identifiants invalides.",
            "Mon compte est bloqué après trop de tentatives de connexion, aidez-moi svp.",
            "Impossible de me connecter sur l'appli, ça me renvoie sans arrêt à la page de connexion.",
            "Depuis la mise à jour je ne peux plus me connecter, ni sur le téléphone ni sur l'ordi.",
        ],
        "pt": [
            "Não consigo entrar na minha conta, aparece 'credenciais inválidas'.",
            "Minha conta foi bloqueada depois de muitas tentativas de login, me ajudem por favor.",
            "Não consigo fazer login no app, fica voltando pra tela de login.",
            "Desde a atualização não consigo entrar nem pelo celular nem pelo computador.",
        ],
    },
    "password_reset": {
        "en": [
            "I forgot my password, how do I reset it?",
            "The password reset email never arrives.",
            "reset password link says expired every time i click it",
            "Can you help me reset my password? I don't have access to my old phone for the code.",
            "How do I change my password?",
        ],
        "de": [
            "Ich habe mein Passwort vergessen, wie kann ich es zurücksetzen?",
            "Die E-Mail zum Zurücksetzen des Passworts kommt einfach nicht an.",
            "Der Link zum Passwort-Reset ist jedes Mal abgelaufen, wenn ich draufklicke.",
            "Wie ändere ich mein Passwort?",
        ],
        "es": [
            "He olvidado mi contraseña, ¿cómo la restablezco?",
            "No me llega el correo para restablecer la contraseña.",
            "El enlace para cambiar la contraseña me dice que ha caducado cada vez que lo abro.",
            "¿Cómo cambio mi contraseña?",
        ],
        "fr": [
            "J'ai oublié mon mot de passe, comment le réinitialiser ?",
            "Je ne reçois jamais l'e-mail de réinitialisation du mot de passe.",
            "Le lien pour changer le mot de passe est expiré à chaque fois que je clique dessus.",
            "Comment je change mon mot de passe ?",
        ],
        "pt": [
            "Esqueci minha senha, como faço pra redefinir?",
            "O e-mail de redefinição de senha nunca chega.",
            "O link pra trocar a senha diz que expirou toda vez que eu clico.",
            "Como eu mudo minha senha?",
        ],
    },
    "apply_coupon": {
        "en": [
            "My coupon code {coupon} isn't working at checkout.",
            "I have a discount code but there's no field to enter it.",
            "The code {coupon} says it's expired but the email says valid until {date}.",
            "Forgot to apply my 15% off code to order {order_id}, can you add it retroactively?",
            "does the {coupon} promo work on sale items?",
        ],
        "de": [
            "Mein Gutscheincode {coupon} funktioniert an der Kasse nicht.",
            "Ich habe einen Rabattcode, finde aber kein Feld, um ihn einzugeben.",
            "Der Code {coupon} ist angeblich abgelaufen, in der Mail steht aber gültig bis {date}.",
            "Ich habe vergessen, meinen 15%-Code bei Bestellung {order_id} einzulösen. Können Sie das nachträglich anrechnen?",
        ],
        "es": [
            "Mi código de descuento {coupon} no funciona al pagar.",
            "Tengo un cupón pero no encuentro dónde meterlo.",
            "El código {coupon} dice que ha caducado pero en el correo pone válido hasta el {date}.",
            "Se me olvidó aplicar el cupón del 15% en el pedido {order_id}, ¿me lo podéis aplicar ahora?",
        ],
        "fr": [
            "Mon code promo {coupon} ne fonctionne pas au moment de payer.",
            "J'ai un code de réduction mais je ne trouve pas où le saisir.",
            "Le code {coupon} est soi-disant expiré alors que le mail dit valable jusqu'au {date}.",
            "J'ai oublié d'appliquer mon code de -15 % sur la commande {order_id}, vous pouvez le faire après coup ?",
        ],
        "pt": [
            "Meu cupom {coupon} não funciona na hora de pagar.",
            "Tenho um cupom de desconto mas não acho onde colocar.",
            "O cupom {coupon} diz que expirou mas no e-mail está válido até {date}.",
            "Esqueci de aplicar meu cupom de 15% no pedido {order_id}, dá pra aplicar agora?",
        ],
    },
    "exchange_item": {
        "en": [
            "Can I exchange the {product} for a bigger size?",
            "I'd like to swap my {product} for a different color, order {order_id}.",
            "how do exchanges work? want the same thing but in medium",
            "Is it possible to exchange instead of return? I still want the {product}, just not this one.",
            "exchange please, the {product} is too small",
        ],
        "de": [
            "Kann ich den Artikel {product} gegen eine größere Größe umtauschen?",
            "Ich hätte den Artikel {product} gern in einer anderen Farbe, Bestellung {order_id}. Geht ein Umtausch?",
            "wie funktioniert ein umtausch? ich will dasselbe nur in M",
            "Lieber umtauschen statt zurückgeben - der Artikel {product} ist zu klein.",
        ],
        "es": [
            "¿Puedo cambiar el artículo {product} por una talla más grande?",
            "Quería cambiar el artículo {product} por otro color, pedido {order_id}.",
            "cómo funcionan los cambios? quiero lo mismo pero en talla M",
            "Prefiero un cambio en vez de una devolución, el artículo {product} me queda pequeño.",
        ],
        "fr": [
            "Est-ce que je peux échanger l'article {product} contre une taille au-dessus ?",
            "Je voudrais échanger l'article {product} contre une autre couleur, commande {order_id}.",
            "comment marchent les échanges ? je veux le même en M",
            "Je préfère un échange plutôt qu'un retour, l'article {product} est trop petit.",
        ],
        "pt": [
            "Posso trocar o produto {product} por um tamanho maior?",
            "Queria trocar o produto {product} por outra cor, pedido {order_id}.",
            "como funciona a troca? quero o mesmo só que no M",
            "Prefiro trocar em vez de devolver, o produto {product} ficou pequeno.",
        ],
    },
    "speak_to_human": {
        "en": [
            "Can I speak to a real person please?",
            "agent",
            "I want to talk to a human, not a bot.",
            "Please connect me with a customer service representative.",
            "HUMAN PLEASE",
            "Is there a phone number I can call? I'd rather talk to someone.",
        ],
        "de": [
            "Kann ich bitte mit einem echten Menschen sprechen?",
            "Mitarbeiter bitte",
            "Ich will mit einer Person reden, nicht mit einem Bot.",
            "Bitte verbinden Sie mich mit dem Kundenservice. Gibt es eine Telefonnummer?",
        ],
        "es": [
            "¿Puedo hablar con una persona de verdad, por favor?",
            "agente",
            "Quiero hablar con un humano, no con un bot.",
            "Pasadme con atención al cliente. ¿Hay algún teléfono?",
        ],
        "fr": [
            "Est-ce que je peux parler à une vraie personne svp ?",
            "conseiller",
            "Je veux parler à un humain, pas à un robot.",
            "Passez-moi le service client. Il y a un numéro de téléphone ?",
        ],
        "pt": [
            "Posso falar com um atendente de verdade, por favor?",
            "atendente",
            "Quero falar com uma pessoa, não com robô.",
            "Me passa pro atendimento humano. Tem algum telefone?",
        ],
    },
    "double_charge": {
        "en": [
            "I was charged twice for order {order_id}.",
            "My bank statement shows two charges of {amount} for the same order.",
            "why was my card charged {amount} two times??",
            "You billed me twice for the {product}, please refund one of the charges.",
            "Duplicate charge on my credit card from ShopRight on {date}.",
            "I see the same payment twice on my card, I only placed one order.",
        ],
        "de": [
            "Mir wurde die Bestellung {order_id} doppelt abgebucht.",
            "Auf meinem Kontoauszug sind zwei Abbuchungen über {amount} für dieselbe Bestellung.",
            "Warum wurde meine Karte zweimal mit {amount} belastet??",
            "Sie haben mir den Artikel {product} zweimal berechnet, bitte eine Abbuchung zurückerstatten.",
            "Ich wurde für dieselbe Bestellung zweimal belastet, bitte prüfen Sie das.",
        ],
        "es": [
            "Me habéis cobrado dos veces el pedido {order_id}.",
            "En el extracto del banco me aparecen dos cargos de {amount} por el mismo pedido.",
            "¿¿Por qué me habéis cobrado {amount} dos veces??",
            "Me habéis cobrado el artículo {product} por duplicado, devolvedme uno de los cargos por favor.",
            "Me aparece el mismo cargo dos veces en la tarjeta y solo hice un pedido.",
        ],
        "fr": [
            "J'ai été débité deux fois pour la commande {order_id}.",
            "Mon relevé bancaire montre deux prélèvements de {amount} pour la même commande.",
            "Pourquoi ma carte a été débitée deux fois de {amount} ??",
            "Vous m'avez facturé l'article {product} en double, merci de rembourser un des deux paiements.",
            "Je vois le même paiement deux fois sur ma carte alors que je n'ai passé qu'une commande.",
        ],
        "pt": [
            "Fui cobrado duas vezes pelo pedido {order_id}.",
            "Na fatura do cartão aparecem duas cobranças de {amount} pelo mesmo pedido.",
            "Por que cobraram {amount} duas vezes no meu cartão??",
            "Vocês cobraram o produto {product} em duplicidade, por favor estornem uma das cobranças.",
            "Apareceu a mesma cobrança duas vezes no cartão e eu só fiz um pedido.",
        ],
    },
    "shipping_cost": {
        "en": [
            "How much is shipping to {city}?",
            "Why is shipping {amount}? That's more than the item.",
            "Do you offer free shipping over a certain amount?",
            "what does express delivery cost",
            "Shipping was free last time, why am I paying for it now?",
        ],
        "de": [
            "Was kostet der Versand nach {city}?",
            "Warum kostet der Versand {amount}? Das ist ja mehr als der Artikel selbst.",
            "Ab welchem Bestellwert ist der Versand kostenlos?",
            "Was kostet Expressversand?",
        ],
        "es": [
            "¿Cuánto cuesta el envío a {city}?",
            "¿Por qué el envío cuesta {amount}? Es más que el propio artículo.",
            "¿A partir de qué importe es gratis el envío?",
            "¿Cuánto cuesta el envío urgente?",
        ],
        "fr": [
            "Combien coûte la livraison à {city} ?",
            "Pourquoi la livraison coûte {amount} ? C'est plus cher que l'article.",
            "À partir de quel montant la livraison est gratuite ?",
            "Combien coûte la livraison express ?",
        ],
        "pt": [
            "Quanto custa o frete para {city}?",
            "Por que o frete está {amount}? É mais caro que o produto.",
            "A partir de qual valor o frete é grátis?",
            "Quanto custa a entrega expressa?",
        ],
    },
    "product_availability": {
        "en": [
            "Is the {product} back in stock anytime soon?",
            "When will the {product} be available again?",
            "Do you have the {product} in size L?",
            "the {product} shows sold out online, is it available in the {city} store?",
            "Will you restock the {product}? I've been waiting for weeks.",
        ],
        "de": [
            "Wann ist der Artikel {product} wieder verfügbar?",
            "Gibt es den Artikel {product} auch in Größe L?",
            "{product} ist online ausverkauft - haben Sie den Artikel noch in der Filiale in {city}?",
            "Wird der Artikel {product} nachbestellt? Ich warte schon seit Wochen darauf.",
        ],
        "es": [
            "¿Cuándo volverá a estar disponible el artículo {product}?",
            "¿Tenéis el artículo {product} en talla L?",
            "El artículo {product} aparece agotado en la web, ¿lo tenéis en la tienda de {city}?",
            "¿Vais a reponer el artículo {product}? Llevo semanas esperando.",
        ],
        "fr": [
            "Quand l'article {product} sera-t-il de nouveau disponible ?",
            "Vous avez l'article {product} en taille L ?",
            "L'article {product} est en rupture sur le site, vous l'avez au magasin de {city} ?",
            "Allez-vous réapprovisionner l'article {product} ? J'attends depuis des semaines.",
        ],
        "pt": [
            "Quando o produto {product} volta ao estoque?",
            "Vocês têm o produto {product} no tamanho G?",
            "O produto {product} está esgotado no site, tem na loja de {city}?",
            "Vão repor o produto {product}? Estou esperando há semanas.",
        ],
    },
    "size_guide": {
        "en": [
            "What size should I get in the {product}? I'm usually a medium.",
            "Do your shoes run small or true to size?",
            "Where can I find the size chart for the {product}?",
            "between sizes, 38 or 39? which one for the {product}",
            "How do the measurements on the size guide work, is that body or garment size?",
        ],
        "de": [
            "Welche Größe soll ich beim Artikel {product} nehmen? Normalerweise trage ich M.",
            "Fallen Ihre Schuhe eher klein aus oder normal?",
            "Wo finde ich die Größentabelle für den Artikel {product}?",
            "Ich liege zwischen zwei Größen, 38 oder 39?",
        ],
        "es": [
            "¿Qué talla me pido del artículo {product}? Normalmente uso una M.",
            "¿Vuestras zapatillas tallan pequeño o normal?",
            "¿Dónde está la guía de tallas del artículo {product}?",
            "Estoy entre dos tallas, ¿la 38 o la 39?",
        ],
        "fr": [
            "Quelle taille prendre pour l'article {product} ? D'habitude je fais du M.",
            "Vos chaussures taillent petit ou normal ?",
            "Où trouver le guide des tailles pour l'article {product} ?",
            "J'hésite entre deux tailles, 38 ou 39 ?",
        ],
        "pt": [
            "Qual tamanho eu peço do produto {product}? Normalmente uso M.",
            "Os tênis de vocês são forma pequena ou normal?",
            "Onde encontro a tabela de medidas do produto {product}?",
            "Estou entre dois tamanhos, 38 ou 39?",
        ],
    },
    "complaint": {
        "en": [
            "This is the worst customer service I've ever experienced.",
            "I want to file a formal complaint about how my order was handled.",
            "Your courier left my package in the rain and it was soaked. Not acceptable.",
            "I've been a customer for years and I've never been treated like this.",
            "very disappointed with the quality of the {product}, expected much better for {amount}",
            "The driver was rude and threw the box over my fence. I want this on record.",
        ],
        "de": [
            "Das ist der schlechteste Kundenservice, den ich je erlebt habe.",
            "Ich möchte mich offiziell darüber beschweren, wie meine Bestellung abgewickelt wurde.",
            "Ihr Paketbote hat mein Paket im Regen vor der Tür abgestellt, alles durchnässt. Inakzeptabel.",
            "Ich bin seit Jahren Kunde und so bin ich noch nie behandelt worden.",
            "Sehr enttäuscht von der Qualität des Artikels {product}, für {amount} hätte ich deutlich mehr erwartet.",
        ],
        "es": [
            "Es el peor servicio de atención al cliente que he visto en mi vida.",
            "Quiero poner una reclamación formal por cómo se ha gestionado mi pedido.",
            "El repartidor dejó mi paquete bajo la lluvia y llegó empapado. Inaceptable.",
            "Llevo años siendo cliente y nunca me habían tratado así.",
            "Muy decepcionada con la calidad del artículo {product}, por {amount} esperaba mucho más.",
        ],
        "fr": [
            "C'est le pire service client que j'aie jamais vu.",
            "Je souhaite déposer une réclamation officielle concernant le traitement de ma commande.",
            "Votre livreur a laissé mon colis sous la pluie, tout était trempé. Inacceptable.",
            "Je suis client depuis des années et je n'ai jamais été traité comme ça.",
            "Très déçue par la qualité de l'article {product}, pour {amount} je m'attendais à beaucoup mieux.",
        ],
        "pt": [
            "Esse é o pior atendimento que eu já vi.",
            "Quero registrar uma reclamação formal sobre como meu pedido foi tratado.",
            "O entregador deixou meu pacote na chuva e chegou tudo molhado. Inaceitável.",
            "Sou cliente há anos e nunca fui tratado assim.",
            "Muito decepcionada com a qualidade do produto {product}, por {amount} esperava bem mais.",
        ],
    },
    "invoice_request": {
        "en": [
            "Can you send me an invoice for order {order_id}?",
            "I need a VAT invoice for my company for the {product}.",
            "Where can I download the receipt for my purchase on {date}?",
            "need an invoice with my company name on it, order {order_id}",
            "The invoice I got has the wrong billing name, can you reissue it?",
        ],
        "de": [
            "Können Sie mir eine Rechnung für Bestellung {order_id} schicken?",
            "Ich brauche eine Rechnung mit ausgewiesener MwSt. für meine Firma.",
            "Wo kann ich die Rechnung für meinen Einkauf vom {date} herunterladen?",
            "Auf der Rechnung steht der falsche Name, können Sie sie neu ausstellen? Bestellung {order_id}",
        ],
        "es": [
            "¿Me podéis enviar la factura del pedido {order_id}?",
            "Necesito una factura con el IVA desglosado a nombre de mi empresa.",
            "¿Dónde descargo la factura de la compra del {date}?",
            "La factura tiene el nombre mal, ¿podéis emitirla de nuevo? Pedido {order_id}",
        ],
        "fr": [
            "Pouvez-vous m'envoyer la facture de la commande {order_id} ?",
            "J'ai besoin d'une facture avec TVA au nom de mon entreprise.",
            "Où puis-je télécharger la facture de mon achat du {date} ?",
            "Le nom sur la facture est faux, pouvez-vous la refaire ? Commande {order_id}",
        ],
        "pt": [
            "Podem me enviar a nota fiscal do pedido {order_id}?",
            "Preciso de uma nota fiscal no CNPJ da minha empresa.",
            "Onde eu baixo a nota fiscal da compra do dia {date}?",
            "A nota fiscal saiu com o nome errado, podem emitir de novo? Pedido {order_id}",
        ],
    },
    "gift_card": {
        "en": [
            "How do I use a gift card on the website?",
            "My gift card balance shows {amount} but it won't let me use it.",
            "Can I buy a gift card and send it by email?",
            "gift card code not recognized at checkout",
            "Do gift cards expire? I got one last Christmas.",
        ],
        "de": [
            "Wie löse ich einen Geschenkgutschein auf der Webseite ein?",
            "Mein Gutscheinguthaben zeigt {amount} an, aber ich kann es nicht verwenden.",
            "Kann man Geschenkkarten auch per E-Mail verschicken?",
            "Der Code meiner Geschenkkarte wird an der Kasse nicht erkannt.",
        ],
        "es": [
            "¿Cómo uso una tarjeta regalo en la web?",
            "Mi tarjeta regalo tiene {amount} de saldo pero no me deja usarla.",
            "¿Se pueden enviar tarjetas regalo por correo electrónico?",
            "El código de la tarjeta regalo no lo reconoce al pagar.",
        ],
        "fr": [
            "Comment utiliser une carte cadeau sur le site ?",
            "Ma carte cadeau affiche un solde de {amount} mais je ne peux pas l'utiliser.",
            "Est-ce qu'on peut envoyer une carte cadeau par e-mail ?",
            "Le code de ma carte cadeau n'est pas reconnu au paiement.",
        ],
        "pt": [
            "Como uso um vale-presente no site?",
            "Meu cartão-presente tem saldo de {amount} mas não consigo usar.",
            "Dá pra mandar vale-presente por e-mail?",
            "O código do cartão-presente não é reconhecido no pagamento.",
        ],
    },
    "subscription_cancel": {
        "en": [
            "How do I cancel my ShopRight Plus membership?",
            "I want to stop my monthly subscription, please don't charge me again.",
            "cancel my subscription, I was charged {amount} for a renewal I didn't want",
            "I don't use the Plus membership anymore, how do I turn off auto-renew?",
            "please unsubscribe me from the coffee subscription box",
        ],
        "de": [
            "Wie kündige ich meine ShopRight Plus Mitgliedschaft?",
            "Ich möchte mein Monatsabo beenden, bitte buchen Sie nichts mehr ab.",
            "Abo kündigen bitte, mir wurden {amount} für eine Verlängerung abgebucht, die ich nicht wollte.",
            "Wie schalte ich die automatische Verlängerung von Plus aus?",
        ],
        "es": [
            "¿Cómo cancelo mi suscripción a ShopRight Plus?",
            "Quiero darme de baja de la suscripción mensual, no me cobréis más.",
            "Cancelad mi suscripción, me habéis cobrado {amount} por una renovación que no quería.",
            "¿Cómo desactivo la renovación automática de Plus?",
        ],
        "fr": [
            "Comment résilier mon abonnement ShopRight Plus ?",
            "Je veux arrêter mon abonnement mensuel, ne me prélevez plus rien.",
            "Résiliez mon abonnement svp, on m'a prélevé {amount} pour un renouvellement que je n'ai pas demandé.",
            "Comment désactiver le renouvellement automatique de Plus ?",
        ],
        "pt": [
            "Como cancelo minha assinatura ShopRight Plus?",
            "Quero cancelar a assinatura mensal, não me cobrem mais.",
            "Cancelem minha assinatura, me cobraram {amount} de uma renovação que eu não queria.",
            "Como desativo a renovação automática do Plus?",
        ],
    },
    "loyalty_points": {
        "en": [
            "My loyalty points from my last order haven't been added.",
            "How many points do I have and how do I use them?",
            "points disappeared from my account??",
            "I should have gotten points for order {order_id} but my balance didn't change.",
            "Do loyalty points expire?",
        ],
        "de": [
            "Die Treuepunkte von meiner letzten Bestellung wurden nicht gutgeschrieben.",
            "Wie viele Punkte habe ich und wie kann ich sie einlösen?",
            "meine punkte sind einfach weg??",
            "Für Bestellung {order_id} hätte ich Punkte bekommen müssen, aber mein Punktestand hat sich nicht geändert.",
        ],
        "es": [
            "No me han sumado los puntos de mi último pedido.",
            "¿Cuántos puntos tengo y cómo los uso?",
            "¿¿han desaparecido mis puntos??",
            "Por el pedido {order_id} me tenían que dar puntos y el saldo sigue igual.",
        ],
        "fr": [
            "Mes points fidélité de la dernière commande n'ont pas été crédités.",
            "Combien j'ai de points et comment les utiliser ?",
            "mes points ont disparu ??",
            "J'aurais dû recevoir des points pour la commande {order_id} mais mon solde n'a pas bougé.",
        ],
        "pt": [
            "Os pontos de fidelidade do meu último pedido não foram creditados.",
            "Quantos pontos eu tenho e como uso?",
            "meus pontos sumiram??",
            "Era pra eu ter ganhado pontos no pedido {order_id} mas meu saldo não mudou.",
        ],
    },
    "update_email": {
        "en": [
            "I need to change the email address on my account.",
            "How do I update my email? I don't use the old one anymore.",
            "can you change my login email, lost access to my old work email",
            "Order confirmations are going to my old email address, how do I fix that?",
        ],
        "de": [
            "Ich möchte die E-Mail-Adresse in meinem Kundenkonto ändern.",
            "Wie aktualisiere ich meine E-Mail? Die alte nutze ich nicht mehr.",
            "Bestellbestätigungen gehen immer noch an meine alte Mailadresse, wie ändere ich das?",
            "Können Sie meine Login-E-Mail ändern? Auf mein altes Firmenpostfach habe ich keinen Zugriff mehr.",
        ],
        "es": [
            "Quiero cambiar el correo electrónico de mi cuenta.",
            "¿Cómo actualizo mi email? Ya no uso el antiguo.",
            "Las confirmaciones de pedido siguen llegando a mi correo antiguo, ¿cómo lo cambio?",
            "¿Podéis cambiar el correo de acceso? Ya no tengo acceso al del trabajo.",
        ],
        "fr": [
            "Je voudrais changer l'adresse e-mail de mon compte.",
            "Comment mettre à jour mon e-mail ? Je n'utilise plus l'ancien.",
            "Les confirmations de commande arrivent toujours sur mon ancienne adresse mail, comment changer ça ?",
            "Pouvez-vous changer mon e-mail de connexion ? Je n'ai plus accès à ma boîte pro.",
        ],
        "pt": [
            "Quero trocar o e-mail da minha conta.",
            "Como atualizo meu e-mail? Não uso mais o antigo.",
            "As confirmações de pedido continuam indo pro meu e-mail antigo, como mudo isso?",
            "Podem trocar meu e-mail de login? Perdi acesso ao e-mail do trabalho.",
        ],
    },
    "international_shipping": {
        "en": [
            "Do you ship to {intl_city}?",
            "Can I order from abroad? I live outside the country.",
            "What are the customs fees if I have the {product} shipped internationally?",
            "Do you deliver internationally and how long does it take?",
            "is there international shipping to switzerland? can't find it at checkout",
        ],
        "de": [
            "Liefern Sie auch nach {intl_city}?",
            "Kann ich aus dem Ausland bestellen? Ich wohne in der Schweiz.",
            "Fallen Zollgebühren an, wenn ich den Artikel {product} ins Ausland schicken lasse?",
            "Versenden Sie international und wie lange dauert das?",
        ],
        "es": [
            "¿Enviáis a {intl_city}?",
            "¿Puedo comprar desde el extranjero? Vivo fuera de España.",
            "¿Hay que pagar aduanas si pido el artículo {product} con envío internacional?",
            "¿Hacéis envíos internacionales? ¿Cuánto tardan?",
        ],
        "fr": [
            "Vous livrez à {intl_city} ?",
            "Est-ce que je peux commander depuis l'étranger ? J'habite en Suisse.",
            "Y a-t-il des frais de douane si je commande l'article {product} en livraison internationale ?",
            "Vous livrez à l'international ? Combien de temps ça prend ?",
        ],
        "pt": [
            "Vocês entregam em {intl_city}?",
            "Posso comprar do exterior? Moro em Portugal.",
            "Tem taxa de importação se eu pedir o produto {product} com entrega internacional?",
            "Vocês fazem envio internacional? Quanto tempo demora?",
        ],
    },
    "warranty_claim": {
        "en": [
            "My {product} stopped working after 4 months, is it still under warranty?",
            "I'd like to make a warranty claim for my {product}, bought on {date}.",
            "the {product} broke, it's less than a year old. how do I use the warranty?",
            "How long is the warranty on the {product} and what does it cover?",
            "The battery died after 6 months, that should be covered by the warranty right?",
        ],
        "de": [
            "Der Artikel {product} funktioniert nach 4 Monaten nicht mehr, ist das noch Garantie?",
            "Ich möchte einen Garantiefall für den Artikel {product} melden, gekauft am {date}.",
            "Der Akku vom Artikel {product} ist nach einem halben Jahr hinüber, das muss doch unter die Gewährleistung fallen.",
            "Wie lange gilt die Garantie auf den Artikel {product} und was ist abgedeckt?",
            "Mein Gerät ist nach 8 Monaten kaputtgegangen, das ist doch noch Garantie, oder?",
        ],
        "es": [
            "El artículo {product} ha dejado de funcionar a los 4 meses, ¿está en garantía?",
            "Quiero tramitar la garantía del artículo {product}, comprado el {date}.",
            "La batería del artículo {product} ha muerto en seis meses, eso lo tiene que cubrir la garantía.",
            "¿Cuánto dura la garantía del artículo {product} y qué cubre?",
            "Se me ha estropeado a los ocho meses, eso entra en la garantía, ¿no?",
        ],
        "fr": [
            "L'article {product} ne marche plus au bout de 4 mois, il est encore sous garantie ?",
            "Je souhaite faire jouer la garantie pour l'article {product}, acheté le {date}.",
            "La batterie de l'article {product} est morte au bout de six mois, ça doit être couvert par la garantie.",
            "Quelle est la durée de garantie de l'article {product} et qu'est-ce qu'elle couvre ?",
            "L'appareil est tombé en panne au bout de huit mois, c'est couvert par la garantie non ?",
        ],
        "pt": [
            "O produto {product} parou de funcionar com 4 meses, ainda está na garantia?",
            "Quero acionar a garantia do produto {product}, comprado no dia {date}.",
            "A bateria do produto {product} morreu em seis meses, isso tem que ser coberto pela garantia.",
            "Qual é o prazo de garantia do produto {product} e o que ela cobre?",
            "Quebrou com oito meses de uso, isso entra na garantia né?",
        ],
    },
    "price_match": {
        "en": [
            "I found the {product} cheaper on another site, do you price match?",
            "The {product} dropped in price a day after I bought it. Can I get the difference refunded?",
            "Competitor has it for {amount}, can you match that?",
            "do you do price adjustments if something goes on sale after I buy it",
        ],
        "de": [
            "Ich habe den Artikel {product} woanders günstiger gefunden. Machen Sie eine Preisanpassung?",
            "Einen Tag nach meinem Kauf ist der Preis für den Artikel {product} gesunken. Bekomme ich die Differenz erstattet?",
            "Bei der Konkurrenz kostet das nur {amount}, können Sie da mitgehen?",
            "Gibt es eine Preisgarantie, wenn etwas nach dem Kauf reduziert wird?",
        ],
        "es": [
            "He visto el artículo {product} más barato en otra web, ¿igualáis el precio?",
            "El artículo {product} bajó de precio un día después de comprarlo. ¿Me devolvéis la diferencia?",
            "En otra tienda está a {amount}, ¿me lo dejáis al mismo precio?",
            "¿Hacéis ajuste de precio si algo se rebaja después de comprarlo?",
        ],
        "fr": [
            "J'ai trouvé l'article {product} moins cher sur un autre site, vous alignez les prix ?",
            "Le prix de l'article {product} a baissé le lendemain de mon achat. Vous me remboursez la différence ?",
            "Un concurrent le vend à {amount}, vous pouvez vous aligner ?",
            "Est-ce que vous ajustez le prix si un article passe en promo après l'achat ?",
        ],
        "pt": [
            "Achei o produto {product} mais barato em outro site, vocês cobrem a oferta?",
            "O produto {product} baixou de preço um dia depois que comprei. Vocês devolvem a diferença?",
            "No concorrente está {amount}, vocês fazem pelo mesmo preço?",
            "Vocês ajustam o preço se o produto entrar em promoção depois da compra?",
        ],
    },
    "delete_account": {
        "en": [
            "Please delete my account and all my data.",
            "How do I close my ShopRight account permanently?",
            "I want my personal data removed under GDPR.",
            "delete my account. I don't want any more emails",
        ],
        "de": [
            "Bitte löschen Sie mein Konto und alle meine Daten.",
            "Wie kann ich mein ShopRight-Konto dauerhaft schließen?",
            "Ich verlange die Löschung meiner personenbezogenen Daten gemäß DSGVO.",
            "konto löschen. ich will keine mails mehr bekommen",
        ],
        "es": [
            "Por favor, borrad mi cuenta y todos mis datos.",
            "¿Cómo cierro mi cuenta de ShopRight definitivamente?",
            "Solicito la supresión de mis datos personales conforme al RGPD.",
            "borrar cuenta. no quiero recibir más correos",
        ],
        "fr": [
            "Merci de supprimer mon compte et toutes mes données.",
            "Comment fermer définitivement mon compte ShopRight ?",
            "Je demande l'effacement de mes données personnelles conformément au RGPD.",
            "supprimez mon compte. je ne veux plus recevoir de mails",
        ],
        "pt": [
            "Por favor, excluam minha conta e todos os meus dados.",
            "Como encerro minha conta ShopRight de vez?",
            "Solicito a exclusão dos meus dados pessoais conforme a LGPD.",
            "excluir conta. não quero mais receber e-mails",
        ],
    },
    "store_hours": {
        "en": [
            "What time does the {city} store close today?",
            "Are you open on Sunday?",
            "opening hours for the {city} store?",
            "Is the store open on public holidays?",
        ],
        "de": [
            "Wie lange hat die Filiale in {city} heute geöffnet?",
            "Haben Sie am Sonntag geöffnet?",
            "Öffnungszeiten der Filiale in {city}?",
            "Sind die Läden an Feiertagen geöffnet?",
        ],
        "es": [
            "¿A qué hora cierra hoy la tienda de {city}?",
            "¿Abrís los domingos?",
            "¿Horario de la tienda de {city}?",
            "¿Las tiendas abren los festivos?",
        ],
        "fr": [
            "À quelle heure ferme le magasin de {city} aujourd'hui ?",
            "Vous êtes ouverts le dimanche ?",
            "Horaires du magasin de {city} ?",
            "Les magasins sont-ils ouverts les jours fériés ?",
        ],
        "pt": [
            "Que horas fecha a loja de {city} hoje?",
            "Vocês abrem no domingo?",
            "Horário da loja de {city}?",
            "As lojas abrem nos feriados?",
        ],
    },
}

# Extra sentence naming the order details an extract message still lacks.
# Keys: which of order_id (o), product (p), amount (a) the sentence carries.
DETAILS: dict[str, dict[str, list[str]]] = {
    "en": {
        "opa": ["It's order {order_id}, the {product}, which cost {amount}.",
                "Order {order_id} - {product}, {amount}.",
                "I'm talking about order {order_id}: {product} for {amount}."],
        "op": ["Order {order_id}, the {product}.", "It's the {product} from order {order_id}."],
        "oa": ["Order {order_id}, total was {amount}.", "Order number {order_id}, I paid {amount}."],
        "pa": ["It's the {product}, I paid {amount} for it.", "Item: {product} ({amount})."],
        "o": ["Order number: {order_id}.", "My order is {order_id}."],
        "p": ["It's the {product}.", "The item is the {product}."],
        "a": ["I paid {amount}.", "The amount was {amount}."],
    },
    "de": {
        "opa": ["Es geht um Bestellung {order_id}, Artikel {product}, Preis {amount}.",
                "Bestellnummer {order_id} - {product} für {amount}.",
                "Bestellung {order_id}: {product}, bezahlt habe ich {amount}."],
        "op": ["Bestellung {order_id}, Artikel {product}.", "Es geht um den Artikel {product} aus Bestellung {order_id}."],
        "oa": ["Bestellnummer {order_id}, Betrag {amount}.", "Bestellung {order_id}, ich habe {amount} bezahlt."],
        "pa": ["Artikel: {product}, Preis {amount}.", "Es ist der Artikel {product} für {amount}."],
        "o": ["Bestellnummer: {order_id}.", "Meine Bestellnummer ist {order_id}."],
        "p": ["Es geht um den Artikel {product}.", "Artikel: {product}."],
        "a": ["Bezahlt habe ich {amount}.", "Der Betrag war {amount}."],
    },
    "es": {
        "opa": ["Es el pedido {order_id}, el artículo {product}, que costó {amount}.",
                "Pedido {order_id}: {product} por {amount}.",
                "Me refiero al pedido {order_id} ({product}, {amount})."],
        "op": ["Pedido {order_id}, artículo {product}.", "Es el artículo {product} del pedido {order_id}."],
        "oa": ["Número de pedido {order_id}, pagué {amount}.", "Pedido {order_id}, importe {amount}."],
        "pa": ["Es el artículo {product}, pagué {amount}.", "Artículo: {product} ({amount})."],
        "o": ["Mi número de pedido es {order_id}.", "Pedido: {order_id}."],
        "p": ["Es el artículo {product}.", "Artículo: {product}."],
        "a": ["Pagué {amount}.", "El importe fue de {amount}."],
    },
    "fr": {
        "opa": ["Il s'agit de la commande {order_id}, article {product}, payé {amount}.",
                "Commande {order_id} : {product} à {amount}.",
                "Je parle de la commande {order_id} ({product}, {amount})."],
        "op": ["Commande {order_id}, article {product}.", "C'est l'article {product} de la commande {order_id}."],
        "oa": ["Commande n° {order_id}, montant {amount}.", "Commande {order_id}, j'ai payé {amount}."],
        "pa": ["C'est l'article {product}, payé {amount}.", "Article : {product} ({amount})."],
        "o": ["Mon numéro de commande est {order_id}.", "Commande : {order_id}."],
        "p": ["Il s'agit de l'article {product}.", "Article : {product}."],
        "a": ["J'ai payé {amount}.", "Le montant était de {amount}."],
    },
    "pt": {
        "opa": ["É o pedido {order_id}, produto {product}, no valor de {amount}.",
                "Pedido {order_id}: {product} por {amount}.",
                "Estou falando do pedido {order_id} ({product}, {amount})."],
        "op": ["Pedido {order_id}, produto {product}.", "É o produto {product} do pedido {order_id}."],
        "oa": ["Número do pedido {order_id}, paguei {amount}.", "Pedido {order_id}, valor {amount}."],
        "pa": ["É o produto {product}, paguei {amount}.", "Produto: {product} ({amount})."],
        "o": ["Meu número de pedido é {order_id}.", "Pedido: {order_id}."],
        "p": ["É o produto {product}.", "Produto: {product}."],
        "a": ["Paguei {amount}.", "O valor foi {amount}."],
    },
}

OPENERS = {
    "en": ["Hi,", "Hello,", "Hey,", "Hi there,", "Good morning,", "Hello ShopRight,", "Hi team,",
           "Quick question -", "Hi!", "Hello.", "Good evening,", "um hi,"],
    "de": ["Hallo,", "Hallo!", "Guten Tag,", "Hi,", "Moin!", "Guten Morgen,", "Servus,", "Hallo zusammen,"],
    "es": ["Hola,", "Buenas,", "Buenos días,", "Hola, buenas tardes.", "Hola!", "Buenas noches,"],
    "fr": ["Bonjour,", "Bonsoir,", "Salut,", "Bonjour !", "Bonjour à tous,"],
    "pt": ["Oi,", "Olá,", "Bom dia,", "Boa tarde,", "Oi!", "Boa noite,"],
}
OPENERS_GB = ["Hiya,", "Morning,", "Hello there,", "Hi,", "Hello,", "Afternoon,"]
EMAIL_OPENERS = {
    "en": ["Dear ShopRight team,", "Dear Sir or Madam,", "Hello,", "Hi,", "To whom it may concern,"],
    "de": ["Sehr geehrte Damen und Herren,", "Liebes ShopRight-Team,", "Hallo,", "Guten Tag,"],
    "es": ["Estimados señores:", "Hola,", "Buenos días:", "Estimado equipo de ShopRight:"],
    "fr": ["Madame, Monsieur,", "Bonjour,", "Bonjour à l'équipe ShopRight,"],
    "pt": ["Prezados,", "Olá,", "Bom dia,", "Prezada equipe ShopRight,"],
}
CLOSERS = {
    "en": ["Thanks!", "Thank you.", "Thanks in advance", "Please help.", "Appreciate it.", "thx",
           "Thank you so much!", "Let me know asap please."],
    "de": ["Danke!", "Vielen Dank im Voraus.", "Danke und Gruß", "LG", "Bitte um Rückmeldung.", "Danke schon mal."],
    "es": ["Gracias.", "Muchas gracias de antemano.", "Un saludo.", "Saludos", "Gracias!!", "Quedo a la espera."],
    "fr": ["Merci.", "Merci d'avance.", "Bonne journée.", "Merci de votre aide", "Merci de me répondre rapidement."],
    "pt": ["Obrigado!", "Obrigada.", "Aguardo retorno.", "Valeu", "Desde já agradeço."],
}
CLOSERS_GB = ["Cheers", "Cheers!", "Ta", "Many thanks", "Thanks very much."]
EMAIL_SIGNOFFS = {
    "en": ["Kind regards,", "Best,", "Thanks,", "Best regards,", "Regards,"],
    "de": ["Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße", "Gruß"],
    "es": ["Un saludo,", "Saludos cordiales,", "Atentamente,", "Gracias,"],
    "fr": ["Cordialement,", "Bien cordialement,", "Merci,", "Bien à vous,"],
    "pt": ["Atenciosamente,", "Abraços,", "Obrigado,", "Att.,"],
}
FRUSTRATION = {
    "en": ["This is ridiculous.", "Third time I'm asking.", "Honestly so frustrating.",
           "I've been waiting forever.", "Not happy at all.", "Really not impressed."],
    "de": ["Das ist echt ärgerlich.", "Ich frage jetzt schon zum dritten Mal.", "So geht das nicht!",
           "Langsam reicht es mir."],
    "es": ["Esto es una vergüenza.", "Ya es la tercera vez que escribo.", "Estoy muy molesta.",
           "Qué desastre, de verdad."],
    "fr": ["C'est inadmissible.", "C'est la troisième fois que j'écris.", "Je suis vraiment déçu.",
           "Franchement, ça commence à bien faire."],
    "pt": ["Que absurdo.", "Já é a terceira vez que eu escrevo.", "Estou muito chateado.",
           "Péssimo atendimento."],
}
EMOJI_NEG = ["😡", "😤", "🙄", "😩", "😢", "🤬", "😠"]
EMOJI_POS = ["🙏", "🙂", "😊", "📦", "👍", "🤞", "😅"]
VOICE_FILLERS = {
    "en": ["um", "uh", "yeah so", "okay so", "uh yeah"],
    "de": ["äh", "ähm", "ja also", "also"],
    "es": ["eh", "pues", "bueno", "este"],
    "fr": ["euh", "bah", "alors", "bon"],
    "pt": ["é", "então", "tipo", "ah"],
}

# Multi-turn pieces.
ASSISTANT_TURNS = {
    "en": {
        "greet": ["Hi! I'm the ShopRight virtual assistant. How can I help you today?",
                  "Hello! What can I help you with?",
                  "Hi there, thanks for contacting ShopRight. What can I do for you?"],
        "ask_order": ["Could you give me your order number?",
                      "Sure, I can help with that. What's your order number?",
                      "Can you share the order number so I can look into it?"],
        "ask_more": ["Could you tell me a bit more about the issue?",
                     "Sure! What seems to be the problem?",
                     "Of course. What do you need help with?"],
        "ack": ["Thanks, let me check that for you. Is there anything else I should know?",
                "Got it. Anything else you'd like to add?",
                "Thank you. One moment please."],
    },
    "de": {
        "greet": ["Hallo! Ich bin der virtuelle Assistent von ShopRight. Wie kann ich Ihnen helfen?",
                  "Guten Tag! Womit kann ich Ihnen helfen?"],
        "ask_order": ["Können Sie mir bitte Ihre Bestellnummer nennen?",
                      "Gerne helfe ich Ihnen. Wie lautet Ihre Bestellnummer?"],
        "ask_more": ["Können Sie das Problem etwas genauer beschreiben?",
                     "Gerne. Worum geht es denn?"],
        "ack": ["Danke, ich schaue mir das an. Gibt es sonst noch etwas?",
                "Alles klar. Möchten Sie noch etwas ergänzen?"],
    },
    "es": {
        "greet": ["¡Hola! Soy el asistente virtual de ShopRight. ¿En qué puedo ayudarte?",
                  "¡Hola! ¿Qué necesitas?"],
        "ask_order": ["¿Me puedes dar tu número de pedido?",
                      "Claro, te ayudo. ¿Cuál es el número de pedido?"],
        "ask_more": ["¿Puedes contarme un poco más sobre el problema?",
                     "Claro. ¿En qué te puedo ayudar?"],
        "ack": ["Gracias, lo reviso. ¿Algo más que deba saber?",
                "Entendido. ¿Quieres añadir algo más?"],
    },
    "fr": {
        "greet": ["Bonjour ! Je suis l'assistant virtuel de ShopRight. Comment puis-je vous aider ?",
                  "Bonjour ! Que puis-je faire pour vous ?"],
        "ask_order": ["Pouvez-vous me donner votre numéro de commande ?",
                      "Bien sûr. Quel est votre numéro de commande ?"],
        "ask_more": ["Pouvez-vous m'en dire un peu plus sur le problème ?",
                     "Bien sûr. De quoi s'agit-il ?"],
        "ack": ["Merci, je vérifie. Y a-t-il autre chose que je devrais savoir ?",
                "C'est noté. Voulez-vous ajouter quelque chose ?"],
    },
    "pt": {
        "greet": ["Oi! Sou o assistente virtual da ShopRight. Como posso ajudar?",
                  "Olá! Em que posso ajudar?"],
        "ask_order": ["Você pode me informar o número do pedido?",
                      "Claro, posso ajudar. Qual é o número do pedido?"],
        "ask_more": ["Pode me contar um pouco mais sobre o problema?",
                     "Claro. Em que posso ajudar?"],
        "ack": ["Obrigado, vou verificar. Mais alguma coisa que eu deva saber?",
                "Entendi. Quer acrescentar mais alguma coisa?"],
    },
}
USER_TURNS = {
    "en": {
        "hello": ["hi", "Hi, are you there?", "hello?? anyone there", "hello"],
        "problem": ["I have a problem", "I need help please", "quick question", "hi, I need some help"],
        "order_problem": ["Hello, I need some help with my order", "hi i have a question about an order",
                          "There's a problem with my order"],
        "give_order": ["It's {order_id}", "{order_id}", "sure, {order_id}", "The order number is {order_id}.",
                       "ok its {order_id}", "Order number {order_id}"],
        "context": ["It's about something I ordered on {date}.", "it's about my last order",
                    "I ordered something last week"],
        "followup": ["I don't have the number, I checked out as a guest", "can you just check please",
                     "I already told you, please hurry", "no that's all, I just need this sorted today",
                     "is anyone actually reading this?", "{order_id}", "It's {order_id}, please hurry"],
    },
    "de": {
        "hello": ["hallo", "Hallo? Ist da jemand?", "Guten Tag"],
        "problem": ["Ich habe ein Problem", "Ich bräuchte Hilfe", "kurze Frage"],
        "order_problem": ["Hallo, ich brauche Hilfe mit meiner Bestellung", "ich hätte eine Frage zu einer Bestellung"],
        "give_order": ["{order_id}", "Die Bestellnummer ist {order_id}.", "klar, {order_id}", "Nummer {order_id}"],
        "context": ["Es geht um eine Bestellung vom {date}.", "es geht um meine letzte Bestellung"],
        "followup": ["Die Nummer habe ich nicht, ich habe als Gast bestellt", "können Sie bitte einfach nachschauen",
                     "Das habe ich doch schon geschrieben, bitte schnell", "nein, das ist alles. Ich brauche nur heute noch eine Lösung",
                     "{order_id}"],
    },
    "es": {
        "hello": ["hola", "¿Hola? ¿Hay alguien?", "buenas"],
        "problem": ["Tengo un problema", "Necesito ayuda", "una pregunta"],
        "order_problem": ["Hola, necesito ayuda con un pedido", "tengo una duda sobre un pedido"],
        "give_order": ["{order_id}", "El número es {order_id}.", "sí, {order_id}", "Pedido {order_id}"],
        "context": ["Es sobre un pedido del {date}.", "es sobre mi último pedido"],
        "followup": ["No tengo el número, compré como invitado", "¿podéis mirarlo, por favor?",
                     "Ya os lo he dicho, a ver si es para hoy", "no, eso es todo, solo necesito que se solucione hoy",
                     "{order_id}"],
    },
    "fr": {
        "hello": ["bonjour", "Allô ? Il y a quelqu'un ?", "Bonjour ?"],
        "problem": ["J'ai un problème", "J'ai besoin d'aide svp", "petite question"],
        "order_problem": ["Bonjour, j'ai besoin d'aide pour une commande", "j'ai une question sur une commande"],
        "give_order": ["{order_id}", "Le numéro est {order_id}.", "oui, {order_id}", "Commande {order_id}"],
        "context": ["C'est pour une commande du {date}.", "c'est au sujet de ma dernière commande"],
        "followup": ["Je n'ai pas le numéro, j'ai commandé sans compte", "vous pouvez juste vérifier svp",
                     "Je vous l'ai déjà dit, c'est urgent", "non c'est tout, j'ai juste besoin que ce soit réglé aujourd'hui",
                     "{order_id}"],
    },
    "pt": {
        "hello": ["oi", "Oi? Tem alguém aí?", "olá"],
        "problem": ["Estou com um problema", "Preciso de ajuda", "uma dúvida"],
        "order_problem": ["Olá, preciso de ajuda com um pedido", "tenho uma dúvida sobre um pedido"],
        "give_order": ["{order_id}", "O número é {order_id}.", "claro, {order_id}", "Pedido {order_id}"],
        "context": ["É sobre um pedido do dia {date}.", "é sobre meu último pedido"],
        "followup": ["Não tenho o número, comprei como visitante", "dá pra verificar por favor?",
                     "Já falei, por favor resolvam logo", "não, é só isso, preciso que resolvam hoje",
                     "{order_id}"],
    },
}

PII_SENTENCES = {
    "en": {
        "email": ["You can reach me at {email}.", "My account email is {email}.",
                  "please reply to {email}, not the old address", "email me at {email}"],
        "phone": ["Call me at {phone}.", "My number is {phone} if it's easier.", "you can text me on {phone}"],
        "card": ["I paid with my card {card}.", "The card you charged is {card}, exp 08/28.",
                 "card number {card} if you need it"],
        "address": ["My address is {address}.", "Please ship it to {address} instead.",
                    "I live at {address}."],
    },
    "de": {
        "email": ["Sie erreichen mich unter {email}.", "Meine E-Mail-Adresse ist {email}."],
        "phone": ["Rufen Sie mich gerne an: {phone}.", "Meine Handynummer: {phone}"],
        "card": ["Bezahlt habe ich mit der Karte {card}.", "Kreditkarte {card}, falls Sie die brauchen."],
        "address": ["Meine Adresse: {address}.", "Bitte liefern Sie an {address}."],
    },
    "es": {
        "email": ["Mi correo es {email}.", "Podéis escribirme a {email}."],
        "phone": ["Mi teléfono es el {phone}.", "Llamadme al {phone}, por favor."],
        "card": ["Pagué con la tarjeta {card}.", "La tarjeta es la {card}."],
        "address": ["Mi dirección es {address}.", "Enviadlo a {address}, por favor."],
    },
    "fr": {
        "email": ["Vous pouvez me joindre à {email}.", "Mon adresse e-mail : {email}"],
        "phone": ["Mon numéro : {phone}.", "Vous pouvez m'appeler au {phone}."],
        "card": ["J'ai payé avec la carte {card}.", "Carte bancaire {card}, si besoin."],
        "address": ["Mon adresse : {address}.", "Merci de livrer au {address}."],
    },
    "pt": {
        "email": ["Meu e-mail é {email}.", "Pode me responder em {email}."],
        "phone": ["Meu celular é {phone}.", "Me liga no {phone}, por favor."],
        "card": ["Paguei com o cartão {card}.", "O cartão é {card}, se precisar."],
        "address": ["Meu endereço é {address}.", "Entreguem em {address}, por favor."],
    },
}

# Long inputs: quoted e-mail threads, pasted order histories, rambling stories.
LONG_TEXT = {
    "en": {
        "header": ["On {wd}, {dfull} at {time}, ShopRight Support wrote:",
                   "-----Original Message-----\nFrom: ShopRight Customer Care\nSent: {wd}, {dfull} {time}\nSubject: RE: Your ShopRight order"],
        "cust_header": ["On {wd}, {dfull} at {time}, {name} wrote:"],
        "support": [
            "Thank you for contacting ShopRight. We're sorry to hear about the trouble with your order. We have forwarded your request to the responsible team, who will get back to you within 2-3 business days.",
            "We appreciate your patience. Our records show that your request is still being processed. Please do not reply to this message; we will contact you as soon as we have an update.",
            "Thank you for your message. To help us look into this, please reply with your order number and a short description of the issue, plus photos if the item is damaged.",
            "We apologize for the inconvenience. As a gesture of goodwill we have added 200 loyalty points to your account. If there is anything else we can do, please let us know.",
            "Your case has been escalated to our specialist team. Reference number: CS-{ref}. Please keep this number for any future correspondence.",
        ],
        "story": [
            "I ordered this as a present and it was supposed to arrive before the weekend.",
            "I've already spent forty minutes on hold with your hotline and got disconnected twice.",
            "To be honest I've been a loyal customer for years and I've never had this kind of problem before.",
            "My neighbor said the courier came by but didn't ring the bell.",
            "I also tried the chat in the app but it kept sending me to the FAQ, which didn't answer my question.",
            "I work during the day so I can't just wait at home for a delivery that may or may not come.",
            "Last time something similar happened it took three weeks to sort out and I really don't want to go through that again.",
            "I really don't understand why this is so complicated, all I want is a straight answer.",
            "I've attached the screenshots again in case they got lost the first time.",
            "My partner ordered from you last month and had the exact same issue, so I'm starting to think it's not just bad luck.",
        ],
        "history_intro": ["Here's my order history so you can see what I mean:",
                          "Pasting my recent orders below (copied from my account page):"],
        "status": ["Delivered", "Shipped", "Processing", "Returned", "Cancelled", "Refund pending"],
        "mobile": ["Sent from my iPhone", "Sent from my Galaxy", "Get Outlook for Android"],
    },
    "de": {
        "header": ["Am {wd}, {dfull} um {time} schrieb ShopRight Kundenservice:",
                   "-----Ursprüngliche Nachricht-----\nVon: ShopRight Kundenservice\nGesendet: {wd}, {dfull} {time}\nBetreff: AW: Ihre ShopRight-Bestellung"],
        "cust_header": ["Am {wd}, {dfull} um {time} schrieb {name}:"],
        "support": [
            "Vielen Dank für Ihre Nachricht an ShopRight. Es tut uns leid, dass es Probleme mit Ihrer Bestellung gibt. Wir haben Ihr Anliegen an die zuständige Abteilung weitergeleitet, die sich innerhalb von 2-3 Werktagen bei Ihnen meldet.",
            "Wir danken Ihnen für Ihre Geduld. Ihr Anliegen wird noch bearbeitet. Bitte antworten Sie nicht auf diese Nachricht, wir melden uns, sobald es Neuigkeiten gibt.",
            "Danke für Ihre Nachricht. Damit wir den Fall prüfen können, senden Sie uns bitte Ihre Bestellnummer, eine kurze Beschreibung und bei Beschädigungen Fotos.",
            "Bitte entschuldigen Sie die Unannehmlichkeiten. Als Zeichen unseres Bedauerns haben wir Ihrem Konto 200 Treuepunkte gutgeschrieben.",
            "Ihr Fall wurde an unser Fachteam weitergeleitet. Vorgangsnummer: CS-{ref}. Bitte geben Sie diese Nummer bei weiteren Anfragen an.",
        ],
        "story": [
            "Das war als Geschenk gedacht und hätte vor dem Wochenende ankommen sollen.",
            "Ich hänge jetzt schon seit vierzig Minuten in Ihrer Hotline und wurde zweimal rausgeworfen.",
            "Ehrlich gesagt bin ich seit Jahren treuer Kunde und so etwas ist mir noch nie passiert.",
            "Mein Nachbar sagt, der Bote war da, hat aber nicht geklingelt.",
            "Den Chat in der App habe ich auch schon probiert, der schickt mich aber nur zu den FAQ.",
            "Ich arbeite tagsüber und kann nicht den ganzen Tag zu Hause auf ein Paket warten.",
            "Beim letzten Mal hat es drei Wochen gedauert, bis das geklärt war, das möchte ich nicht noch einmal erleben.",
            "Ich verstehe wirklich nicht, warum das so kompliziert ist, ich will einfach nur eine klare Antwort.",
        ],
        "history_intro": ["Hier meine Bestellübersicht, damit Sie sehen, was ich meine:",
                          "Meine letzten Bestellungen (aus dem Kundenkonto kopiert):"],
        "status": ["Zugestellt", "Versandt", "In Bearbeitung", "Retourniert", "Storniert", "Erstattung ausstehend"],
        "mobile": ["Von meinem iPhone gesendet", "Gesendet von meinem Samsung Galaxy"],
    },
    "es": {
        "header": ["El {wd}, {dfull}, a las {time}, Atención al Cliente ShopRight escribió:"],
        "cust_header": ["El {wd}, {dfull}, a las {time}, {name} escribió:"],
        "support": [
            "Gracias por contactar con ShopRight. Lamentamos los problemas con tu pedido. Hemos trasladado tu solicitud al equipo responsable, que se pondrá en contacto contigo en un plazo de 2-3 días laborables.",
            "Te agradecemos la paciencia. Tu solicitud sigue en proceso. Por favor, no respondas a este mensaje; te escribiremos en cuanto tengamos novedades.",
            "Gracias por tu mensaje. Para poder revisarlo, responde con tu número de pedido, una breve descripción del problema y fotos si el artículo está dañado.",
            "Sentimos las molestias. Como gesto de buena voluntad hemos añadido 200 puntos de fidelidad a tu cuenta.",
            "Tu caso se ha escalado a nuestro equipo especializado. Número de referencia: CS-{ref}.",
        ],
        "story": [
            "Era un regalo y tenía que llegar antes del fin de semana.",
            "Ya he pasado cuarenta minutos esperando en vuestro teléfono y se me ha cortado dos veces.",
            "La verdad es que soy cliente desde hace años y nunca me había pasado algo así.",
            "Mi vecino dice que vino el repartidor pero no llamó al timbre.",
            "También probé el chat de la app pero solo me manda a las preguntas frecuentes.",
            "Trabajo durante el día y no puedo quedarme en casa esperando un paquete que no sé si llegará.",
            "La última vez tardasteis tres semanas en solucionarlo y no quiero volver a pasar por eso.",
            "No entiendo por qué es todo tan complicado, solo quiero una respuesta clara.",
        ],
        "history_intro": ["Os pego mi historial de pedidos para que veáis a qué me refiero:",
                          "Mis últimos pedidos (copiados de mi cuenta):"],
        "status": ["Entregado", "Enviado", "En preparación", "Devuelto", "Cancelado", "Reembolso pendiente"],
        "mobile": ["Enviado desde mi iPhone", "Enviado desde mi smartphone Samsung Galaxy"],
    },
    "fr": {
        "header": ["Le {wd} {dfull} à {time}, Service client ShopRight a écrit :"],
        "cust_header": ["Le {wd} {dfull} à {time}, {name} a écrit :"],
        "support": [
            "Merci d'avoir contacté ShopRight. Nous sommes désolés pour le désagrément concernant votre commande. Votre demande a été transmise au service concerné, qui reviendra vers vous sous 2 à 3 jours ouvrés.",
            "Nous vous remercions de votre patience. Votre demande est toujours en cours de traitement. Merci de ne pas répondre à ce message, nous vous recontacterons dès que possible.",
            "Merci pour votre message. Afin de traiter votre demande, merci de nous indiquer votre numéro de commande, une courte description du problème et des photos si l'article est endommagé.",
            "Nous vous prions de nous excuser pour la gêne occasionnée. En geste commercial, nous avons crédité 200 points fidélité sur votre compte.",
            "Votre dossier a été transmis à notre équipe spécialisée. Numéro de dossier : CS-{ref}.",
        ],
        "story": [
            "C'était un cadeau et il devait arriver avant le week-end.",
            "J'ai déjà passé quarante minutes en attente sur votre hotline et j'ai été coupé deux fois.",
            "Honnêtement je suis client depuis des années et ça ne m'était jamais arrivé.",
            "Mon voisin dit que le livreur est passé mais qu'il n'a pas sonné.",
            "J'ai aussi essayé le chat de l'appli mais il me renvoie toujours vers la FAQ.",
            "Je travaille en journée, je ne peux pas rester chez moi à attendre un colis qui ne vient pas.",
            "La dernière fois il a fallu trois semaines pour régler le problème et je ne veux pas revivre ça.",
            "Je ne comprends vraiment pas pourquoi c'est si compliqué, je veux juste une réponse claire.",
        ],
        "history_intro": ["Voici l'historique de mes commandes pour que vous compreniez :",
                          "Mes dernières commandes (copiées depuis mon compte) :"],
        "status": ["Livré", "Expédié", "En préparation", "Retourné", "Annulé", "Remboursement en attente"],
        "mobile": ["Envoyé de mon iPhone", "Envoyé depuis mon appareil Galaxy"],
    },
    "pt": {
        "header": ["Em {wd}, {dfull}, às {time}, Atendimento ShopRight escreveu:"],
        "cust_header": ["Em {wd}, {dfull}, às {time}, {name} escreveu:"],
        "support": [
            "Obrigado por entrar em contato com a ShopRight. Lamentamos o problema com o seu pedido. Encaminhamos sua solicitação para a equipe responsável, que retornará em até 2-3 dias úteis.",
            "Agradecemos a sua paciência. Sua solicitação ainda está em análise. Por favor, não responda esta mensagem; entraremos em contato assim que houver novidades.",
            "Obrigado pela mensagem. Para analisarmos o caso, responda com o número do pedido, uma breve descrição do problema e fotos se o produto estiver danificado.",
            "Pedimos desculpas pelo transtorno. Como cortesia, adicionamos 200 pontos de fidelidade à sua conta.",
            "Seu caso foi encaminhado para a equipe especializada. Protocolo: CS-{ref}.",
        ],
        "story": [
            "Era um presente e tinha que chegar antes do fim de semana.",
            "Já fiquei quarenta minutos esperando no telefone de vocês e a ligação caiu duas vezes.",
            "Sinceramente, sou cliente há anos e nunca tinha acontecido isso.",
            "Meu vizinho disse que o entregador passou mas não tocou a campainha.",
            "Também tentei o chat do app mas ele só me manda pro FAQ.",
            "Eu trabalho durante o dia e não posso ficar em casa esperando uma entrega que nem sei se vem.",
            "Da última vez demorou três semanas pra resolver e eu não quero passar por isso de novo.",
            "Não entendo por que é tão complicado, só quero uma resposta clara.",
        ],
        "history_intro": ["Segue meu histórico de pedidos pra vocês entenderem:",
                          "Meus últimos pedidos (copiados da minha conta):"],
        "status": ["Entregue", "Enviado", "Em processamento", "Devolvido", "Cancelado", "Reembolso pendente"],
        "mobile": ["Enviado do meu iPhone", "Enviado do meu Galaxy"],
    },
}

FEEDBACK_COMMENTS = {
    "en": {"down": ["That's not what I asked.", "The bot sent me to the wrong department.",
                    "Useless, I had to explain everything again.", "didn't understand my question",
                    "Still no answer to my problem."],
           "up": ["Quick and easy, thanks!", "Got sorted fast.", "helpful", "Thanks, that worked."]},
    "de": {"down": ["Das war nicht meine Frage.", "Falsche Abteilung, musste alles nochmal erklären.",
                    "Hat mich nicht verstanden."],
           "up": ["Schnell und unkompliziert, danke!", "Hat geholfen."]},
    "es": {"down": ["No es lo que pregunté.", "Me mandaron al departamento equivocado.", "No me ha entendido."],
           "up": ["Rápido y fácil, gracias.", "Me ha servido."]},
    "fr": {"down": ["Ce n'est pas ce que j'ai demandé.", "Mauvais service, j'ai dû tout réexpliquer.",
                    "Il n'a pas compris ma demande."],
           "up": ["Rapide et efficace, merci !", "Ça m'a aidé."]},
    "pt": {"down": ["Não era isso que eu perguntei.", "Me mandaram pro setor errado.", "Não entendeu minha pergunta."],
           "up": ["Rápido e fácil, obrigado!", "Ajudou bastante."]},
}

# US -> UK spelling and vocabulary for en-GB users (whole words only).
GB_WORDS = {
    "color": "colour", "Color": "Colour", "neighbor": "neighbour", "canceled": "cancelled",
    "favorite": "favourite", "apologize": "apologise", "package": "parcel", "Package": "Parcel",
    "packages": "parcels", "vacation": "holiday", "mom": "mum", "zip": "post", "mail": "post",
    "recognized": "recognised", "anytime": "any time",
}
_GB_RE = re.compile(r"\b(" + "|".join(sorted(GB_WORDS, key=len, reverse=True)) + r")\b")

# Locale data: names, cities, formats.
FIRST_NAMES = {
    "en-US": ["James", "Maria", "Emily", "Michael", "Jessica", "David", "Ashley", "Chris", "Sarah",
              "Daniel", "Jennifer", "Kevin", "Laura", "Brian", "Tyler", "Megan"],
    "en-GB": ["Oliver", "Amelia", "Harry", "Sophie", "Jack", "Charlotte", "George", "Emily", "Thomas", "Lucy"],
    "de-DE": ["Lukas", "Anna", "Jonas", "Laura", "Felix", "Lena", "Maximilian", "Sophie", "Paul",
              "Katharina", "Jan", "Julia", "Jürgen", "Sabine"],
    "es-ES": ["Lucía", "Javier", "Carmen", "Alejandro", "María", "David", "Laura", "Pablo", "Marta",
              "Sergio", "Elena", "Daniel"],
    "fr-FR": ["Camille", "Lucas", "Manon", "Hugo", "Chloé", "Louis", "Léa", "Thomas", "Julie",
              "Nicolas", "Emma", "Antoine"],
    "pt-BR": ["Ana", "João", "Mariana", "Pedro", "Juliana", "Lucas", "Fernanda", "Gabriel", "Camila",
              "Rafael", "Beatriz", "Bruno"],
}
LAST_NAMES = {
    "en-US": ["Smith", "Johnson", "Garcia", "Miller", "Davis", "Rodriguez", "Wilson", "Anderson",
              "Thomas", "Moore", "Martin", "Lee", "Walker", "Young"],
    "en-GB": ["Taylor", "Brown", "Evans", "Wright", "Roberts", "Hughes", "Edwards", "Clarke", "Hall", "Wood"],
    "de-DE": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
              "Hoffmann", "Schulz", "Koch", "Richter"],
    "es-ES": ["García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz",
              "Moreno", "Álvarez", "Romero"],
    "fr-FR": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
              "Moreau", "Laurent", "Lefebvre"],
    "pt-BR": ["Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Ferreira",
              "Rodrigues", "Almeida", "Carvalho", "Gomes"],
}
EMAIL_DOMAINS = {
    "en-US": ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "aol.com"],
    "en-GB": ["gmail.com", "hotmail.co.uk", "btinternet.com", "outlook.com", "yahoo.co.uk"],
    "de-DE": ["gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.de"],
    "es-ES": ["gmail.com", "hotmail.es", "yahoo.es", "outlook.es", "telefonica.net"],
    "fr-FR": ["gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "sfr.fr"],
    "pt-BR": ["gmail.com", "hotmail.com", "uol.com.br", "bol.com.br", "yahoo.com.br", "terra.com.br"],
}
CITIES = {
    "en-US": ["Chicago", "Houston", "Phoenix", "Seattle", "Atlanta", "Denver", "Boston", "Dallas", "Miami", "Portland"],
    "en-GB": ["London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Bristol", "Liverpool", "Edinburgh"],
    "de-DE": ["Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Leipzig", "Düsseldorf"],
    "es-ES": ["Madrid", "Barcelona", "Valencia", "Sevilla", "Zaragoza", "Málaga", "Bilbao"],
    "fr-FR": ["Paris", "Lyon", "Marseille", "Toulouse", "Lille", "Bordeaux", "Nantes", "Strasbourg"],
    "pt-BR": ["São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Porto Alegre", "Recife", "Salvador", "Brasília"],
}
INTL_CITIES = {
    "en": ["Toronto", "Dublin", "Zurich", "Sydney", "Singapore", "Oslo", "Dubai", "Reykjavik"],
    "de": ["Wien", "Zürich", "Kopenhagen", "Oslo", "Toronto", "Dubai", "Luxemburg"],
    "es": ["Lisboa", "Andorra", "Londres", "Zúrich", "Ciudad de México", "Buenos Aires"],
    "fr": ["Genève", "Bruxelles", "Montréal", "Luxembourg", "Casablanca", "Londres"],
    "pt": ["Lisboa", "Porto", "Buenos Aires", "Santiago", "Miami", "Montevidéu"],
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
           "outubro", "novembro", "dezembro"],
}
WEEKDAYS = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "de": ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."],
    "es": ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
    "fr": ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
    "pt": ["seg.", "ter.", "qua.", "qui.", "sex.", "sáb.", "dom."],
}

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

_SLOT_RE = re.compile(r"\{(\w+)\}")
_SLOT_SPLIT_RE = re.compile(r"(\{\w+\})")
_TYPO_WORD_RE = re.compile(r"(?<![{\w])[^\W\d_]{4,}(?![\w}])")
OPA = ("order_id", "product", "amount")

TRIAGE_SYSTEM_PROMPT = (
    "You are the triage assistant of the ShopRight help desk. Read the customer's conversation "
    "and answer with exactly one intent label from: " + ", ".join(INTENTS) + "."
)
EXTRACT_SYSTEM_PROMPT = (
    "You are the order-details assistant of the ShopRight help desk. Extract the order id, product "
    "and amount from the customer's last message and answer with JSON only: "
    '{"order_id": string|null, "product": string|null, "amount": number|null}.'
)


def _slots_of(template: str) -> frozenset:
    return frozenset(_SLOT_RE.findall(template))


def _fill(template: str, slots: dict) -> str:
    return _SLOT_RE.sub(lambda m: slots[m.group(1)], template)


def _outside_slots(template: str, fn) -> str:
    """Apply fn to the literal text of a template, leaving {slots} alone."""
    parts = _SLOT_SPLIT_RE.split(template)
    return "".join(p if i % 2 else fn(p) for i, p in enumerate(parts))


def _cum(weights):
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


class _Picker:
    """Weighted choice with precomputed cumulative weights."""

    def __init__(self, pairs):
        self.items = [p[0] for p in pairs]
        self.cum = _cum([p[1] for p in pairs])

    def __call__(self, rng: random.Random):
        return rng.choices(self.items, cum_weights=self.cum)[0]


_LOCALE_PICK = _Picker(LOCALES)
_CHANNEL_PICK = _Picker(CHANNELS)
_SEGMENT_PICK = _Picker(SEGMENTS)
_TRIAGE_INTENT_PICK = _Picker([(i, INTENT_WEIGHTS[i]) for i in INTENTS_BY_RANK])
_EXTRACT_INTENT_PICK = _Picker([(i, INTENT_WEIGHTS[i]) for i in INTENTS_BY_RANK if i in EXTRACT_INTENTS])


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def _luhn_complete(prefix: str) -> str:
    """Append the Luhn check digit to a 15-digit prefix."""
    total = 0
    for i, ch in enumerate(reversed(prefix)):
        d = int(ch)
        if i % 2 == 0:  # these positions get doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return prefix + str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# ---------------------------------------------------------------------------
# Slot values
# ---------------------------------------------------------------------------


def _group_thousands(x: float, thou: str, dec: str) -> str:
    s = f"{x:,.2f}"
    return s.replace(",", "\0").replace(".", dec).replace("\0", thou)


def _format_amount(rng: random.Random, x: float, locale: str) -> str:
    whole = abs(x - round(x)) < 1e-9
    r = rng.random()
    if locale == "en-US":
        num = f"{x:,.0f}" if whole and rng.random() < 0.4 else f"{x:,.2f}"
        return f"{num} USD" if r < 0.06 else f"${num}"
    if locale == "en-GB":
        num = f"{x:,.0f}" if whole and rng.random() < 0.4 else f"{x:,.2f}"
        return f"£{num}"
    if locale == "pt-BR":
        num = _group_thousands(x, ".", ",")
        if r < 0.70:
            return f"R$ {num}"
        return f"R${num}" if r < 0.94 else f"{num} reais"
    thou = " " if locale == "fr-FR" and rng.random() < 0.6 else ("." if locale != "fr-FR" else "")
    num = _group_thousands(x, thou, ",")
    if whole and rng.random() < 0.4:
        num = num[:-3]
    if r < 0.65:
        return f"{num} €"
    if r < 0.88:
        return f"{num}€"
    if locale == "de-DE":
        return f"{num} EUR" if r < 0.95 else f"EUR {num}"
    return f"{num} euros"


def _local_price(usd: float, locale: str) -> float:
    if locale == "en-US":
        return usd
    if locale == "en-GB":
        return max(1, round(usd * 0.8)) - 0.01
    if locale == "pt-BR":
        return max(1, round(usd * 5.4)) - 0.10
    return max(1, round(usd * 0.93)) - 0.01


def _format_date(rng: random.Random, d: datetime, locale: str) -> str:
    lang = LANG_OF[locale]
    month = MONTHS[lang][d.month - 1]
    r = rng.random()
    if locale == "en-US":
        if r < 0.5:
            return f"{month} {d.day}"
        return f"{month[:3]} {d.day}" if r < 0.75 else f"{d.month}/{d.day}"
    if locale == "en-GB":
        if r < 0.5:
            return f"{d.day} {month}"
        return f"{d.day} {month[:3]}" if r < 0.75 else f"{d.day:02d}/{d.month:02d}"
    if lang == "de":
        if r < 0.5:
            return f"{d.day}. {month}"
        return f"{d.day:02d}.{d.month:02d}." if r < 0.8 else f"{d.day:02d}.{d.month:02d}.{d.year}"
    if lang in ("es", "pt"):
        return f"{d.day} de {month}" if r < 0.6 else f"{d.day}/{d.month:02d}"
    return f"{d.day} {month}" if r < 0.6 else f"{d.day:02d}/{d.month:02d}"


def _full_date(d: datetime, lang: str) -> str:
    month = MONTHS[lang][d.month - 1]
    if lang == "en":
        return f"{d.day} {month[:3]} {d.year}"
    if lang == "de":
        return f"{d.day}. {month} {d.year}"
    if lang in ("es", "pt"):
        return f"{d.day} de {month} de {d.year}"
    return f"{d.day} {month} {d.year}"


def _make_email(rng: random.Random, locale: str) -> str:
    first = _ascii(rng.choice(FIRST_NAMES[locale])).lower()
    last = _ascii(rng.choice(LAST_NAMES[locale])).lower()
    style = rng.randrange(5)
    if style == 0:
        user = f"{first}.{last}"
    elif style == 1:
        user = f"{first}{last}{rng.randint(1, 99)}"
    elif style == 2:
        user = f"{first[0]}.{last}"
    elif style == 3:
        user = f"{first}_{last}{rng.randint(70, 99)}"
    else:
        user = f"{last}.{first}{rng.randint(1, 9)}"
    return f"{user}@{rng.choice(EMAIL_DOMAINS[locale])}"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _make_phone(rng: random.Random, locale: str) -> str:
    r = rng.random()
    if locale == "en-US":  # fictional 555-01xx numbers
        ac = rng.choice(["415", "212", "312", "617", "206", "512", "305", "702", "646"])
        line = f"555-01{rng.randint(0, 99):02d}"
        if r < 0.5:
            return f"({ac}) {line}"
        return f"+1 {ac}-{line}" if r < 0.8 else f"{ac}-{line}"
    if locale == "en-GB":  # Ofcom drama ranges
        if r < 0.4:
            return f"+44 20 7946 0{rng.randint(0, 999):03d}"
        return f"07700 900{rng.randint(0, 999):03d}" if r < 0.75 else f"+44 7700 900{rng.randint(0, 999):03d}"
    if locale == "de-DE":
        if r < 0.35:
            return f"+49 30 {_digits(rng, 7)}"
        if r < 0.65:
            return f"0{rng.choice(['151', '160', '170', '176'])} {_digits(rng, 7)}"
        return f"+49 {rng.choice(['151', '170', '176'])} {_digits(rng, 7)}"
    if locale == "es-ES":
        n = "6" + _digits(rng, 8)
        spaced = f"{n[:3]} {n[3:6]} {n[6:]}"
        return f"+34 {spaced}" if r < 0.5 else spaced
    if locale == "fr-FR":
        n = rng.choice(["6", "7"]) + _digits(rng, 8)
        pairs = " ".join(n[i:i + 2] for i in range(1, 9, 2))
        return f"+33 {n[0]} {pairs}" if r < 0.5 else f"0{n[0]} {pairs}"
    ddd = rng.choice(["11", "21", "31", "41", "51", "81", "71", "61"])
    n = "9" + _digits(rng, 8)
    return f"+55 {ddd} {n[:5]}-{n[5:]}" if r < 0.5 else f"({ddd}) {n[:5]}-{n[5:]}"


def _make_card(rng: random.Random) -> str:
    prefix = "4" if rng.random() < 0.6 else rng.choice(["51", "52", "53", "54", "55"])
    number = _luhn_complete(prefix + _digits(rng, 15 - len(prefix)))
    sep = " " if rng.random() < 0.65 else "-"
    return sep.join(number[i:i + 4] for i in range(0, 16, 4))


_US_ADDR = [("Springfield", "IL", "627"), ("Austin", "TX", "787"), ("Portland", "OR", "972"),
            ("Columbus", "OH", "432"), ("San Diego", "CA", "921"), ("Denver", "CO", "802"),
            ("Raleigh", "NC", "276"), ("Tampa", "FL", "336")]
_GB_ADDR = [("London", ["NW1", "E8", "SW11", "N16", "SE15"]), ("Manchester", ["M1", "M14", "M20"]),
            ("Leeds", ["LS6", "LS1", "LS8"]), ("Bristol", ["BS1", "BS6", "BS8"]),
            ("Glasgow", ["G1", "G12", "G41"]), ("Birmingham", ["B1", "B15", "B29"])]
_DE_ADDR = [("Berlin", "10"), ("Hamburg", "20"), ("München", "80"), ("Köln", "50"),
            ("Frankfurt am Main", "60"), ("Stuttgart", "70"), ("Leipzig", "04"), ("Düsseldorf", "40")]
_ES_ADDR = [("Madrid", "28"), ("Barcelona", "08"), ("Valencia", "46"), ("Sevilla", "41"),
            ("Zaragoza", "50"), ("Málaga", "29"), ("Bilbao", "48")]
_FR_ADDR = [("Paris", "750"), ("Lyon", "6900"), ("Marseille", "130"), ("Toulouse", "310"),
            ("Lille", "590"), ("Bordeaux", "330"), ("Nantes", "440"), ("Strasbourg", "670")]
_BR_ADDR = [("São Paulo", "SP", "0"), ("Rio de Janeiro", "RJ", "2"), ("Belo Horizonte", "MG", "3"),
            ("Curitiba", "PR", "8"), ("Porto Alegre", "RS", "9"), ("Recife", "PE", "5")]
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _make_address(rng: random.Random, locale: str) -> str:
    if locale == "en-US":
        city, st, z = rng.choice(_US_ADDR)
        street = rng.choice(["Maple", "Oak", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park", "Sunset"])
        suffix = rng.choice(["St", "Ave", "Rd", "Blvd", "Dr", "Ln"])
        apt = f", Apt {rng.randint(1, 12)}{rng.choice('ABCD')}" if rng.random() < 0.3 else ""
        return f"{rng.randint(12, 9899)} {street} {suffix}{apt}, {city}, {st} {z}{_digits(rng, 2)}"
    if locale == "en-GB":
        if rng.random() < 0.05:
            return "221B Baker Street, London NW1 6XE"
        city, areas = rng.choice(_GB_ADDR)
        street = rng.choice(["Elm", "Church", "Station", "Victoria", "Mill", "Park", "Queen's", "Albert"])
        kind = rng.choice(["Street", "Road", "Lane", "Grove", "Close", "Avenue"])
        pc = f"{rng.choice(areas)} {rng.randint(1, 9)}{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}"
        return f"{rng.randint(1, 140)} {street} {kind}, {city} {pc}"
    if locale == "de-DE":
        city, plz = rng.choice(_DE_ADDR)
        street = rng.choice(["Haupt", "Bahnhof", "Schul", "Garten", "Linden", "Berg", "Kirch", "Goethe", "Schiller"])
        kind = rng.choice(["straße", "straße", "weg", "allee"])
        return f"{street}{kind} {rng.randint(1, 120)}, {plz}{_digits(rng, 3)} {city}"
    if locale == "es-ES":
        city, cp = rng.choice(_ES_ADDR)
        street = rng.choice(["Calle Mayor", "Calle de Alcalá", "Avenida de la Paz", "Calle Real",
                             "Calle San Vicente", "Avenida de América", "Calle del Carmen"])
        return f"{street} {rng.randint(1, 150)}, {rng.randint(1, 8)}º {rng.choice('ABCD')}, {cp}{_digits(rng, 3)} {city}"
    if locale == "fr-FR":
        city, cp = rng.choice(_FR_ADDR)
        street = rng.choice(["rue de la République", "avenue Victor Hugo", "boulevard Jean Jaurès",
                             "rue de la Paix", "rue Pasteur", "rue du Moulin", "place Bellecour"])
        return f"{rng.randint(1, 90)} {street}, {cp}{_digits(rng, 5 - len(cp))} {city}"
    city, uf, c0 = rng.choice(_BR_ADDR)
    street = rng.choice(["Rua Augusta", "Rua das Flores", "Rua XV de Novembro", "Avenida Paulista",
                         "Rua Sete de Setembro", "Rua Oscar Freire", "Avenida Brasil"])
    apt = f", apto {rng.randint(11, 184)}" if rng.random() < 0.6 else ""
    return f"{street}, {rng.randint(10, 2500)}{apt} - {city} - {uf}, {c0}{_digits(rng, 4)}-{_digits(rng, 3)}"


def _make_order_id(rng: random.Random) -> str:
    return f"{rng.choice('ABCDEHKMRT')}-{rng.randint(100000, 999999)}"


# ---------------------------------------------------------------------------
# Text transforms (all applied to templates, so slot values stay intact)
# ---------------------------------------------------------------------------


def _typo_word(rng: random.Random, w: str) -> str:
    op = rng.randrange(3)
    i = rng.randint(1, len(w) - 2)
    if op == 0:  # swap two neighbours
        return w[:i] + w[i + 1] + w[i] + w[i + 2:]
    if op == 1:  # drop a character
        return w[:i] + w[i + 1:]
    return w[:i] + w[i] + w[i:]  # duplicate a character


def _inject_typos(rng: random.Random, template: str) -> str:
    words = list(_TYPO_WORD_RE.finditer(template))
    if not words:
        return template
    chosen = sorted(rng.sample(words, min(len(words), rng.randint(1, 3))), key=lambda m: m.start(),
                    reverse=True)
    out = template
    for m in chosen:
        out = out[:m.start()] + _typo_word(rng, m.group(0)) + out[m.end():]
    return out


def _to_gb(template: str) -> str:
    return _outside_slots(template, lambda s: _GB_RE.sub(lambda m: GB_WORDS[m.group(1)], s))


_VOICE_PUNCT = re.compile(r"[,.!?;:¿¡()\"“”„«»]+|\s-\s")


def _to_voice(rng: random.Random, template: str, lang: str, filler: bool = True) -> str:
    def strip(s: str) -> str:
        # German speech-to-text keeps noun capitalisation; the others come out lower-case.
        return _VOICE_PUNCT.sub(" ", s if lang == "de" else s.lower())

    out = _outside_slots(template, strip)
    out = re.sub(r"\s+", " ", out).strip()
    if filler and rng.random() < 0.6:
        out = f"{rng.choice(VOICE_FILLERS[lang])} {out}"
    return out


def _to_caps(template: str) -> str:
    out = _outside_slots(template, str.upper)
    out = re.sub(r"[.!?]*$", "", out)
    return out + "!!!"


_BATTERY_RE = re.compile(r"battery|akku|batería|batterie|bateria", re.IGNORECASE)
_APPAREL_RE = re.compile(
    r"\b(fit|size|sizes|small|bigger|medium|color|colour|größe|passt|klein|farbe|talla|pequeño|queda|"
    r"taille|petit|couleur|tamanho|pequeno|serviu|cor)\b|\b(in|en|no) M\b", re.IGNORECASE)
_DEVICE_RE = re.compile(r"working|doesn't work|funktioniert|gerät|funcionar|marche|appareil|estropeado|"
                        r"panne|quebrou|gehäuse", re.IGNORECASE)


def _product_pool(template: str, intent: str) -> list:
    """Products that make sense for a message (no 'too small' power banks)."""
    if _BATTERY_RE.search(template):
        return BATTERY_DEVICES
    if intent in ("size_guide", "exchange_item") or _APPAREL_RE.search(template):
        return APPAREL
    if intent == "warranty_claim" or _DEVICE_RE.search(template):
        return DEVICES
    return PRODUCT_NAMES


# German words that are written in lower case after "Hallo," (nouns and "Sie" stay capitalised).
_DE_LOWER = {
    "Ich", "Mein", "Meine", "Wo", "Wie", "Wann", "Was", "Warum", "Welche", "Kann", "Können", "Ist",
    "Gibt", "Das", "Der", "Die", "Es", "Bitte", "Haben", "Sind", "Auf", "In", "Für", "Ab", "Fallen",
    "Liefern", "Versenden", "Einen", "Bei", "Heute", "Laut", "Seit", "Wird", "Mir", "Lieber", "Sehr",
    "Falsche", "Versehentlich", "Wurde", "Gibt's", "Den", "Dem", "Im",
}


def _lower_first_de(body: str) -> str:
    word = body.split(" ", 1)[0]
    if word in _DE_LOWER:
        return word.lower() + body[len(word):]
    return body


def _lower_first(body: str) -> str:
    """Lower-case the first word after an opener that ends with a comma (en/es/fr/pt)."""
    for i, ch in enumerate(body):
        if ch in "¿¡":
            continue
        if ch == "{" or not ch.isupper():
            return body
        rest = body[i:]
        if rest.startswith(("I ", "I'", "PayPal", "ShopRight", "WHY", "HUMAN", "Pix")):
            return body
        return body[:i] + ch.lower() + body[i + 1:]
    return body


# ---------------------------------------------------------------------------
# One simulated customer interaction
# ---------------------------------------------------------------------------

_SHIPPING_FEES = [4.99, 5.99, 6.95, 7.99, 9.99, 12.50, 14.99, 19.99, 24.99]
_HISTORY_COLS = {
    "en": "Order | Date | Item | Total | Status",
    "de": "Bestellung | Datum | Artikel | Summe | Status",
    "es": "Pedido | Fecha | Artículo | Total | Estado",
    "fr": "Commande | Date | Article | Total | Statut",
    "pt": "Pedido | Data | Produto | Total | Status",
}
_PII_WEIGHTS_DEFAULT = [("email", 35), ("phone", 30), ("card", 12), ("address", 23)]
_PII_WEIGHTS_BY_INTENT = {
    "payment_failed": [("card", 45), ("email", 25), ("phone", 20), ("address", 10)],
    "double_charge": [("card", 45), ("email", 25), ("phone", 20), ("address", 10)],
    "refund_status": [("card", 30), ("email", 35), ("phone", 25), ("address", 10)],
    "change_shipping_address": [("address", 60), ("phone", 20), ("email", 20)],
    "delivery_delayed": [("address", 40), ("phone", 35), ("email", 25)],
    "missing_item": [("address", 40), ("phone", 30), ("email", 30)],
    "update_email": [("email", 70), ("phone", 30)],
    "account_login": [("email", 60), ("phone", 40)],
    "password_reset": [("email", 60), ("phone", 40)],
    "delete_account": [("email", 60), ("address", 20), ("phone", 20)],
}
_PII_PICKERS = {k: _Picker(v) for k, v in _PII_WEIGHTS_BY_INTENT.items()}
_PII_DEFAULT_PICKER = _Picker(_PII_WEIGHTS_DEFAULT)


def _short_date(d: datetime, locale: str) -> str:
    if locale == "en-US":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if locale == "de-DE":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _quote(text: str, level: int) -> str:
    prefix = ">" * level + " "
    return "\n".join(prefix + line if line else prefix.rstrip() for line in text.split("\n"))


_DELIVERY_STORY = {0, 3, 5}  # indices of LONG_TEXT[lang]["story"] that are about a delivery
_DELIVERY_INTENTS = {"order_status", "delivery_delayed", "missing_item", "damaged_item", "wrong_item",
                     "change_shipping_address"}


def _story(rng: random.Random, s: dict, k: int) -> list[str]:
    pool = LONG_TEXT[s["lang"]]["story"]
    if s["intent"] not in _DELIVERY_INTENTS:
        pool = [x for i, x in enumerate(pool) if i not in _DELIVERY_STORY]
    return rng.sample(pool, min(k, len(pool)))


def _plain_amount(x: float, locale: str) -> str:
    """Amount as an account page prints it (one consistent format per locale)."""
    if locale == "en-US":
        return f"${x:,.2f}"
    if locale == "en-GB":
        return f"£{x:,.2f}"
    if locale == "pt-BR":
        return "R$ " + _group_thousands(x, ".", ",")
    return _group_thousands(x, " " if locale == "fr-FR" else ".", ",") + " €"


def _order_history(rng: random.Random, s: dict, now: datetime, budget: int) -> str:
    """A pasted order-history table of about `budget` characters (no slots inside)."""
    lang, locale = s["lang"], s["locale"]
    L = LONG_TEXT[lang]
    lines = [rng.choice(L["history_intro"]), _HISTORY_COLS[lang]]
    size = sum(len(x) + 1 for x in lines)
    d = now
    while size < budget:
        d -= timedelta(days=rng.randint(1, 9))
        product = rng.choice(PRODUCT_NAMES)
        line = (f"{_make_order_id(rng)} | {_short_date(d, locale)} | {product} | "
                f"{_plain_amount(_local_price(PRODUCTS[product], locale), locale)} | {rng.choice(L['status'])}")
        lines.append(line)
        size += len(line) + 1
    return lines[0] + "\n\n" + "\n".join(lines[1:])


def _quoted_thread(rng: random.Random, s: dict, core: str, now: datetime) -> str:
    """Append older messages of the same case, quoted, until the text is 1,500-6,000 chars long."""
    lang = s["lang"]
    L = LONG_TEXT[lang]
    target = rng.randint(1500, 5600)
    blocks = [core]
    if rng.random() < 0.2:
        blocks.append(rng.choice(L["mobile"]))
    size = sum(len(b) + 2 for b in blocks)
    if s["feature"] == "extract":  # older messages must not add other order ids/products/amounts
        earlier = [t for t in TEMPLATES[s["intent"]][lang] if not (_slots_of(t) & {*OPA, "date"})]
    else:
        earlier = [t for t in TEMPLATES[s["intent"]][lang] if "date" not in _slots_of(t)]
    d, level = now, 1
    name = s["first_name"]

    def stamp(day: datetime) -> dict:
        return {"wd": WEEKDAYS[lang][day.weekday()], "dfull": _full_date(day, lang),
                "time": f"{day.hour:02d}:{day.minute:02d}", "name": name,
                "ref": str(rng.randint(100000, 999999))}

    while size < target:
        d = (d - timedelta(days=rng.randint(1, 3))).replace(hour=rng.randint(9, 19), minute=rng.randint(0, 59))
        st = stamp(d)
        support = rng.choice(L["support"]) if rng.random() < 0.75 else " ".join(rng.sample(L["support"], 2))
        block = _fill(rng.choice(L["header"]), st) + "\n" + _quote(_fill(support, st), level)
        if size + len(block) + 2 > 6000:
            break
        blocks.append(block)
        size += len(block) + 2
        level = min(level + 1, 3)
        if d.hour > 9 and rng.random() < 0.5:  # the customer wrote earlier that day ...
            d = d.replace(hour=rng.randint(7, d.hour - 1), minute=rng.randint(0, 59))
        else:  # ... or the day before
            d = (d - timedelta(days=1)).replace(hour=rng.randint(7, 23), minute=rng.randint(0, 59))
        st = stamp(d)
        older = [_fill(rng.choice(earlier), s["slots"])] if earlier and rng.random() < 0.85 else []
        older += _story(rng, s, rng.randint(0 if older else 1, 2))
        block = _fill(rng.choice(L["cust_header"]), st) + "\n" + _quote(" ".join(older), level)
        if size + len(block) + 2 > 6000:
            break
        blocks.append(block)
        size += len(block) + 2
        level = min(level + 1, 3)
    return "\n\n".join(blocks)


def _compose_core(rng: random.Random, s: dict, body: str) -> str:
    """Wrap the body template in greeting/closing etc.; returns a template."""
    lang, locale, channel = s["lang"], s["locale"], s["channel"]
    gb = locale == "en-GB"
    if channel == "email":
        parts = []
        if rng.random() < 0.9:
            parts.append(rng.choice(EMAIL_OPENERS[lang]))
        parts.append(body)
        if rng.random() < 0.75:
            sign = rng.choice(EMAIL_SIGNOFFS[lang]) + "\n" + s["first_name"]
            if rng.random() < 0.3:
                sign += " " + s["last_name"][0] + "."
            parts.append(sign)
        elif rng.random() < 0.5:
            parts.append(rng.choice(CLOSERS_GB if gb and rng.random() < 0.5 else CLOSERS[lang]))
        return "\n\n".join(parts)
    p_open, p_close = {"chat": (0.45, 0.35), "app": (0.30, 0.25)}.get(channel, (0.0, 0.1))
    if s["pattern"] == "A":  # the message comes after a greeting exchange: no second "Hi,"
        p_open = 0.0
    parts = []
    if rng.random() < p_open:
        opener = rng.choice(OPENERS_GB if gb and rng.random() < 0.5 else OPENERS[lang])
        parts.append(opener)
        if opener.endswith(","):
            body = _lower_first_de(body) if lang == "de" else _lower_first(body)
    if rng.random() < p_close:
        closer = rng.choice(CLOSERS_GB if gb and rng.random() < 0.5 else CLOSERS[lang])
        if body[-1].isalnum() or body[-1] in "'\"}":
            r = rng.random()
            if r < 0.5:
                body += "."
            elif r < 0.8:
                body += "!"
            elif lang != "de":
                closer = closer[0].lower() + closer[1:]
        parts.append(body)
        parts.append(closer)
    else:
        parts.append(body)
    return " ".join(parts)


def _append(rng: random.Random, body: str, sentence: str, lang: str) -> str:
    """Add a sentence to a message, mending a missing full stop the way people do."""
    if body[-1] in ".!?)" or not body[-1].isalnum() and body[-1] not in "'\"}":
        return f"{body} {sentence}"
    if rng.random() < 0.65:
        return f"{body}. {sentence}"
    return f"{body}, {_lower_first_de(sentence) if lang == 'de' else _lower_first(sentence)}"


def _make_sample(rng: random.Random, now: datetime) -> dict:
    """Draw one interaction: the conversation, its gold labels and its difficulty."""
    locale = _LOCALE_PICK(rng)
    lang = LANG_OF[locale]
    feature = "extract" if rng.random() < EXTRACT_SHARE else "triage"
    intent = (_EXTRACT_INTENT_PICK if feature == "extract" else _TRIAGE_INTENT_PICK)(rng)
    channel = _CHANNEL_PICK(rng)
    segment = _SEGMENT_PICK(rng)
    is_long = rng.random() < LONG_RATE
    if is_long and (channel == "voice-transcript" or rng.random() < 0.7):
        channel = "email"
    multi = rng.random() < MULTI_TURN_RATE
    pattern = None
    if multi and channel == "email":  # back-and-forth happens in chat
        channel = "chat" if rng.random() < 0.65 else "app"
    if multi:
        pattern = ("B" if feature == "triage" and intent in ORDER_INTENTS and not is_long
                   and rng.random() < 0.45 else "A")
    typo = rng.random() < TYPO_RATE
    pii = rng.random() < PII_RATE
    caps = channel in ("chat", "app") and intent in NEGATIVE_INTENTS and rng.random() < 0.08

    # Core message template (chosen first: the product has to fit it).
    templates = TEMPLATES[intent][lang]
    wanted = set(OPA)
    if feature == "extract":
        if rng.random() < 0.22:
            wanted.discard(rng.choices(OPA, weights=[35, 30, 35])[0])
        tpl = rng.choice([t for t in templates if (_slots_of(t) & set(OPA)) <= wanted])
    else:
        tpl = rng.choice(templates)

    # Slot values.
    product = rng.choice(_product_pool(tpl, intent))
    if intent == "shipping_cost":
        price = rng.choice(_SHIPPING_FEES)
        price = {"en-GB": round(price * 0.8, 2), "pt-BR": round(price * 5, 2)}.get(locale, price)
    else:
        price = _local_price(PRODUCTS[product], locale)
        if rng.random() < 0.08:
            price *= 2
        if intent == "price_match":
            price = round(price * rng.choice([0.75, 0.8, 0.85, 0.9])) - 0.01
    price = round(price, 2)
    order_id = _make_order_id(rng)
    slots = {
        "order_id": order_id,
        "product": product,
        "amount": _format_amount(rng, price, locale),
        "date": _format_date(rng, now - timedelta(days=rng.randint(1, 14)), locale),
        "city": rng.choice(CITIES[locale]),
        "intl_city": rng.choice(INTL_CITIES[lang]),
        "days": str(rng.randint(3, 16)),
        "coupon": rng.choice(COUPONS),
    }
    s = {"locale": locale, "lang": lang, "feature": feature, "intent": intent, "channel": channel,
         "segment": segment, "long": is_long, "multi": multi, "pattern": pattern, "typo": typo,
         "pii": pii, "caps": caps, "slots": slots, "product": product,
         "first_name": rng.choice(FIRST_NAMES[locale]), "last_name": rng.choice(LAST_NAMES[locale])}

    extraction = None
    body = tpl
    if feature == "extract":
        missing = [k for k in OPA if k in wanted and k not in _slots_of(tpl)]
        if missing:
            key = "".join(k[0] for k in missing)
            body = _append(rng, tpl, rng.choice(DETAILS[lang][key]), lang)
        extraction = {"order_id": order_id if "order_id" in wanted else None,
                      "product": product if "product" in wanted else None,
                      "amount": price if "amount" in wanted else None}
        if rng.random() < 0.10:  # customers do not always type catalogue names exactly
            slots["product"] = product.lower()
    if rng.random() < (0.15 if intent in NEGATIVE_INTENTS else 0.03):
        body = _append(rng, body, rng.choice(FRUSTRATION[lang]), lang)
    history = False
    if is_long:  # long inputs: the back story, then a pasted order history or a quoted thread
        body = _append(rng, body, " ".join(_story(rng, s, rng.randint(1, 4))), lang)
        if feature == "triage" and rng.random() < 0.3:
            history = True
            body += "\n\n" + _order_history(rng, s, now, rng.randint(1550, 5200) - len(body))
    if pii:
        kinds = [(_PII_PICKERS.get(intent) or _PII_DEFAULT_PICKER)(rng)]
        if rng.random() < 0.2:
            kinds.append("phone" if kinds[0] != "phone" else "email")
        for kind in kinds:
            body = _append(rng, body, rng.choice(PII_SENTENCES[lang][kind]), lang)
        slots["email"] = _make_email(rng, locale)
        slots["phone"] = _make_phone(rng, locale)
        slots["card"] = _make_card(rng)
        slots["address"] = _make_address(rng, locale)
        s["pii_kinds"] = kinds
    tpl = _compose_core(rng, s, body)
    if locale == "en-GB":
        tpl = _to_gb(tpl)
    if typo:
        tpl = _inject_typos(rng, tpl)
    if channel == "voice-transcript":
        tpl = _to_voice(rng, tpl, lang, filler=pattern != "A")
    elif caps:
        tpl = _to_caps(tpl)
        slots["product"] = slots["product"].upper()
    core = _fill(tpl, slots)
    if channel in ("chat", "app") and rng.random() < 0.07:
        pool = EMOJI_NEG if intent in NEGATIVE_INTENTS and rng.random() < 0.7 else EMOJI_POS
        core = core + rng.choice([" ", "", " "]) + rng.choice(pool) * rng.choice([1, 1, 1, 2, 3])
    if is_long and not history:
        core = _quoted_thread(rng, s, core, now)

    # Conversation.
    turns = []
    k = rng.choice([2, 2, 2, 3, 3, 4]) if multi else 1
    T, A = USER_TURNS[lang], ASSISTANT_TURNS[lang]

    def user(text_tpl: str) -> None:
        if channel == "voice-transcript":
            text_tpl = _to_voice(rng, text_tpl, lang, filler=not turns)
        turns.append({"role": "user", "content": _fill(text_tpl, slots)})

    if pattern == "B":
        turns.append({"role": "user", "content": core})
        turns.append({"role": "assistant", "content": rng.choice(A["ask_order"])})
        second = rng.choice(T["give_order"] + T["followup"][:2])
        user(second)
        later = [t for t in T["followup"] if t != second]
        for text, ack in zip(rng.sample(later, k - 2), rng.sample(A["ack"], k - 2)):
            turns.append({"role": "assistant", "content": ack})
            user(text)
    else:
        about_order = intent in ORDER_INTENTS
        prev = None
        for i in range(k - 1):
            if i == 0 and rng.random() < 0.4:
                user(rng.choice(T["hello"]))
                cat = "greet"
            elif i == 0 or (prev == "greet" and not about_order):
                if about_order:
                    user(rng.choice(T["order_problem"]))
                    cat = rng.choice(["ask_more", "ask_order", "ask_order"])
                else:
                    user(rng.choice(T["problem"]))
                    cat = "ask_more"
            elif prev == "ask_order":
                user(rng.choice(T["give_order"]))
                cat = rng.choice(["ask_more", "ack"])
            elif about_order:
                user(rng.choice(T["context"]))
                cat = "ask_order"
            else:
                break  # nothing natural left to say before the actual question
            turns.append({"role": "assistant", "content": rng.choice(A[cat])})
            prev = cat
        turns.append({"role": "user", "content": core})
    s["turns"] = turns
    s["last_user"] = turns[-1]["content"]
    s["extraction"] = extraction
    return s


# ---------------------------------------------------------------------------
# The incumbent model's behaviour
# ---------------------------------------------------------------------------


def _p_correct(s: dict) -> float:
    p = 0.905 if s["lang"] == "en" else 0.76
    if s["long"]:
        p = 0.62
    rank = INTENT_RANK[s["intent"]]
    if rank >= 20:
        p -= 0.12
    elif rank >= 12:
        p -= 0.04
    if s["typo"]:
        p -= 0.04
    if s["caps"]:
        p -= 0.02
    if s["channel"] == "voice-transcript":
        p -= 0.03
    if s["pattern"] == "B":
        p -= 0.06
    elif s["pattern"] == "A":
        p -= 0.01
    return max(0.3, min(0.97, p))


def _wrong_intent(rng: random.Random, intent: str) -> str:
    if rng.random() < 0.75:
        return rng.choice(CONFUSABLE[intent])
    while True:
        other = _TRIAGE_INTENT_PICK(rng)
        if other != intent:
            return other


def _wrong_extraction(rng: random.Random, s: dict, gold: dict) -> dict:
    out = dict(gold)
    options = []
    if gold["amount"] is not None:
        options += ["amount_null"]
        if s["lang"] != "en" and abs(gold["amount"] - round(gold["amount"])) > 1e-9:
            options += ["amount_comma"] * 3
        else:
            options += ["amount_round"]
    else:
        options += ["amount_invent"]
    if gold["order_id"] is not None:
        options += ["order_strip", "order_null"]
    else:
        options += ["order_invent"]
    if gold["product"] is not None:
        options += ["product_raw", "product_other", "product_null"]
    else:
        options += ["product_invent"]
    kind = rng.choice(options)
    if kind == "amount_null":
        out["amount"] = None
    elif kind == "amount_comma":  # "49,99" read as 4999
        out["amount"] = round(gold["amount"] * 100, 2)
    elif kind == "amount_round":
        out["amount"] = float(math.floor(gold["amount"]))
        if out["amount"] == gold["amount"]:
            out["amount"] = None
    elif kind == "amount_invent":
        out["amount"] = round(_local_price(PRODUCTS[s["product"]], s["locale"]), 2)  # catalogue price
    elif kind == "order_strip":
        out["order_id"] = gold["order_id"].split("-", 1)[1]
    elif kind == "order_null":
        out["order_id"] = None
    elif kind == "order_invent":
        out["order_id"] = s["slots"]["order_id"] if rng.random() < 0.6 else _make_order_id(rng)
    elif kind == "product_raw":
        words = gold["product"].split()
        out["product"] = " ".join(words[1:]) if len(words) > 2 else gold["product"].lower()
    elif kind == "product_other":
        out["product"] = rng.choice([p for p in PRODUCT_NAMES if p != gold["product"]])
    elif kind == "product_null":
        out["product"] = None
    else:  # product_invent
        out["product"] = rng.choice(PRODUCT_NAMES)
    if out == gold:
        out["product"] = None if gold["product"] else rng.choice(PRODUCT_NAMES)
    return out


def _malformed(rng: random.Random, payload: dict) -> str:
    text = json.dumps(payload, ensure_ascii=False)
    kind = rng.randrange(5)
    if kind == 0:
        return f"Sure! Here is the JSON: {text}"
    if kind == 1:
        return f"```json\n{text}\n```"
    if kind == 2:
        return f"{text}\n\nLet me know if you need anything else!"
    if kind == 3:
        return text[: rng.randint(12, len(text) - 5)]
    return str(payload)  # Python repr: single quotes, None


def _estimate_tokens(text: str, lang: str) -> int:
    return max(1, math.ceil(len(text) / (4.0 if lang == "en" else 3.6)))


def _feedback(rng: random.Random, s: dict, correct: bool):
    if rng.random() >= (0.13 if correct else 0.25):
        return None
    down = rng.random() < (0.18 if correct else 0.70)
    rating = None
    if rng.random() < 0.55:
        rating = rng.choice([1, 1, 2, 2, 3]) if down else rng.choice([3, 4, 4, 5, 5])
    comment = None
    if rng.random() < 0.3:
        pool = FEEDBACK_COMMENTS[s["lang"] if rng.random() < 0.8 else "en"]
        comment = rng.choice(pool["down" if down else "up"])
    return {"thumb": "down" if down else "up", "rating": rating, "comment": comment}


def _production_record(rng: random.Random, s: dict, rec_id: str, ts: datetime, conv_id: str) -> dict:
    correct = rng.random() < _p_correct(s)
    if s["feature"] == "triage":
        system = TRIAGE_SYSTEM_PROMPT
        label = s["intent"] if correct else _wrong_intent(rng, s["intent"])
        output = label
        if rng.random() < TRIAGE_FORMAT_NOISE:
            output = rng.choice([f"Intent: {label}", f"{label}.", f"The intent is {label}.", label.upper()])
    else:
        system = EXTRACT_SYSTEM_PROMPT
        gold = s["extraction"]
        payload = dict(gold) if correct else _wrong_extraction(rng, s, gold)
        if rng.random() < MALFORMED_JSON_RATE:
            output = _malformed(rng, payload)
            correct = False
        else:
            output = json.dumps(payload, ensure_ascii=False)
    messages = [{"role": "system", "content": system}] + s["turns"]
    tokens_in = sum(_estimate_tokens(m["content"], s["lang"]) + 4 for m in messages)
    tokens_out = _estimate_tokens(output, "en")
    latency = (230 + 0.45 * tokens_in + 19 * tokens_out) * rng.lognormvariate(0, 0.22)
    if rng.random() < 0.01:
        latency *= rng.uniform(2.5, 6.0)  # occasional slow call
    labels = None
    if rng.random() < LABEL_RATE:
        labels = {"intent": s["intent"], "extraction": dict(s["extraction"]) if s["extraction"] else None}
    return {
        "id": rec_id,
        "ts": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "model": MODEL,
        "feature": s["feature"],
        "messages": messages,
        "output": output,
        "latency_ms": round(latency),
        "tokens_in": tokens_in,
        "tokens_out": tokens_out,
        "metadata": {"locale": s["locale"], "channel": s["channel"], "user_segment": s["segment"],
                     "conversation_id": conv_id},
        "feedback": _feedback(rng, s, correct),
        "labels": labels,
    }


# ---------------------------------------------------------------------------
# Timestamps with daily and weekly seasonality
# ---------------------------------------------------------------------------

_WEEKDAY_FACTOR = [1.15, 1.05, 1.0, 1.0, 0.95, 0.78, 0.85]  # Mon..Sun
_HOUR_FACTOR = [0.25, 0.15, 0.10, 0.08, 0.08, 0.12, 0.30, 0.60, 0.95, 1.20, 1.35, 1.40,
                1.35, 1.30, 1.25, 1.20, 1.15, 1.15, 1.25, 1.35, 1.30, 1.00, 0.70, 0.45]


def _timestamps(rng: random.Random, base: datetime, n: int) -> list[datetime]:
    slots, weights = [], []
    for day in range(N_DAYS):
        d = base + timedelta(days=day)
        for hour in range(24):
            slots.append(d + timedelta(hours=hour))
            weights.append(_WEEKDAY_FACTOR[d.weekday()] * _HOUR_FACTOR[hour])
    picked = rng.choices(slots, cum_weights=_cum(weights), k=n)
    return sorted(t + timedelta(seconds=rng.randrange(3600)) for t in picked)


# ---------------------------------------------------------------------------
# Public-benchmark-STYLE questions (written by this project, not from any benchmark)
# (subject, question, correct option, three distractors)
# ---------------------------------------------------------------------------

BENCHMARK_QUESTIONS = [
    ("astronomy", "Which planet in our solar system has the largest number of known moons?",
     "Saturn", ["Jupiter", "Uranus", "Neptune"]),
    ("astronomy", "What is the closest known star to the Sun?",
     "Proxima Centauri", ["Sirius", "Barnard's Star", "Betelgeuse"]),
    ("astronomy", "Which planet takes the longest to rotate once on its axis (relative to the stars)?",
     "Venus", ["Mercury", "Jupiter", "Mars"]),
    ("astronomy", "Approximately how long does light from the Sun take to reach Earth?",
     "About 8 minutes", ["About 8 seconds", "About 8 hours", "About 1 minute"]),
    ("astronomy", "What is the boundary around a black hole beyond which nothing, not even light, can escape?",
     "The event horizon", ["The photon sphere", "The accretion disk", "The heliopause"]),
    ("astronomy", "Which planet is famous for the Great Red Spot, a giant long-lived storm?",
     "Jupiter", ["Mars", "Saturn", "Neptune"]),
    ("biology", "Which molecule carries the genetic information in most living organisms?",
     "DNA", ["ATP", "Glucose", "Collagen"]),
    ("biology", "Which organelle is the main site of ATP production in eukaryotic cells?",
     "The mitochondrion", ["The ribosome", "The Golgi apparatus", "The lysosome"]),
    ("biology", "How many chambers does the human heart have?",
     "Four", ["Two", "Three", "Five"]),
    ("biology", "Which pigment gives plants their green color?",
     "Chlorophyll", ["Carotene", "Melanin", "Hemoglobin"]),
    ("biology", "Which blood cells are mainly responsible for carrying oxygen around the body?",
     "Red blood cells", ["White blood cells", "Platelets", "Plasma cells"]),
    ("biology", "What is the largest organ of the human body by surface area?",
     "The skin", ["The liver", "The lungs", "The brain"]),
    ("chemistry", "What is the chemical symbol for sodium?",
     "Na", ["So", "Sd", "S"]),
    ("chemistry", "What is the pH of pure water at 25 °C?",
     "7", ["0", "1", "14"]),
    ("chemistry", "Which gas makes up about 78% of Earth's atmosphere?",
     "Nitrogen", ["Oxygen", "Argon", "Carbon dioxide"]),
    ("chemistry", "Which element is the most abundant in the universe by mass?",
     "Hydrogen", ["Helium", "Oxygen", "Carbon"]),
    ("chemistry", "Which element has atomic number 6?",
     "Carbon", ["Nitrogen", "Oxygen", "Boron"]),
    ("chemistry", "What type of chemical bond is formed when two atoms share pairs of electrons?",
     "A covalent bond", ["An ionic bond", "A metallic bond", "A hydrogen bond"]),
    ("physics", "What is the SI unit of force?",
     "The newton", ["The joule", "The watt", "The pascal"]),
    ("physics", "Approximately what is the speed of light in a vacuum?",
     "About 300,000 km/s", ["About 300 km/s", "About 30,000 km/s", "About 3,000,000 km/s"]),
    ("physics", "Which of these particles carries a negative electric charge?",
     "The electron", ["The proton", "The neutron", "The photon"]),
    ("physics", "What is the SI unit of electrical resistance?",
     "The ohm", ["The ampere", "The volt", "The coulomb"]),
    ("physics", "At standard sea-level pressure, at what temperature does pure water boil?",
     "100 °C", ["90 °C", "80 °C", "120 °C"]),
    ("physics", "Which law states that for every action there is an equal and opposite reaction?",
     "Newton's third law", ["Newton's first law", "Newton's second law", "Hooke's law"]),
    ("geography", "What is the capital of Australia?",
     "Canberra", ["Sydney", "Melbourne", "Perth"]),
    ("geography", "Which is the longest river in South America?",
     "The Amazon", ["The Paraná", "The Orinoco", "The São Francisco"]),
    ("geography", "Which country has the largest land area?",
     "Russia", ["Canada", "China", "The United States"]),
    ("geography", "In which country is Mount Kilimanjaro located?",
     "Tanzania", ["Kenya", "Uganda", "Ethiopia"]),
    ("geography", "What is the capital of Canada?",
     "Ottawa", ["Toronto", "Vancouver", "Montreal"]),
    ("geography", "Which is the largest ocean on Earth?",
     "The Pacific Ocean", ["The Atlantic Ocean", "The Indian Ocean", "The Arctic Ocean"]),
    ("history", "In which year did the Berlin Wall fall?",
     "1989", ["1987", "1991", "1985"]),
    ("history", "Who was the first person to walk on the Moon?",
     "Neil Armstrong", ["Buzz Aldrin", "Yuri Gagarin", "Michael Collins"]),
    ("history", "Which civilization built Machu Picchu?",
     "The Inca", ["The Maya", "The Aztecs", "The Olmecs"]),
    ("history", "In which year did World War I begin?",
     "1914", ["1912", "1916", "1918"]),
    ("history", "Suleiman the Magnificent ruled which empire?",
     "The Ottoman Empire", ["The Mughal Empire", "The Byzantine Empire", "The Safavid Empire"]),
    ("history", "Who was the principal author of the United States Declaration of Independence?",
     "Thomas Jefferson", ["John Adams", "Benjamin Franklin", "George Washington"]),
    ("mathematics", "What is 7 × 8?",
     "56", ["54", "48", "64"]),
    ("mathematics", "What is the square root of 144?",
     "12", ["14", "11", "13"]),
    ("mathematics", "What is the sum of the interior angles of a triangle?",
     "180 degrees", ["90 degrees", "270 degrees", "360 degrees"]),
    ("mathematics", "Which of the following numbers is prime?",
     "29", ["21", "27", "33"]),
    ("mathematics", "What is 15% of 200?",
     "30", ["15", "20", "35"]),
    ("mathematics", "What is the next number in the sequence 2, 4, 8, 16, ...?",
     "32", ["24", "20", "30"]),
    ("literature", "Who wrote the novel \"Pride and Prejudice\"?",
     "Jane Austen", ["Charlotte Brontë", "Mary Shelley", "George Eliot"]),
    ("literature", "Who wrote \"One Hundred Years of Solitude\"?",
     "Gabriel García Márquez", ["Mario Vargas Llosa", "Jorge Luis Borges", "Isabel Allende"]),
    ("literature", "In which Shakespeare play does the character Ophelia appear?",
     "Hamlet", ["Macbeth", "Othello", "King Lear"]),
    ("literature", "Who wrote the novel \"Nineteen Eighty-Four\"?",
     "George Orwell", ["Aldous Huxley", "Ray Bradbury", "H. G. Wells"]),
    ("literature", "Who wrote \"Don Quixote\"?",
     "Miguel de Cervantes", ["Lope de Vega", "Federico García Lorca", "Benito Pérez Galdós"]),
    ("literature", "By tradition, who composed the epic poem \"The Odyssey\"?",
     "Homer", ["Virgil", "Sophocles", "Ovid"]),
    ("computer_science", "What does \"CPU\" stand for?",
     "Central Processing Unit", ["Computer Personal Unit", "Central Program Utility", "Core Processing Utility"]),
    ("computer_science", "How many bits are there in one byte?",
     "8", ["4", "16", "10"]),
    ("computer_science", "What is the worst-case time complexity of binary search on a sorted array of n elements?",
     "O(log n)", ["O(n)", "O(n log n)", "O(1)"]),
    ("computer_science", "Which data structure follows the last-in, first-out (LIFO) principle?",
     "A stack", ["A queue", "A linked list", "A hash table"]),
    ("computer_science", "What does \"HTTP\" stand for?",
     "HyperText Transfer Protocol", ["High Transfer Text Protocol", "HyperText Transmission Process",
                                     "Hyperlink Transfer Text Protocol"]),
    ("computer_science", "What is the decimal number 10 written in binary?",
     "1010", ["1001", "1100", "1110"]),
    ("earth_science", "What is the outermost solid layer of the Earth called?",
     "The crust", ["The mantle", "The outer core", "The inner core"]),
    ("earth_science", "Which type of rock forms when magma or lava cools and solidifies?",
     "Igneous rock", ["Sedimentary rock", "Metamorphic rock", "Evaporite"]),
    ("earth_science", "Which scale is commonly used to compare the hardness of minerals?",
     "The Mohs scale", ["The Richter scale", "The Beaufort scale", "The Kelvin scale"]),
    ("earth_science", "Which layer of the atmosphere contains most of the ozone layer?",
     "The stratosphere", ["The troposphere", "The mesosphere", "The thermosphere"]),
    ("earth_science", "What is the main cause of the ocean tides on Earth?",
     "The Moon's gravity", ["Wind", "Earth's magnetic field", "Underwater earthquakes"]),
    ("earth_science", "What was the supercontinent that contained almost all of Earth's land about 250 million years ago?",
     "Pangaea", ["Gondwana", "Laurasia", "Rodinia"]),
]


def benchmark_rows() -> list[dict]:
    """The 60 benchmark-style questions, options placed so that A-D are balanced."""
    rng = random.Random(20261001)  # fixed: this set does not depend on --seed
    positions = [i % 4 for i in range(len(BENCHMARK_QUESTIONS))]
    rng.shuffle(positions)
    rows = []
    for i, ((subject, question, right, wrong), pos) in enumerate(zip(BENCHMARK_QUESTIONS, positions), 1):
        options = list(wrong)
        rng.shuffle(options)
        options.insert(pos, right)
        text = question + "\n" + "\n".join(f"{'ABCD'[j]}) {o}" for j, o in enumerate(options))
        rows.append({"id": f"pb-{i:02d}", "input": text, "answer": "ABCD"[pos], "subject": subject})
    return rows


# ---------------------------------------------------------------------------
# Cherry-picked demo set
# ---------------------------------------------------------------------------


def demo_rows(seed: int) -> list[dict]:
    """40 clean, short, single-turn en-US prompts from the three most popular intents only."""
    rng = random.Random(seed * 1_000_003 + 404)
    top = INTENTS_BY_RANK[:3]
    clean = {i: [t for t in TEMPLATES[i]["en"] if t[0].isupper() and t[-1] in ".?!" and len(t) < 120]
             for i in top}
    rows, seen = [], set()
    while len(rows) < N_DEMO:
        intent = top[len(rows) % 3]
        tpl = rng.choice(clean[intent])
        if rng.random() < 0.3:
            tpl = rng.choice(["Hi,", "Hello,"]) + " " + _lower_first(tpl)
        if rng.random() < 0.2:
            tpl += " " + rng.choice(["Thanks!", "Thank you."])
        product = rng.choice(PRODUCT_NAMES)
        now = BASE_DATE + timedelta(days=rng.randrange(N_DAYS))
        slots = {"order_id": _make_order_id(rng), "product": product,
                 "amount": _format_amount(rng, PRODUCTS[product], "en-US"),
                 "date": _format_date(rng, now - timedelta(days=rng.randint(1, 14)), "en-US"),
                 "city": rng.choice(CITIES["en-US"]), "days": str(rng.randint(3, 12))}
        text = _fill(tpl, slots)
        if text in seen:
            continue
        seen.add(text)
        rows.append({"id": f"demo-{len(rows) + 1:02d}", "input": text, "intent": intent})
    return rows


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------


def _write_jsonl(path: Path, rows) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=False))
            fh.write("\n")
            n += 1
    return n


def production_records(n_records: int, seed: int):
    """Yield the production log records (deterministic in seed and n_records)."""
    rng = random.Random(seed)
    conv = rng.randint(100, 400)
    for idx, ts in enumerate(_timestamps(rng, BASE_DATE, n_records), 1):
        conv += rng.randint(1, 3)
        s = _make_sample(rng, ts)
        yield s, _production_record(rng, s, f"sd-{idx:06d}", ts, f"c-{conv:05d}")


def train_rows(seed: int, n: int = N_TRAIN) -> list[dict]:
    """Labelled examples from September 2026, from a separate random stream."""
    rng = random.Random(seed * 1_000_003 + 20260901)
    rows = []
    for ts in _timestamps(rng, TRAIN_BASE_DATE, n):
        s = _make_sample(rng, ts)
        rows.append({"text": s["last_user"], "locale": s["locale"], "intent": s["intent"],
                     "feature": s["feature"], "extraction": s["extraction"]})
    return rows


def generate(out_dir: Path, n_records: int = 20000, seed: int = 7) -> dict:
    """Write all synthetic files under out_dir and return counts."""
    out_dir = Path(out_dir)
    counts = {"records": 0, "triage": 0, "extract": 0, "labelled": 0, "feedback": 0,
              "non_english": 0, "multi_turn": 0, "long": 0, "pii": 0, "typos": 0}

    def records():
        for s, rec in production_records(n_records, seed):
            counts["records"] += 1
            counts[s["feature"]] += 1
            counts["labelled"] += rec["labels"] is not None
            counts["feedback"] += rec["feedback"] is not None
            counts["non_english"] += s["lang"] != "en"
            counts["multi_turn"] += s["multi"]
            counts["long"] += s["long"]
            counts["pii"] += s["pii"]
            counts["typos"] += s["typo"]
            yield rec

    _write_jsonl(out_dir / "logs" / "support-2026-10.jsonl", records())
    counts["train"] = _write_jsonl(out_dir / "labelled" / "train.jsonl", train_rows(seed))
    counts["demo"] = _write_jsonl(out_dir / "sets" / "demo_prompts.jsonl", demo_rows(seed))
    counts["benchmark"] = _write_jsonl(out_dir / "sets" / "public_benchmark_sample.jsonl", benchmark_rows())
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Generate the SYNTHETIC support-desk example data.")
    ap.add_argument("--out", required=True, type=Path, help="output directory")
    ap.add_argument("--records", type=int, default=20000, help="production log records (default 20000)")
    ap.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = ap.parse_args(argv)
    if args.records < 1:
        ap.error("--records must be positive")
    counts = generate(args.out, args.records, args.seed)
    print(json.dumps(counts, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
