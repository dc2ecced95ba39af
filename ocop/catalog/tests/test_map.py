from ocop.catalog import map as vn_map


def test_the_boundaries_hold_the_34_provinces_and_the_archipelagos():
    data = vn_map.boundaries()
    assert len(data["provinces"]) == 34
    names = {i["name"]: i["province"] for i in data["islands"]}
    assert names == {"Quần đảo Hoàng Sa": "48", "Quần đảo Trường Sa": "56"}


def test_the_attribution_is_the_data_s():
    from django.utils import translation

    with translation.override("en"):
        assert str(vn_map.ATTRIBUTION) == vn_map.boundaries()["attribution"]


def test_shades_grow_with_the_count():
    shades = [vn_map.shade(n, 50) for n in (0, 1, 10, 25, 40, 50)]
    assert shades[0] == vn_map.SHADES[0]
    assert [vn_map.SHADES.index(s) for s in shades] == sorted(
        vn_map.SHADES.index(s) for s in shades
    )
    assert shades[-1] == vn_map.SHADES[-1]


def test_map_view_colours_and_links():
    view = vn_map.map_view({68: 10, 1: 2}, {68: "/tinh/lam-dong/"})
    lam_dong = next(p for p in view.provinces if p.code == 68)
    assert (lam_dong.count, lam_dong.fill, lam_dong.url) == (
        10,
        vn_map.SHADES[5],
        "/tinh/lam-dong/",
    )
    assert next(p for p in view.provinces if p.code == 79).fill == vn_map.SHADES[0]
    assert view.legend[0] == (vn_map.SHADES[0], "0")
