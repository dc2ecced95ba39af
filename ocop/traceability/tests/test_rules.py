import pytest

from ocop.traceability import rules
from ocop.traceability.rules import ScanFacts, Thresholds

LIMITS = Thresholds(max_plausible_scans=20, max_provinces=2)


@pytest.mark.parametrize(
    ("facts", "flags"),
    [
        (ScanFacts(known=True), []),
        (ScanFacts(known=False), ["unknown"]),
        (ScanFacts(known=False, voided=True, scans=99), ["unknown"]),
        (ScanFacts(known=True, matches_address=False), ["mismatch"]),
        (ScanFacts(known=True, voided=True), ["voided"]),
        (ScanFacts(known=True, scans=20), []),
        (ScanFacts(known=True, scans=21), ["many_scans"]),
        (ScanFacts(known=True, provinces=2), []),
        (ScanFacts(known=True, provinces=3), ["many_provinces"]),
        (
            ScanFacts(known=True, matches_address=False, voided=True, scans=50, provinces=5),
            ["mismatch", "voided", "many_scans", "many_provinces"],
        ),
    ],
)
def test_flags(facts, flags):
    assert rules.flags_for(facts, LIMITS) == flags


def test_thresholds_come_from_the_data_file():
    limits = rules.thresholds()
    assert limits.max_plausible_scans > 1 and limits.max_provinces >= 1
    assert "max_plausible_scans" in rules.DATA.read_text()
