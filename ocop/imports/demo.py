"""Demo imports: the cited fixture of real recognised products (data/real_ocop_products.csv)
read as Đà Nẵng's and An Giang's officers would import it, by the central officer. Đà
Nẵng's stays a dry run to read (its rows say why they cannot be imported yet: decisions
before 2023 whose certificate term the rules do not give, addresses missing); An Giang's
2024 decision is applied. Skipped where those provinces' units are not loaded; idempotent."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.accounts.models import User
from ocop.geo.models import Commune, Province

from . import services
from .models import ImportJob

FIXTURE = Path(__file__).parent / "data" / "real_ocop_products.csv"
PROVINCES = {48: False, 91: True}  # province: apply the rows that are ready


def seed_imports() -> int:
    officer = User.objects.filter(email="trunguong@demo.ocop.vn").first()
    if officer is None or not FIXTURE.exists():
        return 0
    for code, apply in PROVINCES.items():
        province = Province.objects.filter(pk=code).first()
        if province is None or not Commune.objects.filter(province=province).exists():
            continue
        if ImportJob.objects.filter(province=province, original_name=FIXTURE.name).exists():
            continue
        job = services.job_upload(
            actor=officer,
            province=province,
            kind="decisions",
            file=SimpleUploadedFile(FIXTURE.name, FIXTURE.read_bytes()),
        )
        job = services.job_check(actor=officer, job=job)
        if apply and job.summary["rows"]["create"]:
            services.job_apply(actor=officer, job=job, skip_errors=True, background=False)
    return ImportJob.objects.count()
