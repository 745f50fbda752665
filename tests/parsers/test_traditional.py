"""``parsers.traditional``: the characters that make ``to_simplified`` load OpenCC."""

from __future__ import annotations

import subprocess
import sys

import opencc
from hypothesis import given
from hypothesis import strategies as st

from parsers.normalize import to_simplified
from parsers.traditional import TRADITIONAL

_T2S = opencc.OpenCC("t2s")


def _converted_alone() -> set[str]:
    """Every code point the installed OpenCC's ``t2s`` changes on its own."""
    points = (chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    return {ch for ch in points if _T2S.convert(ch) != ch}


def test_every_character_the_installed_opencc_converts_is_listed() -> None:
    missing = "".join(sorted(_converted_alone() - TRADITIONAL))
    assert not missing, f"add to parsers/traditional.py (OpenCC converts them): {missing}"


def test_a_simplified_text_is_returned_without_loading_opencc() -> None:
    code = (
        "import sys\n"
        "from parsers.normalize import to_simplified\n"
        "text = '本年度主动公开政府信息12条，著名的瞭望台。'\n"
        "assert to_simplified(text) is text\n"
        "assert 'opencc' not in sys.modules, 'loaded for a simplified text'\n"
        "assert to_simplified('政府門戶') == '政府门户'\n"
        "assert 'opencc' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_simplified_spelling_that_matches_a_traditional_phrase_stays() -> None:
    # 瞭 and 解 are both simplified characters; only t2s's phrase table respells 瞭解.
    assert _T2S.convert("请瞭解") == "请了解"
    assert to_simplified("请瞭解") == "请瞭解"
    # One traditional character makes the text traditional: then the phrase table applies.
    assert to_simplified("請瞭解") == "请了解"


_SIMPLIFIED = st.sampled_from("本年度主动公开政府信息收到申请件条复议诉讼著瞭于后里发干")
_TRADITIONAL_SAMPLE = "區門戶網發佈開條復議訴訟於後裡髮乾幹"
_TRADITIONAL = st.sampled_from(_TRADITIONAL_SAMPLE)


@given(
    st.lists(st.one_of(_SIMPLIFIED, _TRADITIONAL, st.sampled_from("0123，。\n\t ")), max_size=40)
)
def test_a_text_with_a_traditional_character_is_converted_as_opencc_does(chars: list[str]) -> None:
    text = "".join(chars)
    if any(ch in _TRADITIONAL_SAMPLE for ch in chars):
        assert to_simplified(text) == _T2S.convert(text)
    else:
        assert to_simplified(text) == text
