"""HTML page to the visible article text, in the shape the splitter reads.

Headings become Markdown headings and every block a paragraph separated by a blank line, so an
HTML page and a Markdown page are split by the same rules. Script, style, navigation, headers,
footers, asides and forms are removed from the tree, not filtered by text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DROP = "script, style, noscript, template, nav, footer, header, aside, form, iframe, svg, canvas, button, select"
_BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "figcaption", "pre", "td", "th", "dt",
           "dd", "caption"}
_DATE_META = ("article:published_time", "pubdate", "publishdate", "publish_date", "date", "dc.date",
              "og:published_time", "publication_date", "datePublished")
_SPACE = re.compile(r"[ \t\r\f\v]+")


@dataclass(slots=True)
class HtmlPage:
    text: str
    title: str
    date: str


def html_to_text(html: str) -> HtmlPage:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    title = _title(tree)
    date = _meta_date(tree)
    for node in tree.css(_DROP):
        node.decompose()
    blocks: list[str] = []
    for root in _roots(tree):
        _walk(root, blocks)
    text = "\n\n".join(b for b in blocks if b)
    return HtmlPage(text=text, title=title, date=date)


def _roots(tree) -> list:  # type: ignore[no-untyped-def]
    """Every <article> of a page (outermost only), else <main>, else the body."""
    articles = [a for a in tree.css("article") if not _inside_article(a)]
    if articles:
        return articles
    root = tree.css_first("main") or tree.body or tree.root
    return [root] if root is not None else []


def _inside_article(node) -> bool:  # type: ignore[no-untyped-def]
    parent = node.parent
    while parent is not None:
        if parent.tag == "article":
            return True
        parent = parent.parent
    return False


def _title(tree) -> str:  # type: ignore[no-untyped-def]
    for sel in ("h1", "title"):
        node = tree.css_first(sel)
        if node is not None:
            text = _clean(node.text(deep=True))
            if text:
                return text
    return ""


def _meta_date(tree) -> str:  # type: ignore[no-untyped-def]
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").strip()
        if key.lower() in {k.lower() for k in _DATE_META} and attrs.get("content"):
            return str(attrs["content"]).strip()
    node = tree.css_first("time[datetime]")
    if node is not None:
        return str(node.attributes.get("datetime") or "").strip()
    return ""


def _walk(node, blocks: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Emit each block element once; text directly inside container elements becomes a block too."""
    pending: list[str] = []
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            pending.append(child.text_content or "")
        elif tag in _BLOCKS:
            _flush(pending, blocks)
            text = _clean(child.text(deep=True, separator=""))
            if text:
                prefix = "#" * int(tag[1]) + " " if tag in {"h1", "h2", "h3"} else ""
                blocks.append(prefix + text)
        elif tag == "br":
            pending.append("\n")
        elif _has_block(child):
            _flush(pending, blocks)
            _walk(child, blocks)
        elif tag not in {"-comment", "img"}:
            pending.append(child.text(deep=True, separator=""))
        child = child.next
    _flush(pending, blocks)


def _has_block(node) -> bool:  # type: ignore[no-untyped-def]
    return any(n.tag in _BLOCKS or n.tag in {"div", "section", "ul", "ol", "table", "br"}
               for n in node.iter(include_text=False))


def _flush(pending: list[str], blocks: list[str]) -> None:
    if pending:
        for part in "".join(pending).split("\n"):
            text = _clean(part)
            if text:
                blocks.append(text)
        pending.clear()


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\n", " ")).strip()
