"""Demo OCOP plans: Lâm Đồng's approved plan for 2026–2030 with its targets, and Hà Nội's
draft. Idempotent."""

import datetime

from ocop.accounts.models import User
from ocop.geo.models import Province

from . import services
from .models import Metric, ProgrammePlan


def seed_programme() -> int:
    plans = [
        (
            "tinh.lamdong@demo.ocop.vn",
            68,
            "Đề án Chương trình OCOP tỉnh Lâm Đồng giai đoạn 2026–2030",
            {
                Metric.PRODUCTS: 150,
                Metric.PRODUCTS_4: 40,
                Metric.PRODUCTS_5: 3,
                Metric.PRODUCERS: 90,
            },
            ("1520/QĐ-UBND", datetime.date(2026, 3, 12)),
        ),
        (
            "tinh.hanoi@demo.ocop.vn",
            1,
            "Kế hoạch phát triển sản phẩm OCOP Thành phố Hà Nội năm 2027",
            {Metric.PRODUCTS: 1000, Metric.PRODUCTS_5: 20},
            None,
        ),
    ]
    for login, province, title, targets, approval in plans:
        officer = User.objects.filter(email=login).first()
        if officer is None or ProgrammePlan.objects.filter(title=title).exists():
            continue
        plan = services.plan_save(
            actor=officer,
            data={
                "title": title,
                "start_year": 2026 if approval else 2027,
                "end_year": 2030 if approval else 2027,
                "province": Province.objects.get(pk=province),
                "commune": None,
            },
            targets=targets,
        )
        if approval:
            services.plan_approve(actor=officer, plan=plan, number=approval[0], date=approval[1])
    return ProgrammePlan.objects.count()
