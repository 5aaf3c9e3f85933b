"""Wire agencies: their names as credits and datelines spell them, and which one an article names.

A leaf of the line: the cleaner reads credits with it, the clusterer names each cluster's agency.
"""

from __future__ import annotations

import re

# Wire agencies, as credits name them. The longer spellings come first in the alternation.
AGENCIES = {
    "reuters": "Reuters",
    "associated press": "AP",
    "ap": "AP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "afp": "AFP",
    "dpa": "dpa",
    "deutsche presse-agentur": "dpa",
    "pa media": "PA",
    "press association": "PA",
    "press trust of india": "PTI",
    "pti": "PTI",
    "ians": "IANS",
    "ani": "ANI",
    "xinhua": "Xinhua",
    "yonhap": "Yonhap",
    "kyodo": "Kyodo",
    "bernama": "Bernama",
    "efe": "EFE",
    "ansa": "ANSA",
    "bloomberg": "Bloomberg",
    "upi": "UPI",
    "aap": "AAP",
    "cp": "CP",
    "the canadian press": "CP",
    "europa press": "Europa Press",
    "anadolu": "Anadolu",
    "tass": "TASS",
}
_NAMES = "|".join(re.escape(name) for name in sorted(AGENCIES, key=len, reverse=True))
_NAMED = re.compile(r"\b(" + _NAMES + r")\b", re.IGNORECASE)
# "SEOUL (Reuters) -", "WASHINGTON (AP) —", "(AFP) -": the agency in a dateline opening a paragraph.
_DATELINE = re.compile(r"^[^()\n]{0,60}\((" + _NAMES + r")\)\s*[-–—:]", re.IGNORECASE | re.MULTILINE)
# The dateline stands in the body's first paragraph, after the headline and a standfirst at most.
DATELINE_LINES = 3


def agency_named(text: str) -> str | None:
    """The wire agency a credit names, by its usual short name, or None."""
    for match in _NAMED.finditer(text):
        name = match.group(1)
        if len(name) > 3 or name == name.upper() or name == "dpa":
            return AGENCIES[name.lower()]
        # "ap", "ani", "cp" in lower case are ordinary words (or a name: "Ani"), not credits; dpa writes itself so
    return None


def agency_of(credit: str | None, lead: str) -> str | None:
    """The agency an article names in its credit line, or in the dateline its body opens with."""
    if credit and (named := agency_named(credit)):
        return named
    top = "\n".join(lead.split("\n")[:DATELINE_LINES])
    match = _DATELINE.search(top)
    return agency_named(match.group(1)) if match else None
