"""Turn a file into text: detect its encoding and format, never guess silently.

The order of the checks matters: a byte-order mark is proof; valid UTF-8 is nearly proof (GBK and
Big5 text is almost never valid UTF-8); a UTF-8 file with a few corrupt bytes must stay UTF-8 with
a warning rather than be decoded as mojibake in another encoding; only then is the encoding
detected statistically (charset-normalizer) among the encodings Chinese pages use.

UTF-16 is believed only with its byte-order mark: without one, any ASCII (a line break) puts NUL
bytes in the file, which is refused as binary, so the only files left to guess from are short
GB18030 or Big5 pages, which read as valid but meaningless UTF-16 (Hangul). On short pages
charset-normalizer also confuses GB18030 and Big5 (高新区 as Big5 is 詢陔⑹); when the bytes are
valid in both, the reading whose characters are the common ones (GB2312 level 1, after
traditional -> simplified) wins.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import stat
from pathlib import Path

from .model import SourceText

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
MAX_BYTES = 64 * 1024 * 1024  # larger files are refused rather than exhausting memory

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Magic numbers of files that are certainly not text, whatever their extension says.
_BINARY_MAGIC = [b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x7fELF", b"BM",
                 b"RIFF", b"\x1f\x8b", b"SQLite format 3", b"DUCK"]
_CANDIDATES = ["gb18030", "big5", "big5hkscs"]


class ReadError(Exception):
    """A file that cannot be read as a page; the message says why, for the user."""


def format_of(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """Return (text, encoding, warnings) or raise ReadError."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name.replace("-sig", "") + " (BOM)", []
            except UnicodeDecodeError as exc:
                raise ReadError(f"has a {name} byte-order mark but is not valid {name}: {exc.reason}") from exc
    if not data.strip():
        raise ReadError("is empty")
    if any(data.startswith(m) for m in _BINARY_MAGIC):
        raise ReadError("is a binary file (not text)")
    try:
        return _text_or_binary(data.decode("utf-8")), "utf-8", []
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return _text_or_binary(mostly[0]), mostly[1], mostly[2]
    if b"\x00" in data[:4096]:
        raise ReadError("is a binary file (contains NUL bytes)")
    return _detect(data)


# C0 control characters other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f]")


def _text_or_binary(text: str) -> str:
    """Text that is valid UTF-8 only because it is mostly control bytes is binary (a stray escape
    sequence or two in an article is still text)."""
    sample = text[:65536]
    controls = len(_CONTROLS.findall(sample))
    if controls > 16 and controls > 0.05 * len(sample):
        raise ReadError("is a binary file (mostly control characters)")
    return text


_ASCII = re.compile("[\x00-\x7f]")


def _mostly_utf8(data: bytes) -> tuple[str, str, list[str]] | None:
    """UTF-8 with a few corrupt bytes: keep UTF-8, replace them, and say how many."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    multibyte = len(text) - len(_ASCII.findall(text)) - text.count("\ufffd")
    if bad and multibyte >= 20 * bad:
        return text, "utf-8", [f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD"]
    return None


def _detect(data: bytes) -> tuple[str, str, list[str]]:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise ReadError("is not text in a known encoding (tried UTF-8, GB18030, Big5, UTF-16 with a BOM)")
    label = {"gb18030": "gb18030", "big5": "big5", "big5hkscs": "big5"}.get(best.encoding, best.encoding)
    text = str(best)
    other = {"gb18030": "big5", "big5": "gb18030"}.get(label)
    if other is not None:
        try:
            rival = data.decode(other)
        except UnicodeDecodeError:
            return text, label, []
        if _common_share(rival) > _common_share(text):
            return rival, other, []
    return text, label, []


def _common_share(text: str) -> float:
    """Share of the Chinese characters that are among the 3,755 most common (GB2312 level 1) once
    simplified: near 1 for a page read in its own encoding, about a third for GB18030 bytes read as
    Big5 or the other way round."""
    from .normalize import to_simplified

    chars = [ch for ch in to_simplified(text[:4000]) if ch >= "\u3000"]
    return sum(_level_one(ch) for ch in chars) / len(chars) if chars else 0.0


def _level_one(ch: str) -> bool:
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xB0 <= code[0] <= 0xD7


def newlines(text: str) -> str:
    """CRLF and lone CR become LF, so that offsets are the same whichever system wrote the file."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_source(path: Path, data: bytes | None = None) -> SourceText:
    """Read one page. Raises ReadError with a message naming what is wrong (not the path)."""
    fmt = format_of(path)
    if fmt is None:
        raise ReadError(f"has an unsupported extension {path.suffix!r} (use .txt, .md, .html)")
    if data is None:
        data = _read_bytes(path)
    text, encoding, warnings = decode(data)
    text = newlines(text).replace("\x00", "")
    source = SourceText(path=str(path), text=text, encoding=encoding, format=fmt,
                        content_hash=hashlib.sha256(data).hexdigest(), size=len(data), warnings=warnings)
    if fmt == "html":
        from .html import html_to_text

        page = html_to_text(text)
        source.text, source.html_title, source.meta_date = page.text, page.title, page.date
    if not source.text.strip():
        raise ReadError("has no visible text")
    return source


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, at most MAX_BYTES of them.

    Only regular files are opened: a FIFO would block forever and a device such as /dev/zero
    (reached through a symlink named page.txt) would never end. The read is capped as well, in
    case the file grows after it was measured.
    """
    too_large = f"is too large (the limit is {MAX_BYTES // 2**20} MiB)"
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise ReadError("is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError("is not a regular file (a pipe, socket or device)")
        if st.st_size > MAX_BYTES:
            raise ReadError(f"is too large ({st.st_size / 1e6:.0f} MB; the limit is {MAX_BYTES // 2**20} MiB)")
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except PermissionError as exc:
        raise ReadError("cannot be read (permission denied)") from exc
    except IsADirectoryError as exc:
        raise ReadError("is a directory") from exc
    except OSError as exc:
        raise ReadError(f"cannot be read ({exc.strerror or exc})") from exc
    if len(data) > MAX_BYTES:
        raise ReadError(too_large)
    return data
