"""Which wire agency an article names, in its credit line or in the dateline its body opens with."""

from __future__ import annotations

import pytest

from dedup.agencies import agency_named, agency_of


@pytest.mark.parametrize(
    ("credit", "lead", "agency"),
    [
        ("REUTERS", "SEOUL - North Korean leader", "Reuters"),
        (None, "SEOUL (Reuters) - North Korean leader", "Reuters"),
        (None, "WASHINGTON, Feb 20 (AP) — The Senate", "AP"),
        ("Agence France-Presse", "PARIS -", "AFP"),
        (None, "BERLIN (dpa) - Die Regierung", "dpa"),
        ("Source: Al Jazeera and news agencies", "Kim", None),
        (None, "He said (AP) is a brand", None),
        (None, "Fed raises rates again\nWASHINGTON (AP) — The Federal Reserve", "AP"),
        ("By Ani Petrosyan, Reuters", "Yerevan -", "Reuters"),
        (None, "Headline\nStandfirst\nMore\nLONDON (Reuters) - too deep to be the dateline", None),
    ],
)
def test_the_agency_comes_from_the_credit_or_the_dateline(credit: str | None, lead: str, agency: str | None) -> None:
    assert agency_of(credit, lead) == agency


def test_short_names_in_lower_case_are_ordinary_words() -> None:
    assert agency_named("cp and ap") is None
    assert agency_named("the ap of the app (AP)") == "AP"
    assert agency_named("(CP)") == "CP"
