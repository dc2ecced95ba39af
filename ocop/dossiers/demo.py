"""Demo records of the OCOP cycle: ideas, plans, products and dossiers in every state.

Made through the services, so every record has the history a real one would have. Part of
`manage.py seed_demo`; idempotent (skips what exists).
"""

import datetime
import random

from django.db import transaction

from ocop.accounts.models import User
from ocop.criteria.models import CriteriaSet, ProductGroup
from ocop.criteria.services import criteria_load
from ocop.ideas import services as ideas
from ocop.ideas.models import ProductIdea
from ocop.plans import services as plans
from ocop.producers.models import Producer
from ocop.products import services as products
from ocop.products.models import Product

from . import rules, selectors, services
from .models import Dossier

DEMO_LINK = "https://ocop.lamdong.gov.vn/ho-so-minh-chung/"


def _group(code: str) -> ProductGroup:
    return ProductGroup.objects.get(branch__decision__code="qd148-2023", code=code)


def _idea(actor, producer, name, group, steps, *, reason="", **extra) -> ProductIdea:
    idea = ProductIdea.objects.filter(producer=producer, product_name=name).first()
    if idea:
        return idea
    data = {
        "product_name": name,
        "product_group": _group(group),
        "year": 2026,
        "raw_material_source": extra.get(
            "raw", "Vùng nguyên liệu của các hộ thành viên tại xã, canh tác theo VietGAP."
        ),
        "local_labour": extra.get("labour", 18),
        "local_labour_note": "Lao động địa phương, phần lớn là phụ nữ dân tộc K'Ho.",
        "local_identity": extra.get(
            "identity", "Sản phẩm gắn với cao nguyên Lang Biang và tri thức canh tác bản địa."
        ),
        "current_output": extra.get("output", "2 tấn/năm"),
        "current_market": "Bán lẻ tại Đà Lạt và qua mạng xã hội.",
        "support_requested": "Thiết kế bao bì, mã vạch, hồ sơ công bố chất lượng.",
    }
    idea = ideas.idea_create(actor=actor, producer=producer, data=data)
    for step in steps:
        ideas.idea_transition(
            actor=actor if step == "submit" else extra["officer"],
            idea=idea,
            name=step,
            reason=reason,
        )
    idea.refresh_from_db()
    return idea


def _plan(actor, officer, idea, steps, *, reason=""):
    if hasattr(idea, "plan"):
        return idea.plan
    plan = plans.plan_create(
        actor=actor,
        idea=idea,
        data={
            "objectives": "Đạt 4 sao OCOP năm 2027; mở rộng vùng nguyên liệu lên 20 ha.",
            "investment_total": 1_200_000_000,
            "funding_sources": "Vốn tự có 40%, vay ưu đãi 40%, hỗ trợ chương trình OCOP 20%.",
            "capacity": "5 tấn/năm",
            "markets": "Cửa hàng OCOP Đà Lạt, sàn thương mại điện tử, khách du lịch.",
            "support_needed": "Tư vấn hồ sơ, thiết kế bao bì.",
            "start_date": datetime.date(2026, 3, 1),
            "end_date": datetime.date(2027, 12, 31),
        },
    )
    for step in steps:
        who = actor if step == "submit" else officer
        plans.plan_transition(actor=who, plan=plan, name=step, reason=reason)
    plan.refresh_from_db()
    return plan


def _product(actor, producer, name, group, **data) -> Product:
    product = Product.objects.filter(producer=producer, name=name).first()
    if product:
        return product
    return products.product_create(
        actor=actor,
        producer=producer,
        data={
            "name": name,
            "product_group": _group(group),
            "description": data.get("description", ""),
            "story": data.get("story", ""),
            "packaging": data.get("packaging", "Hộp 250 g; hũ 500 g"),
            "shelf_life": data.get("shelf_life", "12 tháng"),
            "raw_material_area": data.get("raw", ""),
            "idea": data.get("idea"),
            "plan": data.get("plan"),
        },
    )


def _fill(actor, dossier: Dossier, rng: random.Random, *, skip: int = 0) -> None:
    """Answer every criterion and add every document, leaving the last `skip` criteria."""
    spec = selectors.dossier_spec(dossier=dossier)
    branch = selectors.dossier_branch(dossier=dossier)
    for req in rules.requirements_for(branch):
        services.item_add_link(
            actor=actor, dossier=dossier, key=req.key, url=f"{DEMO_LINK}{req.code}.pdf"
        )
    criteria = spec.criteria()
    for criterion in criteria[: len(criteria) - skip]:
        options = sorted(criterion.options, key=lambda o: o.points)
        option = options[-1] if rng.random() < 0.7 else options[max(0, len(options) - 2)]
        services.item_answer(
            actor=actor,
            dossier=dossier,
            criterion=criterion.code,
            option=option.code,
            explanation="Minh chứng: biên bản, hóa đơn và hình ảnh kèm theo.",
        )
        if option.points:
            services.item_add_link(
                actor=actor,
                dossier=dossier,
                key=rules.criterion_key(criterion.code),
                url=f"{DEMO_LINK}{criterion.code}",
            )


def _dossier(actor, product, steps, rng, *, officer=None, skip=0) -> Dossier | None:
    if Dossier.objects.filter(product=product).exists() or product.criteria_set is None:
        return Dossier.objects.filter(product=product).first()
    dossier = services.dossier_create(actor=actor, product=product)
    _fill(actor, dossier, rng, skip=skip)
    for step in steps:
        if step == "submit":
            services.dossier_submit(actor=actor, dossier=dossier)
        elif step == "return":
            key = rules.criterion_key(selectors.dossier_spec(dossier=dossier).criteria()[0].code)
            services.dossier_return(
                actor=officer,
                dossier=dossier,
                reason="Bổ sung minh chứng cho tiêu chí nguồn nguyên liệu.",
                comments={key: "Cần hợp đồng liên kết vùng nguyên liệu có xác nhận của xã."},
            )
        elif step == "accept":
            services.dossier_accept(actor=officer, dossier=dossier)
    return dossier


@transaction.atomic
def seed_cycle() -> dict[str, int]:
    if not CriteriaSet.objects.exists():
        criteria_load()
    rng = random.Random(148)
    admin = User.objects.get(email="admin@demo.ocop.vn")
    member = User.objects.get(email="chuthe@demo.ocop.vn")
    commune = User.objects.get(email="xa.lacduong@demo.ocop.vn")
    province = User.objects.get(email="tinh.lamdong@demo.ocop.vn")
    lang_biang = Producer.objects.get(legal_name="Hợp tác xã Cà phê Lang Biang")
    tho_cam = Producer.objects.get(legal_name="Tổ hợp tác Dệt thổ cẩm K'Ho Lạc Dương")
    don_duong = Producer.objects.get(legal_name="Hợp tác xã Nông nghiệp Đơn Dương")
    di_linh = Producer.objects.get(legal_name="Hợp tác xã Cà phê Di Linh")
    mut = Producer.objects.get(legal_name="Công ty TNHH Mứt Đà Lạt")
    ga = Producer.objects.get(legal_name="Hợp tác xã Gà Tiên Yên")
    mat_ong = Producer.objects.get(legal_name="Hợp tác xã Mật ong rừng U Minh")
    gao = Producer.objects.get(legal_name="Hợp tác xã Nông sản Bắc Yên")

    # Ideas in every state (the commune officer of Lạc Dương reviews its own commune's).
    honey = _idea(
        member,
        lang_biang,
        "Mật ong hoa cà phê Lang Biang",
        "honey-other-farm-food",
        ["submit", "accept"],
        officer=commune,
    )
    veg = _idea(
        member,
        lang_biang,
        "Rau củ hữu cơ Lang Biang",
        "fresh-produce",
        ["submit", "accept"],
        officer=commune,
    )
    _idea(commune, tho_cam, "Khăn thổ cẩm K'Ho", "handicrafts", [], officer=commune)
    _idea(admin, don_duong, "Cà rốt Đơn Dương", "fresh-produce", ["submit"], officer=admin)
    _idea(
        admin,
        di_linh,
        "Cà phê Robusta Di Linh rang mộc",
        "honey-other-farm-food",
        ["submit", "request_changes"],
        officer=admin,
        reason="Bổ sung thông tin vùng nguyên liệu.",
    )
    _idea(
        admin,
        mut,
        "Mứt hồng treo gió",
        "fast-food",
        ["submit", "decline"],
        officer=admin,
        reason="Trùng với sản phẩm đã đăng ký năm trước.",
    )
    bag = _idea(
        commune, tho_cam, "Túi thổ cẩm K'Ho", "handicrafts", ["submit", "accept"], officer=commune
    )
    jam = _idea(admin, mut, "Mứt dâu tây Đà Lạt", "fast-food", ["submit", "accept"], officer=admin)
    _plan(commune, commune, bag, [])
    _plan(admin, admin, jam, ["submit"])
    # Plans: approved with implementation, returned; a draft and a submitted one above.
    honey_plan = _plan(member, province, honey, ["submit", "approve"])
    if not honey_plan.milestones.exists():
        plans.milestone_add(
            actor=member,
            plan=honey_plan,
            data={"title": "Thiết kế bao bì mới", "due_date": datetime.date(2026, 6, 30)},
        )
        plans.support_add(
            actor=province,
            plan=honey_plan,
            data={
                "kind": "packaging",
                "provider": "Sở Công Thương Lâm Đồng",
                "received_on": datetime.date(2026, 5, 12),
                "amount": 30_000_000,
            },
        )
    _plan(member, commune, veg, ["submit", "return"], reason="Làm rõ nguồn vốn vay.")
    # Products and dossiers in every state.
    honey_product = _product(
        member,
        lang_biang,
        "Mật ong hoa cà phê Lang Biang",
        "honey-other-farm-food",
        idea=honey,
        plan=honey_plan,
        story="Ong được nuôi dưới tán cà phê Arabica trên cao nguyên Lang Biang.",
        raw="20 ha cà phê của các hộ thành viên",
    )
    _product(
        member,
        lang_biang,
        "Cà phê Arabica Lang Biang",
        "honey-other-farm-food",
        description="Cà phê Arabica rang xay, vùng trồng trên 1.500 m.",
    )
    _dossier(member, honey_product, [], rng, skip=5)
    ga_product = _product(
        admin,
        ga,
        "Gà Tiên Yên",
        "fresh-meat-seafood-eggs-milk",
        story="Giống gà bản địa nuôi thả đồi của huyện Tiên Yên cũ.",
    )
    _dossier(admin, ga_product, ["submit"], rng)
    honey_um = _product(admin, mat_ong, "Mật ong rừng U Minh", "honey-other-farm-food")
    _dossier(admin, honey_um, ["submit", "return"], rng, officer=admin)
    rice = _product(admin, gao, "Gạo nếp Bắc Yên", "rice-grains")
    _dossier(admin, rice, ["submit", "accept"], rng, officer=admin)
    return {
        "ideas": ProductIdea.objects.count(),
        "products": Product.objects.count(),
        "dossiers": Dossier.objects.count(),
    }
