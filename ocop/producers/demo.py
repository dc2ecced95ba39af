"""A believable demo programme: real units, officers for each role, producers of every type.

Used by `manage.py seed_demo` (what `make run` shows) and, with `scale_producers`, by the
benchmarks. Deterministic: the same data every time, and loading it twice changes nothing.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from stdnum.vn import mst

from ocop.accounts.models import Membership, Role, User
from ocop.consultants.models import Consultancy
from ocop.evaluation.models import Council, Level
from ocop.geo.models import Commune
from ocop.search.text import fold

from . import services
from .models import Producer, ProducerStatus, ProducerType

DEMO_PASSWORD = "ocop-demo"
DEMO_DOMAIN = "demo.ocop.vn"

T = ProducerType
# (province code, commune name, legal name, type, status)
DEMO_PRODUCERS = [
    (14, "Xã Tà Xùa", "Hợp tác xã Chè Shan Tuyết Tà Xùa", T.COOPERATIVE, "active"),
    (14, "Xã Tà Xùa", "Hộ kinh doanh Giàng A Dê", T.HOUSEHOLD, "active"),
    (14, "Xã Tà Xùa", "Tổ hợp tác Thảo dược Tà Xùa", T.COOPERATIVE_GROUP, "active"),
    (14, "Phường Mộc Châu", "Công ty TNHH Mận hậu Mộc Châu", T.ENTERPRISE, "active"),
    (14, "Phường Mộc Châu", "Hợp tác xã Chè Mộc Châu Xanh", T.COOPERATIVE, "active"),
    (14, "Xã Bắc Yên", "Hợp tác xã Nông sản Bắc Yên", T.COOPERATIVE, "active"),
    (22, "Xã Tiên Yên", "Hợp tác xã Gà Tiên Yên", T.COOPERATIVE, "active"),
    (22, "Xã Tiên Yên", "Hộ kinh doanh Trần Thị Hoa", T.HOUSEHOLD, "active"),
    (22, "Xã Tiên Yên", "Công ty TNHH Thực phẩm Tiên Yên", T.ENTERPRISE, "active"),
    (22, "Đặc khu Vân Đồn", "Hợp tác xã Sá sùng Vân Đồn", T.COOPERATIVE, "active"),
    (22, "Đặc khu Vân Đồn", "Công ty TNHH Hải sản Quan Lạn", T.ENTERPRISE, "active"),
    (22, "Đặc khu Vân Đồn", "Tổ hợp tác Nước mắm Cái Rồng", T.COOPERATIVE_GROUP, "active"),
    (22, "Phường Hạ Long", "Công ty Cổ phần Chả mực Hạ Long", T.ENTERPRISE, "active"),
    (22, "Phường Hạ Long", "Hộ kinh doanh Nguyễn Văn Hải", T.HOUSEHOLD, "pending"),
    (68, "Xã Lạc Dương", "Hợp tác xã Cà phê Lang Biang", T.COOPERATIVE, "active"),
    (68, "Xã Lạc Dương", "Tổ hợp tác Dệt thổ cẩm K'Ho Lạc Dương", T.COOPERATIVE_GROUP, "active"),
    (68, "Xã Lạc Dương", "Hộ kinh doanh K'Thị Mai", T.HOUSEHOLD, "pending"),
    (68, "Xã Lạc Dương", "Hợp tác xã Rau sạch Đưng K'Nớ", T.COOPERATIVE, "pending"),
    (68, "Xã Lạc Dương", "Công ty TNHH Dâu tây Lạc Dương", T.ENTERPRISE, "rejected"),
    (68, "Xã Đơn Dương", "Hợp tác xã Nông nghiệp Đơn Dương", T.COOPERATIVE, "active"),
    (68, "Xã Đơn Dương", "Công ty TNHH Rau củ Đơn Dương", T.ENTERPRISE, "active"),
    (68, "Xã Di Linh", "Hợp tác xã Cà phê Di Linh", T.COOPERATIVE, "active"),
    (68, "Xã Di Linh", "Hộ kinh doanh Nguyễn Thị Lan", T.HOUSEHOLD, "active"),
    (68, "Phường Lâm Viên - Đà Lạt", "Công ty TNHH Mứt Đà Lạt", T.ENTERPRISE, "active"),
    (68, "Phường Lâm Viên - Đà Lạt", "Công ty Cổ phần Atiso Lâm Viên", T.ENTERPRISE, "active"),
    (68, "Phường Lâm Viên - Đà Lạt", "Hợp tác xã Hoa Đà Lạt", T.COOPERATIVE, "active"),
    (68, "Phường 1 Bảo Lộc", "Công ty TNHH Trà Bảo Lộc", T.ENTERPRISE, "active"),
    (68, "Phường 1 Bảo Lộc", "Hợp tác xã Tơ lụa Bảo Lộc", T.COOPERATIVE, "active"),
    (1, "Xã Bát Tràng", "Hợp tác xã Gốm sứ Bát Tràng", T.COOPERATIVE, "active"),
    (1, "Xã Bát Tràng", "Công ty TNHH Gốm Men Lam", T.ENTERPRISE, "active"),
    (1, "Xã Bát Tràng", "Hộ kinh doanh Lê Văn Toàn", T.HOUSEHOLD, "active"),
    (1, "Xã Ba Vì", "Hợp tác xã Sữa bò Ba Vì", T.COOPERATIVE, "active"),
    (1, "Xã Ba Vì", "Tổ hợp tác Thuốc nam người Dao Ba Vì", T.COOPERATIVE_GROUP, "active"),
    (1, "Phường Chương Mỹ", "Hợp tác xã Mây tre đan Phú Vinh", T.COOPERATIVE, "active"),
    (1, "Xã Sóc Sơn", "Hợp tác xã Mật ong Sóc Sơn", T.COOPERATIVE, "pending"),
    (96, "Xã Năm Căn", "Hợp tác xã Cua Năm Căn", T.COOPERATIVE, "active"),
    (96, "Xã Năm Căn", "Công ty TNHH Tôm khô Năm Căn", T.ENTERPRISE, "active"),
    (96, "Xã U Minh", "Hợp tác xã Mật ong rừng U Minh", T.COOPERATIVE, "active"),
    (96, "Xã U Minh", "Tổ hợp tác Đan lát cỏ bàng U Minh", T.COOPERATIVE_GROUP, "pending"),
    (96, "Xã Trần Văn Thời", "Hộ kinh doanh Phạm Thị Út", T.HOUSEHOLD, "active"),
    (96, "Xã Trần Văn Thời", "Hợp tác xã Khô cá Trần Văn Thời", T.COOPERATIVE, "active"),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Lò"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Ngọc", "Thu"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hà", "Hạnh", "Hùng", "Lan", "Mai", "Nam", "Sơn", "Tâm"]
TITLES = {
    T.COOPERATIVE: "Giám đốc HTX",
    T.ENTERPRISE: "Giám đốc",
    T.COOPERATIVE_GROUP: "Tổ trưởng",
    T.HOUSEHOLD: "Chủ hộ",
}


@dataclass(frozen=True)
class DemoLogin:
    role: str
    login: str
    scope: str


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def tax_code_for(n: int) -> str:
    """A valid, deterministic 10-digit tax code for the n-th generated producer."""
    while True:
        base = f"{n % 90 + 10:02d}{n * 7919 % 9999999 + 1:07d}"
        check = mst.calc_check_digit(base)
        if len(check) == 1:
            return base + check
        n += 100003


def commune(province: int, name: str) -> Commune:
    return Commune.objects.select_related("province").get(province_id=province, name=name)


def _user(email: str, full_name: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=full_name, **extra
        )
    return user


def _member(user: User, role: Role, **scope) -> None:
    Membership.objects.get_or_create(user=user, role=role, **scope)


def _producer_data(rng: random.Random, n: int, commune_obj: Commune, name: str, ptype: str):
    workers = rng.randint(3, 60)
    return {
        "legal_name": name,
        "producer_type": ptype,
        "tax_code": tax_code_for(n),
        "registration_number": f"{commune_obj.province_id:02d}{rng.randint(10**7, 10**8 - 1)}",
        "registration_date": datetime.date(2015, 1, 1)
        + datetime.timedelta(days=rng.randint(0, 3500)),
        "representative_name": person_name(rng),
        "representative_title": TITLES[ptype],
        "commune": commune_obj,
        "street_address": f"Thôn {rng.randint(1, 12)}",
        "phone": f"09{rng.randint(10**7, 10**8 - 1)}",
        "email": "",
        "website": "",
        "member_count": rng.randint(7, 120) if ptype == T.COOPERATIVE else None,
        "worker_count": workers,
        "female_worker_count": rng.randint(0, workers),
        "ethnic_minority_worker_count": rng.randint(0, workers),
    }


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Officers for each role and ~40 producers; returns the demo logins."""
    rng = random.Random(2025)
    lam_dong_officer_commune = commune(68, "Xã Lạc Dương")
    lam_dong = lam_dong_officer_commune.province
    ha_noi = commune(1, "Xã Bát Tràng").province

    admin = _user(f"admin@{DEMO_DOMAIN}", "Quản trị hệ thống", is_staff=True, is_superuser=True)
    _member(admin, Role.ADMINISTRATOR)
    central = _user(f"trunguong@{DEMO_DOMAIN}", "Nguyễn Minh Tiến")
    _member(central, Role.CENTRAL_OFFICER)
    province_officer = _user(f"tinh.lamdong@{DEMO_DOMAIN}", "Trần Thị Thu Hà")
    _member(province_officer, Role.PROVINCIAL_OFFICER, province=lam_dong)
    hanoi_officer = _user(f"tinh.hanoi@{DEMO_DOMAIN}", "Lê Đức Nam")
    _member(hanoi_officer, Role.PROVINCIAL_OFFICER, province=ha_noi)
    commune_officer = _user(f"xa.lacduong@{DEMO_DOMAIN}", "Bon Niêng Ha Sơn")
    _member(commune_officer, Role.COMMUNE_OFFICER, commune=lam_dong_officer_commune)

    council, _ = Council.objects.get_or_create(
        name="Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Lâm Đồng",
        defaults={
            "level": Level.PROVINCE,
            "province": lam_dong,
            "term_start": datetime.date(2025, 7, 6),
        },
    )
    council_member = _user(f"hoidong@{DEMO_DOMAIN}", "Phạm Văn Cường")
    _member(council_member, Role.COUNCIL_MEMBER, council=council)
    secretary = _user(f"thuky@{DEMO_DOMAIN}", "Đỗ Ngọc Mai")
    _member(secretary, Role.COUNCIL_SECRETARY, council=council)
    consultancy, _ = Consultancy.objects.get_or_create(
        name="Công ty TNHH Tư vấn Phát triển Nông thôn Xanh",
        defaults={
            "commune": commune(68, "Phường Lâm Viên - Đà Lạt"),
            "phone": "02633822000",
            "fields_of_work": "Hồ sơ OCOP, bao bì nhãn mác, truy xuất nguồn gốc",
        },
    )
    consultant = _user(f"tuvan@{DEMO_DOMAIN}", "Hồ Thanh Tâm")
    _member(consultant, Role.CONSULTANT, consultancy=consultancy)

    officers = {68: province_officer, 1: hanoi_officer}
    producer_login = None
    for n, (prov, commune_name, name, ptype, status) in enumerate(DEMO_PRODUCERS):
        place = commune(prov, commune_name)
        data = _producer_data(rng, n, place, name, ptype)
        existing = Producer.objects.filter(tax_code=data["tax_code"]).first()
        if existing is not None:
            producer = existing
        elif status == "active":
            actor = (
                commune_officer if place == lam_dong_officer_commune else officers.get(prov, admin)
            )
            producer = services.producer_create(actor=actor, data=data)
        else:
            _user_obj, producer = services.producer_register_self(
                user_data={
                    "full_name": data["representative_name"],
                    "phone": f"098{n:07d}",
                    "password": DEMO_PASSWORD,
                },
                data=data,
            )
            if status == "rejected":
                services.producer_reject(
                    actor=commune_officer,
                    producer=producer,
                    reason="Cơ sở chưa hoạt động tại xã; đề nghị bổ sung giấy phép kinh doanh.",
                )
        if name == "Hợp tác xã Cà phê Lang Biang":
            member = _user(f"chuthe@{DEMO_DOMAIN}", data["representative_name"])
            _member(member, Role.PRODUCER_MEMBER, producer=producer)
            producer_login = member

    return [
        DemoLogin("Administrator", admin.email, "—"),
        DemoLogin("Central officer", central.email, "Việt Nam"),
        DemoLogin("Provincial officer", province_officer.email, lam_dong.name),
        DemoLogin("Provincial officer", hanoi_officer.email, ha_noi.name),
        DemoLogin("Commune officer", commune_officer.email, lam_dong_officer_commune.full_name),
        DemoLogin("Council member", council_member.email, council.name),
        DemoLogin("Council secretary", secretary.email, council.name),
        DemoLogin("Consultant", consultant.email, consultancy.name),
        DemoLogin("Producer member", producer_login.email, "Hợp tác xã Cà phê Lang Biang"),
    ]


SCALE_WORDS = [
    "Chè",
    "Cà phê",
    "Mật ong",
    "Gạo",
    "Nấm",
    "Rau",
    "Mứt",
    "Gốm",
    "Mây tre",
    "Thổ cẩm",
    "Nước mắm",
    "Tôm khô",
    "Miến",
    "Bánh",
    "Rượu",
    "Tinh dầu",
    "Hạt điều",
    "Tiêu",
    "Sâm",
    "Cá",
]
SCALE_PREFIX = {
    T.COOPERATIVE: "Hợp tác xã",
    T.ENTERPRISE: "Công ty TNHH",
    T.COOPERATIVE_GROUP: "Tổ hợp tác",
    T.HOUSEHOLD: "Hộ kinh doanh",
}
# Shares of producer types at the end of 2024 (laodong.vn national OCOP map story).
SCALE_TYPE_WEIGHTS = {
    T.COOPERATIVE: 32.7,
    T.ENTERPRISE: 24.1,
    T.HOUSEHOLD: 42.7,
    T.COOPERATIVE_GROUP: 0.5,
}


def scale_producers(count: int, *, seed: int = 1, batch_size: int = 5000) -> int:
    """Add `count` generated producers spread over every commune, with bulk inserts.

    For benchmarks: no audit entries, no users. Returns the number actually added.
    """
    rng = random.Random(seed)
    communes = list(Commune.objects.values_list("code", flat=True))
    if not communes:
        raise RuntimeError("Load the administrative units first (manage.py load_units).")
    start = Producer.objects.count() + 1000
    types, weights = zip(*SCALE_TYPE_WEIGHTS.items(), strict=True)
    added = 0
    rows = []
    for i in range(count):
        ptype = rng.choices(types, weights)[0]
        commune_code = rng.choice(communes)
        name = f"{SCALE_PREFIX[ptype]} {rng.choice(SCALE_WORDS)} {person_name(rng)}"
        workers = rng.randint(2, 80)
        representative = person_name(rng)
        tax_code = tax_code_for(start + i)
        rows.append(
            Producer(
                legal_name=name,
                producer_type=ptype,
                tax_code=tax_code,
                representative_name=representative,
                commune_id=commune_code,
                worker_count=workers,
                female_worker_count=rng.randint(0, workers),
                ethnic_minority_worker_count=rng.randint(0, workers),
                status=ProducerStatus.ACTIVE if rng.random() < 0.9 else ProducerStatus.PENDING,
                search_text=fold(f"{name} {representative} {tax_code}"),
            )
        )
        if len(rows) >= batch_size:
            added += len(Producer.objects.bulk_create(rows, ignore_conflicts=True))
            rows = []
    if rows:
        added += len(Producer.objects.bulk_create(rows, ignore_conflicts=True))
    return added
