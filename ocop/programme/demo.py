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


# The demo library: two guides written from ../shared/reference/ocop_rules.md (its sources
# named in each), rendered to PDF as provinces publish them, and a course that hands one out.
GUIDES = [
    (
        "trunguong@demo.ocop.vn",
        None,
        "Chu trình OCOP sáu bước",
        "programme",
        "Sáu bước của Chương trình Mỗi xã một sản phẩm theo Quyết định 490/QĐ-TTg năm 2018.",
        [
            ("1. Tuyên truyền, hướng dẫn", "Thông tin về chương trình, các khoá tập huấn."),
            ("2. Nhận đăng ký ý tưởng sản phẩm", "Chủ thể đăng ký ý tưởng tại xã."),
            ("3. Nhận phương án, dự án sản xuất kinh doanh", "Chủ thể nộp phương án."),
            ("4. Triển khai phương án, dự án", "Chủ thể thực hiện phương án đã duyệt."),
            ("5. Đánh giá và xếp hạng sản phẩm", "Hội đồng chấm điểm theo Bộ tiêu chí."),
            ("6. Xúc tiến thương mại", "Hội chợ, gian hàng, kết nối người mua."),
        ],
        "Nguồn: Quyết định 490/QĐ-TTg (2018). Nguyên tắc: dân biết, dân bàn, dân làm, dân hưởng.",
    ),
    (
        "tinh.lamdong@demo.ocop.vn",
        68,
        "Hướng dẫn đánh giá, phân hạng sản phẩm OCOP cấp tỉnh",
        "criteria",
        "Hội đồng cấp tỉnh chấm điểm, phân hạng 3–4 sao; sản phẩm đạt từ 90 điểm được đề nghị "
        "Trung ương đánh giá 5 sao.",
        [
            ("Bộ tiêu chí", "100 điểm, ba phần A, B, C; một bộ cho mỗi nhóm sản phẩm."),
            ("Phân hạng", "3★: 50–69 điểm; 4★: 70–89 điểm; 5★: 90–100 điểm."),
            ("Chấm điểm", "Thành viên chấm độc lập; điểm sản phẩm là trung bình cộng."),
            ("Chênh lệch", "Tổng điểm chênh nhau quá 10 điểm thì hội đồng thảo luận, chấm lại."),
            ("Giấy chứng nhận", "Có giá trị 36 tháng; đánh giá lại khi hết hạn."),
        ],
        "Nguồn: Quyết định 148/QĐ-TTg (2023), Quyết định 1489/QĐ-TTg (2025); quy chế hội đồng "
        "tỉnh Tây Ninh, hướng dẫn tỉnh Bến Tre.",
    ),
]


def _guide_pdf(title: str, summary: str, sections, source: str) -> bytes:
    from django.utils.html import escape
    from weasyprint import HTML

    body = "".join(f"<h2>{escape(h)}</h2><p>{escape(t)}</p>" for h, t in sections)
    html = (
        "<html lang='vi'><head><meta charset='utf-8'><style>"
        "body{font-family:'Noto Sans',sans-serif;font-size:11pt}h1{font-size:18pt}"
        "h2{font-size:13pt;margin-bottom:2pt}.source{color:#555;font-size:9pt}</style></head>"
        f"<body><h1>{escape(title)}</h1><p>{escape(summary)}</p>{body}"
        f"<p class='source'>{escape(source)}</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def seed_guidance() -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.text import slugify

    from ocop.geo.models import Commune
    from ocop.search.text import fold

    from .models import GuidanceDocument, TrainingCourse

    officer = User.objects.filter(email="tinh.lamdong@demo.ocop.vn").first()
    course = TrainingCourse.objects.filter(title__startswith="Tập huấn xây dựng hồ sơ").first()
    if officer is not None and course is None:
        course = services.course_save(
            actor=officer,
            data={
                "title": "Tập huấn xây dựng hồ sơ và câu chuyện sản phẩm OCOP",
                "topic": "Bộ tiêu chí, minh chứng của hồ sơ, câu chuyện sản phẩm, bao bì nhãn mác",
                "starts_on": datetime.date(2026, 11, 18),
                "ends_on": datetime.date(2026, 11, 19),
                "place": "Hội trường UBND xã Lạc Dương",
                "online": False,
                "organiser": "Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng",
                "trainers": "Trần Thị Thu Hà\nHồ Thanh Tâm",
                "province": Province.objects.get(pk=68),
                "commune": Commune.objects.get(province_id=68, name="Xã Lạc Dương"),
            },
        )
    for n, (login, province, title, topic, summary, sections, source) in enumerate(GUIDES):
        author = User.objects.filter(email=login).first()
        if author is None or GuidanceDocument.objects.filter(title=title).exists():
            continue
        pdf = _guide_pdf(title, summary, sections, source)
        services.guidance_save(
            actor=author,
            data={
                "title": title,
                "summary": summary,
                "topic": topic,
                "province": Province.objects.get(pk=province) if province else None,
                "commune": None,
                "course": course if n == 1 else None,
                "published": True,
            },
            file=SimpleUploadedFile(f"{slugify(fold(title))}.pdf", pdf, "application/pdf"),
        )
    return GuidanceDocument.objects.count()
