from django.core.management import call_command

from ocop.geo.models import (
    Commune,
    CommuneSuccession,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
    Province,
)
from ocop.geo.selectors import legacy_commune_successors
from ocop.geo.services import units_load


def test_loads_current_and_legacy_units(db):
    loaded = units_load()
    assert loaded.provinces == Province.objects.count() == 34
    assert loaded.legacy_provinces == LegacyProvince.objects.count() == 63
    assert LegacyDistrict.objects.count() == loaded.legacy_districts > 600
    assert Commune.objects.count() == loaded.communes > 3000
    assert LegacyCommune.objects.count() == loaded.legacy_communes > 10000
    assert Province.objects.get(code=68).name == "Tỉnh Lâm Đồng"
    assert Commune.objects.get(code=3868).name == "Xã Tà Xùa"
    assert Commune.objects.get(code=3868).province_id == 14


def test_loading_twice_changes_nothing(db):
    first = units_load()
    links = set(
        CommuneSuccession.objects.values_list("legacy_commune_id", "commune_id", "is_partial")
    )
    second = units_load()
    assert first == second
    assert links == set(
        CommuneSuccession.objects.values_list("legacy_commune_id", "commune_id", "is_partial")
    )


def test_refresh_repairs_edited_rows(db):
    units_load()
    Province.objects.filter(code=68).update(name="Sai tên")
    CommuneSuccession.objects.filter(legacy_commune_id=19).delete()
    units_load()
    assert Province.objects.get(code=68).name == "Tỉnh Lâm Đồng"
    assert CommuneSuccession.objects.filter(legacy_commune_id=19).count() == 4


def test_legacy_commune_maps_to_current_communes(db):
    units_load()
    # Phường Phúc Xá (quận Ba Đình, Hà Nội) went whole into Phường Hồng Hà.
    whole = LegacyCommune.objects.get(code=1)
    assert whole.district.name == "Quận Ba Đình"
    assert whole.district.province.name == "Thành phố Hà Nội"
    successors = legacy_commune_successors(legacy_code=1)
    assert len(successors) == 1
    assert successors[0][1] is False
    # Phường Điện Biên (legacy code 19) was split into four wards: a person must choose.
    split = legacy_commune_successors(legacy_code=19)
    assert {c.name for c, _partial in split} == {
        "Phường Ba Đình",
        "Phường Hoàn Kiếm",
        "Phường Ô Chợ Dừa",
        "Phường Văn Miếu - Quốc Tử Giám",
    }
    assert all(partial for _c, partial in split)


def test_partial_load_for_small_set_ups(db):
    units_load(province_codes={68})
    assert list(Province.objects.values_list("code", flat=True)) == [68]
    assert Commune.objects.filter(province_id=68).count() == Commune.objects.count() > 100
    assert not LegacyCommune.objects.exists()


def test_command_prints_the_counts(db, capsys):
    call_command("load_units")
    out = capsys.readouterr().out
    assert "34 provinces" in out and "63 provinces" in out
