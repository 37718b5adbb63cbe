"""HTML page to the visible article text, in the shape the splitter reads.

Headings become Markdown headings and every block a paragraph separated by a blank line, so an
HTML page and a Markdown page are split by the same rules. Script, style, navigation, headers,
footers, asides and forms are removed from the tree, not filtered by text: by their tags, and on
pages laid out with plain <div>s by a class, id or ARIA role that names them (`<div id="footer">`,
`class="nav"`, `role="navigation"`). A <header> inside an <article> or <main> holds the headline,
kicker and byline, so only a page's own header is removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DROP = "script, style, noscript, template, nav, footer, aside, form, iframe, svg, canvas, button, select"
# Words that name page furniture in a class or id token, alone or joined by - or _ (main-nav, footer_links).
_CHROME = {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "footer",
           "copyright", "share", "sharebar", "sidebar", "toolbar"}
_JOINER = re.compile("[-_]")
# A page's own header by name; inside an article a header is the article's.
_PAGE_HEADER = {"header", "site-header", "page-header", "top-header", "topbar", "top-bar"}
_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
# Never removed by a class or id: the page itself, and anything holding an article or a headline.
_KEEP = {"html", "body", "main", "article"}
# Candidates found by substring selectors inside Lexbor (C code), so that Python looks at a few
# elements rather than every element with a class; the token test above decides.
_CANDIDATES = ", ".join(["header", "[role]"] + [f"[{attr}*={word} i]" for attr in ("class", "id") for word in
                                                ("nav", "menu", "crumb", "footer", "copyright", "share",
                                                 "sidebar", "toolbar", "header", "top")])
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
    for node in _furniture(tree):
        node.decompose()
    blocks: list[str] = []
    for root in _roots(tree):
        _walk(root, blocks)
    text = "\n\n".join(b for b in blocks if b)
    return HtmlPage(text=text, title=title, date=date)


def _roots(tree) -> list:  # type: ignore[no-untyped-def]
    """Every <article> of a page (outermost only), else <main>, else the body."""
    articles = [a for a in tree.css("article") if not _inside(a, {"article"})]
    if articles:
        return articles
    root = tree.css_first("main") or tree.body or tree.root
    return [root] if root is not None else []


def _furniture(tree) -> list:  # type: ignore[no-untyped-def]
    """Page headers and elements whose class, id or role names navigation, footers and the like;
    outermost only, so nothing is removed twice."""
    found, seen = [], set()
    for node in tree.css(_CANDIDATES):
        if node.mem_id in seen or node.tag in _KEEP:
            continue
        seen.add(node.mem_id)
        if _is_furniture(node) and node.css_first("article, main, h1") is None:
            found.append(node)
    ids = {n.mem_id for n in found}
    return [n for n in found if not _has_ancestor_in(n, ids)]


def _is_furniture(node) -> bool:  # type: ignore[no-untyped-def]
    attrs = node.attributes
    if (attrs.get("role") or "").strip().lower() in _ROLES:
        return True
    tokens = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower().split()
    if any(word in _CHROME for t in tokens for word in _JOINER.split(t)):
        return True
    page_header = node.tag == "header" or any(t in _PAGE_HEADER for t in tokens)
    return page_header and not _inside(node, {"article", "main"})


def _has_ancestor_in(node, ids: set[int]) -> bool:  # type: ignore[no-untyped-def]
    return _any_ancestor(node, lambda parent: parent.mem_id in ids)


def _inside(node, tags: set[str]) -> bool:  # type: ignore[no-untyped-def]
    return _any_ancestor(node, lambda parent: parent.tag in tags)


def _any_ancestor(node, test) -> bool:  # type: ignore[no-untyped-def]
    parent = node.parent
    while parent is not None:
        if test(parent):
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
