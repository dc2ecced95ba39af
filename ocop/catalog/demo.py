"""Demo of the public catalogue: the demo producers' products recognised by decisions of
their provinces made before the platform (imported: no council result in it), a fair with
its participants, and a buyer's message.

The products and decisions are fictional, like every demo record (the producers'
names echo real specialities so that searching feels real). Run after the other demo
seeds; idempotent.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from ocop.accounts.models import User
from ocop.certificates.models import Certificate, DecisionItem, RecognitionDecision
from ocop.criteria.models import ProductGroup
from ocop.producers.models import Producer
from ocop.products.models import Product

from . import services
from .models import Inquiry, TradeEvent

# producer → [(product, group code, stars, description)]
PRODUCTS = {
    "Hợp tác xã Chè Shan Tuyết Tà Xùa": [
        ("Chè Shan Tuyết Tà Xùa", "tea", 5, "Chè cổ thụ hái trên đỉnh Tà Xùa, sao thủ công."),
        ("Hồng trà Shan Tuyết", "tea", 4, "Lá chè Shan Tuyết ủ lên men, vị mật ong."),
    ],
    "Tổ hợp tác Thảo dược Tà Xùa": [
        ("Trà thảo dược Tà Xùa", "herbal-tea", 3, "Các loại lá rừng của người Mông."),
    ],
    "Công ty TNHH Mận hậu Mộc Châu": [
        ("Ô mai mận hậu Mộc Châu", "processed-produce", 4, "Mận hậu chín cây, ô mai gừng."),
    ],
    "Hợp tác xã Chè Mộc Châu Xanh": [("Chè Ô long Mộc Châu", "tea", 4, "")],
    "Hợp tác xã Gà Tiên Yên": [
        ("Gà Tiên Yên", "fresh-meat-seafood-eggs-milk", 4, "Gà chân vàng thả đồi."),
    ],
    "Hợp tác xã Sá sùng Vân Đồn": [
        ("Sá sùng khô Vân Đồn", "processed-meat-seafood-eggs-milk-honey", 5, "Đặc sản biển."),
    ],
    "Tổ hợp tác Nước mắm Cái Rồng": [("Nước mắm Cái Rồng", "liquid-condiments", 4, "")],
    "Công ty Cổ phần Chả mực Hạ Long": [
        ("Chả mực Hạ Long", "processed-meat-seafood-eggs-milk-honey", 5, "Mực giã tay."),
    ],
    "Tổ hợp tác Dệt thổ cẩm K'Ho Lạc Dương": [
        ("Khăn thổ cẩm K'Ho", "textiles-garments", 4, "Dệt tay trên khung truyền thống."),
    ],
    "Hợp tác xã Nông nghiệp Đơn Dương": [
        ("Cà chua Đơn Dương", "fresh-produce", 3, "Trồng trong nhà màng."),
    ],
    "Hợp tác xã Cà phê Di Linh": [
        ("Cà phê Robusta Di Linh", "coffee-cocoa", 4, "Rang mộc, xay hạt."),
        ("Cà phê chồn Di Linh", "coffee-cocoa", 3, ""),
    ],
    "Công ty TNHH Mứt Đà Lạt": [("Mứt hồng dẻo Đà Lạt", "processed-produce", 4, "Hồng treo gió.")],
    "Công ty Cổ phần Atiso Lâm Viên": [("Cao atiso Đà Lạt", "herbal-tea", 4, "")],
    "Hợp tác xã Hoa Đà Lạt": [("Hoa cúc Đà Lạt", "flowers", 3, "")],
    "Công ty TNHH Trà Bảo Lộc": [("Trà ô long Bảo Lộc", "tea", 4, "Vùng chè B'Lao.")],
    "Hợp tác xã Tơ lụa Bảo Lộc": [("Lụa tơ tằm Bảo Lộc", "textiles-garments", 4, "")],
    "Hợp tác xã Gốm sứ Bát Tràng": [
        ("Ấm chén gốm men lam Bát Tràng", "handicrafts", 5, "Men lam vẽ tay, nung củi."),
    ],
    "Công ty TNHH Gốm Men Lam": [("Bình hút lộc men rạn", "handicrafts", 4, "")],
    "Hợp tác xã Sữa bò Ba Vì": [
        ("Sữa chua Ba Vì", "processed-meat-seafood-eggs-milk-honey", 4, "Bò thả đồi Ba Vì."),
    ],
    "Tổ hợp tác Thuốc nam người Dao Ba Vì": [
        ("Thuốc tắm người Dao Ba Vì", "essential-oils-other-herbs", 4, ""),
    ],
    "Hợp tác xã Mây tre đan Phú Vinh": [("Giỏ mây tre đan Phú Vinh", "handicrafts", 5, "")],
    "Hợp tác xã Cua Năm Căn": [("Cua Năm Căn", "fresh-meat-seafood-eggs-milk", 4, "")],
    "Công ty TNHH Tôm khô Năm Căn": [
        ("Tôm khô Năm Căn", "processed-meat-seafood-eggs-milk-honey", 4, "Tôm đất rừng đước."),
    ],
    "Hợp tác xã Mật ong rừng U Minh": [
        ("Mật ong rừng U Minh", "honey-other-farm-food", 5, "Ong khoái rừng tràm U Minh Hạ."),
    ],
    "Hợp tác xã Khô cá Trần Văn Thời": [
        ("Khô cá lóc Trần Văn Thời", "processed-meat-seafood-eggs-milk-honey", 3, ""),
    ],
}
DECISION_DATE = datetime.date(2024, 9, 16)
SIGNER = {"signer_name": "Nguyễn Văn Bình", "signer_title": "KT. Chủ tịch – Phó Chủ tịch"}


def _decision(province) -> RecognitionDecision:
    number = f"{2100 + province.pk}/QĐ-UBND"
    decision, _created = RecognitionDecision.objects.get_or_create(
        number=number,
        issuer=f"Ủy ban nhân dân {province.name[:1].lower()}{province.name[1:]}",
        defaults={
            "date": DECISION_DATE,
            "level": "province",
            "province": province,
            "status": "issued",
            **SIGNER,
        },
    )
    return decision


def _recognise(producer, name: str, group_code: str, stars: int, description: str) -> None:
    if Product.objects.filter(producer=producer, name=name).exists():
        return
    group = ProductGroup.objects.get(code=group_code, branch__decision__code="qd148-2023")
    product = Product.objects.create(
        producer=producer,
        product_group=group,
        name=name,
        description=description,
        where_to_buy="Điểm bán sản phẩm OCOP của tỉnh; gian hàng của chủ thể.",
    )
    province = producer.commune.province
    decision = _decision(province)
    item = DecisionItem.objects.create(
        decision=decision,
        product=product,
        producer=producer,
        product_group=group,
        stars=stars,
    )
    sequence = decision.items.count()
    Certificate.objects.create(
        number=f"{province.pk:02d}-{DECISION_DATE.year}-{900000 + sequence:06d}",
        product=product,
        producer=producer,
        stars=stars,
        decision=decision,
        item=item,
        issued_on=DECISION_DATE,
        expires_on=datetime.date(2027, 9, 16),
    )


@transaction.atomic
def seed_catalog() -> dict[str, int]:
    for legal_name, products in PRODUCTS.items():
        producer = (
            Producer.objects.filter(legal_name=legal_name).select_related("commune__province")
        ).first()
        if producer is None:
            continue
        if not producer.publish_contacts:
            producer.publish_contacts = True
            producer.save(update_fields=["publish_contacts"])
        for name, group, stars, description in products:
            _recognise(producer, name, group, stars, description)
    listed = services.listings_rebuild()
    officer = User.objects.filter(email="tinh.lamdong@demo.ocop.vn").first()
    lang_biang = Producer.objects.filter(legal_name="Hợp tác xã Cà phê Lang Biang").first()
    if officer and lang_biang and not TradeEvent.objects.exists():
        fair = services.trade_event_save(
            actor=officer,
            data={
                "name": "Hội chợ sản phẩm OCOP tỉnh Lâm Đồng 2027",
                "kind": "fair",
                "starts_on": datetime.date(2027, 3, 10),
                "ends_on": datetime.date(2027, 3, 14),
                "applications_close_on": datetime.date(2027, 2, 20),
                "place": "Quảng trường Lâm Viên, Đà Lạt",
                "province": lang_biang.commune.province,
                "organiser": "Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng",
                "description": "Gian hàng miễn phí cho chủ thể có sản phẩm OCOP 3 sao trở lên.",
            },
        )
        member = User.objects.get(email="chuthe@demo.ocop.vn")
        shown = Product.objects.filter(producer=lang_biang, listing__isnull=False)
        if shown.exists():
            application = services.trade_event_apply(
                actor=member, event=fair, producer=lang_biang, products=shown[:2]
            )
            services.trade_event_decide(actor=officer, application=application, accept=True)
    listing = lang_biang.listings.first() if lang_biang else None
    if listing and not Inquiry.objects.exists():
        services.inquiry_send(
            listing=listing,
            data={
                "buyer_name": "Lê Thu Trang",
                "organisation": "Chuỗi cửa hàng Nông sản Sạch Hà Nội",
                "email": "thutrang@example.vn",
                "quantity": "300 hộp mỗi tháng",
                "destination": "Hà Nội",
                "message": "Chúng tôi muốn nhận báo giá sỉ và điều kiện giao hàng ra Hà Nội.",
            },
            address="demo",
        )
    return {"listed": listed}
