"""Text normalisation shared by every source: the one place where damaged text is mended.

Reports reach us through site converters (simplified → traditional with pinyin glued on),
through pages that were decoded with the wrong codec, through Word and markdown exports.
Everything downstream matches simplified-Chinese labels and ASCII digits, so this module
turns each input into that form while leaving the content itself alone:

* ``repair_mojibake`` – GBK bytes that a converter decoded one byte out of phase
  (``?。ㄋ模┢脚_建設`` is ``（四）平臺建設``): re-encode and decode in phase, accepted only
  when the result reads better (more common characters, fewer rare ones);
* ``strip_pinyin`` – ``區(qū)`` → ``區``: tone-marked pinyin in brackets right after a Han
  character, nothing else;
* ``to_simplified`` – OpenCC ``t2s``, for a text that holds a traditional character;
* ``normalize_digits`` – full-width digits and the punctuation inside numbers;
* ``strip_markup`` – stray HTML tags, entities and markdown emphasis;
* ``normalize_whitespace`` – odd spaces, zero-width characters, cell padding.

Tabs are structure (table cells) and are never removed or added here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .patterns import lazy
from .traditional import TRADITIONAL

TYPE_CHECKING = False  # typing's, without importing typing (see parsers/__init__.py)
if TYPE_CHECKING:
    import opencc

__all__ = [
    "normalize_digits",
    "normalize_text",
    "normalize_whitespace",
    "repair_mojibake",
    "strip_markup",
    "strip_pinyin",
    "to_simplified",
]

# --- pinyin artefacts -------------------------------------------------------------------

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# One syllable, at least one tone mark, in ASCII or full-width brackets, right after a Han
# character.  Untoned words in brackets (``(试行)``, ``(shi)``) are content and stay.
# The bracket comes first so that the scan looks for brackets, not at every character.
_PINYIN_RE = lazy(rf"[(（](?<=[{_HAN}][(（])[a-zü]{{0,6}}[{_TONED}][a-zü{_TONED}]{{0,6}}[)）]")
_TONE_MARKS = frozenset(_TONED)  # what every syllable holds


def strip_pinyin(text: str) -> str:
    """Remove converter pinyin such as ``區(qū)`` → ``區`` (tone-marked syllables only)."""
    if _TONE_MARKS.isdisjoint(text):  # most texts: the wide pattern is never compiled
        return text
    return _PINYIN_RE.sub("", text)


# --- traditional → simplified -----------------------------------------------------------


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    import opencc  # loaded, with its dictionaries, for a traditional text only

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified ones with OpenCC ``t2s``.

    A text without one character that ``t2s`` converts on its own is simplified already and
    is returned as it is: ``t2s``'s phrase table would otherwise respell simplified words
    that happen to match a traditional phrase (``瞭解`` → ``了解``), which is no repair.
    """
    if TRADITIONAL.isdisjoint(text):
        return text
    return str(_t2s().convert(text))


# --- mojibake ---------------------------------------------------------------------------

# Punctuation that real report text is full of; mojibake rarely produces it in a row.
_COMMON_PUNCT = set("，。、；：？！“”‘’《》（）〔〕【】—…·")


def _char_score(ch: str) -> int:
    """+1 for a character that real text is made of, -2 for one that mojibake is made of."""
    if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff":
        return -2
    if ch.isascii():
        return 0
    if ch in _COMMON_PUNCT:
        return 1
    try:
        gb = ch.encode("gb2312")
    except UnicodeEncodeError:
        return -2
    # GB2312 level-1 hanzi (0xB0A1–0xD7F9) are the 3 755 most frequent characters.
    if len(gb) == 2 and 0xB0 <= gb[0] <= 0xD7:
        return 1
    # Level-2 hanzi, symbols, box drawing, bopomofo …: what out-of-phase decoding yields.
    return -2


def _text_score(text: str) -> int:
    return sum(_char_score(ch) for ch in to_simplified(strip_pinyin(text)))


# A lost lead byte shows up as "?" (or U+FFFD) followed by out-of-phase characters.
_MAX_LOST_SHARE = 5  # at most one lost character in 5 (sound text gives ~3 in 4)
_LOST_BYTE_RE = lazy(r"[?\ufffd](?=[^\x00-\x7f])")
# A closing tag whose "<" was swallowed by the broken decoding, e.g. "?/span>".
_BROKEN_TAG_RE = lazy(r"[?\ufffd]?/(?:span|p|div|font|strong|b|td|tr|a)>", re.IGNORECASE)


def _redecode(segment: str) -> str | None:
    """Decode ``segment``'s GBK bytes one byte later, i.e. in the phase they were written."""
    try:
        raw = segment.encode("gb18030")
    except UnicodeEncodeError:
        return None
    return raw[1:].decode("gb18030", errors="replace").replace("\ufffd", "")


def _utf8_read_as_gbk(line: str) -> str | None:
    """Undo UTF-8 bytes that were decoded as GBK (``锛堜竴锛`` → ``（一）``), or None.

    GBK shows the byte 0x80 as ``€``; a byte it could not show (U+FFFD) is lost and the
    character it belonged to comes back as U+FFFD.  Sound Chinese text re-read this way is
    mostly U+FFFD, so a candidate with more than a few is no repair.
    """
    try:
        parts = line.replace("\ufffd", "").split("€")
        raw = b"\x80".join(part.encode("gbk") for part in parts)
    except UnicodeEncodeError:
        return None
    candidate = raw.decode("utf-8", errors="replace")
    if candidate.count("\ufffd") * _MAX_LOST_SHARE > len(candidate):
        return None
    return candidate


def repair_mojibake(line: str) -> str:
    """Repair a line damaged by a wrong codec, when the repair makes it read better.

    Two damages are known: UTF-8 text decoded as GBK, and GBK text decoded one byte out of
    phase after a lost byte (``?``).  A repair is kept only when it scores better: more of
    the common characters real text is made of, fewer rare ones.
    """
    if not line.isascii():
        candidate = _utf8_read_as_gbk(line)
        if candidate is not None and _text_score(candidate) > _text_score(line):
            return candidate
    # Each lost byte's damage runs to the next "?" (ASCII puts the decoder back in phase), so
    # each stretch is re-read on its own: linear in the line (the whole tail each time was
    # quadratic: 31 s for 12 000 characters of "?中文").
    matches = list(_LOST_BYTE_RE.finditer(line))
    if not matches:
        return line
    pieces: list[str] = []
    end = len(line)
    for match in reversed(matches):
        start = match.start()
        tail = line[start + 1 : end]
        candidate = _redecode(tail)
        if candidate is not None and _text_score(candidate) > _text_score(tail):
            pieces.append(candidate)
        else:
            pieces.append(line[start:end])
        end = start
    pieces.append(line[:end])
    return "".join(reversed(pieces))


# --- markup, digits, whitespace ---------------------------------------------------------

_TAG_RE = lazy(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,300})?/?>")
_MD_EMPHASIS_RE = lazy(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def strip_markup(text: str) -> str:
    """Drop stray HTML tags and entities and markdown emphasis markers, keeping their text."""
    if ">" in text:
        text = _TAG_RE.sub("", text)
        text = _BROKEN_TAG_RE.sub("", text)
    if "&" in text:
        import html  # its table of entities is loaded for a text with "&" only

        text = html.unescape(text)
    if "**" in text or "__" in text:
        text = _MD_EMPHASIS_RE.sub(r"\2", text)
    return text


_FULLWIDTH = "０１２３４５６７８９％"
_FULLWIDTH_DIGITS = str.maketrans(_FULLWIDTH, "0123456789%")
_FULLWIDTH_RE = lazy(f"[{_FULLWIDTH}]+")
_DECIMAL_RE = lazy(r"[．。·](?<=\d[．。·])(?=\d)")
_MINUS_RE = lazy(r"[－−–](?<![\w.][－−–])(?=\d)")


def normalize_digits(text: str) -> str:
    """Full-width digits → ASCII; a full-width point or minus inside a number → ASCII."""
    text = _FULLWIDTH_RE.sub(lambda m: m.group(0).translate(_FULLWIDTH_DIGITS), text)
    text = _DECIMAL_RE.sub(".", text)
    return _MINUS_RE.sub("-", text)


_SPACES_RE = lazy(r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# PDF text sets a space between Han characters and figures ("2024 年", "受理 95 件") and
# inside justified lines ("邮 编 ："); in Chinese text such a space carries nothing.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
_CJK_GAP_RE = lazy(f"(?<=[{_CJK}]) (?=[{_CJK}\\d])|(?<=\\d) (?=[{_CJK}])")
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def normalize_whitespace(text: str) -> str:
    """Unify line ends and spaces; strip each tab-separated cell; keep tabs and blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    for mark in _ZERO_WIDTH:
        if mark in text:
            text = text.replace(mark, "")
    text = _SPACES_RE.sub(" ", text)
    return "\n".join(
        "\t".join(_CJK_GAP_RE.sub("", cell.strip(" ")) for cell in line.split("\t"))
        if " " in line
        else line
        for line in text.split("\n")
    )


def normalize_text(text: str) -> str:
    """Apply every repair, in the order the damage was done (mojibake first, t2s last)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(repair_mojibake(line) for line in text.split("\n"))
    text = strip_markup(text)
    text = strip_pinyin(text)
    text = to_simplified(text)
    text = normalize_digits(text)
    return normalize_whitespace(text)
