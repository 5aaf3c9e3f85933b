"""How files, folders, JSONL and stdin become articles, and how bad input is skipped without stopping."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from dedup.errors import InputError
from dedup.kernels import utf8_valid
from dedup.model import Article, Skipped
from dedup.read import Fields, decode, markup, read, split_metadata

SEEDS = Path(__file__).parent.parent / "seeds"
WESTERN = "Café “quoted” — naïve résumé €5"
CYRILLIC = "Президент России Владимир Путин подарил автомобиль лидеру КНДР."
DEFAULT_FIELDS = Fields()


def articles(items: list[Article | Skipped]) -> list[Article]:
    """Only the articles, in order."""
    return [item for item in items if isinstance(item, Article)]


def skipped(items: list[Article | Skipped]) -> list[Skipped]:
    """Only the skipped inputs, in order."""
    return [item for item in items if isinstance(item, Skipped)]


def read_all(*paths: str | Path, fields: Fields = DEFAULT_FIELDS) -> list[Article | Skipped]:
    """Everything read from the paths, as a list."""
    return list(read(paths, fields=fields))


def write_jsonl(path: Path, *records: object) -> Path:
    """A JSONL file with one record a line."""
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


# Formats


def test_text_file_is_one_article_named_after_the_file(tmp_path: Path) -> None:
    page = tmp_path / "000_4918345a94430741.txt"
    page.write_text("Kim receives a car.\n", encoding="utf-8")

    [article] = read_all(page)

    assert article == Article(id="000_4918345a94430741", body="Kim receives a car.\n", path=str(page))


@pytest.mark.parametrize("name", ["page.html", "page.htm", "PAGE.HTML"])
def test_html_files_keep_their_markup_as_format_html(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("<p>Kim receives a car.</p>", encoding="utf-8")

    [article] = articles(read_all(tmp_path / name))

    assert article.format == "html"
    assert article.body == b"<p>Kim receives a car.</p>"  # UTF-8 markup stays bytes: the parser reads them
    assert article.id == Path(name).stem


def test_gzipped_text_and_html_read_like_plain_ones(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"Plain text."))
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(b"<p>Markup.</p>"))

    first, second = articles(read_all(tmp_path))

    assert (first.id, first.format, first.body) == ("a", "text", "Plain text.")
    assert (second.id, second.format, second.body) == ("b", "html", b"<p>Markup.</p>")


def test_jsonl_gives_one_article_per_line_with_its_metadata(tmp_path: Path) -> None:
    feed = write_jsonl(
        tmp_path / "feed.jsonl",
        {"id": "ap-1", "text": "Story one.", "url": "https://ap.org/1", "title": "One", "source": "AP"},
        {"id": 2, "html": "<p>Story two.</p>", "date": "2024-02-20", "source": None},
    )

    one, two = read_all(feed)

    assert one == Article(
        id="ap-1",
        body="Story one.",
        path=f"{feed}:1",
        url="https://ap.org/1",
        title="One",
        source="AP",
    )
    assert two == Article(id="2", body="<p>Story two.</p>", format="html", path=f"{feed}:2", date="2024-02-20")


def test_jsonl_gz_is_read_line_by_line(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"text": f"Story {n}."}) + "\n" for n in (1, 2, 3))
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(lines.encode()))

    items = articles(read_all(tmp_path / "feed.jsonl.gz"))

    assert [item.body for item in items] == ["Story 1.", "Story 2.", "Story 3."]
    assert [item.id for item in items] == ["feed:1", "feed:2", "feed:3"]


def test_json_list_holds_records_numbered_from_one(tmp_path: Path) -> None:
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps([{"id": "x", "text": "First."}, {"text": "Second."}]), encoding="utf-8")

    first, second = articles(read_all(dump))

    assert (first.id, first.path) == ("x", f"{dump}:1")
    assert (second.id, second.path) == ("dump:2", f"{dump}:2")


def test_json_object_is_one_article_named_after_the_file(tmp_path: Path) -> None:
    page = tmp_path / "story.json.gz"
    page.write_bytes(gzip.compress(json.dumps({"text": "Only story.", "title": "T"}).encode()))

    [article] = read_all(page)

    assert article == Article(id="story", body="Only story.", path=str(page), title="T")


def test_json_file_that_is_not_one_document_is_read_as_jsonl(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "lines.json", {"text": "One."}, {"text": "Two."})

    items = articles(read_all(tmp_path / "lines.json"))

    assert [(item.id, item.body) for item in items] == [("lines:1", "One."), ("lines:2", "Two.")]


def test_broken_json_document_is_skipped_once_not_line_by_line(tmp_path: Path) -> None:
    (tmp_path / "cut.json").write_text('[\n  {"text": "One."},\n  {"text": "Tw', encoding="utf-8")

    [skip] = read_all(tmp_path / "cut.json")

    assert skip.path == str(tmp_path / "cut.json")
    assert isinstance(skip, Skipped) and skip.reason.startswith("invalid JSON: ")


def test_json_scalar_and_empty_list_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('"just a string"', encoding="utf-8")
    (tmp_path / "b.json").write_text("[]", encoding="utf-8")

    first, second = read_all(tmp_path)

    assert first == Skipped(str(tmp_path / "a.json"), "JSON holds a string, not a list of records or a record object")
    assert second == Skipped(str(tmp_path / "b.json"), "no records: the JSON list is empty")


# Folders


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.txt", "a/b/c.html", "c.txt", "a/a.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"Story in {name}.", encoding="utf-8")

    paths = [item.path for item in read_all(tmp_path)]

    relative = [os.path.relpath(str(path), tmp_path) for path in paths]
    assert relative == ["a/a.txt", "a/b/c.html", "a/z.txt", "b.txt", "c.txt"]


def test_hidden_and_unsupported_files_in_folders_pass_silently(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("A story.", encoding="utf-8")
    (tmp_path / ".draft.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Hidden too.", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("a,b", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")

    assert [item.id for item in articles(read_all(tmp_path))] == ["story"]
    assert skipped(read_all(tmp_path)) == []


def test_unsupported_file_named_explicitly_is_reported(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b", encoding="utf-8")

    [skip] = read_all(tmp_path / "notes.csv")

    assert skip == Skipped(
        str(tmp_path / "notes.csv"),
        "unsupported file type: expected .txt, .html, .htm, .json or .jsonl (optionally .gz)",
    )


def test_missing_path_is_skipped_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "here.txt").write_text("Present.", encoding="utf-8")

    missing, here = read_all(tmp_path / "gone.txt", tmp_path / "here.txt")

    assert missing == Skipped(str(tmp_path / "gone.txt"), "no such file or folder")
    assert isinstance(here, Article) and here.id == "here"


def test_a_single_path_string_is_not_taken_for_a_list_of_characters() -> None:
    assert len(articles(list(read(str(SEEDS))))) == 5


# Ids


def test_ids_drop_every_format_extension_but_keep_other_dots(tmp_path: Path) -> None:
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(b"<p>A.</p>"))
    (tmp_path / "b.TXT").write_text("B.", encoding="utf-8")
    (tmp_path / "news.2024-02-20.txt").write_text("C.", encoding="utf-8")

    assert [item.id for item in articles(read_all(tmp_path))] == ["a", "b", "news.2024-02-20"]


def test_repeated_ids_are_renamed_in_order(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "story.txt").write_text("First copy.", encoding="utf-8")
    (tmp_path / "two" / "story.html").write_text("<p>Second copy.</p>", encoding="utf-8")
    write_jsonl(tmp_path / "z.jsonl", {"id": "story", "text": "Third."}, {"id": "story~2", "text": "4th."})

    ids = [item.id for item in articles(read_all(tmp_path))]

    assert ids == ["story", "story~2", "story~3", "story~2~2"]


def test_other_field_names_can_be_mapped(tmp_path: Path) -> None:
    feed = write_jsonl(
        tmp_path / "feed.jsonl",
        {
            "guid": "g1",
            "content": "Body.",
            "link": "https://x.y/1",
            "headline": "H",
            "published": "2024-02-20",
        },
        {"guid": "g2", "raw": "<p>Markup.</p>", "outlet": "Reuters"},
    )
    fields = Fields(
        id="guid", text="content", html="raw", url="link", title="headline", date="published", source="outlet"
    )

    one, two = articles(read_all(feed, fields=fields))

    assert (one.id, one.body, one.url, one.title, one.date) == (
        "g1",
        "Body.",
        "https://x.y/1",
        "H",
        "2024-02-20",
    )
    assert (two.id, two.format, two.source) == ("g2", "html", "Reuters")


# Records


def test_text_field_is_preferred_to_html_and_blank_fields_count_as_missing(tmp_path: Path) -> None:
    feed = write_jsonl(
        tmp_path / "feed.jsonl",
        {"text": "The text.", "html": "<p>The page.</p>"},
        {"text": "  ", "html": "<p>Only a page.</p>"},
    )

    one, two = articles(read_all(feed))

    assert (one.format, one.body) == ("text", "The text.")
    assert (two.format, two.body) == ("html", "<p>Only a page.</p>")


def test_records_that_are_not_articles_are_skipped_with_the_expected_fields_named(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl", ["a", "list"], {"id": "x", "body": "Wrong field."}, {"text": ""})

    items = read_all(feed)

    assert items == [
        Skipped(f"{feed}:1", "record is a list, not an object"),
        Skipped(f"{feed}:2", "no 'text' or 'html' field"),
        Skipped(f"{feed}:3", "no 'text' or 'html' field"),
    ]


def test_skip_reason_names_mapped_fields(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl", {"text": "Not the mapped field."})

    [skip] = read_all(feed, fields=Fields(text="content", html="raw"))

    assert skip == Skipped(f"{feed}:1", "no 'content' or 'raw' field")


def test_broken_jsonl_lines_are_skipped_and_later_records_still_read(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "One."}\n{"text": \n\n{"text": "Three."}\n', encoding="utf-8")

    one, broken, three = read_all(feed)

    assert isinstance(one, Article) and one.body == "One."
    assert isinstance(broken, Skipped) and broken.path == f"{feed}:2"
    assert broken.reason.startswith("invalid JSON: ")
    assert isinstance(three, Article) and (three.id, three.path) == ("feed:4", f"{feed}:4")


def test_record_text_keeps_its_own_date_over_a_scraper_prefix(tmp_path: Path) -> None:
    feed = write_jsonl(
        tmp_path / "feed.jsonl",
        {"text": " date 2024-02-20 Body one."},
        {"text": "date 2024-02-20 Body two.", "date": "2024-02-21"},
    )

    one, two = articles(read_all(feed))

    assert (one.date, one.body) == ("2024-02-20", "Body one.")
    assert (two.date, two.body) == ("2024-02-21", "Body two.")


# Stdin


def test_dash_reads_jsonl_from_stdin() -> None:
    stdin = io.BytesIO(b'{"id": "a", "text": "From a pipe."}\nnot json\n{"text": "Again."}\n')

    items = list(read(["-"], stdin=stdin))

    assert items[0] == Article(id="a", body="From a pipe.", path="-:1")
    assert isinstance(items[1], Skipped) and items[1].path == "-:2"
    assert items[2] == Article(id="-:3", body="Again.", path="-:3")


class BrokenPipe(io.RawIOBase):
    """A stream that gives one line, then fails as a dropped connection would."""

    def __init__(self) -> None:
        self.sent = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.sent:
            raise ConnectionResetError(104, "Connection reset by peer")
        self.sent = True
        line = b'{"text": "First."}\n'
        buffer[: len(line)] = line
        return len(line)


def test_stdin_is_streamed_so_the_first_article_comes_before_a_later_failure() -> None:
    items = read(["-"], stdin=io.BufferedReader(BrokenPipe()))

    assert next(items) == Article(id="-:1", body="First.", path="-:1")
    assert list(items) == [Skipped("-", "cannot read: Connection reset by peer")]


# Encodings


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (WESTERN.encode("utf-8"), WESTERN),
        (codecs.BOM_UTF8 + WESTERN.encode("utf-8"), WESTERN),
        (codecs.BOM_UTF16_LE + WESTERN.encode("utf-16-le"), WESTERN),
        (codecs.BOM_UTF16_BE + WESTERN.encode("utf-16-be"), WESTERN),
        (codecs.BOM_UTF32_LE + WESTERN.encode("utf-32-le"), WESTERN),
        (codecs.BOM_UTF32_BE + WESTERN.encode("utf-32-be"), WESTERN),
        (WESTERN.encode("cp1252"), WESTERN),
        ("Grüße aus München, schöne Straße.".encode("latin-1"), "Grüße aus München, schöne Straße."),
        ("L'été à Montréal était très chaud.".encode("latin-1"), "L'été à Montréal était très chaud."),
        (CYRILLIC.encode("cp1251"), CYRILLIC),
    ],
    ids=[
        "utf-8",
        "utf-8-bom",
        "utf-16-le",
        "utf-16-be",
        "utf-32-le",
        "utf-32-be",
        "cp1252",
        "de",
        "fr",
        "ru",
    ],
)
def test_text_is_decoded_from_every_common_encoding(data: bytes, text: str) -> None:
    # charset-normalizer 3.5 calls the cp1252 sample cp775 and the Latin-1 ones cp1250; decode must not.
    assert decode(data, "x.txt") == text


def test_html_declared_charset_is_used(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="windows-1251"><title>{CYRILLIC}</title></head></html>'
    (tmp_path / "ru.html").write_bytes(page.encode("cp1251"))

    [article] = articles(read_all(tmp_path / "ru.html"))

    assert CYRILLIC in article.body


def test_html_http_equiv_charset_is_used() -> None:
    page = f'<meta http-equiv="Content-Type" content="text/html; charset=KOI8-R"><p>{CYRILLIC}</p>'

    assert CYRILLIC in decode(page.encode("koi8-r"), "ru.html", html=True)


def test_html_declared_latin1_is_read_as_windows_1252_like_browsers_do() -> None:
    page = f'<meta charset="iso-8859-1"><p>{WESTERN}</p>'

    assert WESTERN in decode(page.encode("cp1252"), "page.html", html=True)


def test_newlines_become_line_feeds() -> None:
    assert decode(b"one\r\ntwo\rthree\n", "x.txt") == "one\ntwo\nthree\n"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "No byte-order mark.".encode("utf-16-le"),
        bytes(range(1, 32)) * 20,
    ],
    ids=["nul-bytes", "utf-16-without-bom", "control-characters"],
)
def test_binary_data_is_refused(data: bytes) -> None:
    with pytest.raises(InputError) as raised:
        decode(data, "x.txt")

    assert (raised.value.path, raised.value.reason) == ("x.txt", "binary file, not text")


def test_a_long_text_with_a_binary_blob_in_it_is_refused() -> None:
    text = "Ein langer Artikel über die Wahl in Berlin.\n" * 2000
    blob = bytes(range(1, 9)) * 3000  # about a fifth of the file, in one piece at its end

    with pytest.raises(InputError, match="binary file"):
        decode(text.encode() + blob, "x.txt")


def test_a_long_text_with_stray_control_characters_is_read() -> None:
    text = "Un long article sur les élections.\x0b\n" * 2000  # one control character in 36

    assert decode(text.encode(), "x.txt").startswith("Un long article")


def test_byte_order_mark_followed_by_garbage_is_refused() -> None:
    with pytest.raises(InputError, match="not valid utf-16-le after its byte-order mark"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8", "x.txt")


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")

    assert read_all(tmp_path / "photo.txt") == [Skipped(str(tmp_path / "photo.txt"), "binary file, not text")]


@pytest.mark.parametrize("data", [b"", b" \n\t\r\n", codecs.BOM_UTF8 + b"\n"])
def test_empty_and_blank_files_are_skipped(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "blank.txt").write_bytes(data)

    assert read_all(tmp_path / "blank.txt") == [Skipped(str(tmp_path / "blank.txt"), "empty file")]


def test_utf8_markup_keeps_its_bytes_and_other_markup_is_decoded() -> None:
    page = "<p>Ünïcode “quoted” text</p>\r\n"

    assert markup(page.encode(), "a.html") == page.encode()  # the parser reads UTF-8 and newlines itself
    assert markup(codecs.BOM_UTF8 + page.encode(), "a.html") == "<p>Ünïcode “quoted” text</p>\n"
    assert markup(f'<meta charset="windows-1251"><p>{CYRILLIC}</p>'.encode("cp1251"), "a.html") == (
        f'<meta charset="windows-1251"><p>{CYRILLIC}</p>'
    )


def test_markup_is_checked_as_utf8_exactly_as_decoding_checks_it() -> None:
    rng = random.Random(5)
    edges = [0x41, 0x20, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0]
    edges += [0xF4, 0xF5, 0xFF]
    pages = [bytes(rng.choice(edges) for _ in range(rng.randint(0, 40))) for _ in range(20_000)]
    text = "".join(
        chr(code) for code in [*range(32, 127), 0xE9, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF]
    )
    for start in range(9):  # every alignment of the ASCII runs read eight bytes at a time
        whole = ("a" * start + text * 3).encode()
        pages += [whole, *(whole[:cut] for cut in range(len(whole) - 12, len(whole)))]
    for page in pages:
        try:
            expected = page.decode("utf-8") is not None
        except UnicodeDecodeError:
            expected = False
        assert utf8_valid(page) == expected, page
    assert utf8_valid(b"") and utf8_valid(text.encode())


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (bytes(range(1, 32)) * 20, "binary file, not text"),
        (b" \n\t ", "empty file"),
        ("\u3000\xa0\n".encode(), "empty file"),  # white space beyond ASCII too, as `decode` has it
        (b"", "empty file"),
        ("\u3000 \u2003\n".encode(), "empty file"),
        (b" " * 100 + b"\x1c", "empty file"),  # the separators \x1c-\x1f are white space to str.isspace too
        (b"\x00<p>", "binary file, not text"),
    ],
)
def test_markup_that_is_no_page_is_refused_as_text_is(data: bytes, reason: str) -> None:
    with pytest.raises(InputError) as raised:
        markup(data, "x.html")

    assert (raised.value.path, raised.value.reason) == ("x.html", reason)


def test_empty_jsonl_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "feed.jsonl").write_text("\n\n", encoding="utf-8")

    assert read_all(tmp_path / "feed.jsonl") == [Skipped(str(tmp_path / "feed.jsonl"), "empty file")]


# Unreadable input


def test_unreadable_file_is_skipped_with_the_os_reason(tmp_path: Path) -> None:
    # A symlink to itself cannot be opened even by root, unlike a chmod 000 file.
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)

    assert read_all(loop) == [Skipped(str(loop), "cannot read: Too many levels of symbolic links")]


def test_broken_symlink_in_a_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "deleted.txt")

    assert read_all(tmp_path) == [Skipped(str(tmp_path / "dangling.txt"), "cannot read: No such file or directory")]


def test_file_that_is_not_gzip_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "fake.txt.gz").write_text("Not compressed at all.", encoding="utf-8")

    [skip] = read_all(tmp_path / "fake.txt.gz")

    assert isinstance(skip, Skipped) and skip.path == str(tmp_path / "fake.txt.gz")
    assert skip.reason.startswith("not a valid gzip file: ")


def test_truncated_gzip_jsonl_keeps_the_records_before_the_break(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"text": f"Story {n}. " + "x" * 2000}) + "\n" for n in range(50))
    packed = gzip.compress(lines.encode())
    (tmp_path / "feed.jsonl.gz").write_bytes(packed[: len(packed) // 2])

    items = read_all(tmp_path / "feed.jsonl.gz")

    assert len(articles(items)) > 0
    assert items[-1] == Skipped(
        str(tmp_path / "feed.jsonl.gz"),
        "not a valid gzip file: Compressed file ended before the end-of-stream marker was reached",
    )


# Scraper metadata prefix


def test_metadata_prefix_gives_date_and_leaves_the_rest_of_the_line() -> None:
    assert split_metadata(" date 2024-02-20 Create your profile\n\nBody.") == (
        {"date": "2024-02-20"},
        "Create your profile\n\nBody.",
    )


def test_metadata_prefix_keys_come_in_any_order_with_times() -> None:
    meta, body = split_metadata("url https://x.y/z date 2024-02-20T09:30:00+01:00 Title text")

    assert meta == {"url": "https://x.y/z", "date": "2024-02-20T09:30:00+01:00"}
    assert body == "Title text"


def test_metadata_prefix_may_stand_on_its_own_lines() -> None:
    assert split_metadata("date 2024-02-20T09:30Z\nurl http://x.y/\nBody.") == (
        {"date": "2024-02-20T09:30Z", "url": "http://x.y/"},
        "Body.",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Body first. date 2024-02-20 later.",
        "date of the summit is unknown.",
        "date 2024-02-20T but not a time.",
        "dates 2024-02-20 are not a key.",
        "url ftp://x.y/z is not the web.",
    ],
)
def test_text_without_a_metadata_prefix_is_untouched(text: str) -> None:
    assert split_metadata(text) == ({}, text)


def test_metadata_prefix_in_a_text_file_is_taken_off(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(" date 2024-02-20 url https://x.y/a Headline\nBody.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("date 2024-02-20 ", encoding="utf-8")

    first, second = read_all(tmp_path)

    assert first == Article(
        id="a", body="Headline\nBody.", path=str(tmp_path / "a.txt"), url="https://x.y/a", date="2024-02-20"
    )
    assert second == Skipped(str(tmp_path / "b.txt"), "no article text after the metadata prefix")


def test_html_keeps_a_leading_date_as_markup(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("date 2024-02-20 <p>Body.</p>", encoding="utf-8")

    [article] = articles(read_all(tmp_path / "a.html"))

    assert (article.date, article.body) == (None, b"date 2024-02-20 <p>Body.</p>")


# Seeds


def test_seeds_read_as_five_articles_with_their_dates() -> None:
    items = read_all(SEEDS)
    by_id = {article.id: article for article in articles(items)}

    assert skipped(items) == []
    assert list(by_id) == [
        "000_4918345a94430741",
        "001_01698d181c447733",
        "002_23faa30955cea87d",
        "003_d98c98faffdd0a40",
        "004_4d248f02436a389b",
    ]
    dated = {key for key, article in by_id.items() if article.date == "2024-02-20"}
    assert dated == {"001_01698d181c447733", "003_d98c98faffdd0a40"}
    assert by_id["001_01698d181c447733"].body.startswith("Create your free profile")
    assert not by_id["003_d98c98faffdd0a40"].body.lstrip().startswith("date")
    assert by_id["000_4918345a94430741"].body.startswith("SEOUL")


def test_compiled_loops_are_cached_in_the_users_cache_not_beside_the_installed_files(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    code = "from dedup.kernels import utf8_valid; assert utf8_valid('é'.encode())"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=tmp_path)
    cached = list((tmp_path / "cache" / "dedup" / "numba").rglob("*.nbi"))
    assert any("kernels" in path.name for path in cached)


def test_the_compiled_count_of_control_bytes_is_the_plain_one() -> None:
    from dedup.kernels import control_bytes
    from dedup.read import _controls_at_most

    rng = random.Random(12)
    for size in [0, 1, 7, 63, 64, 65, 1000, 16_384]:
        for _ in range(20):
            data = bytes(rng.choice([rng.randrange(256), rng.randrange(0x20), 0xC2, 0x7F, 0x20]) for _ in range(size))
            assert control_bytes(data) == _controls_at_most(data)
    assert control_bytes(b"\t\n\x0c\r ok") == 0 and control_bytes(b"\x00\x0b\x0e\x1f\x7f\xc2\x85") == 6
