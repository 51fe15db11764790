"""Text typed in the legacy Vietnamese encodings TCVN3 (ABC) and VNI-Windows.

Old portals hold such text stored as if it were Latin-1/Windows-1252, so it
reads "Hµ Néi" (TCVN3) or "Haø Noäi" (VNI) instead of "Hà Nội". We detect it by
letters those encodings produce and Unicode Vietnamese never does, and convert
it back; text that is already Unicode Vietnamese is left alone.
"""
from __future__ import annotations

import re
import unicodedata

# TCVN3 (ABC): one byte per letter; upper-case accented letters share the
# lower-case codes (the font makes them upper case), so they come back lower.
_TCVN3_PAIRS = (
    "µà ¸á ¶ả ·ã ¹ạ ¨ă »ằ ¾ắ ¼ẳ ½ẵ Æặ ©â Çầ Êấ Èẩ Éẫ Ëậ ®đ Ìè Ðé Îẻ Ïẽ Ñẹ ªê Òề Õế Óể Ôễ Öệ "
    "×ì Ýí Øỉ Üĩ Þị ßò ãó áỏ âõ äọ «ô åồ èố æổ çỗ éộ ¬ơ êờ íớ ëở ìỡ îợ ïù óú ñủ òũ ôụ "
    "\xadư õừ øứ öử ÷ữ ùự úỳ ýý ûỷ üỹ þỵ ¡Ă ¢Â §Đ £Ê ¤Ô ¥Ơ ¦Ư"
)
TCVN3 = {pair[0]: pair[1] for pair in _TCVN3_PAIRS.split(" ")}
# Codes that cannot appear in Unicode Vietnamese text (Ê, Ô, Õ… can).
_TCVN3_ONLY = set("µ¸¶·¹¨»¾¼½Æ©ÇËÐÎÏÑªÖ×ØÜÞßäåæçëîïñö÷øûüþ¬«¡¢§£¤¥¦\xad®")

# VNI-Windows: a base letter followed by a mark character.
_VNI_TONES = {"ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_CIRCUMFLEX_TONES = {"à": "\u0300", "á": "\u0301", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE_TONES = {"è": "\u0300", "é": "\u0301", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for lower in (True, False):
        def case(text: str) -> str:
            return text if lower else text.upper()
        for base in "aeiouy":
            for mark, tone in _VNI_TONES.items():
                table[case(base + mark)] = case(unicodedata.normalize("NFC", base + tone))
        for base in "aeo":
            table[case(base + "â")] = case(unicodedata.normalize("NFC", base + "\u0302"))
            for mark, tone in _VNI_CIRCUMFLEX_TONES.items():
                table[case(base + mark)] = case(unicodedata.normalize("NFC", base + "\u0302" + tone))
        table[case("aê")] = case("ă")
        for mark, tone in _VNI_BREVE_TONES.items():
            table[case("a" + mark)] = case(unicodedata.normalize("NFC", "a\u0306" + tone))
        for mark, tone in _VNI_TONES.items():
            table[case("ô" + mark)] = case(unicodedata.normalize("NFC", "ơ" + tone))
            table[case("ö" + mark)] = case(unicodedata.normalize("NFC", "ư" + tone))
        table[case("ô")] = case("ơ")
        table[case("ö")] = case("ư")
        table[case("ñ")] = case("đ")
        table[case("æ")] = case("ỉ")
        table[case("ó")] = case("ĩ")
        table[case("ò")] = case("ị")
        table[case("î")] = case("ỵ")
    # "ì" and "í" are the same letters in both; "y"+"ï" is ỵ as well.
    return table


VNI = _vni_table()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, VNI), key=len, reverse=True)))
# Pairs only VNI produces: a vowel followed by a VNI mark character.
_VNI_SIGNS = re.compile(r"[aeouyAEOUY][øùûõïâàáåãäêèéúüë]|[ôöÔÖ][øùûõï]|\b[ñÑ]")
# Letters of Unicode Vietnamese that neither legacy text shows.
_UNICODE_VIETNAMESE = re.compile("[ăĂđĐơƠưƯ\u1ea0-\u1ef9]")


def detect(text: str) -> str | None:
    """'tcvn3', 'vni' or None (Unicode or plain ASCII)."""
    if not text or _UNICODE_VIETNAMESE.search(text):
        return None
    letters = sum(ch.isalpha() for ch in text) or 1
    tcvn = sum(ch in _TCVN3_ONLY for ch in text)
    vni = len(_VNI_SIGNS.findall(text))
    if vni >= 2 and vni / letters > 0.01 and vni >= tcvn:
        return "vni"
    # Short texts need codes no Western language writes in words (not ©, «, ü, ß…).
    strong = sum(ch in "µ¸¶¹¨¾¼½ÆËÐÎÏªÞ¬\xad" for ch in text)
    if strong and (tcvn >= 2 or letters < 40) and tcvn / letters > 0.01:
        return "tcvn3"
    return None


def convert(text: str, encoding: str) -> str:
    if encoding == "tcvn3":
        return unicodedata.normalize("NFC", "".join(TCVN3.get(ch, ch) for ch in text))
    if encoding == "vni":
        return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: VNI[m.group(0)], text))
    return text


def fix(text: str) -> tuple[str, str | None]:
    """(Unicode text, the legacy encoding found or None)."""
    found = detect(text)
    return (convert(text, found), found) if found else (text, None)
