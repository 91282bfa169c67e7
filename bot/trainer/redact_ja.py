"""Japanese personal data in customers' messages: where it is (pure; ``bot.trainer.redact`` replaces it).

Each finder returns ``(kind, start, end)`` spans of the text it is given (the
redactor's masked text: what earlier passes claimed is masked out), on the
original characters: full-width digits and hyphens are matched as they are
typed, so offsets never shift.

* phone numbers as Japanese write them: 090-1234-5678, 03-1234-5678,
  0120-123-456, 06(1234)5678, +81 90-1234-5678, ０９０１２３４５６７８;
* postal codes: 〒123-4567, or 123-4567 after 郵便番号;
* addresses in Japanese order, from the prefecture or city to the building and
  room: 東京都新宿区西新宿2-8-1 パークタワー1205号室, 横浜市中区山下町1-2;
* names: before an honorific or a self-introduction (山田様, 佐藤花子さん,
  山田太郎と申します), after 名前は/宛名は/氏名:, a common surname on its own at
  the start of a message (鈴木です), katakana names with ・ (スミス・ジョン), romaji
  after a Japanese cue (名前はTaro Yamada).

Best effort, measured on planted examples (``tests/trainer/test_redact_ja.py``
prints recall and precision); the words that look like names before 様/さん but
are roles (お客様, 担当者様, 配達員さん) are on a stoplist.
"""

from __future__ import annotations

import re

PHONE = "phone_number"
POSTAL_CODE = "postal_code"
ADDRESS = "address"
NAME = "name"

_D = r"[0-9０-９]"
_HY_CHARS = "-‐‑‒–—―−－ー"  # the dashes customers type between digit groups
_HY = f"[{_HY_CHARS}]"
_SEP = rf"(?:{_HY}|[ 　])"
_KANJI = r"\u4e00-\u9fff\u3005\u30f6\u30b1"  # 々 ヶ ケ (as in 霞ヶ関)
_KANA = r"\u3041-\u309f\u30a1-\u30fa\u30fc"

_PHONE_RE = re.compile(
    rf"(?<![0-9０-９A-Za-zＡ-Ｚａ-ｚ{_HY_CHARS}+＋])"
    rf"(?:"
    rf"[+＋](?:81|８１){_SEP}?{_D}{{1,4}}{_SEP}?{_D}{{1,4}}{_SEP}?{_D}{{3,4}}"  # +81 90-1234-5678
    rf"|0{_D}{{0,4}}[(（]{_D}{{1,4}}[)）]{_D}{{3,4}}"  # 06(1234)5678
    rf"|[0０]{_D}{{1,4}}{_SEP}{_D}{{1,4}}{_SEP}{_D}{{3,4}}"  # 090-1234-5678, 0120-123-456
    rf"|[0０]{_D}{{9,10}}"  # 09012345678
    rf")(?![0-9０-９]|{_HY}{_D})"
)
_POSTAL_RE = re.compile(
    rf"〒[ 　]?{_D}{{3}}{_HY}?{_D}{{4}}(?![0-9０-９])"
    rf"|(?<=郵便番号)(?:は|:|：|[ 　])*(?P<after_cue>{_D}{{3}}{_HY}{_D}{{4}})(?![0-9０-９])"
    rf"|(?<=postal code)(?:is|:|[ 　])*(?P<after_en>{_D}{{3}}{_HY}{_D}{{4}})(?![0-9０-９])"
    rf"|(?<=住所)(?:は|:|：|[ 　])*(?P<after_address>{_D}{{3}}{_HY}?{_D}{{4}})(?![0-9０-９])",
    re.IGNORECASE,
)

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県",
    "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県",
    "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県",
    "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県",
    "宮崎県", "鹿児島県", "沖縄県",
)
_PLACE = rf"[{_KANJI}{_KANA}]"
# A municipality: a name and 市/区/町/村/郡 (several in a row: 大阪市北区, 足柄下郡箱根町).
_MUNICIPALITY = rf"(?:{_PLACE}{{1,6}}?(?:市|区|郡|町|村))"
# The block and house: 2-8-1, 1丁目2番3号, ２丁目８－１, 123番地, 4-5.
_NUMBER = rf"(?:{_D}{{1,4}}|[一二三四五六七八九十百〇]{{1,5}})"  # 2, ２, 三, 五十二, 二〇三
_BLOCK = (rf"(?:{_NUMBER}(?:丁目|{_HY})(?:{_NUMBER}(?:番地?|{_HY})?)?(?:{_NUMBER}(?:号(?!室))?)?"
          rf"|{_NUMBER}番地?(?:{_NUMBER}号?)?)")
_BUILDING_WORD = rf"[{_KANJI}{_KANA}A-Za-zＡ-Ｚａ-ｚ・.]{{1,16}}(?:[ 　][A-Za-zＡ-Ｚａ-ｚ.]{{2,12}}){{0,3}}"
_ROOM = rf"(?:{_NUMBER}(?:号室|号|階|F|Ｆ)|{_HY}?{_NUMBER}号室|[#＃]{_D}{{1,4}}|{_D}{{3,4}}(?![0-9０-９]))"
_ADDRESS_RE = re.compile(
    rf"(?:{'|'.join(PREFECTURES)})?{_MUNICIPALITY}{{1,3}}{_PLACE}{{0,14}}?(?:[東西南北]{_NUMBER}条[東西南北]?)?{_BLOCK}"
    rf"(?:[ 　]?{_BUILDING_WORD}(?:[ 　]?(?:{_PLACE}{{0,3}}|[A-Za-zＡ-Ｚ0-9]{{1,2}})棟)?[ 　]?{_ROOM}|[ 　]?{_ROOM})?"
)

# Common surnames (the start of a message like 鈴木です is a name only for these).
SURNAMES = frozenset("""
佐藤 鈴木 高橋 田中 伊藤 渡辺 渡部 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 斉藤 清水 山崎
森 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本 斉藤 福田 太田
西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田 竹内 小野 田村 中山 和田 石田 森田 上田 原 柴田 酒井 工藤
横山 宮崎 宮本 内田 高木 安藤 島田 谷口 大野 丸山 今井 高田 藤本 武田 村田 上野 杉山 増田 小山 大塚 平野 菅原
久保 松井 千葉 岩崎 桜井 木下 野口 松尾 菊地 野村 新井 渡邉 佐野 大西 杉本 今村 浅野 小島 市川 北村 五十嵐
福島 平田 吉川 河野 松下 服部 川口 関 永井 望月 辻 荒木 中西 西田 早川 小松 堀 星野 飯田 本田 片山 土屋 大橋
""".split())
# Before 様/さん but not a person's name.
NOT_NAMES = frozenset("""
お客 客 皆 みな 皆さん 候 私 わたし わたくし 当方 弊社 小生 お疲れ お世話 ご苦労 お子 じい ばあ おじい おばあ じいちゃん ばあちゃん にい ねえ 担当 担当者 ご担当者 ご担当 配達員 配達 運転手 ドライバー 店員 業者 奥 旦那 先方 相手 お隣 隣
大家 管理人 宅配 郵便屋 神 王 お母 お父 おばあ おじい お姉 お兄 娘 息子 皆々 御社 貴社 弊社 会社 お店 店長 スタッフ
オペレーター 係 係の方 窓口 サポート 社長 部長 課長 先生 利用者 会員 受取人 差出人 購入者 お届け先 宛先 送り主 お得意
""".split())
_HONORIFIC = r"(?:様|さま|さん|殿|くん|君|ちゃん|先生|氏)"
_NK = rf"(?:(?![様殿宛君])[{_KANJI}])"  # a kanji of a name: not an honorific
_NAME_CHARS = rf"{_NK}{{1,4}}(?:[ 　]?{_NK}{{1,4}}|[ 　]?[\u3041-\u309f]{{2,4}}|[ 　][\u30a1-\u30fa\u30fc]{{2,6}})?"
# After a cue (宛名は, お届け先:) a name is kanji, maybe a second word in kanji or, after a space, in kana:
# 佐藤花子, 佐藤 花子, 佐藤 はなこ (not 変わらず).
_CUED_NAME = rf"{_NK}{{1,4}}(?:[ 　]?{_NK}{{1,3}}|[ 　][{_KANA}]{{2,4}})?|{_NK}{{1,3}}[\u3041-\u309f]{{2,4}}"
_KATAKANA_NAME = r"[\u30a1-\u30fa\u30fc]{2,10}(?:[・=＝ 　][\u30a1-\u30fa\u30fc]{2,10})+"
_KANA_NAME = r"[\u3041-\u309f]{2,5}[ 　][\u3041-\u309f]{2,5}"
_ROMAJI_NAME = r"(?:Mr\.?|Ms\.?|Mrs\.?)?[ ]?[A-Z][A-Za-z]+(?:[ ][A-Z][A-Za-z]+)?"
# What may come right before a name: the start, punctuation, a space, a particle or a cue.
_BEFORE = r"(?:(?<=^)|(?<=[\s、。,.!?！？「『（(：:・/／])|(?<=[はがをにとのでもへ])|(?<=宛名)|(?<=名前)|(?<=氏名))"
# A single word of hiragana is a name only before ちゃん/くん (さくらちゃん), never before さん (お子さん).
_NAME_BEFORE_HONORIFIC = re.compile(
    rf"{_BEFORE}[ 　]*(?P<name>{_KATAKANA_NAME}|{_KANA_NAME}|{_NAME_CHARS}|[\u30a1-\u30fa\u30fc]{{2,10}})[ 　]?(?:{_HONORIFIC}|宛(?![名先])|あて)"
    rf"|{_BEFORE}(?P<child>[\u3041-\u309f]{{2,4}})(?=ちゃん|くん)"
)
_NAME_END = rf"(?=[ 　]?(?:です|と申し|でございます|で(?:お願い|登録)|で[、,。 ]|の(?:連絡|電話|住所|メール))|[^{_KANJI}{_KANA}A-Za-z]|$)"
_CUES = (r"(?:お|ご)?名前|なまえ|氏名|宛名|名義|受取人|ご?依頼主|依頼者|担当者?(?:は|[:：])|差出人|注文者|購入者|申込者|送り主|契約者"
         r"|お届け先|送り先|名入れ|(?<![^\s、。,])私|わたくし|当方")
_NAME_INTRODUCED = re.compile(
    rf"(?:{_CUES})(?:は|:|：|、|,|[ 　「]|の(?=[{_KANJI}]))*(?:(?:母|父|祖父|祖母|姪|甥|娘|息子|妻|夫|主人|姉|妹|兄|弟|孫)(?:の|[ 　]))?"
    rf"(?P<name>{_KATAKANA_NAME}|{_KANA_NAME}|{_ROMAJI_NAME}|[a-z]+ [a-z]+|{_CUED_NAME}|[\u3041-\u309f]{{2,4}}(?=」)){_NAME_END}"
    rf"|{_BEFORE}[ 　]?(?P<self>{_KATAKANA_NAME}|{_NAME_CHARS}|[{_KANJI}]{{1,4}}[\u3041-\u309f]{{2,4}}|{_ROMAJI_NAME})(?=[ 　]?(?:と申します|と申しま|といいます|と言います))"
)
_GREETING = r"(?:こんにちは|こんばんは|はじめまして|初めまして|お世話になっております|お世話になります|すみません|失礼します)"
# A sentence that is nothing but a name: 鈴木です。 小林さくらです。 やまもと ゆいです。 (a common surname first,
# or a name in kana or katakana), at the start of the message or of a sentence.
_NAME_SENTENCE = re.compile(
    rf"(?:^|(?<=[。!！?？\n、,の]))[ 　]*(?:{_GREETING}[、。!！ 　]*)?"
    rf"(?P<name>{_KATAKANA_NAME}|{_KANA_NAME}|[\u3041-\u309f]{{2,4}}(?=です)"
    rf"|[{_KANJI}]{{1,3}}(?:[ 　]?(?:[{_KANJI}]{{1,3}}|[\u3041-\u309f]{{2,4}}))?)"
    rf"(?=[ 　]?(?:です|と申し|でございます))"
)
_FAMILY = r"(?:母|父|祖父|祖母|姪|甥|娘|息子|妻|夫|主人|姉|妹|兄|弟|孫|上司|むすこ|むすめ|はは|ちち|まご|ママ|パパ)"
# A relative or a colleague by name: 母の佐藤千代子, むすこのたいが, 祖父 松田 義男, 上司 西川.
_RELATIVE = re.compile(
    rf"{_FAMILY}(?:っ子)?(?:の|[ 　])[ 　]?(?P<name>[{_KANJI}]{{1,4}}(?:[ 　]?[{_KANJI}{_KANA}]{{1,4}})?|[\u3041-\u309f]{{2,4}}(?=[がはのにへと]))"
    rf"(?=[ 　]|[がはのにへとを、。/／]|です|$)"
)
# A common surname written between spaces, as in business writing: 営業二課 石原 翔太 が担当.
# A name in brackets: 「堀江 拓海」と書いて, 「経理部 村上 恵」様, （小池）です.
_QUOTED = re.compile(
    rf"[「（(](?:[^」）)]{{0,30}}[ 　])?(?P<name>{_NK}{{1,3}}[ 　]{_NK}{{1,3}})[」）)]"
    rf"|[「（(](?P<single>{_NK}{{1,3}})[」）)](?=[ 　]?(?:です|様|さん|宛))"
)
# A signature: the message ends with a name alone after its last sentence (…よろしくお願いします。高田).
_SIGNATURE = re.compile(rf"(?<=[。!！])[ 　]*(?P<name>{_NK}{{1,4}}(?:[ 　]{_NK}{{1,3}})?)[ 　]*$")
_NOT_SIGNATURES = frozenset("以上 敬具 草々 不一 宜しく 取り急ぎ 感謝 失礼 拝 再見".split())
# A common surname and a given name in kanji, anywhere a word may start: 漢字の鈴木花子に直して.
_SURNAME_FULL = re.compile(rf"{_BEFORE}(?P<name>{_NK}{{1,3}}[ 　]{_NK}{{1,3}}|{_NK}{{2,5}})(?=[にをがはのと、。,.！!？?」）)/／ 　]|で|$)")
_NOT_NAME_TAILS = tuple("屋店町市区駅家線通川山橋谷田園館堂社会部課所院場県府都道菜港湖寺城台浜丘")
# Romaji with the surname in capitals, as Japanese write it: KOBAYASHI Rina, Kenji TANAKA; after attn:.
_ROMAJI_CAPS = re.compile(
    r"(?<![A-Za-z])(?P<name>[A-Z]{3,}[ ][A-Z][a-z]+|[A-Z][a-z]+[ ][A-Z]{3,}|(?<=attn: )[A-Z][A-Za-z]+(?: [A-Z][A-Za-z-]+)?)(?![A-Za-z])"
)
_NOT_ROMAJI_CAPS = frozenset({"USB", "JAN", "ORD", "LED", "FAX", "TEL", "PDF", "URL", "DVD", "SNS", "QR"})
_SPACED = re.compile(rf"(?<=[ 　])(?P<name>[{_KANJI}]{{1,3}}(?:[ 　][{_KANJI}]{{1,3}})?)(?=[ 　]+[がはのにへとを]|[ 　]*$)")
# Words after 母の/父の that are not names.
_NOT_GIVEN_NAMES = frozenset("ため こと もの ところ ほう かわり なまえ いえ ぶん".split())
# A given name alone after a greeting: はじめまして、花子です (only with a given name's usual ending).
_GIVEN_NAME_ENDINGS = tuple("子美香郎太介輔也樹菜奈恵江代花乃佳翔斗平人")
# A name's reading in brackets right after a name (in kanji, or one the redactor masked with \x00).
_READING = re.compile(rf"(?<=[\x00{_KANJI}])[ 　]?[（(](?P<name>[\u30a1-\u30fa\u30fc]{{2,12}}(?:[ 　・][\u30a1-\u30fa\u30fc]{{2,12}})?)[）)]")
# A full name followed by its reading: 長谷川 亮（ハセガワ リョウ）.
_NAME_WITH_READING = re.compile(
    rf"{_BEFORE}(?P<name>[{_KANJI}]{{1,4}}[ 　]?[{_KANJI}]{{1,3}})"
    r"(?=[ 　]?[（(][\u30a1-\u30fa\u30fc]{2,12}[ 　・]?[\u30a1-\u30fa\u30fc]{0,12}[）)])"
)
_FULL_WIDTH_EMAIL = re.compile(
    r"[ａ-ｚＡ-Ｚ０-９a-zA-Z0-9．.＿_％%＋+－-]+[＠@][ａ-ｚＡ-Ｚ０-９a-zA-Z0-9－-]+(?:[．.][ａ-ｚＡ-Ｚa-zA-Z０-９0-9－-]+)+")


def emails(text: str) -> list[tuple[str, int, int]]:
    """E-mail addresses typed with full-width letters (ａｂｃ＠ｅｘａｍｐｌｅ．ｊｐ)."""
    return [("email", m.start(), m.end()) for m in _FULL_WIDTH_EMAIL.finditer(text)
            if any("\uff01" <= ch <= "\uff5e" for ch in m.group())]


def _japanese_number(value: str) -> bool:
    """Ten or eleven digits starting 0 and not 00 (09012345678, 0312345678, 0120123456), or +81 and nine
    or ten: a date (05-11-2026) or a run of zeros is not a phone number."""
    digits = "".join(str(int(ch)) for ch in value if ch.isdigit())
    if value.lstrip().startswith(("+", "＋")):
        return digits.startswith("81") and len(digits) in (11, 12) and digits[2] != "0"
    return len(digits) in (10, 11) and digits[0] == "0" and digits[1] != "0"


def phones(text: str) -> list[tuple[str, int, int]]:
    """Japanese phone numbers."""
    return [(PHONE, m.start(), m.end()) for m in _PHONE_RE.finditer(text)
            if _japanese_number(m.group()) and not model_number_before(text, m.start())]


def model_number_before(text: str, position: int) -> bool:
    """Whether the digits at ``position`` are a product's model or part number (型番 030-1234-56)."""
    return bool(_MODEL_NUMBER.search(text[max(0, position - 8):position]))


# A product's model or part number shaped like a phone number: 型番 030-1234-56.
_MODEL_NUMBER = re.compile(r"(?:型番|品番|型式|製品番号|部品番号|model|part)[^\d]{0,4}\Z", re.IGNORECASE)


def postal_codes(text: str) -> list[tuple[str, int, int]]:
    """Postal codes: 〒 and seven digits, or seven digits after 郵便番号."""
    found = []
    for m in _POSTAL_RE.finditer(text):
        group = next((g for g in ("after_cue", "after_en", "after_address") if m.group(g)), None)
        found.append((POSTAL_CODE, m.start(group), m.end(group)) if group else (POSTAL_CODE, m.start(), m.end()))
    return found


def addresses(text: str) -> list[tuple[str, int, int]]:
    """Addresses in Japanese order: (prefecture) municipality … block (building room), without the
    words before them (住所は, 送り先：)."""
    found = []
    for match in _ADDRESS_RE.finditer(text):
        start = match.start()
        for cue in _ADDRESS_CUE.finditer(text, match.start(), min(match.end(), match.start() + 12)):
            again = _ADDRESS_RE.match(text, cue.end())
            if again and again.end() == match.end():
                start = cue.end()
                break
        found.append((ADDRESS, start, match.end()))
    return found


# Where the words before an address end: a particle or a colon (住所は, お届け先：, 実家の).
_ADDRESS_CUE = re.compile(r"[はをがにでの:：、]")


def _trim(name: str, start: int) -> tuple[int, int] | None:
    """The name's span without trailing spaces; ``None`` for a role word (お客, 担当者)."""
    stripped = name.rstrip(" 　")
    words = stripped.replace("　", " ").split(" ")
    if (not stripped or any(word in NOT_NAMES for word in words) or stripped.endswith(_NOT_NAME_ENDINGS)
            or any(word.endswith(("ちゃん", "さん")) for word in words)):
        return None
    return start, start + len(stripped)


# Organisations and roles, not people: 営業部一同, 総務部, 東京店.
_NOT_NAME_ENDINGS = ("担当者", "担当", "お客", "一同", "部", "課", "係", "社", "店", "会", "局", "室", "者", "様", "さん")


def _accept(pattern: re.Pattern[str], group: str, value: str, text: str, start: int) -> bool:
    """A name sentence (鈴木です) is a name only for katakana, two words, a common surname, or a given
    name right after a greeting (はじめまして、花子です)."""
    if pattern is _RELATIVE:
        if re.fullmatch(r"[\u3041-\u309f]+", value):
            return value not in _NOT_GIVEN_NAMES
        return surname_of(value + "\u0000") is not None or value in SURNAMES
    if pattern is _SIGNATURE:
        return value not in _NOT_SIGNATURES and len(value.replace(" ", "").replace("　", "")) >= 2
    if pattern is _QUOTED and group == "single":
        return surname_of(value + "\u0000") is not None or value in SURNAMES
    if pattern is _SURNAME_FULL:
        surname = surname_of(value)
        given = value[len(surname):].strip(" 　") if surname else ""
        # Two characters alone (原因, 森林) are a word far more often than a name.
        return (surname is not None and 1 <= len(given) <= 3 and given not in SURNAMES
                and len(surname) + len(given) >= 3 and not value.endswith(_NOT_NAME_TAILS))
    if pattern is _ROMAJI_CAPS:
        return not any(word in _NOT_ROMAJI_CAPS for word in value.split())
    if pattern is _SPACED:
        return surname_of(value.replace("　", " ").split(" ")[0] + "\u0000") is not None or value.split(" ")[0] in SURNAMES
    if pattern is _NAME_INTRODUCED and group == "name" and re.fullmatch(rf"[{_KANJI}]{{1,3}}[\u3041-\u309f]{{2,4}}", value):
        return surname_of(value) is not None  # 小林さくら, not 変わらず
    if pattern is not _NAME_SENTENCE:
        return True
    if any("\u30a1" <= ch <= "\u30fa" for ch in value) or " " in value or "　" in value:
        return True
    if value in SURNAMES or surname_of(value):
        return True
    after_greeting = bool(re.search(_GREETING + r"[、。!！ 　]*\Z", text[:start]))
    if re.fullmatch(r"[\u3041-\u309f]{2,4}", value):
        return after_greeting  # こんばんは、ゆうこです
    return after_greeting and value.endswith(_GIVEN_NAME_ENDINGS)


def names(text: str) -> list[tuple[str, int, int]]:
    """Names: before an honorific, introduced (名前は…, …と申します), a sentence that is a name (鈴木です),
    one with its reading in brackets."""
    found: list[tuple[str, int, int]] = []
    for pattern in (_NAME_BEFORE_HONORIFIC, _NAME_INTRODUCED, _NAME_SENTENCE, _NAME_WITH_READING, _READING,
                    _RELATIVE, _QUOTED, _SIGNATURE, _SURNAME_FULL, _ROMAJI_CAPS, _SPACED):
        for match in pattern.finditer(text):
            group = next((g for g in ("name", "self", "child", "single") if g in pattern.groupindex and match.group(g)),
                         None)
            if group is None:
                continue
            value = match.group(group)
            if not _accept(pattern, group, value, text, match.start(group)):
                continue
            span = _trim(value, match.start(group))
            if span:
                found.append((NAME, *_with_given_name(text, *span, cued=pattern in _CUED)))
    return _without_overlaps(found)


# A given name after a surname and a space, ending where the name does: 前川 朋美のまま, 山口 健太で.
_GIVEN_AFTER = re.compile(rf"[ 　]({_NK}{{1,3}})(?=[のでとをにがは、。,」）)様さ]|$)")


_CUED: tuple[re.Pattern[str], ...] = ()  # set below, once the patterns exist


def _with_given_name(text: str, start: int, end: int, cued: bool) -> tuple[int, int]:
    """A surname's span grown over the given name that follows it after a space (after a cue such as
    宛名は, any surname; else a common one)."""
    if " " in text[start:end] or "　" in text[start:end]:
        return start, end
    match = _GIVEN_AFTER.match(text, end)
    surname = text[start:end]
    known = surname in SURNAMES or surname_of(surname + "\u0000") is not None
    return (start, match.end(1)) if match and (cued or known) else (start, end)


def _without_overlaps(found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Each stretch of text once: the longest finding wins where several overlap."""
    kept: list[tuple[str, int, int]] = []
    for kind, start, end in sorted(found, key=lambda f: (-(f[2] - f[1]), f[1])):
        if all(end <= s or start >= e for _, s, e in kept):
            kept.append((kind, start, end))
    return sorted(kept, key=lambda f: f[1])


def known_name_pattern(name: str) -> str:
    """Where a name found earlier in the conversation is that name again: not inside a longer word
    (原 is not in 原因 or 原宿, 関 not in 関係 or 玄関); one character only before an honorific,
    です or a particle."""
    escaped = re.escape(name)
    if len(name) == 1:
        return rf"(?<![{_KANJI}]){escaped}(?=[ 　]?(?:{_HONORIFIC}|です|と申|でございます|[はがのにをへと、。,]))"
    return rf"(?<![{_KANJI}]){escaped}(?![{_KANJI}])"


def is_japanese_name(name: str) -> bool:
    """Whether a found name is written in kana or kanji (it gets a Japanese fake)."""
    return any(_JAPANESE_CHAR.match(ch) for ch in name)


_JAPANESE_CHAR = re.compile(rf"[{_KANJI}{_KANA}]")


def surname_of(name: str) -> str | None:
    """The common surname a found name starts with (山田 of 山田太郎), to find it again later."""
    for length in (3, 2, 1):
        if len(name) > length and name[:length] in SURNAMES:
            return name[:length]
    return None


_CUED = (_NAME_INTRODUCED, _NAME_BEFORE_HONORIFIC, _QUOTED)
