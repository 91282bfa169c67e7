"""Redact personal data from customers' chat messages (pure: no I/O).

The trainer exports customers' messages for review and turns them into NLU
training data; before that, personal data is replaced:

    >>> redact("cancel ORD-100101 for jane.doe@gmail.com", mode="placeholder").text
    'cancel [order number] for [email]'

Two modes:

* ``"fake"`` (default): realistic, deterministic fake values derived from a
  hash of the original (the same original always gets the same fake): e-mails
  at the reserved domains ``example.com/.org/.net``, phone numbers in the
  fictional ``+1 415 555 01xx`` range, order numbers ``ORD-`` + six digits and
  names from a small built-in list. Card numbers are never kept in any form:
  they become ``[card number]`` in both modes.
* ``"placeholder"``: ``[email]``, ``[phone]``, ``[card number]``,
  ``[order number]``, ``[name]``, ``[postal code]``, ``[address]``.

Japanese personal data (``bot.trainer.redact_ja``: phone numbers as Japanese
write them, 〒 postal codes, addresses in Japanese order, names before 様/さん or
introduced with と申します, full-width e-mails) gets Japanese fakes: a name from a
short list, ``090-0000-xxxx``, ``〒000-xxxx`` (no postal code starts 000),
``東京都架空区見本町…`` ("fictional ward, sample town").

Detection runs e-mails, card numbers (not a product's barcode), order numbers,
the Japanese finders, phone numbers, bare order numbers (six digits in a message
about an order) and names, in that order; each pass only sees text no earlier
pass claimed, so nothing is replaced twice. ``ConversationRedactor`` redacts a
conversation's messages in order and replaces a name found in one message
wherever it comes again (山田太郎, then 山田様).

Names are best effort: only Capitalised words in recognisable places ("my name
is", "I'm"/"I am", "this is" at the start, "call me", sign-offs such as
"thanks, Jane" or "- Maria" at the end, and after Mr/Mrs/Ms/Dr) that are not
on a stoplist of common capitalised non-names, cities and brands. A name found
once is also replaced where it occurs again in the same message.

Fakes are pseudonyms, not anonymisation: they are derived from an unkeyed
hash, so whoever knows this code can test guesses of an original against a
fake (for six-digit order numbers, all of them).
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.trainer import redact_ja

EMAIL = "email"
PHONE = "phone_number"
CARD = "card_number"
ORDER = "order_number"
NAME = "name"
POSTAL_CODE = redact_ja.POSTAL_CODE
ADDRESS = redact_ja.ADDRESS

MODES = ("fake", "placeholder")

PLACEHOLDERS = {
    EMAIL: "[email]",
    PHONE: "[phone]",
    CARD: "[card number]",
    ORDER: "[order number]",
    NAME: "[name]",
    POSTAL_CODE: "[postal code]",
    ADDRESS: "[address]",
}

# Entity kinds that are entities of this assistant's NLU (domain.yml).
NLU_ENTITIES = frozenset({EMAIL, PHONE, ORDER})

FAKE_FIRST_NAMES = (
    "Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Robin", "Avery", "Quinn", "Dana",
    "Elena", "Priya", "Tomas", "Nadia", "Oliver", "Lucia", "Marco", "Hana", "Leo", "Ines", "Noah", "Maya",
)
FAKE_LAST_NAMES = (
    "Moreno", "Okafor", "Lindqvist", "Novak", "Tanaka", "Fischer", "Rossi", "Dubois", "Kowalski", "Haddad",
    "Silva", "Jensen", "Nguyen", "Petrov", "Murphy", "Kaur", "Walsh", "Ferreira", "Ito", "Brennan", "Castillo",
    "Larsen", "Meyer", "Costa",
)
FAKE_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")  # reserved (RFC 2606)
FAKE_PHONE_PREFIX = "+1 415 555 01"  # 555-0100..0199: reserved for fiction
FAKE_ORDER_PREFIX = "ORD-"
# Japanese fakes: names from a short list, numbers that no one has (no postal code starts 000).
FAKE_JA_LAST_NAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山口")
FAKE_JA_FIRST_NAMES = ("花子", "太郎", "陽子", "健太", "美咲", "大輔", "由美", "翔太", "彩", "誠", "恵", "蓮")
FAKE_KATAKANA_NAMES = ("スミス", "ブラウン", "ミラー", "ガルシア", "マーティン", "リー", "ウィルソン", "テイラー")
FAKE_JA_PHONE_PREFIX = "090-0000-"
FAKE_POSTAL_PREFIX = "〒000-"
FAKE_ADDRESS_PREFIX = "東京都架空区見本町"

# Capitalised words that are not names: fillers after "I'm", "this is",
# "call me" and sign-offs, plus titles, places, nationalities, brands and the
# shop's own words. Compared case-insensitively.
NOT_NAMES = frozenset("""
a an the this that these those it its i me my mine you your yours we us our they them their he him his she her
here there not no yes yeah yep nope so very really just still also too only already always never now then
today tomorrow tonight yesterday again back out in on at from with about for to of by over off up down away
home into onto under after before around regarding re if and but or because as than what why how when where
who which whose is am are was were be been being have has had do does did can could should would must might
shall shan't won't cannot
sure fine ok okay alright good great well happy sad sorry glad afraid confused angry mad upset tired worried
frustrated disappointed annoyed pleased satisfied unhappy excited interested concerned done ready able unable
new old busy late early right wrong correct certain aware unsure curious lost stuck desperate furious livid
quite pretty totally extremely absolutely actually probably definitely currently literally seriously honestly
basically usually normally clearly simply truly certainly completely fully almost nearly kind sort bit little
lot much many more most less least all any some every each both either neither other another same such one two
three four five six seven eight nine ten first second last next
please thanks thank thx ty cheers regards best bye goodbye hello hi hey hiya dear welcome sincerely yours
team support customer customers client agent human bot robot admin manager staff service guys everyone everybody
someone somebody anyone anybody nobody noone sir madam maam mate buddy friend folks love asap urgent urgently
ridiculous unacceptable terrible awful amazing fantastic perfect lovely nice cool wow insane crazy weird strange
silly stupid absurd bad worse worst poor slow broken useless pathetic nonsense rubbish garbage joke important
serious fair unfair outrageous disgraceful shocking horrible excellent brilliant wonderful
maybe perhaps yet though however anyway anyways whatever otherwise instead
monday tuesday wednesday thursday friday saturday sunday january february march july september october
november december christmas easter weekend morning afternoon evening night
mr mrs ms miss mx dr prof mister missus doctor professor
northwind goods shop store
london paris berlin tokyo osaka kyoto york boston chicago seattle springfield manchester liverpool leeds glasgow
edinburgh dublin madrid barcelona rome milan amsterdam brussels vienna zurich geneva munich hamburg frankfurt lyon
marseille toronto vancouver montreal sydney melbourne los angeles san francisco diego miami dallas houston
denver atlanta portland cambridge oxford bristol birmingham cardiff belfast
england scotland wales ireland britain uk usa us america canada france germany spain italy japan china india
australia europe brazil mexico netherlands holland belgium switzerland austria portugal poland sweden norway
denmark finland
british english scottish irish welsh american canadian french german spanish italian japanese chinese indian
australian european dutch swiss polish swedish mexican brazilian
usb iphone ipad macbook airpods apple samsung google amazon paypal visa mastercard amex klarna dhl ups fedex
usps royal mail hermes evri dpd gls martens nike adidas merino linen canvas denim ceramic cotton leather wool
chino rain scented prime ebay android windows bluetooth wifi gift card order orders account email password
refund return delivery shipping express standard premium
""".split())

_NON_NAME_SUFFIXES = ("ness", "ment", "tion", "able", "ible", "ful", "less", "ous")

_MASK = "\x00"
_DIGIT_BOUNDARY = r"A-Za-z\d_"


# --- result types ------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """One replacement: where it sits in the redacted text and what it is."""

    kind: str  # "email" | "phone_number" | "card_number" | "order_number" | "name" | "postal_code" | "address"
    start: int  # offsets in the REDACTED text where the replacement sits
    end: int
    replacement: str  # what now stands there


@dataclass(frozen=True)
class Redacted:
    """A redacted message and its replacements, in order of position."""

    text: str
    spans: tuple[Span, ...]

    def kinds(self) -> set[str]:
        """The kinds of personal data that were replaced."""
        return {span.kind for span in self.spans}

    def annotated(self) -> str:
        """Rasa NLU training-data markup: entity kinds that are NLU entities of this assistant
        (email, phone_number, order_number) written as [value](kind); card numbers and names plain.

        Placeholders (``[email]`` …) cannot be entity values in that markup, so
        in placeholder mode they stay plain as well.
        """
        parts: list[str] = []
        position = 0
        for span in self.spans:
            parts.append(self.text[position:span.start])
            if span.kind in NLU_ENTITIES and not _is_placeholder(span.replacement):
                parts.append(f"[{span.replacement}]({span.kind})")
            else:
                parts.append(span.replacement)
            position = span.end
        parts.append(self.text[position:])
        return "".join(parts)


@dataclass(frozen=True)
class _Found:
    kind: str
    start: int  # offsets in the ORIGINAL text
    end: int
    replacement: str


def _is_placeholder(value: str) -> bool:
    return value in PLACEHOLDERS.values()


# --- deterministic fakes -----------------------------------------------------


# The key of the fakes' hash: with a secret (export uses a random one per batch, kept
# nowhere), a fake cannot be traced back to the original by trying every value.
_SECRET: contextvars.ContextVar[bytes] = contextvars.ContextVar("redaction_secret", default=b"")


def _hash(kind: str, value: str, attempt: int) -> bytes:
    message = f"{kind}\x1f{attempt}\x1f{value}".encode()
    secret = _SECRET.get()
    return hmac.new(secret, message, hashlib.sha256).digest() if secret else hashlib.sha256(message).digest()


def _number(digest: bytes, index: int) -> int:
    return int.from_bytes(digest[index * 8:(index + 1) * 8], "big")


def _fake(kind: str, value: str, make: Callable[[bytes], str], differs: Callable[[str], bool]) -> str:
    """The first fake (over hash attempts) that gives nothing of ``value`` away."""
    fake = ""
    for attempt in range(64):
        fake = make(_hash(kind, value, attempt))
        if differs(fake):
            return fake
    return fake  # not reached in practice: 64 misses in a row


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _fake_email(original: str) -> str:
    key = original.casefold()

    def make(digest: bytes) -> str:
        first = FAKE_FIRST_NAMES[_number(digest, 0) % len(FAKE_FIRST_NAMES)]
        last = FAKE_LAST_NAMES[_number(digest, 1) % len(FAKE_LAST_NAMES)]
        domain = FAKE_EMAIL_DOMAINS[_number(digest, 2) % len(FAKE_EMAIL_DOMAINS)]
        return f"{first}.{last}@{domain}".lower()

    return _fake(EMAIL, key, make, lambda fake: key not in fake.casefold())


def _fake_phone(original: str) -> str:
    digits = _digits(original)
    key = ("+" if original.lstrip().startswith("+") else "") + digits

    def make(digest: bytes) -> str:
        return f"{FAKE_PHONE_PREFIX}{_number(digest, 0) % 100:02d}"

    return _fake(PHONE, key, make, lambda fake: digits not in _digits(fake))


def _fake_ja_phone(original: str) -> str:
    digits = _digits(original)

    def make(digest: bytes) -> str:
        return f"{FAKE_JA_PHONE_PREFIX}{_number(digest, 0) % 10000:04d}"

    return _fake(PHONE, digits, make, lambda fake: digits not in _digits(fake))


def _fake_postal_code(original: str) -> str:
    digits = _digits(original)

    def make(digest: bytes) -> str:
        return f"{FAKE_POSTAL_PREFIX}{_number(digest, 0) % 10000:04d}"

    return _fake(POSTAL_CODE, digits, make, lambda fake: digits not in _digits(fake))


def _fake_address(original: str) -> str:
    def make(digest: bytes) -> str:
        return f"{FAKE_ADDRESS_PREFIX}{1 + _number(digest, 0) % 9}-{1 + _number(digest, 1) % 20}-{1 + _number(digest, 2) % 30}"

    return _fake(ADDRESS, original, make, lambda fake: fake != original)


def _fake_ja_name(original: str) -> str:
    """A Japanese name for a Japanese one: katakana for katakana, a surname (and a given name when the
    original looks like a full name) for kanji or kana."""
    katakana = all("\u30a0" <= ch <= "\u30ff" or ch in "・=＝ 　" for ch in original)

    def make(digest: bytes) -> str:
        if katakana:
            return FAKE_KATAKANA_NAMES[_number(digest, 0) % len(FAKE_KATAKANA_NAMES)]
        last = FAKE_JA_LAST_NAMES[_number(digest, 0) % len(FAKE_JA_LAST_NAMES)]
        full = len(original.replace(" ", "").replace("　", "")) >= 3 and redact_ja.surname_of(original) != original
        return last + FAKE_JA_FIRST_NAMES[_number(digest, 1) % len(FAKE_JA_FIRST_NAMES)] if full else last

    return _fake(f"{NAME}:ja", original, make, lambda fake: fake not in original and original not in fake)


def _fake_order(digits: str) -> str:
    def make(digest: bytes) -> str:
        return f"{FAKE_ORDER_PREFIX}{100000 + _number(digest, 0) % 900000}"

    return _fake(ORDER, digits, make, lambda fake: digits not in fake)


def _fake_name(original: str, names: Sequence[str], role: str) -> str:
    key = original.casefold()

    def make(digest: bytes) -> str:
        return names[_number(digest, 0) % len(names)]

    return _fake(f"{NAME}:{role}", key, make, lambda fake: key not in fake.casefold())


# --- detection ---------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])"
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
    r"(?![A-Za-z0-9_-])"
)

# A run of digit groups separated by single spaces or dashes (card candidates).
_DIGIT_RUN_RE = re.compile(rf"(?<![{_DIGIT_BOUNDARY}+#$£€¥.,/-])\d+(?:[ -]\d+)*(?![{_DIGIT_BOUNDARY}])")
_GROUP_RE = re.compile(r"\d+")
_BARCODE_RE = re.compile(r"(?:JAN|EAN|バーコード|barcode)\S{0,6}\s*\Z", re.IGNORECASE)

_ORDER_NUMBER = r"(?:ORD[-\s#:]?|\#)?\d{6}"
_ORDER_END = rf"(?![{_DIGIT_BOUNDARY}]|[-.,/]\d)"
_ORDER_RE = re.compile(
    rf"""
    (?:
        (?<![{_DIGIT_BOUNDARY}])
        orders?(?:\s+(?:number|no\.?|num|nr|id|ref(?:erence)?))?
        (?:\s+is\s+|\s*:\s*|\s*)
        (?P<after_keyword>{_ORDER_NUMBER})
      |
        (?<![{_DIGIT_BOUNDARY}\#-])
        (?P<prefixed>(?:ORD[-\s#:]?|\#)\d{{6}})
    )
    {_ORDER_END}
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Six bare digits are an order number only in a message about an order.
_BARE_ORDER_RE = re.compile(rf"(?<![{_DIGIT_BOUNDARY}\#$£€¥.,/:+-])\d{{6}}{_ORDER_END}")
_ORDER_TOPIC_RE = re.compile(
    r"(?<![A-Za-z])(?:orders?|ord|parcel|package|shipment|deliver(?:y|ed)?|track(?:ing)?|cancel\w*|refund|return)"
    r"(?![A-Za-z])|注文",
    re.IGNORECASE,
)

_PHONE_RE = re.compile(
    rf"""
    (?<![{_DIGIT_BOUNDARY}+\#$£€¥.,/-])
    (?<!\d[ .-])                      # not the tail of a longer run of digit groups
    (?:
        \+\d{{1,3}}(?:[ .-]?\(\d{{1,4}}\))?[ .-]?\d{{1,4}}(?:[ .-]?\d{{2,5}}){{1,5}}   # +44 20 7946 0958
      | \(\d{{2,5}}\)[ .-]?\d{{2,5}}(?:[ .-]?\d{{2,5}}){{1,3}}                         # (415) 555-0134
      | 0\d{{1,4}}(?:[ .-]\d{{2,8}}){{1,4}}                                            # 07700 900456
      | 0\d{{9,10}}                                                                  # 07700900456
      | [2-9]\d{{2}}[ .-]\d{{3}}[ .-]\d{{4}}                                          # 415-555-0134
      | 1?[2-9]\d{{9}}                                                              # 4155550134
    )
    (?![{_DIGIT_BOUNDARY}]|[.-]\d)
    """,
    re.VERBOSE,
)
_DATE_RE = re.compile(r"\d{1,4}[ ./-]\d{1,2}[ ./-]\d{1,4}")

# A word that may be a name: letters, inner apostrophes or hyphens (O'Brien, Anne-Marie).
_TOKEN = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
_TOKEN_RE = re.compile(_TOKEN)
_NAME_TAIL_RE = re.compile(rf"[ \t]+({_TOKEN})")
_POSSESSIVE_RE = re.compile(r"['’]s\Z")
_END_RE = re.compile(r"[^\w]*\Z")

_TITLE_RE = re.compile(r"(?<![^\W\d_])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|MR|MRS|MS|DR)\.?[ \t]+(?=[^\W\d_])")
_NAME_TRIGGERS = (
    re.compile(r"(?<![^\W\d_])(?:(?:my\s+)?name\s+is|my\s+name['’]s|name\s*:)\s*(?=[^\W\d_])", re.IGNORECASE),
    re.compile(r"(?<![^\W\d_])i(?:\s*['’]\s*m|m|\s+am)\s+(?=[^\W\d_])", re.IGNORECASE),
    re.compile(
        r"\A\s*(?:(?:hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening))(?:\s+there)?[\s,!.;:-]*)?"
        r"this\s+is\s+(?=[^\W\d_])",
        re.IGNORECASE,
    ),
    re.compile(r"(?<![^\W\d_])call\s+me\s+(?=[^\W\d_])", re.IGNORECASE),
)
_SIGN_OFF_RE = re.compile(
    r"(?:(?<![^\W\d_])(?:many\s+thanks|thanks|thank\s+you|thx|ty|cheers|(?:kind\s+|best\s+|warm\s+)?regards|"
    r"best(?:\s+wishes)?|sincerely|yours(?:\s+(?:sincerely|truly))?|bye|ta)[ \t]*[,!.:;-]?\s*"
    r"|(?:\A|(?<=\s))[-–—~]+[ \t]*)"
    r"(?=[^\W\d_])",
    re.IGNORECASE,
)


def _looks_like_name(token: str) -> bool:
    """A Capitalised word that is not a common capitalised non-name."""
    if len(token) < 2 or not token[0].isupper() or not any(ch.islower() for ch in token):
        return False
    word = token.casefold()
    if word in NOT_NAMES or word.replace("’", "'") in NOT_NAMES:
        return False
    return not (len(word) >= 6 and (word.endswith("ing") or word.endswith(_NON_NAME_SUFFIXES)))


def _name_at(text: str, position: int) -> tuple[int, int, list[str]] | None:
    """The name (one or two Capitalised words) starting at ``position``, if any."""
    first = _TOKEN_RE.match(text, position)
    if not first:
        return None
    word = _POSSESSIVE_RE.sub("", first.group())
    if not _looks_like_name(word):
        return None
    tokens = [word]
    end = position + len(word)
    tail = _NAME_TAIL_RE.match(text, end) if word == first.group() else None
    if tail:
        last = _POSSESSIVE_RE.sub("", tail.group(1))
        if _looks_like_name(last):
            tokens.append(last)
            end = tail.start(1) + len(last)
    return position, end, tokens


class _Scanner:
    """Claims spans of the original text, pass by pass, masking what it claimed."""

    def __init__(self, text: str, mode: str) -> None:
        self.text = text
        self.masked = text
        self.mode = mode
        self.found: list[_Found] = []

    def claim(self, kind: str, start: int, end: int, fake: Callable[[], str]) -> None:
        replacement = fake() if self.mode == "fake" and kind != CARD else PLACEHOLDERS[kind]
        self.found.append(_Found(kind, start, end, replacement))
        self.masked = self.masked[:start] + _MASK * (end - start) + self.masked[end:]

    def emails(self) -> None:
        for match in list(_EMAIL_RE.finditer(self.masked)):
            value = match.group()
            self.claim(EMAIL, match.start(), match.end(), lambda value=value: _fake_email(value))

    def cards(self) -> None:
        for run in list(_DIGIT_RUN_RE.finditer(self.masked)):
            if _BARCODE_RE.search(self.masked[max(0, run.start() - 12):run.start()]):
                continue  # a product's barcode (JAN/EAN) passes the Luhn check as often as not
            groups = [(g.start(), g.end(), g.group()) for g in _GROUP_RE.finditer(run.group())]
            base = run.start()
            i = 0
            while i < len(groups):
                j = _card_end(groups, i)
                if j is None:
                    i += 1
                    continue
                self.claim(CARD, base + groups[i][0], base + groups[j][1], lambda: PLACEHOLDERS[CARD])
                i = j + 1

    def orders(self) -> None:
        for match in list(_ORDER_RE.finditer(self.masked)):
            group = "after_keyword" if match.group("after_keyword") else "prefixed"
            digits = _digits(match.group(group))
            self.claim(ORDER, match.start(group), match.end(group), lambda digits=digits: _fake_order(digits))

    def bare_orders(self) -> None:
        if not _ORDER_TOPIC_RE.search(self.masked):
            return
        for match in list(_BARE_ORDER_RE.finditer(self.masked)):
            digits = match.group()
            self.claim(ORDER, match.start(), match.end(), lambda digits=digits: _fake_order(digits))

    def japanese(self) -> None:
        """Full-width e-mails, postal codes, Japanese phone numbers and addresses (``redact_ja``), in that order."""
        fakes = {POSTAL_CODE: _fake_postal_code, PHONE: _fake_ja_phone, ADDRESS: _fake_address, EMAIL: _fake_email}
        for finder in (redact_ja.emails, redact_ja.postal_codes, redact_ja.phones, redact_ja.addresses):
            for kind, start, end in finder(self.masked):
                value = self.text[start:end]
                self.claim(kind, start, end, lambda value=value, make=fakes[kind]: make(value))

    def japanese_names(self, known: Sequence[str] = ()) -> None:
        """Names in Japanese writing (``redact_ja.names``), and ``known`` ones wherever they occur again."""
        for _, start, end in redact_ja.names(self.masked):
            value = self.text[start:end]
            fake = _fake_ja_name if redact_ja.is_japanese_name(value) else (lambda v: _fake_word(v, "last"))
            self.claim(NAME, start, end, lambda value=value, fake=fake: fake(value))
        for word in sorted(set(known), key=len, reverse=True):
            japanese = redact_ja.is_japanese_name(word)
            pattern = redact_ja.known_name_pattern(word) if japanese else rf"(?<![\w'’-]){re.escape(word)}(?!\w)"
            fake = _fake_ja_name if japanese else (lambda v: _fake_word(v, "last"))
            for match in list(re.finditer(pattern, self.masked)):
                self.claim(NAME, match.start(), match.end(), lambda w=word, fake=fake: fake(w))

    def phones(self) -> None:
        for match in list(_PHONE_RE.finditer(self.masked)):
            value = match.group()
            if not 7 <= len(_digits(value)) <= 15 or _DATE_RE.fullmatch(value):
                continue
            if value.startswith("+") and len(_digits(value)) < 8:
                continue
            if redact_ja.model_number_before(self.masked, match.start()):
                continue
            self.claim(PHONE, match.start(), match.end(), lambda value=value: _fake_phone(value))

    def names(self) -> None:
        seen: list[tuple[str, str]] = []  # (original word, role) to replace again elsewhere

        def take(start: int, end: int, tokens: list[str], titled: bool) -> None:
            if titled and len(tokens) == 1:
                roles = ["last"]
            else:
                roles = ["first", "last"][: len(tokens)]
            seen.extend(zip(tokens, roles))
            self.claim(NAME, start, end, lambda: " ".join(_fake_word(t, r) for t, r in zip(tokens, roles)))

        for match in list(_TITLE_RE.finditer(self.masked)):
            found = _name_at(self.masked, match.end())
            if found:
                take(*found, titled=True)
        for trigger in _NAME_TRIGGERS:
            for match in list(trigger.finditer(self.masked)):
                found = _name_at(self.masked, match.end())
                if found:
                    take(*found, titled=False)
        for match in list(_SIGN_OFF_RE.finditer(self.masked)):
            found = _name_at(self.masked, match.end())
            if found and _END_RE.match(self.masked, found[1]):
                take(*found, titled=False)
                break
        for word, role in dict.fromkeys(seen):
            pattern = re.compile(rf"(?<![\w'’-]){re.escape(word)}(?!\w|['’-]\w\w)")
            for match in list(pattern.finditer(self.masked)):
                self.claim(NAME, match.start(), match.end(), lambda w=word, r=role: _fake_word(w, r))


def _fake_word(word: str, role: str) -> str:
    return _fake_name(word, FAKE_LAST_NAMES if role == "last" else FAKE_FIRST_NAMES, role)


def _luhn(digits: str) -> bool:
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = int(ch)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _card_end(groups: Sequence[tuple[int, int, str]], i: int) -> int | None:
    """The last group of the longest card number starting at group ``i``, if any.

    A card number is one run of 13-19 digits, or groups written like on a card
    (a first group of four, then groups of three to six: 4-4-4-4, 4-6-5,
    4-4-4-4-3), 13-19 digits in all; either way it passes the Luhn check.
    """
    # At most 19 digits: only the next few groups can belong (linear, not cubic, on long digit runs).
    last, total = i, 0
    while last < len(groups) and total + len(groups[last][2]) <= 19:
        total += len(groups[last][2])
        last += 1
    for j in range(last - 1, i - 1, -1):
        digits = "".join(group[2] for group in groups[i:j + 1])
        if not 13 <= len(digits) <= 19:
            continue
        if j > i and (len(groups[i][2]) != 4 or any(not 3 <= len(g[2]) <= 6 for g in groups[i + 1:j + 1])):
            continue
        if _luhn(digits):
            return j
    return None


# --- the API -----------------------------------------------------------------


def redact(text: str, mode: str = "fake", secret: bytes = b"") -> Redacted:
    """Replace e-mails, phone numbers, card numbers, order numbers, names, and Japanese postal codes and
    addresses in ``text``.

    Args:
        text: one customer message.
        mode: ``"fake"`` for deterministic realistic fakes (cards still become
            ``[card number]``), ``"placeholder"`` for ``[email]``-style placeholders.
        secret: key of the fakes (same secret and original → same fake); without
            one, fakes are reproducible by anyone, so exports pass a random one.

    Returns:
        The redacted text and its replacements (offsets in the redacted text),
        in order of position. Text without personal data comes back unchanged.
    """
    return _checked(text, mode, secret, ())[0]


class ConversationRedactor:
    """Redacts the messages of one conversation in order: a name found in one message is replaced
    wherever it occurs later (山田太郎 first, then 山田です; "I'm Jane", then "Jane again")."""

    def __init__(self, mode: str = "fake", secret: bytes = b"") -> None:
        self.mode, self.secret = mode, secret
        self._names: list[str] = []  # originals, kept only in memory for this conversation

    def __call__(self, text: str) -> Redacted:
        """``redact(text)``, knowing the names of the messages before."""
        redacted, names = _checked(text, self.mode, self.secret, tuple(self._names))
        for name in names:
            surname = redact_ja.surname_of(name)
            self._names.extend(n for n in (name, surname) if n and n not in self._names)
        return redacted


def _checked(text: str, mode: str, secret: bytes, known: Sequence[str]) -> tuple[Redacted, list[str]]:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    token = _SECRET.set(secret)
    try:
        return _redact(text, mode, known)
    finally:
        _SECRET.reset(token)


def _redact(text: str, mode: str, known: Sequence[str] = ()) -> tuple[Redacted, list[str]]:
    scanner = _Scanner(text, mode)
    scanner.emails()
    scanner.cards()
    scanner.orders()
    scanner.japanese()
    scanner.phones()
    scanner.bare_orders()
    scanner.names()
    scanner.japanese_names(known)

    parts: list[str] = []
    spans: list[Span] = []
    position = 0
    length = 0
    for found in sorted(scanner.found, key=lambda f: f.start):
        between = text[position:found.start]
        parts.append(between)
        length += len(between)
        parts.append(found.replacement)
        spans.append(Span(found.kind, length, length + len(found.replacement), found.replacement))
        length += len(found.replacement)
        position = found.end
    parts.append(text[position:])
    names = [text[f.start:f.end] for f in scanner.found if f.kind == NAME]
    return Redacted("".join(parts), tuple(spans)), names
