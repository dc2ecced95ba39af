"""The public pages of the criteria sets."""

import pytest
from django.urls import reverse

from ocop.criteria.services import criteria_load


@pytest.fixture
def loaded(db):
    criteria_load()


def test_list_is_public_and_groups_sets_by_decision_and_branch(client, loaded):
    response = client.get(reverse("criteria:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "148/QĐ-TTg" in html and "1048/QĐ-TTg" in html
    assert "Hàng thủ công mỹ nghệ" in html
    assert reverse("criteria:detail", args=["qd148-food-fresh-produce"]) in html


def test_list_without_data(client, db):
    assert client.get(reverse("criteria:list")).status_code == 200


def test_detail_shows_parts_options_and_star_marks(client, loaded):
    response = client.get(reverse("criteria:detail", args=["qd148-food-fresh-produce"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sản phẩm và sức mạnh của cộng đồng" in html
    assert "Gia tăng giá trị" in html
    assert '<span class="badge"' in html and "5★</span>" in html and "3★</span>" in html
    assert "augustine-tran/ocop" in html


def test_detail_of_an_unknown_set(client, loaded):
    response = client.get(reverse("criteria:detail", args=["nope"]))
    assert response.status_code == 404
