"""Reports of a scan: a table for a person, JSON, JSONL and CSV for a program."""

from __future__ import annotations

from typing import TextIO

from dedup.errors import UsageError
from dedup.model import ScanResult
from dedup.report.machine import write_csv, write_json, write_jsonl
from dedup.report.table import write_table

FORMATS = ("table", "json", "jsonl", "csv")

__all__ = ["FORMATS", "render"]


def render(result: ScanResult, fmt: str, out: TextIO, *, verbose: bool = False) -> None:
    """Write a scan result to ``out`` as ``fmt``; ``verbose`` adds every candidate pair to the table.

    Raises:
        UsageError: ``fmt`` is not one of ``FORMATS``.
    """
    if fmt == "table":
        write_table(result, out, verbose=verbose)
    elif fmt == "json":
        write_json(result, out)
    elif fmt == "jsonl":
        write_jsonl(result, out)
    elif fmt == "csv":
        write_csv(result, out)
    else:
        raise UsageError(f"unknown report format {fmt!r}: choose one of {', '.join(FORMATS)}")
