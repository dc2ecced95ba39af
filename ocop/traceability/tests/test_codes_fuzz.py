"""Whatever a scanner or a person sends: a stamp address and a typed serial parse to a
well-formed stamp address or raise InvalidCode, never another exception; the scan pages
answer such addresses with a 404 or 400 page, never a 500."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import ean

from ocop.geo.models import Province
from ocop.traceability import codes
from ocop.traceability.models import Scan

from .conftest import GTIN

PURE = settings(max_examples=300, deadline=None)
PAGES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

any_text = st.text(st.characters(), max_size=80)  # surrogates too: str can hold them
escapes = st.binary(min_size=1, max_size=6).map(lambda b: "".join(f"%{x:02X}" for x in b))
broken_escapes = st.sampled_from(["%", "%z", "%zz", "%C3", "%C3%28", "%00", "%2F", "%25", "%%"])
url_text = st.lists(
    any_text | escapes | broken_escapes | st.sampled_from(["/", "01", "10", "21", "22", "?", "#"]),
    max_size=8,
).map("".join)
gtins = st.integers(min_value=10**11, max_value=10**13 - 1).map(
    lambda n: f"{n:013d}"[:12] + ean.calc_check_digit(f"{n:013d}"[:12])
)
gtin_like = st.one_of(gtins, gtins.map(codes.gtin14), st.text("0123456789", max_size=16))
serials = st.builds(codes.serial_new)
serial_like = st.one_of(serials, url_text, st.text(codes.ALPHABET + "ILOilo- ", max_size=20))
paths = st.one_of(
    url_text,
    url_text.map(lambda tail: "/01/" + tail),
    st.builds(lambda g, tail: f"/01/{g}/21/{tail}", gtin_like, serial_like),
    st.builds(lambda g, lot, s: f"/01/{g}/10/{lot}/21/{s}", gtin_like, url_text, serial_like),
    st.builds(lambda g, s, tail: f"/01/{g}/21/{s}/{tail}", gtin_like, serials, url_text),
    serial_like.map(lambda s: codes.PLATFORM_PREFIX + s),
    st.builds(lambda tail, n: "/01/" + tail * n, url_text, st.integers(50, 400)),  # long
)


def assert_well_formed(address: codes.StampAddress) -> None:
    assert len(address.serial) == codes.SERIAL_LENGTH
    assert set(address.serial) <= set(codes.ALPHABET)
    if address.gtin is not None:
        assert len(address.gtin) == 14 and address.gtin.isdigit() and address.gtin.isascii()
        assert ean.is_valid(address.gtin)
    assert address.lot is None or isinstance(address.lot, str)


@PURE
@given(path=paths)
def test_any_path_is_a_stamp_address_or_invalid(path):
    try:
        address = codes.address_parse(path)
    except codes.InvalidCode:
        return
    assert_well_formed(address)


@PURE
@given(text=st.one_of(any_text, serial_like))
def test_any_typed_text_is_a_serial_or_invalid(text):
    try:
        serial = codes.serial_normalise(text)
    except codes.InvalidCode:
        return
    assert len(serial) == codes.SERIAL_LENGTH and set(serial) <= set(codes.ALPHABET)
    assert codes.serial_normalise(serial) == serial


@PURE
@given(serial=serials, lower=st.booleans(), grouped=st.booleans())
def test_a_serial_as_printed_or_typed_reads_back(serial, lower, grouped):
    typed = codes.serial_display(serial) if grouped else serial
    typed = typed.lower() if lower else typed
    assert codes.serial_normalise(typed) == serial
    assert codes.address_parse(codes.PLATFORM_PREFIX + typed) == codes.StampAddress(serial)


@PURE
@given(gtin=gtins, lot=st.text(sorted(codes.LOT_CHARACTERS), min_size=1, max_size=20))
def test_the_parts_of_a_matched_url_read_back(gtin, lot):
    serial = codes.serial_new()
    expected = codes.StampAddress(serial=serial, gtin=codes.gtin14(gtin), lot=lot)
    assert codes.address_from_parts(gtin=gtin, lot=lot, serial=serial) == expected
    assert codes.address_parse(codes.stamp_path(gtin=gtin, lot=lot, serial=serial)) == expected


@PURE
@given(gtin=gtin_like, lot=st.none() | url_text, serial=serial_like)
def test_any_parts_of_a_matched_url_are_an_address_or_invalid(gtin, lot, serial):
    try:
        address = codes.address_from_parts(gtin=gtin, lot=lot, serial=serial)
    except codes.InvalidCode:
        return
    assert_well_formed(address)


# --- The scan pages ------------------------------------------------------------------------------


@pytest.fixture
def unlimited(settings):
    # Every example is a scan: the per-client limit must not answer for the page.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "scan": "100000/m"}


def segment(draw_text: str, raw: bool) -> str:
    """A path segment as a client sends it: percent-encoded, or as typed with its own %."""
    if raw:
        return draw_text.replace("/", "%2F").replace("?", "%3F").replace("#", "%23")
    return quote(draw_text, safe="")


segments = st.builds(segment, st.text(st.characters(exclude_categories=("Cs",))), st.booleans())
page_paths = st.one_of(
    st.builds(lambda g, s: f"/01/{g}/21/{s}", gtin_like, segments),
    st.builds(lambda g, lot, s: f"/01/{g}/10/{lot}/21/{s}", gtin_like, segments, segments),
    st.builds(lambda g, s: f"/01/{g}/21/{s}/", st.just(GTIN), st.builds(codes.serial_new)),
    segments.map(lambda s: f"/tem/{s}"),
    segments.map(lambda s: f"/tem/{s}/epcis.json"),
)
queries = st.fixed_dictionaries(
    {},
    optional={
        "linkType": st.sampled_from(["gs1:pip", "all", "linkset", "gs1:nothing", "x" * 300])
        | st.text(),
        "province": st.sampled_from(["68", "1", "0", "999", "²", "٣", "9" * 30, "-1", ""])
        | st.text(),
        "serial": st.text(),
    },
)
accepts = st.sampled_from(["text/html", "application/json", "application/linkset+json", "*/*"])


@PAGES
@given(path=page_paths, query=queries, accept=accepts)
def test_any_scan_address_answers_a_page_not_an_error(db, client, unlimited, path, query, accept):
    before = Scan.objects.count()
    response = client.get(path, query, HTTP_ACCEPT=accept)
    assert response.status_code in (400, 404), (path, query, response.status_code)
    for scan in Scan.objects.order_by("pk")[before:]:
        # a scan is logged with a province only when one was named that exists
        assert scan.province_id is None or Province.objects.filter(pk=scan.province_id).exists()


@PAGES
@given(typed=st.text(st.characters(exclude_categories=("Cs",))) | serial_like)
def test_any_typed_serial_answers_a_redirect_or_a_404(db, client, unlimited, typed):
    response = client.get("/tem/", {"serial": typed})
    if response.status_code == 302:
        assert response["Location"] == f"/tem/{codes.serial_normalise(typed)}"
    else:
        assert response.status_code == 404


@PAGES
@given(path=page_paths.filter(lambda p: p.startswith("/01/")), query=queries, accept=accepts)
def test_a_real_stamps_address_with_any_tail_answers(client, run, unlimited, path, query, accept):
    # A real stamp's serial in a mangled address: its page, or a 404, never an error.
    stamp = run.stamps.order_by("pk").first()
    mangled = path.rsplit("/21/", 1)[0] + f"/21/{stamp.serial}"
    response = client.get(mangled, query, HTTP_ACCEPT=accept)
    assert response.status_code in (200, 307, 400, 404), (mangled, query, response.status_code)
