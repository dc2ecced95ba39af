import datetime

import pytest
from django.utils import timezone

from ocop.geo.models import Commune
from ocop.geo.services import units_load

from .builders import groups, listed_product, producer_in

HA_GIANG_TUYEN_QUANG = 8  # Tỉnh Tuyên Quang (Hà Giang merged into it in 2025)
LAM_DONG = 68


@pytest.fixture
def catalogue(world):
    """A dozen listed products in three provinces, and one expired, one revoked."""
    units_load(province_codes={HA_GIANG_TUYEN_QUANG, 66})
    g = groups()
    tuyen_quang = Commune.objects.filter(province_id=HA_GIANG_TUYEN_QUANG).order_by("pk")[0]
    dak_lak = Commune.objects.filter(province_id=66).order_by("pk")[0]
    ta_xua = producer_in(tuyen_quang, "Hợp tác xã Chè Shan Tuyết Tà Xùa", "0100686209")
    lang_biang = world.producer_a  # Hợp tác xã Cà phê Lang Biang
    dak = producer_in(dak_lak, "Công ty Đặc sản Đắk Nông Xanh", "0301234562",
                      producer_type="enterprise")  # fmt: skip
    hanoi = world.producer_c  # Hợp tác xã Gốm sứ Bát Tràng, Hà Nội
    made = {
        "shan": listed_product(ta_xua, "Chè Shan Tuyết Tà Xùa", g["tea"], stars=5,
                               description="Chè cổ thụ hái trên đỉnh Tà Xùa."),
        "shan_green": listed_product(ta_xua, "Trà xanh Tà Xùa", g["tea"], stars=3),
        "arabica": listed_product(lang_biang, "Cà phê Arabica Cầu Đất", g["coffee"], stars=4),
        "robusta": listed_product(lang_biang, "Cà phê Robusta rang mộc", g["coffee"], stars=3),
        "atiso": listed_product(lang_biang, "Trà atiso Đà Lạt", g["tea"], stars=4,
                                description="Atiso trồng tại Lạc Dương."),
        "dac_san": listed_product(dak, "Đặc sản Đắk Nông hạt mắc ca", g["fresh"], stars=4),
        "ca_cao": listed_product(dak, "Ca cao lên men Đắk Lắk", g["coffee"], stars=3),
        "bat_trang": listed_product(hanoi, "Ấm chén gốm men lam", g["fresh"], stars=5),
        "dau_tay": listed_product(lang_biang, "Dâu tây Lạc Dương", g["fresh"], stars=3),
    }  # fmt: skip
    long_ago = timezone.localdate() - datetime.timedelta(days=4 * 365)
    made["expired"] = listed_product(
        lang_biang, "Chè búp Cầu Đất cũ", g["tea"], issued_on=long_ago,
        expires_on=long_ago + datetime.timedelta(days=3 * 365),
    )  # fmt: skip
    return made
