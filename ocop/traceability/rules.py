"""Counterfeit signals of a scanned stamp. Pure: plain data in, flags out.

A fake stamp shows itself in one of these ways:
- its serial was never issued by the platform (``unknown``);
- the serial exists but the address claims another product or lot (``mismatch``), as when
  a real serial is copied onto a different package;
- the producer voided it (a damaged or stolen roll: ``voided``);
- it is scanned far more often than one unit plausibly is (``many_scans``);
- it is scanned in more provinces than one unit travels through (``many_provinces``).
The thresholds are data (data/counterfeit.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

UNKNOWN = "unknown"
MISMATCH = "mismatch"
VOIDED = "voided"
MANY_SCANS = "many_scans"
MANY_PROVINCES = "many_provinces"
FLAGS = (UNKNOWN, MISMATCH, VOIDED, MANY_SCANS, MANY_PROVINCES)

DATA = Path(__file__).parent / "data" / "counterfeit.yaml"


@dataclass(frozen=True)
class Thresholds:
    max_plausible_scans: int
    max_provinces: int


@cache
def thresholds() -> Thresholds:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return Thresholds(
        max_plausible_scans=int(data["max_plausible_scans"]),
        max_provinces=int(data["max_provinces"]),
    )


@dataclass(frozen=True)
class ScanFacts:
    """What is known of a stamp when it is scanned, this scan included."""

    known: bool
    matches_address: bool = True
    voided: bool = False
    scans: int = 1
    provinces: int = 0  # distinct provinces its scans were located in


def flags_for(facts: ScanFacts, limits: Thresholds | None = None) -> list[str]:
    limits = limits or thresholds()
    if not facts.known:
        return [UNKNOWN]
    flags = []
    if not facts.matches_address:
        flags.append(MISMATCH)
    if facts.voided:
        flags.append(VOIDED)
    if facts.scans > limits.max_plausible_scans:
        flags.append(MANY_SCANS)
    if facts.provinces > limits.max_provinces:
        flags.append(MANY_PROVINCES)
    return flags
