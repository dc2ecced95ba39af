from ninja import Router, Schema

from ocop.pagination import DbInt

from . import selectors

router = Router(tags=["administrative units"])


class ProvinceOut(Schema):
    code: int
    name: str
    division_type: str


class CommuneOut(Schema):
    code: int
    name: str
    division_type: str
    province_id: int


@router.get("/provinces", response=list[ProvinceOut])
def provinces(request):
    """The 34 provinces and centrally-run cities of the current structure."""
    return selectors.province_list()


@router.get("/provinces/{code}/communes", response=list[CommuneOut])
def communes(request, code: DbInt):
    return selectors.commune_list(province_code=code)
