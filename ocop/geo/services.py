"""Loading Vietnam's administrative units from the `vietnam-provinces` package."""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province as VPProvince
from vietnam_provinces import Ward as VPWard
from vietnam_provinces import __data_version__ as VP_DATA_VERSION
from vietnam_provinces.legacy.base import District as VPLegacyDistrict
from vietnam_provinces.legacy.base import Province as VPLegacyProvince
from vietnam_provinces.legacy.base import Ward as VPLegacyWard

from .models import (
    Commune,
    CommuneSuccession,
    LegacyCommune,
    LegacyDistrict,
    LegacyProvince,
    Province,
)

UNIT_FIELDS = ["name", "codename", "division_type"]


@dataclass(frozen=True)
class UnitsLoaded:
    provinces: int
    communes: int
    legacy_provinces: int
    legacy_districts: int
    legacy_communes: int
    successions: int
    data_version: str = VP_DATA_VERSION


def _upsert(model, rows, extra_fields=()) -> None:
    model.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[*UNIT_FIELDS, *extra_fields],
    )


@transaction.atomic
def units_load(*, province_codes: set[int] | None = None, legacy: bool = False) -> UnitsLoaded:
    """Load or refresh every administrative unit, current and legacy, and the 2025 mapping.

    Idempotent: rows are upserted on their official code, and a succession that the data no
    longer has is removed. Units are never deleted, since records may still point at them.
    With `province_codes`, only those current provinces and their communes are loaded (no
    legacy units, unless `legacy`: then the legacy units that went into them): a quick
    partial load for tests and small set-ups.
    """
    _upsert(
        Province,
        [
            Province(
                code=int(p.code), name=p.name, codename=p.codename, division_type=p.division_type
            )
            for p in VPProvince.iter_all()
            if province_codes is None or int(p.code) in province_codes
        ],
    )
    _upsert(
        Commune,
        [
            Commune(
                code=int(w.code),
                name=w.name,
                codename=w.codename,
                division_type=w.division_type,
                province_id=int(w.province_code),
            )
            for w in VPWard.iter_all()
            if province_codes is None or int(w.province_code) in province_codes
        ],
        extra_fields=["province"],
    )
    if province_codes is not None and not legacy:
        return _counts(successions=CommuneSuccession.objects.count())
    wanted = None  # the legacy communes to load (None: all of them)
    if province_codes is not None:
        wanted = {
            int(source.code)
            for ward in VPWard.iter_all()
            if int(ward.province_code) in province_codes
            for source in ward.get_legacy_sources()
        }
    legacy_wards = [w for w in VPLegacyWard.iter_all() if wanted is None or int(w.code) in wanted]
    districts = {int(w.district_code) for w in legacy_wards}
    legacy_districts = [
        d for d in VPLegacyDistrict.iter_all() if wanted is None or int(d.code) in districts
    ]
    provinces = {int(d.province_code) for d in legacy_districts}
    _upsert(
        LegacyProvince,
        [
            LegacyProvince(
                code=int(p.code), name=p.name, codename=p.codename, division_type=p.division_type
            )
            for p in VPLegacyProvince.iter_all()
            if wanted is None or int(p.code) in provinces
        ],
    )
    _upsert(
        LegacyDistrict,
        [
            LegacyDistrict(
                code=int(d.code),
                name=d.name,
                codename=d.codename,
                division_type=d.division_type,
                province_id=int(d.province_code),
            )
            for d in legacy_districts
        ],
        extra_fields=["province"],
    )
    _upsert(
        LegacyCommune,
        [
            LegacyCommune(
                code=int(w.code),
                name=w.name,
                codename=w.codename,
                division_type=w.division_type,
                district_id=int(w.district_code),
            )
            for w in legacy_wards
        ],
        extra_fields=["district"],
    )
    successions = _load_successions({int(w.code) for w in legacy_wards}, province_codes)
    return _counts(successions=successions)


def _counts(*, successions: int) -> UnitsLoaded:
    return UnitsLoaded(
        provinces=Province.objects.count(),
        communes=Commune.objects.count(),
        legacy_provinces=LegacyProvince.objects.count(),
        legacy_districts=LegacyDistrict.objects.count(),
        legacy_communes=LegacyCommune.objects.count(),
        successions=successions,
    )


def _load_successions(legacy_codes: set[int], province_codes: set[int] | None = None) -> int:
    """Links from each legacy commune to the current communes formed from it.

    Read through the package's public `Ward.get_legacy_sources()`; a legacy commune that
    appears under several current communes was split, and the link is marked partial.
    """
    links = [
        (int(source.code), int(ward.code))
        for ward in VPWard.iter_all()
        if province_codes is None or int(ward.province_code) in province_codes
        for source in ward.get_legacy_sources()
        if int(source.code) in legacy_codes
    ]
    successors_of = Counter(old for old, _new in links)
    wanted = {(old, new): successors_of[old] > 1 for old, new in links}
    existing = {
        (s.legacy_commune_id, s.commune_id): s
        for s in CommuneSuccession.objects.only(
            "id", "legacy_commune_id", "commune_id", "is_partial"
        )
    }
    if province_codes is None:  # a partial load leaves the other provinces' links alone
        stale = [s.id for key, s in existing.items() if key not in wanted]
        CommuneSuccession.objects.filter(id__in=stale).delete()
    changed = [s for key, s in existing.items() if key in wanted and s.is_partial != wanted[key]]
    for s in changed:
        s.is_partial = wanted[(s.legacy_commune_id, s.commune_id)]
    CommuneSuccession.objects.bulk_update(changed, ["is_partial"], batch_size=2000)
    CommuneSuccession.objects.bulk_create(
        [
            CommuneSuccession(legacy_commune_id=old, commune_id=new, is_partial=partial)
            for (old, new), partial in wanted.items()
            if (old, new) not in existing
        ],
        batch_size=2000,
    )
    return len(wanted)
