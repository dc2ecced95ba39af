"""The minutes PDF: a real WeasyPrint rendering, read back with poppler's pdftotext."""

import datetime
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from conftest import LAM_DONG, make_user
from ocop.criteria.models import CriteriaSet, ProductGroup
from ocop.criteria.services import criteria_load
from ocop.dossiers.models import Dossier
from ocop.dossiers.tests.conftest import SET_CODE, make_product
from ocop.evaluation.minutes import (
    local_only_fetcher,
    session_minutes_filename,
    session_minutes_pdf,
    vi_date,
    vi_number,
    vi_stars,
)
from ocop.evaluation.models import (
    Assignment,
    AssignmentStatus,
    Council,
    CouncilSeat,
    CouncilSession,
    EvaluationRound,
    Level,
    SeatRole,
    SessionStatus,
)

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="poppler-utils missing"
)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
    )
    return " ".join(out.stdout.decode("utf-8").split())  # cells wrap: compare words


def page_one_png(pdf: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
        capture_output=True,
    )
    return next(tmp_path.glob("p*.png"))


def seat(council, name, role, expertise=""):
    return CouncilSeat.objects.create(
        council=council, user=make_user(name), role=role, expertise=expertise
    )


def closed(session, product, *, score, stars, unmet=(), forwarded=False, discussion=""):
    dossier = Dossier.objects.create(
        product=product, criteria_set=CriteriaSet.objects.get(code=SET_CODE), year=2025
    )
    return Assignment.objects.create(
        session=session,
        dossier=dossier,
        status=AssignmentStatus.CLOSED,
        discussion=discussion,
        score=Decimal(score),
        band_stars=stars,
        stars=stars,
        unmet_requirements=[list(u) for u in unmet],
        forwarded=forwarded,
        closed_at=timezone.now(),
    )


@pytest.fixture
def council(world):
    council = Council.objects.get(name="Hội đồng tỉnh Lâm Đồng")
    seats = {
        "chair": seat(council, "tran_thi_hoa", SeatRole.CHAIR, "Kinh tế nông nghiệp"),
        "m1": seat(council, "le_van_binh", SeatRole.MEMBER, "Công nghệ thực phẩm"),
        "m2": seat(council, "pham_thu_trang", SeatRole.MEMBER, "Thị trường, thương mại"),
        "m3": seat(council, "do_quang_huy", SeatRole.MEMBER, "Môi trường"),
        "secretary": seat(council, "vu_ngoc_lan", SeatRole.SECRETARY),
    }
    council.seats_by_key = seats
    return council


def make_session(council, *, trial=False, name="Đợt đánh giá năm 2025"):
    rnd = EvaluationRound.objects.create(
        name=name,
        level=Level.PROVINCE,
        province_id=LAM_DONG,
        period="qd1489-2025",
        opens_on=datetime.date(2025, 9, 1),
        trial=trial,
    )
    session = CouncilSession.objects.create(
        round=rnd,
        council=council,
        date=datetime.date(2025, 10, 7),
        place="Hội trường Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng",
        status=SessionStatus.CLOSED,
        quorum=Decimal("0.75"),
        allowed_spread=Decimal(10),
        minutes_notes="Hội đồng đề nghị các chủ thể hoàn thiện nhãn hàng hóa trước ngày 30/10.",
    )
    s = council.seats_by_key
    session.present.set([s["chair"], s["m1"], s["m2"], s["secretary"]])
    return session


@pytest.fixture
def products(world):
    criteria_load()
    group = ProductGroup.objects.get(code="fresh-produce", branch__decision__code="qd148-2023")
    return (
        make_product(world.producer_a, group, "Cà phê Arabica Cầu Đất"),
        make_product(world.producer_b, group, "Súp lơ xanh Đơn Dương"),
    )


@pytest.fixture
def session(council, products):
    session = make_session(council)
    coffee, cauliflower = products
    closed(
        session,
        coffee,
        score="82.5",
        stars=4,
        discussion="Thống nhất nâng điểm tiêu chí bao bì sau khi xem mẫu thực tế.",
    )
    closed(session, cauliflower, score="68.33", stars=2, unmet=[("A1.2", 3)])
    return session


def test_numbers_and_dates_are_written_the_vietnamese_way():
    assert vi_number(Decimal("82.5")) == "82,50"
    assert vi_number(Decimal("68.335")) == "68,34"
    assert [vi_stars(s) for s in (None, 2, 3, 4)] == ["Không đạt", "Không đạt", "3 sao", "4 sao"]
    assert vi_date(datetime.date(2025, 2, 5)) == "ngày 05 tháng 02 năm 2025"
    assert vi_date(datetime.date(2025, 10, 17)) == "ngày 17 tháng 10 năm 2025"


@needs_poppler
def test_minutes_show_the_session_in_vietnamese(session, tmp_path):
    pdf = session_minutes_pdf(session=session)

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lâm Đồng, ngày 07 tháng 10 năm 2025",
        "BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP",
        "Cà phê Arabica Cầu Đất",
        "Súp lơ xanh Đơn Dương",
        "Hợp tác xã Cà phê Lang Biang",
        "82,50",
        "68,33",
        "4 sao",
        "Không đạt",
        "A1.2",
        "Tran Thi Hoa",
        "Công nghệ thực phẩm",
        "Thống nhất nâng điểm tiêu chí bao bì",
        "hoàn thiện nhãn hàng hóa",
        "Trang 1/",
    ):
        assert expected in text, expected
    present, absent = text.split("Vắng mặt", 1)
    assert "Le Van Binh" in present
    assert "Do Quang Huy" in absent.split("KẾT QUẢ")[0]
    assert "BẢN THỬ" not in text


@needs_poppler
def test_trial_minutes_carry_the_banner_and_an_image_is_kept(council, products, tmp_path):
    session = make_session(council, trial=True, name="Tập huấn chấm điểm")
    closed(session, products[0], score="91", stars=4, forwarded=True)

    pdf = session_minutes_pdf(session=session)

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert text.count("BẢN THỬ (TẬP HUẤN) — KHÔNG CÓ GIÁ TRỊ") >= 2  # page header and banner
    assert "Cà phê Arabica Cầu Đất" in text
    png = page_one_png(pdf, tmp_path)
    assert png.stat().st_size > 0


@needs_poppler
def test_page_one_renders_to_an_image(session, tmp_path):
    png = page_one_png(session_minutes_pdf(session=session), tmp_path)

    assert png.stat().st_size > 0
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(png, ARTIFACTS / "minutes-page1.png")


def test_rendering_fetches_nothing_from_outside(session):
    fetcher = local_only_fetcher()

    with pytest.raises(ValueError):
        fetcher.fetch("https://example.vn/logo.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_filename_is_ascii(session, council):
    assert session_minutes_filename(session) == f"bien-ban-hoi-dong-{session.pk}-2025-10-07.pdf"
    trial = make_session(council, trial=True)
    assert session_minutes_filename(trial).endswith("-2025-10-07-ban-thu.pdf")
    assert session_minutes_filename(trial).isascii()
