"""The desk's vocabulary, defined once: handoff reasons (labels, priorities), resolution codes,
the status lines a customer reads and the bridge's own answers, in English and Japanese. The pages get it from the server (``hello``,
``history``, ``/api/stats``) and keep no copy of their own. Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from escalation import reasons

LANGUAGES = ("en", "ja")


@dataclass(frozen=True)
class Reason:
    """Why a conversation was handed to a person; higher ``priority`` is served first."""

    code: str
    priority: int
    label: Mapping[str, str]


# In the order the pages list them; the codes are the escalation package's.
REASONS = (
    Reason(reasons.EXPLICIT_REQUEST, 0, {"en": "explicit request", "ja": "担当者希望"}),
    Reason(reasons.FRUSTRATION, 2, {"en": "frustration", "ja": "不満・怒り"}),
    Reason(reasons.UNRESOLVED, 1, {"en": "unresolved", "ja": "未解決"}),
    Reason(reasons.SENSITIVE, 1, {"en": "sensitive", "ja": "要配慮"}),
)
_BY_CODE = {reason.code: reason for reason in REASONS}
assert sorted(_BY_CODE) == sorted(reasons.REASONS), "a reason of escalation/ has no label or priority here"
DEFAULT_REASON = reasons.DEFAULT_REASON

RESOLUTION_CODES = ("resolved", "answered", "order_changed", "refund_issued", "follow_up_by_email",
                    "no_response", "duplicate", "spam")
# Codes the desk sets itself, never offered in the close menu.
SYSTEM_RESOLUTION_CODES = ("auto_resolved",)
# Their labels in the console's close menu and transcript lines.
RESOLUTION_LABELS: Mapping[str, Mapping[str, str]] = {
    "resolved": {"en": "resolved", "ja": "解決済み"},
    "answered": {"en": "answered", "ja": "回答済み"},
    "order_changed": {"en": "order changed", "ja": "注文変更済み"},
    "refund_issued": {"en": "refund issued", "ja": "返金済み"},
    "follow_up_by_email": {"en": "follow up by e-mail", "ja": "メールで追ってご連絡"},
    "no_response": {"en": "no response", "ja": "お客様の応答なし"},
    "duplicate": {"en": "duplicate", "ja": "重複"},
    "spam": {"en": "spam", "ja": "迷惑行為"},
    "auto_resolved": {"en": "closed automatically (no reply)", "ja": "自動終了（お客様の応答なし）"},
}

# Status lines of the transcript as the customer reads them, by key; ``{agent}`` and
# ``{ticket}`` are filled from the entry's ``params``. The agent sees the internal lines.
STATUS_LINES: Mapping[str, Mapping[str, str]] = {
    "handoff": {"en": "Connecting you to a person", "ja": "担当者におつなぎしています"},
    "joined": {"en": "{agent} from Support joined", "ja": "サポートの{agent}が参加しました"},
    "left": {"en": "{agent} left the chat", "ja": "{agent}がチャットを退出しました"},
    "returned": {"en": "You're back with the assistant", "ja": "アシスタントとの会話に戻りました"},
    "closed": {"en": "The conversation was closed", "ja": "会話は終了しました"},
    "auto_resolved": {"en": "We closed the chat as we didn't hear back from you. Just write here if there's anything else.",
                      "ja": "ご返信がなかったため、チャットを終了いたしました。ほかにご用件がございましたら、こちらにご入力ください。"},
    "ticket": {"en": "Thanks, we'll reply by e-mail (ticket {ticket})",
               "ja": "メッセージを承りました。メールにてご返信いたします（受付番号 {ticket}）"},
    "rated": {"en": "Thank you for your feedback", "ja": "ご意見ありがとうございました"},
    "erased": {"en": "Your messages in this conversation were deleted, as you asked.",
               "ja": "ご依頼により、この会話でのお客様のメッセージを削除いたしました。"},
    # A second window or device joined the conversation (told to the ones already in it).
    "joined_elsewhere": {"en": "This conversation was just opened in another window or on another device. "
                               "If that wasn't you, please close this chat and start a new one.",
                         "ja": "この会話が別の画面または端末で開かれました。お心当たりがない場合は、"
                               "このチャットを閉じて新しく開始してください。"},
    # The desk is closed (handoff.schedule): nobody is promised a person; {opens} is when it opens.
    "queue_after_hours": {"en": "Our support team is away right now and will be back {opens}. Your request is "
                                "noted; you can also leave a message with your e-mail address and we'll reply then.",
                          "ja": "ただいま担当者の対応時間外です。{opens}より対応を再開いたします。ご依頼は承っております。"
                                "メールアドレスとご用件を残していただければ、対応開始後にご返信いたします。"},
    # Only for widgets that show no handoff events of their own (plain Rasa widgets): the place in line.
    "queue_plain": {"en": "Connecting you to a person: you are number {position} in line, about {minutes} min.",
                    "ja": "担当者におつなぎしています。現在{position}番目で、お待ち時間は約{minutes}分です。"},
    "queue_no_agent": {"en": "Connecting you to a person: you are number {position} in line. Everyone on our "
                              "team is busy right now; please stay, and someone will be with you as soon as possible.",
                       "ja": "担当者におつなぎしています。現在{position}番目です。ただいま担当者がすべて対応中のため、"
                             "このままお待ちいただけますと、順番にご案内いたします。"},
}


# What the bridge itself answers in the assistant's place (Rasa down or silent), by key.
BRIDGE_REPLIES: Mapping[str, Mapping[str, str]] = {
    "assistant_unavailable": {
        "en": "Sorry, the assistant is unavailable right now. You can try again in a moment, "
              "or ask for a person and someone from our team will take over.",
        "ja": "申し訳ございません。ただいまアシスタントをご利用いただけません。しばらくしてからもう一度お試し"
              "いただくか、担当者をご希望の場合はその旨をお知らせください。担当者が対応いたします。"},
    # Rasa is down and the customer asked for a person: the bridge hands over on its own.
    "unavailable_connecting": {
        "en": "Sorry, the assistant is unavailable right now, so I'm connecting you with a person from our team.",
        "ja": "申し訳ございません。ただいまアシスタントをご利用いただけないため、担当者におつなぎいたします。"},
    # Rasa answered a turn with nothing (an action failed inside it, or the turn timed out there).
    "no_reply": {
        "en": "Sorry, I couldn't answer that just now. Could you try again? If it keeps happening, "
              "a person from our team can take over.",
        "ja": "申し訳ございません。ただいまお答えすることができませんでした。恐れ入りますが、もう一度お試し"
              "いただけますでしょうか。解決しない場合は、担当者が対応いたします。"},
    "talk_to_a_person": {"en": "Talk to a person", "ja": "担当者と話す"},  # the quick reply's title
    # The customer has not answered the agent for a while (handoff.idle); {minutes} until the chat closes.
    "still_there": {
        "en": "Are you still there? If there's anything else we can help with, just write here. "
              "If we don't hear from you, this chat will close in {minutes} minutes; you can always start again.",
        "ja": "まだご覧になっていますでしょうか。ほかにお手伝いできることがございましたら、こちらにご入力ください。"
              "ご返信がない場合は、{minutes}分後にこのチャットを終了させていただきます。いつでも改めてお問い合わせいただけます。"},
}


def bridge_reply(key: str, language: str | None = "en", **params: str) -> str:
    """The bridge's own answer ``key`` in ``language`` (English if there is none), params filled in."""
    return _filled(BRIDGE_REPLIES[key], language or "en", params)


def talk_to_a_person(language: str | None = "en") -> dict[str, str]:
    """The quick reply that asks for a person, titled in ``language``."""
    return {"content_type": "text", "title": bridge_reply("talk_to_a_person", language), "payload": "/request_human"}


# The transcript's internal lines as agents read them, by key, filled from the entry's ``line_params``
# (``{reason}`` is a reason code and ``{resolution}`` a resolution code: the console shows their labels
# in the agent's language). The entry's ``text`` is the English line (logs, trainers).
AGENT_LINES: Mapping[str, Mapping[str, str]] = {
    "handoff": {"en": "handed off ({reason})", "ja": "担当者へ引き継ぎ（{reason}）"},
    "ticket": {"en": "left a message: ticket {ticket}", "ja": "メッセージが残されました（受付番号 {ticket}）"},
    "joined": {"en": "{agent} joined", "ja": "{agent}が対応を開始しました"},
    "transferred": {"en": "{agent} transferred the conversation to {to}", "ja": "{agent}が{to}に転送しました"},
    "reassigned": {"en": "{by} gave the conversation from {agent} to {to}", "ja": "{by}が担当を{agent}から{to}に変更しました"},
    "returned": {"en": "handed back to the assistant", "ja": "アシスタントに戻しました"},
    "closed": {"en": "closed: {resolution}", "ja": "対応終了：{resolution}"},
    "requeued": {"en": "agent disconnected; back in the queue", "ja": "担当者の接続が切れたため、待機列に戻りました"},
    "rated": {"en": "rated {rating}/5{comment}", "ja": "お客様の評価 {rating}/5{comment}"},
    "erased": {"en": "the customer's data in this conversation was erased at their request",
               "ja": "お客様のご依頼により、この会話の個人データを削除しました"},
}


def _filled(lines: Mapping[str, str], language: str, params: Mapping[str, str]) -> str:
    """One line of a catalogue in ``language`` (English if there is none), its ``{params}`` filled in."""
    text = lines.get(language) or lines["en"]
    for name, value in params.items():
        text = text.replace("{" + name + "}", value)
    return text


def agent_line(key: str, language: str = "en", **params: str) -> str:
    """The agents' transcript line ``key`` in ``language`` (English if there is none), params filled in."""
    return _filled(AGENT_LINES[key], language, params)


def agent_status(key: str, **params: str) -> dict[str, Any]:
    """The fields an internal line carries besides its English text (``agent_line``): its ``line`` key and
    ``line_params``, to render it in the agent's language."""
    return {"line": key, "line_params": dict(params)}


def priority_for(reason: str | None) -> int:
    """Queue priority of a handoff reason (unknown reasons: 0)."""
    found = _BY_CODE.get(reason or "")
    return found.priority if found else 0


def status_line(key: str, language: str = "en", **params: str) -> str:
    """The customer's status line ``key`` in ``language`` (English if there is none), params filled in."""
    return _filled(STATUS_LINES[key], language, params)


def customer_status(key: str, **params: str) -> dict[str, Any]:
    """The fields a transcript's status line carries for customers: its key, params, and English text."""
    return {"status": key, "params": dict(params), "public": status_line(key, **params)}


def for_customers() -> dict[str, Any]:
    """The vocabulary the widget gets in ``history``."""
    return {"status_lines": {key: dict(lines) for key, lines in STATUS_LINES.items()}}


def for_agents() -> dict[str, Any]:
    """The vocabulary the console gets in ``hello`` and the supervisor page in ``/api/stats``."""
    reasons: list[dict[str, Any]] = [{"code": r.code, "label": dict(r.label), "priority": r.priority}
                                     for r in REASONS]
    return {"reasons": reasons,
            "resolution_codes": [{"code": code, "label": dict(RESOLUTION_LABELS[code])} for code in RESOLUTION_CODES],
            "system_resolution_codes": [{"code": code, "label": dict(RESOLUTION_LABELS[code])}
                                        for code in SYSTEM_RESOLUTION_CODES],
            "agent_lines": {key: dict(lines) for key, lines in AGENT_LINES.items()}}


# How a desk's time zone is named to customers; other zones by their key ("Europe/Berlin time").
ZONE_NAMES: Mapping[str, Mapping[str, str]] = {
    "Asia/Tokyo": {"en": "Japan time", "ja": "日本時間"},
    "UTC": {"en": "UTC", "ja": "協定世界時"},
}
_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_JA_WEEKDAYS = "月火水木金土日"


def opening_label(at: float, zone: str, language: str = "en") -> str:
    """When the desk opens, as a customer reads it: ``Monday 4 January, 09:00 (Japan time)``,
    ``1月4日（月）9:00（日本時間）``."""
    local = dt.datetime.fromtimestamp(at, ZoneInfo(zone))
    names = ZONE_NAMES.get(zone, {"en": f"{zone} time", "ja": zone})
    if language == "ja":
        return f"{local.month}月{local.day}日（{_JA_WEEKDAYS[local.weekday()]}）{local.hour}:{local.minute:02d}（{names['ja']}）"
    return f"{_EN_WEEKDAYS[local.weekday()]} {local.day} {local:%B}, {local:%H:%M} ({names['en']})"


# Mail to customers (handoff.outbox), by kind: subject and body in each language, ``{params}`` filled in.
MAIL: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "ticket_ack": {
        "en": ("We have your message ({ticket})",
               "Thank you for your message. Your reference is {ticket}; we'll reply to this address{when}.\n\n"
               "What you wrote:\n{text}\n\nNorthwind Goods Support"),
        "ja": ("お問い合わせを承りました（受付番号 {ticket}）",
               "お問い合わせいただき、誠にありがとうございます。受付番号は {ticket} です。{when}"
               "こちらのメールアドレス宛てにご返信いたします。\n\nお問い合わせ内容：\n{text}\n\nNorthwind Goods サポート"),
    },
    "ticket_reply": {
        "en": ("Re: your message ({ticket})", "{text}\n\n{agent}, Northwind Goods Support"),
        "ja": ("Re: お問い合わせの件（受付番号 {ticket}）", "{text}\n\nNorthwind Goods サポート　{agent}"),
    },
    "survey_reminder": {
        "en": ("How did we do?",
               "Thank you for contacting Northwind Goods Support. Would you tell us how we did? You can rate "
               "the conversation in the chat on our shop: {link}\n\nNorthwind Goods Support"),
        "ja": ("サポート対応へのご評価のお願い",
               "先日は Northwind Goods サポートにお問い合わせいただき、誠にありがとうございました。"
               "今後のサービス向上のため、対応についてご評価をお聞かせいただけますと幸いです。"
               "ショップのチャットからご評価いただけます：{link}\n\nNorthwind Goods サポート"),
    },
    "transcript": {
        "en": ("Your conversation with Northwind Goods Support",
               "Here is the conversation you asked for.\n\n{transcript}\n\nNorthwind Goods Support"),
        "ja": ("Northwind Goods サポートとの会話記録",
               "ご依頼いただいた会話の記録をお送りいたします。\n\n{transcript}\n\nNorthwind Goods サポート"),
    },
}
# "we'll reply ... {when}": as soon as possible, or, out of hours, when the desk opens.
MAIL_WHEN: Mapping[str, Mapping[str, str]] = {
    "soon": {"en": " as soon as we can", "ja": "担当者より順次、"},
    "opens": {"en": " when we're back, {opens}", "ja": "{opens}の対応再開後、順次"},
}
TRANSCRIPT_LABELS: Mapping[str, Mapping[str, str]] = {
    "en": {"you": "You", "assistant": "Assistant", "agent": "Support"},
    "ja": {"you": "お客様", "assistant": "アシスタント", "agent": "サポート"},
}


def mail(kind: str, language: str = "en", **params: str) -> tuple[str, str]:
    """The subject and body of the mail ``kind`` in ``language`` (English if there is none)."""
    texts = MAIL[kind]
    subject, body = texts.get(language) or texts["en"]
    for name, value in params.items():
        subject, body = subject.replace("{" + name + "}", value), body.replace("{" + name + "}", value)
    return subject, body


def reply_when(language: str, opens: str | None) -> str:
    """When a left message will be answered, for the acknowledgement (``MAIL_WHEN``)."""
    return _filled(MAIL_WHEN["opens" if opens else "soon"], language, {"opens": opens or ""})
