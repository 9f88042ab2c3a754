"""HTML pages to text, with a real parser (lxml), never regexes.

The page's main content is located by text density (the descendant that holds most of the
non-link Chinese text), scripts, styles and navigation chrome are dropped, and tables are kept
as rows (one line per ``<tr>``) and cells (tab-separated) for the table parser.

Security: the parser runs with ``no_network=True``; HTML parsing in libxml2 does not load
external entities or DTDs; nothing found in a page is fetched or executed.
"""

from __future__ import annotations

import re

from govtext.exceptions import MalformedInputError, MissingDependencyError

__all__ = ["html_to_text", "looks_like_html"]

_HTML_SNIFF_RE = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|meta|title|div|p|table|br)\b", re.I)
_DROP_TAGS = (
    "script", "style", "noscript", "iframe", "nav", "header", "footer", "form", "select",
    "button", "object", "embed", "svg", "template", "input", "textarea", "audio", "video",
    "canvas", "map", "head",
)
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 table tbody thead tfoot tr section article main aside "
    "blockquote pre dd dt dl hr center address figure figcaption caption".split()
)
_HAN_RE = re.compile("[\u3400-\u9fff]")
_SPACE_RE = re.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")
# Characters lxml keeps from a recovered parse but refuses to write back into a tree.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _drop_tree(el) -> None:
    """``el.drop_tree()``: the element goes, its tail joins the text before it. lxml refuses to
    write text holding characters XML forbids (a form feed in a scraped page), and its
    ``drop_tree`` would then fail half-way; such characters become spaces here, as the
    whitespace rules make them anyway."""
    parent, prev = el.getparent(), el.getprevious()
    tail = el.tail or ""
    if tail:
        joined = (prev.tail if prev is not None else parent.text) or ""
        joined += tail
        if _NOT_XML_RE.search(joined):
            joined = _NOT_XML_RE.sub(" ", joined)
        el.tail = None
    parent.remove(el)
    if tail:
        if prev is not None:
            prev.tail = joined
        else:
            parent.text = joined



def looks_like_html(head: bytes) -> bool:
    """True when the first bytes of a file look like an HTML document."""
    return bool(_HTML_SNIFF_RE.search(head[:4096]))


def _lxml():
    try:
        from lxml import etree, html
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        msg = "reading HTML pages needs lxml: pip install 'govtext[html]'"
        raise MissingDependencyError(msg) from exc
    return etree, html


def _han_count(text: str | None) -> int:
    return len(_HAN_RE.findall(text)) if text else 0


def _scores(root) -> dict:
    """Non-link Han characters below each element (iterative, safe for deep trees)."""
    score: dict = {}
    order = list(root.iter())
    for el in reversed(order):
        if not isinstance(el.tag, str):
            own = 0
        elif el.tag == "a":
            own = 0
        else:
            own = _han_count(el.text)
        s = own
        for child in el:
            s += score.get(child, 0) + _han_count(child.tail)
        score[el] = s if el.tag != "a" else 0
    return score


# Phrasing elements: their siblings' text is part of the same paragraph, so the descent towards
# the main content never enters one.
_INLINE_TAGS = frozenset({"a", "abbr", "b", "big", "cite", "code", "em", "font", "i", "label", "mark",
                          "q", "s", "small", "span", "strike", "strong", "sub", "sup", "u"})


def _main_content(body):
    """Descend from ``body`` into the child that holds the page's text, as long as what is left
    beside it is negligible: at most 10 characters (or 1 %) of non-link Chinese text. Link text
    (navigation menus) does not count, so menus never keep the descent from reaching the article;
    the descent never enters a table (a data table is content, and prose beside it is kept)."""
    score = _scores(body)
    node = body
    if score.get(body, 0) == 0:
        return body
    while True:
        here = score.get(node, 0)
        children = [c for c in node if isinstance(c.tag, str)]
        if not children:
            return node
        best = max(children, key=lambda c: score.get(c, 0))  # first of equals: document order
        got = score.get(best, 0)
        if got < here - max(10, 0.01 * here) or best.tag in ("table", "tr", "td", "th", "tbody", "thead"):
            return node
        if got < 0.9 * here or best.tag in _INLINE_TAGS:
            # a small page, or a phrase of a paragraph: what lies beside the child is content
            # (a heading, the paragraph's own words), not chrome; keep it (chrome lines are
            # removed by normalisation anyway)
            return node
        if any(c is not best and (c.tag == "table" or c.find(".//table") is not None) for c in children):
            return node  # a table beside it is content
        node = best


def _cell_text(el) -> str:
    return _SPACE_RE.sub(" ", "".join(el.itertext())).strip()


def _render(root) -> str:
    out: list[str] = []
    # iterative walk: (element, entering?)
    stack: list[tuple[object, bool]] = [(root, True)]
    while stack:
        el, entering = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if entering:
            if tag == "tr":
                cells = [c for c in el if isinstance(c.tag, str) and c.tag in ("td", "th")]
                out.append("\n" + "\t".join(_cell_text(c) for c in cells) + "\n")
                if el.tail:
                    out.append(_SPACE_RE.sub(" ", el.tail))
                continue
            if tag in _BLOCK_TAGS:
                out.append("\n")
            if el.text and tag:
                out.append(_SPACE_RE.sub(" ", el.text))
            stack.append((el, False))
            for child in reversed(list(el)):
                stack.append((child, True))
        else:
            if tag in _BLOCK_TAGS:
                out.append("\n")
            if el.tail and el is not root:  # the root's tail lies outside it
                out.append(_SPACE_RE.sub(" ", el.tail))
    text = "".join(out)
    lines = [ln.strip(" ") for ln in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{2,}", "\n", text).strip()


def html_to_text(markup: str, *, source: str | None = None) -> tuple[str, str | None]:
    """Extract the main text of an HTML page.

    Parameters
    ----------
    markup : str
        The decoded page.
    source : str, optional
        Used in error messages.

    Returns
    -------
    text : str
        Main content; block elements on their own lines, table rows as tab-separated cells.
    title : str or None
        The page ``<title>`` (whitespace collapsed).

    Raises
    ------
    MalformedInputError
        When the page has no body or no text in it.

    Examples
    --------
    >>> text, title = html_to_text("<html><head><title>年报</title><script>x()</script></head>"
    ...     "<body><div class='nav'><a href='/'>首页</a></div><div id='zoom'><p>一、总体情况</p>"
    ...     "<table><tr><td>自然人</td><td>69</td></tr></table></div></body></html>")
    >>> title, text
    ('年报', '一、总体情况\\n自然人\\t69')
    """
    etree, html = _lxml()
    # huge_tree lifts libxml2's 10 MB text-node and 256-level nesting limits (to 2,048 levels), so a
    # long single-line page or a deeply nested one is not silently cut; input size is already
    # bounded by read_reports(max_bytes=...). Entities are never loaded from outside (no_network,
    # and HTML parsing does not read DTDs).
    parser = html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=True
    )
    try:
        doc = html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        msg = f"HTML could not be parsed: {exc}"
        raise MalformedInputError(msg, source=source) from None
    title_el = doc.find(".//title")
    title = _SPACE_RE.sub(" ", title_el.text_content()).strip() if title_el is not None else None
    title = title or None
    for bad in list(doc.iter(*_DROP_TAGS)):
        if bad.getparent() is not None:
            _drop_tree(bad)
    body = doc.find("body")
    if body is None:
        body = doc if doc.tag == "body" else None
    if body is None or not _SPACE_RE.sub("", body.text_content()):
        msg = "HTML page has no body text"
        if _HAN_RE.search(markup):
            msg += (" that the parser could read, although the markup holds Chinese text: its elements may be"
                    " nested deeper than the parser's limit of 2,048 levels, or the text sits outside the body")
        raise MalformedInputError(msg, source=source)
    return _render(_main_content(body)), title
