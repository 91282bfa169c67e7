"""Words and phrasings behind the signals, kept apart from the scoring.

Sentiment comes from VADER (MIT licence; its lexicon ships inside the
``vaderSentiment`` wheel), a lexicon built for short informal text. A few of
its words mean something else in a shop's support chat ("sorry to bother
you" is politeness, "killer deal" is praise) and are neutralised below.
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import Pattern

# VADER lexicon entries re-scored for support chat (0.0 = neutral).
VADER_ADJUSTMENTS = {
    "sorry": 0.0,      # "sorry to bother you", "sorry, wrong number"
    "bother": 0.0,
    "killer": 0.0,     # "killer deal"
    "crazy": 0.0,      # "crazy fast"
    "insane": 0.0,
    "terribly": 0.0,   # "terribly sorry"
    "worries": 0.0,    # "no worries"
    "problem": -0.5,   # "no problem" must not read as negative twice
    "damn": -0.5,      # "damn that was quick" (the insult list handles "damn you")
    "hell": -0.5,
    "fine": 0.8,
    "po": 0.0,         # "PO box" (VADER reads "pissed off")
    "killing": 0.0,    # "you're killing it"
    "sick": 0.0,       # "these are sick"
    "wrong": -1.0,     # "I ordered the wrong size" is not anger
    "unfortunately": -0.5,
}

# Polite formulas whose words VADER reads as negative: removed before scoring.
_POLITE = re.compile(
    r"\b(i hate to (ask|bother|say|be that person)|no (worries|problem|rush|pressure|stress)"
    r"|not a problem|can'?t complain|not bad|no harm done|don'?t worry|no,? thanks?( you)?|no thank you"
    r"|dead (easy|simple|quick|fast|cheap))\b",
    re.IGNORECASE,
)

_I = re.IGNORECASE


def _words(*alternatives: str) -> Pattern[str]:
    return re.compile(r"\b(" + "|".join(alternatives) + r")\b", _I)


# Profanity and insults, at us or at the situation.
INSULT = _words(
    r"f+u+c+k+\w*", r"wtf", r"shit\w*", r"bullshit", r"crap\w*", r"bs", r"screw (you|this|it)",
    r"damn (you|it|bot|this)", r"goddamn\w*", r"hell is (this|going on)", r"piss\w*( off)?",
    r"idiot\w*", r"stupid", r"dumb", r"moron\w*", r"incompetent", r"pathetic", r"ridiculous",
    r"garbage", r"trash", r"rubbish", r"(is|are|what|such|total|complete|absolute) (a )?joke", r"clown\w*", r"scam\w*", r"worst(?! case)", r"terrible",
    r"horrible", r"awful", r"unacceptable", r"disgrace\w*", r"disgust\w*", r"shameful",
    r"hopeless", r"sucks?", r"fed up", r"sick (and tired|of)", r"fml", r"omfg", r"ffs",
    r"unbelievable", r"(what|such) a (mess|joke|nightmare|disaster|farce)", r"nightmare", r"disaster",
    r"thie(f|ves)", r"liars?", r"robbery", r"rip[- ]?off", r"scammers?",
)
# Angry emoji count as profanity.
ANGRY_EMOJI = re.compile("[\U0001F92C\U0001F621\U0001F620\U0001F624\U0001F595\U0001F4A9\U0001F44E]")

# Complaints about the assistant itself or about going round in circles.
META_COMPLAINT = re.compile(
    r"\b(you('| a)?re (not|n't) (listening|helping|understanding)|you (do ?n[o']?t|don'?t|dont|never) "
    r"(understand|listen|get it|help)|(not|isn'?t|aren'?t|wasn'?t) (helping|helpful|working)"
    r"|useless|pointless|waste of (my )?time|same (answer|thing|question|message)|going (round|around) in circles"
    r"|(you )?keep (asking|saying|telling|repeating|sending)|i (already|just) (told|said|gave|sent|answered)"
    r"|are you (even|stupid|serious|kidding)|read (my|what i)|not (quite |even )?what i (asked|said|meant|need)"
    r"|not an answer|(this|that|it) (doesn'?t|does not|didn'?t) (help|answer)|tells me nothing|nobody (even )?(reads|listens|answers|helps)"
    r"|(stupid|dumb|useless|silly|broken) (bot|robot|machine|assistant|ai|chatbot)"
    r"|talking to a (wall|brick)|how many times|answer (my|the) (question|damn)"
    r"|seriously\?|are you kidding|you('| a)?re (useless|no help|a joke|broken))",
    _I,
)

# A complaint the customer says they are not making.
NOT_COMPLAINING = re.compile(
    r"\b(not|no|never|nothing to) (complain|complaining|a complaint|unhappy|upset|angry|mad|annoyed)\b"
    r"|\bi'?m not (complaining|unhappy|upset|angry|mad|annoyed)\b", re.IGNORECASE)

# Impatience: waiting too long, nothing happening.
IMPATIENCE = re.compile(
    r"\b(taking (forever|ages|so long|too long)|(still|yet) (nothing|not|no|waiting|haven'?t|hasn'?t)|how (much )?long"
    r"|it'?s been (\w+ )?(days|weeks|months|ages|forever)|(two|three|four|several|\d+) (days|weeks) (now|already|late|and)"
    r"|come on|hurry( up)?|why (is|does) (it|this) (take|taking|so)|so slow|any (news|update)s? (yet|already)|again\?"
    r"|(waiting|waited) (for )?(ages|forever|weeks|days|so long)|where the hell|ugh+|sigh|smh|argh+)\b",
    _I,
)

# Who a customer asks for, in the phrases below.
PERSON_NOUNS = ("person", "human", "agent", "someone", "somebody", "representative", "rep", "operator", "manager",
                "staff", "people", "supervisor")
_PERSON = "|".join(PERSON_NOUNS)

# Asking for a person, whatever the NLU made of it.
EXPLICIT_REQUEST = re.compile(
    r"\b((talk|speak|chat|connect|transfer|put) (me )?(to|with|through to) (a |an |some|your |the )?"
    r"(real |actual |live |human )?(" + _PERSON + ")"
    r"|(real|actual|live) (person|human|agent|people)|human (being|agent|please)|(an?|the|your) (agent|operator|representative|supervisor|manager)"
    r"|(an?|the|your) operator|representative|customer (service|support) (agent|person|rep)|someone (real|human|from your team)"
    r"|somebody real|not a (bot|robot|machine)|get me (a|an|someone|somebody)|human[!.]*$|^agent[!.]*$|^person[!.]*$|^(an? )?operator( please)?[!.]*$"
    r"|(someone|somebody|a person|a human|a real person|an agent|a rep|a representative|anyone)\b[^.?!]{0,40}\b(speak|talk|chat|call me|call back|look at|look into|help me|contact me|phone me|ring me)"
    r"|(speak|talk|chat) (to|with) (someone|somebody|anyone|a person|a human)|call me back"
    r"|(pass|put|transfer|forward|hand) me (on |over |through )?(to )?(someone|somebody|a person|customer service|support|an agent|a human|your team)"
    r"|(a|real|actual) (person|human) (please|pls|plz)|not (with )?a bot)",
    _I,
)

# --- asking for a person beyond the phrases above: used by ``escalation.person`` (the handoff
# bridge's check while the assistant is down), not scored by the signals.

# A message that is nothing but a person, as typed into a chat box: "agent please", "an operator?",
# "real person pls", "agent agent agent" (whitespace already collapsed).
PERSON_ALONE = re.compile(
    r"^((please|pls|plz) )?((an?|the|your|some) )?((real|actual|live|human) )?(" + _PERSON + r")"
    r"([ ,!.]+(" + _PERSON + r"|please|pls|plz|now|asap))*[ !.?]*$",
    _I,
)

# Asking for a person in Japanese, on NFKC-normalised text. Japanese has no spaces between words,
# so these are whole phrases: a person (人 only as a word of its own, not inside 個人 "personal",
# 本人 "the customer themself", 友人 "a friend") followed by what the customer wants of them.
_JA_WHO = (
    r"(担当者?|担当の(方|人|かた)|人間の(人|方)|スタッフ|((?<![\u3400-\u9fff々0-9０-９])|(?<=直接))人間?|(係|窓口|サポート)の(人|方)"
    r"|カスタマー(サービス|サポート)の(人|方|担当者?)|上司|誰か|どなたか|店長|(上の|偉い|えらい)(人|方)|コールセンター)"
    r"(さん|の方)?"
)
_JA_WANT = (
    r"(と|に)(直接)?(話|はな|やり取り|やりとり|チャット|相談)|に(つな|繋|代わ|かわ|替わ|変わ|回|まわ|引き継|切り替|対応(して|を))"
    r"|を?(出し|出せ|呼ん|呼び|呼べ|よん)|から(の)?(電話|連絡|折り返し)|(を)?お願い|(を|の)?希望|(が|の方が)いい|(は)?いませんか"
)
EXPLICIT_REQUEST_JA = re.compile(
    r"オペレ[ー-]?ター?|おぺれーたー?|有人|^担当者(さん|の方)?[!?.。 ]*$|責任者|生身の人間|本物の人|電話で(直接)?話(したい|させて|を(お願い|希望))|エスカレーション"
    r"|にんげん(のひと|の人)?(と|に)(はな|話|かわ|代わ)|中の人(と|に|を)(話|はな|代わ|かわ|出|呼)|電話窓口(に|と|を)"
    r"|電話(で|を)(お願い|したい|ください|くれ|もらえ|いただけ)"
    r"|(お)?電話で(の)?(ご)?(相談|お話|話)(したい|させて|できますか|できません|を(お願い|希望)|は可能|いただけ)"
    r"|ゆうじん(チャット|対応|サポート|窓口)"
    r"|(直接|詳しい|わかる|分かる|話の(わかる|分かる))(方|人|かた)(と|に|を|は|、)?(話|はな|代わ|かわ|つな|繋|相談|お願い|出し|呼ん|いませんか|いらっしゃ)"
    r"|(直接)?(お)?話し?(が)?できる(方|人|かた)(?!法)"
    r"|(ボット|ロボット|AI|機械|自動応答|チャットボット)(じゃ|では)なく(て)?[、,]?(人|人間|担当|オペレーター|スタッフ|有人)"
    r"|(?<![\u3400-\u9fff々0-9０-９])人(に|と)(代わ|かわ|替わ|繋|つな|話(したい|させ|せ)|はな(したい|させ|せ)|相談(したい|させ))"
    r"|" + _JA_WHO + r"(" + _JA_WANT + r")"
)

# Topics that always go to a person.
SENSITIVE = {
    "fraud": re.compile(
        r"\b(fraud\w*|unauthori[sz]ed|(my|the) (account|card|email|password) (was |got |has been )?hacked|hacked (my|into)|(charges?|payments?|purchases?|transactions?|orders?)\b[^.?!]{0,40}\bi (did ?n[o']?t|never) "
        r"(make|made|place|placed|authori[sz]e|order|buy)|(did ?n[o']?t|never) (make|authori[sz]e|place|order) (th(is|ese|at|ose))|hacker"
        r"|stolen (card|credit card|account|identity)|identity theft|(someone|somebody) (used|is using|got into|accessed) my"
        r"|not me who|(account|card|password) (was |got |has been )?compromised|charged (me )?twice|double charged|chargeback|dispute (the|a|this) (charge|payment)"
        r"|(card|account|details|password|identity)( details)? (were|was|got|have been|has been) (stolen|compromised|leaked|hacked|used)"
        r"|(do ?n[o']?t|do not|did ?n[o']?t) recogni[sz]e|someone else'?s (name|address|orders?|account|details|data)|phishing)",
        _I,
    ),
    "legal": re.compile(
        r"\b(sue|suing|lawsuit|lawyers?|attorneys?|solicitors?|legal (action|steps|proceedings|advice)|take (you|this) to court"
        r"|(in|to) court|small claims|consumer (protection|rights|agency|ombudsman)|ombudsman|trading standards|better business bureau"
        r"|bbb|report(ing)? you to|regulator)\b",
        _I,
    ),
    "data_protection": re.compile(
        r"\b(gdpr|ccpa|dsar|data protection|personal (data|information|info)|(delete|erase|remove|wipe) (all )?(of )?my "
        r"(data|information|info|details|personal)|right to (be forgotten|erasure|access)|(data|subject) access request"
        r"|what (data|information|info) (do )?you (have|hold|store|keep)|copy of (my|the) (data|information)"
        r"|(data|details|information)\b[^.?!]{0,30}\b(leaked|breached|exposed)|data (breach|leak)"
        r"|(close|delete|cancel|deactivate|terminate|remove|shut down) (my |the )?(\w+ (and|&) )?(my )?(account|profile))",
        _I,
    ),
}

# Acronyms and codes in capitals that are not shouting.
NOT_SHOUTING = frozenset({
    "OK", "USB", "USA", "UK", "EU", "US", "NY", "NYC", "LA", "SF", "UPS", "DHL", "USPS", "FEDEX", "GDPR", "CCPA",
    "PIN", "ID", "FAQ", "ORD", "PDF", "TV", "PC", "HDMI", "LED", "XL", "XXL", "AM", "PM", "ASAP", "ETA", "FYI",
    "PS", "VAT", "USD", "EUR", "GBP", "JPY", "API", "SMS", "IBAN", "BBB", "CEO", "DSAR", "PO", "APT", "ST", "AVE",
})
_ALL_CAPS_WORD = re.compile(r"\b[A-Z][A-Z']+\b")
_WORD = re.compile(r"\b[A-Za-z][A-Za-z']+\b")
REPEATED_PUNCTUATION = re.compile(r"[!?]{2,}|[!?]\s+[!?]")


# Courtesy that makes any message read as positive.
_COURTESY = re.compile(r"\b(good (morning|afternoon|evening|day)|hello|hi|hey|thanks?( you)?( so much)?|please|"
                       r"kind regards|best regards|i wish to|i would like to|i'?d like to)\b", re.IGNORECASE)


def warmth(text: str) -> float:
    """Sentiment without courtesy: is the customer actually pleased (not just polite)?"""
    return sentiment(_COURTESY.sub(" ", text))


def polite_formulas_removed(text: str) -> str:
    """The text without polite formulas that VADER reads as negative."""
    return _POLITE.sub(" ", text)


def shouting(text: str) -> float:
    """How loudly the message shouts, 0..1: capital words (not acronyms), counted when most words are capitals.

    Two or three words in capitals ("STATUS OF ORDER PLEASE" with caps lock on) score low; a whole
    sentence shouted scores 1.
    """
    words = _WORD.findall(text)
    caps = [w for w in _ALL_CAPS_WORD.findall(text) if w.strip("'") not in NOT_SHOUTING]
    if len(caps) < 2 or not words or len(caps) / len(words) < 0.4:
        return 0.0
    return min(1.0, len(caps) / 8)


@lru_cache(maxsize=1)
def sentiment_analyzer():  # type: ignore[no-untyped-def]
    """VADER, with the support-chat adjustments (loaded once, ~50 ms)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(VADER_ADJUSTMENTS)
    return analyzer


@lru_cache(maxsize=8192)
def sentiment(text: str) -> float:
    """VADER's compound score, -1 (very negative) to 1, after removing polite formulas."""
    return float(sentiment_analyzer().polarity_scores(polite_formulas_removed(text))["compound"])
