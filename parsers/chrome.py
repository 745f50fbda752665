"""Site chrome in text form: navigation, breadcrumbs, share bars, counters and sidebars.

Report bodies sometimes arrive as a whole page's text (seed 004: 区人大 区政府 RSS订阅 …,
当前位置:, a 来源/作者/发布时间/次浏览/分享到 line, then 热点排行 图片新闻 最新新闻).  The
vocabularies are data; each phrase comes from a real page.  Only short lines are judged,
so a report sentence that mentions a phrase is never dropped.
"""

from __future__ import annotations

from .patterns import lazy

__all__ = ["CHROME_PHRASES", "SIDEBAR_HEADINGS", "is_chrome_line", "strip_chrome_text"]

# A short line containing one of these is page furniture.
CHROME_PHRASES: tuple[str, ...] = (
    "当前位置",
    "您现在的位置",
    "您所在的位置",
    "RSS订阅",
    "分享到",
    "次浏览",
    "浏览次数",
    "访问量",
    "阅读次数",
    "打印本页",
    "打印此页",
    "关闭窗口",
    "【打印】",
    "【关闭】",
    "字体：",
    "字号：",
    "繁體版",
    "简体版",
    "无障碍",
    "长者版",
    "网站标识码",
    "ICP备",
    "公网安备",
    "主办单位",
    "承办单位",
    "版权所有",
    "网站地图",
    "设为首页",
    "加入收藏",
)
# A line that is exactly one of these opens a sidebar or footer block: the body ended.
SIDEBAR_HEADINGS: frozenset[str] = frozenset(
    {
        "热点排行",
        "图片新闻",
        "最新新闻",
        "热点新闻",
        "相关链接",
        "相关文章",
        "相关阅读",
        "相关新闻",
        "推荐阅读",
        "上一篇",
        "下一篇",
        "扫一扫在手机打开当前页",
    }
)
_MAX_CHROME_LINE = 40
_META_FIELD_RE = lazy(r"(来源|作者|发布时间|发布日期|浏览|点击)\s*[:：]?")


def is_chrome_line(line: str) -> bool:
    """A short line of navigation, breadcrumb, share bar, counter or footer."""
    stripped = line.strip()
    if not stripped or "\t" in line:
        return False
    if len(stripped) <= _MAX_CHROME_LINE and any(p in stripped for p in CHROME_PHRASES):
        return True
    # "来源: | 作者:x | 发布时间: 2017-03-04 | 1915 次浏览" – a metadata bar.
    return len(_META_FIELD_RE.findall(stripped)) >= 2 and "|" in stripped


def strip_chrome_lines(lines: list[str]) -> list[str]:
    """Drop chrome lines, and everything from a sidebar heading in the text's second half."""
    cut = len(lines)
    for index in range(len(lines) // 2, len(lines)):
        if lines[index].strip() in SIDEBAR_HEADINGS:
            cut = index
            break
    return [line for line in lines[:cut] if not is_chrome_line(line)]


def strip_chrome_text(text: str) -> str:
    """Plain text of a whole page → the same text without its chrome lines."""
    return "\n".join(strip_chrome_lines(text.split("\n")))
