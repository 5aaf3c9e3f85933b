"""Files, folders, JSONL and stdin into articles: formats, encodings, ids, and why an input was skipped.

Bad input never stops a run: each one becomes a ``Skipped`` with its reason, yielded where it was met.
Articles stream one at a time, so a folder or a JSONL file of any size reads in constant memory.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, TypeVar

from charset_normalizer import from_bytes

from dedup.errors import InputError
from dedup.model import Article, Format, Skipped

Item = Article | Skipped

_KINDS = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".json": "json"}
_UNSUPPORTED = "unsupported file type: expected .txt, .html, .htm, .json or .jsonl (optionally .gz)"
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)

# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_STARTS = tuple({bom[:2] for bom, _ in _BOMS})  # every mark starts with one of these (UTF-8: \xef\xbb)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_C0 = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_ISO_DATE = r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?"
_METADATA = re.compile(rf"\s*(?:date[ \t]+(?P<date>{_ISO_DATE})|url[ \t]+(?P<url>https?://\S+))(?:\s+|$)")


@dataclass(frozen=True, slots=True)
class Fields:
    """Which record fields hold what (JSON/JSONL input); the CLI lets users map other names.

    Example:
        >>> Fields(text="content", id="guid")
    """

    id: str = "id"
    text: str = "text"
    html: str = "html"
    url: str = "url"
    title: str = "title"
    date: str = "date"
    source: str = "source"


def read(
    paths: Iterable[str | Path],
    *,
    fields: Fields = Fields(),
    stdin: IO[bytes] | None = None,
) -> Iterator[Item]:
    """Every article under the given files and folders, in a stable order, and every input skipped.

    Args:
        paths: Files or folders (walked recursively, in sorted order); ``-`` reads JSONL from ``stdin``.
        fields: The record fields that hold the text, the HTML and the metadata.
        stdin: Where ``-`` reads from; the process's standard input by default.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    seen: dict[str, int] = {}
    for item in _inputs(paths, fields, stdin):
        yield _unique(item, seen) if isinstance(item, Article) else item


def decode(data: bytes, path: str, *, html: bool = False) -> str:
    """Bytes of one page as text; raises InputError(path, reason) for binary/empty/undecodable.

    Tries a byte-order mark, strict UTF-8, an HTML page's declared charset, then a legacy single-byte
    guess; newlines come out as ``\\n``.
    """
    text = _after_bom(data, path)
    if text is None and b"\x00" not in data:
        text = _guess(data, html)
    if text is None or _mostly_control(text):
        raise InputError(path, "binary file, not text")
    text = _newlines(text)
    if not text.strip():
        raise InputError(path, "empty file")
    return text


def markup(data: bytes, path: str) -> str | bytes:
    """An HTML page as the parser reads it: its own bytes when they are UTF-8 (no byte-order mark), else
    the text `decode` makes of them; raises InputError(path, reason) as `decode` does.

    The parser reads UTF-8: a page decoded for it is encoded again, and the two cost more than checking
    that the bytes are UTF-8 (a third of a page's parse). It reads newlines as HTML does.
    """
    if b"\x00" in data or data.startswith(_BOM_STARTS) or not _is_utf8(data):
        return decode(data, path, html=True)
    if _mostly_control(data):
        raise InputError(path, "binary file, not text")
    if _blank(data):
        raise InputError(path, "empty file")
    return data


def _is_utf8(data: bytes) -> bool:
    """Whether bytes are UTF-8: checked in a compiled loop past ASCII (numba's import is paid by the first
    such page), as decoding them would make a text only to drop it."""
    if data.isascii():
        return True
    from dedup.kernels import utf8_valid

    return utf8_valid(data)


# An ASCII byte that is not white space (as str.isspace says): a page holding one is not blank.
_SHOWN = re.compile(rb"[^\t\n\x0b\x0c\r\x1c-\x1f \x80-\xff]")


def _blank(data: bytes) -> bool:
    """Whether UTF-8 bytes hold white space only, as `not text.strip()` of their text (most pages open with a
    "<", found at once)."""
    if _SHOWN.search(data):
        return False
    return not data or data.decode("utf-8").isspace()


def split_metadata(text: str) -> tuple[dict[str, str], str]:
    """A scraper's ``date YYYY-MM-DD`` / ``url http...`` prefix at the very start of a text, and the rest."""
    found: dict[str, str] = {}
    pos = 0
    while match := _METADATA.match(text, pos):
        key = "date" if match["date"] else "url"
        found.setdefault(key, match[key])
        pos = match.end()
    return (found, text[pos:]) if found else ({}, text)


def _inputs(paths: Iterable[str | Path], fields: Fields, stdin: IO[bytes] | None) -> Iterator[Item]:
    """Everything read from each path in turn, before ids are made unique."""
    for path in paths:
        if str(path) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _records(_stream_lines(stream, "-"), "-", fields)
        else:
            yield from _read_path(os.fspath(path), fields)


def _unique(article: Article, seen: dict[str, int]) -> Article:
    """The article, renamed ``id~2``, ``id~3``... when its id was already used in this run."""
    n = seen.get(article.id)
    if n is None:
        seen[article.id] = 1
        return article
    new_id = article.id
    while new_id in seen:
        n += 1
        new_id = f"{article.id}~{n}"
    # Remember the last suffix, so a thousand copies of one id do not count up from 2 each time.
    seen[article.id] = n
    seen[new_id] = 1
    return replace(article, id=new_id)


def _read_path(path: str, fields: Fields) -> Iterator[Item]:
    """A path named by the caller: a folder to walk, or a file that must be of a supported type."""
    if os.path.isdir(path):
        yield from _walk(path, fields)
    elif not os.path.lexists(path):
        yield Skipped(path, "no such file or folder")
    elif (kind := _kind(path)) is None:
        yield Skipped(path, _UNSUPPORTED)
    else:
        yield from _read_file(path, kind, fields)


def _walk(folder: str, fields: Fields) -> Iterator[Item]:
    """A folder's supported files, depth first in name order; hidden and other files pass silently."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield Skipped(folder, _os_reason(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        # Like os.walk, symlinked folders are not followed, so a link loop cannot trap the walk.
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, fields)
        elif (entry.is_file() or entry.is_symlink()) and (kind := _kind(entry.name)) is not None:
            yield from _read_file(entry.path, kind, fields)


def _kind(path: str) -> tuple[str, bool] | None:
    """What a file holds by its extension ("text", "html", "jsonl", "json") and whether it is gzipped."""
    name = os.path.basename(path).lower()
    gz = name.endswith(".gz")
    kind = _KINDS.get(os.path.splitext(name[:-3] if gz else name)[1])
    return None if kind is None else (kind, gz)


def _file_id(path: str) -> str:
    """A file's name without its format extensions: ``a.html.gz`` -> ``a``."""
    name = os.path.basename(path)
    if name.lower().endswith(".gz"):
        name = name[:-3]
    stem, ext = os.path.splitext(name)
    return stem if ext.lower() in _KINDS and stem else name


def _read_file(path: str, kind: tuple[str, bool], fields: Fields) -> Iterator[Item]:
    """The articles in one file of a known kind."""
    what, gz = kind
    if what == "jsonl":
        yield from _records(_file_lines(path, gz), path, fields)
    elif what == "json":
        yield from _read_json(path, gz, fields)
    else:
        yield _read_page(path, "html" if what == "html" else "text", gz)


def _read_page(path: str, fmt: Format, gz: bool) -> Item:
    """One text or HTML page as an article."""
    try:
        data = _load(path, gz)
        body = markup(data, path) if fmt == "html" else decode(data, path)
    except InputError as exc:
        return Skipped(exc.path, exc.reason)
    return _article(body, fmt, path, {"id": _file_id(path)})


def _read_json(path: str, gz: bool, fields: Fields) -> Iterator[Item]:
    """A JSON file's records: a list of them, one object, or (when it is no single document) JSONL."""
    try:
        data = _load(path, gz)
    except InputError as exc:
        yield Skipped(exc.path, exc.reason)
        return
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        yield from _json_lines(data, path, fields, exc)
        return
    yield from _json_records(document, path, fields)


def _json_lines(data: bytes, path: str, fields: Fields, error: Exception) -> Iterator[Item]:
    """A ``.json`` file that failed as one document, read as JSONL if its first line is a record."""
    if not data.strip():
        yield Skipped(path, "empty file")
    elif _parses(next(line for line in data.splitlines() if line.strip())):
        yield from _records(iter(data.splitlines()), path, fields)
    else:
        yield Skipped(path, f"invalid JSON: {error}")


def _json_records(document: Any, path: str, fields: Fields) -> Iterator[Item]:
    """The records in one parsed JSON document: a list (numbered from 1) or a single object."""
    stem = _file_id(path)
    if isinstance(document, list):
        if not document:
            yield Skipped(path, "no records: the JSON list is empty")
        for number, record in enumerate(document, 1):
            yield _record(record, f"{path}:{number}", f"{stem}:{number}", fields)
    elif isinstance(document, dict):
        yield _record(document, path, stem, fields)
    else:
        yield Skipped(path, f"JSON holds {_json_type(document)}, not a list of records or a record object")


def _records(lines: Iterator[bytes], where: str, fields: Fields) -> Iterator[Item]:
    """One article per JSONL line; blank lines pass, broken ones are skipped and the rest still read."""
    stem = _file_id(where)
    empty = True
    try:
        for number, line in enumerate(lines, 1):
            if line.strip():
                empty = False
                yield _line_record(line, f"{where}:{number}", f"{stem}:{number}", fields)
    except InputError as exc:
        yield Skipped(exc.path, exc.reason)
        return
    if empty:
        yield Skipped(where, "empty file")


def _line_record(line: bytes, where: str, default_id: str, fields: Fields) -> Item:
    """One JSONL line as an article, or why it is not one."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as exc:
        return Skipped(where, f"invalid JSON: {exc}")
    return _record(record, where, default_id, fields)


def _record(record: Any, where: str, default_id: str, fields: Fields) -> Item:
    """One parsed record as an article, or why it is not one."""
    if not isinstance(record, dict):
        return Skipped(where, f"record is {_json_type(record)}, not an object")
    found = _body(record, fields)
    if found is None:
        return Skipped(where, f"no {fields.text!r} or {fields.html!r} field")
    names = {"id": fields.id, "url": fields.url, "title": fields.title}
    names |= {"date": fields.date, "source": fields.source}
    meta = {key: value for key, name in names.items() if (value := _field(record, name))}
    return _article(found[0], found[1], where, {"id": default_id} | meta)


def _body(record: dict[str, Any], fields: Fields) -> tuple[str, Format] | None:
    """A record's page: its text field if it has a non-blank one, else its HTML field."""
    text, html = _field(record, fields.text), _field(record, fields.html)
    if text and text.strip():
        return _newlines(text), "text"
    if html and html.strip():
        return _newlines(html), "html"
    return None


def _field(record: dict[str, Any], name: str) -> str | None:
    """A record's field as a string (numbers and the like through str()); null counts as missing."""
    value = record.get(name)
    if value is None or isinstance(value, str):
        return value
    return str(value)


def _article(body: str | bytes, fmt: Format, where: str, meta: dict[str, str]) -> Item:
    """An article from its body and metadata; a text body gives up its scraper prefix first."""
    if isinstance(body, str) and fmt == "text":
        prefix, body = split_metadata(body)
        meta = prefix | meta
    if not body.strip():
        return Skipped(where, "no article text after the metadata prefix")
    return Article(
        id=meta["id"],
        body=body,
        format=fmt,
        path=where,
        url=meta.get("url"),
        title=meta.get("title"),
        date=meta.get("date"),
        source=meta.get("source"),
    )


@contextmanager
def _reading(path: str) -> Iterator[None]:
    """Turn the OS and gzip errors met while reading a file into an InputError naming it."""
    try:
        yield
    except _GZIP_ERRORS as exc:
        raise InputError(path, f"not a valid gzip file: {exc}") from exc
    except OSError as exc:
        raise InputError(path, _os_reason(exc)) from exc


def _open(path: str, gz: bool) -> gzip.GzipFile | io.BufferedReader:
    """A file opened for reading bytes, through gzip when it is compressed."""
    return gzip.GzipFile(path, "rb") if gz else open(path, "rb")


def _load(path: str, gz: bool) -> bytes:
    """All the bytes of one (possibly gzipped) file; raises InputError."""
    with _reading(path), _open(path, gz) as stream:
        return stream.read()


def _file_lines(path: str, gz: bool) -> Iterator[bytes]:
    """A (possibly gzipped) file's lines, read lazily; raises InputError."""
    with _reading(path), _open(path, gz) as stream:
        yield from stream


def _stream_lines(stream: IO[bytes], where: str) -> Iterator[bytes]:
    """An open stream's lines, read lazily, leaving the stream open; raises InputError."""
    with _reading(where):
        yield from stream


def _os_reason(exc: OSError) -> str:
    """The OS's own words for why a path cannot be read."""
    return f"cannot read: {exc.strerror or exc}"


def _parses(line: bytes) -> bool:
    """Whether one line is a JSON document on its own."""
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


def _json_type(value: Any) -> str:
    """A JSON value's kind in JSON's words, for skip reasons."""
    names = {list: "a list", dict: "an object", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _after_bom(data: bytes, path: str) -> str | None:
    """The text after a byte-order mark, or None when there is none; raises InputError if it lies."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"not valid {codec} after its byte-order mark: {exc.reason}") from exc
    return None


def _guess(data: bytes, html: bool) -> str | None:
    """Text without a byte-order mark: strict UTF-8, else the page's declared charset, else a legacy guess."""
    for codec in ("utf-8", _declared_charset(data) if html else None):
        text = _try_decode(data, codec)
        if text is not None:
            return text
    return _legacy(data)


def _declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag in its first 4 KB, if Python knows it."""
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    try:
        name = codecs.lookup(match[1].decode("ascii")).name
    except LookupError:
        return None
    # As browsers do (WHATWG): Latin-1 and ASCII labels mean windows-1252, and a UTF-16 label on a
    # page that reached us as ASCII-compatible bytes is a mistake.
    if name.startswith(("utf-16", "utf-32")):
        return None
    return "cp1252" if name in ("iso8859-1", "ascii") else name


def _legacy(data: bytes) -> str | None:
    """Text in a legacy single-byte encoding: Western (cp1252) when it reads as such, else the detector's."""
    western = _try_decode(data, "cp1252")
    # The detector often names a Baltic or Central European code page for short Western text, so
    # cp1252 wins whenever it reads cleanly and its letters look Western.
    if western is not None and not _C0.search(western) and _looks_western(western):
        return western
    best = from_bytes(data).best()
    return western if best is None else str(best)


def _looks_western(text: str) -> bool:
    """Whether at most half the letters are accented (Cyrillic or Greek read as cp1252 is nearly all)."""
    letters = [char for char in text if char.isalpha()]
    return sum(not char.isascii() for char in letters) * 2 <= len(letters)


def _try_decode(data: bytes, codec: str | None) -> str | None:
    """The bytes decoded strictly with a codec, or None if it fails or is not a text codec."""
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


# A page runs to hundreds of kilobytes and a regex over all of it costs more than decoding it. Binary
# data is binary throughout, and a blob inside a text shows in evenly spread slices as often as its
# share of the text: the count is taken on those.
CONTROL_SAMPLE = 16_384  # characters (or bytes) counted at most
CONTROL_SLICES = 32
_Text = TypeVar("_Text", str, bytes)


def _mostly_control(text: str | bytes) -> bool:
    """Whether control characters make up more than one in twenty (of a text, or of UTF-8): binary data."""
    if isinstance(text, bytes):  # an HTML page's UTF-8 (`markup`): compiled code is at hand
        from dedup.kernels import control_bytes

        data = _spread_sample(text)  # slices may split a character: the count is over what is whole
        return control_bytes(data) * 20 > len(data) and _mostly_control(data.decode("utf-8", "ignore"))
    sample = _spread_sample(text)
    bound = _controls_at_most(sample.encode("utf-8", "surrogatepass"))
    return bound * 20 > len(sample) and len(_CONTROL.findall(sample)) * 20 > len(sample)


# In UTF-8 the C0 controls and DEL are single bytes found in no other character, and every C1
# control starts with \xc2: counting bytes is far cheaper than a regex, and bounds the count.
_C0_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])


def _controls_at_most(data: bytes) -> int:
    """An upper bound on the control characters of UTF-8: its C0 controls and DEL, plus every \xc2 byte."""
    return len(data) - len(data.translate(None, _C0_BYTES)) + data.count(b"\xc2")


def _spread_sample(text: _Text) -> _Text:
    """The whole text (or bytes) when short, else `CONTROL_SLICES` slices spread evenly over it."""
    if len(text) <= CONTROL_SAMPLE:
        return text
    step, width = len(text) // CONTROL_SLICES, CONTROL_SAMPLE // CONTROL_SLICES
    return text[:0].join(text[start : start + width] for start in range(0, step * CONTROL_SLICES, step))


def _newlines(text: str) -> str:
    """Windows and old Mac newlines as ``\\n`` (one search when there are none, as on most pages)."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")
