"""From a read table to a plan of what to write, row by row, and from a plan to the register.

`plan_rows` reads every row against the register (looked up in bulk, a few queries for the
whole file) and decides for each: create, update, unchanged, or error with the reasons and
the cells. Nothing is written. `apply_plan` writes what the plan says with bulk inserts,
inside the caller's transaction, and records every record it created or changed
(`ImportChange`) so that the import can be reverted.

Records are matched, so that importing the same file twice changes nothing:
producers on the tax code (or, without one, the folded name in the commune), products on
the producer and the folded name, decisions on the number, year and issuing level,
certificates on their number or on the decision and product.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from ocop.certificates import terms
from ocop.certificates.models import Certificate, DecisionItem, RecognitionDecision
from ocop.criteria.models import Decision as CriteriaDecision
from ocop.criteria.models import ProductGroup
from ocop.geo.models import Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province
from ocop.producers.models import TYPES_REQUIRING_TAX_CODE, Producer, ProducerStatus
from ocop.products.models import Product
from ocop.search.text import fold

from . import values
from .addresses import UnitIndex
from .columns import FIELDS, fold_header
from .table import Table, _

PRODUCER_UPDATABLE = ("representative_name", "phone", "email", "street_address")
CENTRAL_ISSUERS = ("bo nong nghiep", "thu tuong", "chinh phu", "trung uong")


# --- The report --------------------------------------------------------------------------------


@dataclass
class RowReport:
    row: int
    label: str = ""
    outcome: str = "unchanged"  # create | update | unchanged | error
    records: dict[str, str] = field(default_factory=dict)  # {"producer": "create", ...}
    errors: list[list[str]] = field(default_factory=list)  # [cell, message]
    warnings: list[list[str]] = field(default_factory=list)
    address: str = ""  # when a person must choose the commune
    candidates: list[list] = field(default_factory=list)  # [[code, label], ...]

    def as_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v or k in ("row", "outcome")}


@dataclass
class PlannedProducer:
    row: int
    existing: Producer | None
    data: dict  # fields for a new producer
    changes: dict = field(default_factory=dict)  # field: new value, for an existing one
    instance: Producer | None = None  # after apply


@dataclass
class PlannedProduct:
    row: int
    producer_key: tuple
    existing: Product | None
    name: str
    group_id: int
    changes: dict = field(default_factory=dict)
    instance: Product | None = None


@dataclass
class PlannedDecision:
    row: int
    existing: RecognitionDecision | None
    number: str
    date: datetime.date
    issuer: str
    level: str
    province_id: int | None
    instance: RecognitionDecision | None = None


@dataclass
class PlannedCertificate:
    row: int
    decision_key: tuple
    product_key: tuple
    producer_key: tuple
    stars: int
    score: float | None
    number: str  # "" to number it from the register's sequence
    valid_until: datetime.date


@dataclass
class Plan:
    rows: list[RowReport]
    producers: dict[tuple, PlannedProducer] = field(default_factory=dict)
    products: dict[tuple, PlannedProduct] = field(default_factory=dict)
    decisions: dict[tuple, PlannedDecision] = field(default_factory=dict)
    certificates: list[PlannedCertificate] = field(default_factory=list)
    certificate_rows: dict[tuple, int] = field(default_factory=dict)  # (decision, product)
    certificate_numbers: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict:
        counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            counts[row.outcome] += 1
        records: dict[str, dict[str, int]] = {}
        for row in self.rows:
            if row.outcome == "error":
                continue
            for record, action in row.records.items():
                records.setdefault(record, {}).setdefault(action, 0)
                records[record][action] += 1
        return {"rows": counts, "records": records}


# --- The register, looked up once -----------------------------------------------------------

_UNITS: dict = {}


def unit_index() -> UnitIndex:
    """Every unit, current and legacy, in memory (built once per process: ~1 s)."""
    stamp = (Commune.objects.count(), LegacyCommune.objects.count())
    if _UNITS.get("stamp") != stamp:
        successors: dict[int, list[int]] = {}
        for legacy, commune in LegacyCommune.successors.through.objects.values_list(
            "legacy_commune_id", "commune_id"
        ):
            successors.setdefault(legacy, []).append(commune)
        _UNITS["index"] = UnitIndex.build(
            provinces=Province.objects.values_list("code", "name"),
            communes=Commune.objects.values_list("code", "name", "province_id"),
            legacy_provinces=LegacyProvince.objects.values_list("code", "name"),
            legacy_districts=LegacyDistrict.objects.values_list("code", "name", "province_id"),
            legacy_communes=[
                (code, name, district, successors.get(code, []))
                for code, name, district in LegacyCommune.objects.values_list(
                    "code", "name", "district_id"
                )
            ],
        )
        _UNITS["stamp"] = stamp
    return _UNITS["index"]


class Groups:
    """Product groups of the criteria decision in force on a date (the latest one before)."""

    def __init__(self):
        self.decisions = [
            (d.decision_date or datetime.date.min, d.pk)
            for d in CriteriaDecision.objects.order_by("decision_date")
        ]
        self.by_decision: dict[int, list[tuple[int, str, str, str, str]]] = {}
        for g in ProductGroup.objects.select_related("branch"):
            self.by_decision.setdefault(g.branch.decision_id, []).append(
                (g.pk, g.code, fold_header(g.name_vi), fold_header(g.branch.name_vi), g.name_vi)
            )

    def find(self, value: str, day: datetime.date | None) -> int:
        """The group named by `value` (its code or name, or the start of a unique name) in
        the decision in force on `day`; a name of another decision's taxonomy is taken by
        its code ("Sản phẩm cà phê, ca cao" of 2023 for a 2022 decision's "Cà phê, Ca cao")."""
        if not self.decisions:
            raise values.BadValue(_("No criteria set is loaded: run manage.py load_criteria."))
        decision = self.decisions[-1][1]
        for starts, pk in self.decisions:
            if day is not None and starts <= day:
                decision = pk
        key = fold_header(value)
        if not key:
            raise values.BadValue(_("The product group is empty."))
        groups = self.by_decision.get(decision, [])
        example = next((g[4] for g in groups if g[3] == key), None)
        if example is not None and not any(key in (g[1], g[2]) for g in groups):
            raise values.BadValue(
                _("“%(value)s” is a branch, not a product group: name the group (e.g. %(g)s)."),
                value=value,
                g=example,
            )
        found = self._match(groups, key, value)
        if found is None:
            others = [g for pk, gs in self.by_decision.items() if pk != decision for g in gs]
            other = self._match(others, key, value)
            if other is not None:
                code = next(g[1] for g in others if g[0] == other)
                found = next((g[0] for g in groups if g[1] == code), other)
        if found is not None:
            return found
        raise values.BadValue(_("“%(value)s” is not a product group."), value=value)

    @staticmethod
    def _match(groups, key: str, value: str) -> int | None:
        for hits in (
            [g for g in groups if key in (g[1], g[2])],
            [g for g in groups if g[2].startswith(key + " ")],
            [g for g in groups if key in g[2]],
        ):
            if len({g[1] for g in hits}) == 1:
                return hits[0][0]
            if hits:
                names = "; ".join(sorted({g[4] for g in hits}))
                raise values.BadValue(
                    _("“%(value)s” fits several product groups (%(names)s): write the whole name."),
                    value=value,
                    names=names,
                )
        return None


# --- Planning ----------------------------------------------------------------------------------


_ABBREVIATIONS = {
    "htx": "hop tac xa",
    "tht": "to hop tac",
    "cty": "cong ty",
    "hkd": "ho kinh doanh",
    "dn": "doanh nghiep",
    "tnhh": "trach nhiem huu han",
}


def same_name(name: str) -> str:
    """A producer's name folded with its usual abbreviations written out."""
    return " ".join(_ABBREVIATIONS.get(w, w) for w in fold_header(name).split())


def _default_issuer(province: Province) -> str:
    return f"Ủy ban nhân dân {province.name[:1].lower()}{province.name[1:]}"


def plan_rows(
    *, table: Table, mapping: dict[str, int], kind: str, province, choices=None, progress=None
):
    """The plan for every row of `table` (mapping: field → column index); `progress(n)` is
    told every thousand rows."""
    choices = choices or {}
    index = unit_index()
    groups = Groups() if kind in ("products", "decisions") else None
    column = dict(mapping.items())

    def get(row, key):
        i = column.get(key)
        return row[i] if i is not None else None

    # The register's records that the file may name, in bulk.
    tax_codes = {
        values.tax_code(get(r, "tax_code")) for r in table.rows if get(r, "tax_code") is not None
    } - {""}
    by_tax = {p.tax_code: p for p in Producer.objects.filter(tax_code__in=tax_codes)}
    by_name = {
        (fold(p.legal_name), p.commune_id): p
        for p in Producer.objects.filter(commune__province=province)
    }
    known_producers = {p.pk for p in [*by_tax.values(), *by_name.values()]}
    products = {
        (p.producer_id, fold(p.name)): p
        for p in Product.objects.filter(producer_id__in=known_producers)
    }
    numbers = set()
    for r in table.rows:
        if get(r, "decision_number") is not None:
            with contextlib.suppress(values.BadValue):
                numbers.add(values.decision_number(get(r, "decision_number")))
    decisions = {
        (d.number, d.date.year, d.level, d.province_id): d
        for d in RecognitionDecision.objects.filter(number__in=numbers)
    }
    items = {
        (i.decision_id, i.product_id): i
        for i in DecisionItem.objects.filter(decision__in=decisions.values()).select_related(
            "certificate"
        )
    }
    cert_numbers = {
        str(get(r, "certificate_number")).strip()
        for r in table.rows
        if get(r, "certificate_number") not in (None, "")
    }
    certificates = {
        c.number: c for c in Certificate.objects.filter(number__in=cert_numbers).only(
            "number", "product_id", "decision_id"
        )
    }  # fmt: skip
    communes_of_province = {
        code for code, (_n, prov) in index.communes.items() if prov == province.pk
    }

    plan = Plan(rows=[])
    for i, row in enumerate(table.rows):
        if progress is not None and i and i % 1000 == 0:
            progress(i)
        report = RowReport(row=table.row_numbers[i])
        plan.rows.append(report)

        def cell(key, i=i):
            return table.cell(i, column[key]) if key in column else ""

        def fail(key, message, report=report, **params):
            report.errors.append([cell(key), message, params])

        def warn(key, message, report=report, **params):
            report.warnings.append([cell(key), message, params])

        # The producer.
        name = values.text(get(row, "producer_name"))
        report.label = name
        if not name:
            fail("producer_name", _("The producer's name is empty."))
        try:
            producer_type = values.producer_type(get(row, "producer_type"), name)
        except values.BadValue as exc:
            producer_type = ""
            fail("producer_type" if "producer_type" in column else "producer_name", exc.message,
                 **exc.params)  # fmt: skip
        tax = values.tax_code(get(row, "tax_code"))
        commune, legacy_text, street = _commune_of(
            row, get, cell, report, index, province, choices, communes_of_province
        )
        producer_key = ("tax", tax) if tax else ("name", fold(name), commune)
        planned_producer = plan.producers.get(producer_key)
        existing = by_tax.get(tax) if tax else by_name.get((fold(name), commune))
        if tax and existing is None:
            existing = by_name.get((fold(name), commune))
            if existing is not None and existing.tax_code and existing.tax_code != tax:
                existing = None  # a namesake with another tax code: a different producer
        known_name = (
            (planned_producer.data.get("legal_name") or planned_producer.existing.legal_name)
            if planned_producer is not None
            else existing.legal_name
            if existing is not None
            else name
        )
        if tax and same_name(known_name) != same_name(name):
            warn(
                "producer_name",
                _("The register or an earlier row names the producer of this tax code “%(name)s”."),
                name=known_name,
            )
        data = {
            "legal_name": name,
            "producer_type": producer_type,
            "tax_code": tax or None,
            "representative_name": values.text(get(row, "representative")),
            "street_address": street[:255],
            "legacy_address": legacy_text[:255],
            "phone": values.text(get(row, "phone"))[:20],
            "email": values.text(get(row, "email")),
            "commune_id": commune,
        }
        if not tax and producer_type in TYPES_REQUIRING_TAX_CODE:
            data["tax_code_pending"] = True
            warn(
                "tax_code" if "tax_code" in column else "producer_name",
                _("No tax code: the producer is recorded with its tax code to be completed."),
            )
        if existing is not None:
            if existing.commune.province_id != province.pk:
                fail("producer_name", _("This producer is registered in another province."))
            if commune and existing.commune_id != commune:
                warn(
                    "address",
                    _("The register puts this producer in another commune; it is not moved."),
                )
            changes = {
                f: data[f]
                for f in PRODUCER_UPDATABLE
                if data[f] and data[f] != getattr(existing, f)
            }
            report.records["producer"] = "update" if changes else "unchanged"
        else:
            changes = {}
            report.records["producer"] = "create" if planned_producer is None else "unchanged"
            if not report.errors and planned_producer is None:
                _validate_producer(data, fail)

        # The product.
        product_key = None
        if kind in ("products", "decisions"):
            product_name = values.text(get(row, "product_name"))
            if not product_name:
                fail("product_name", _("The product's name is empty."))
            report.label = f"{product_name} · {name}" if product_name else name
            day = _decision_day(row, get)
            try:
                group = groups.find(values.text(get(row, "product_group")), day)
            except values.BadValue as exc:
                group = None
                fail("product_group", exc.message, **exc.params)
            product_key = (producer_key, fold(product_name))
            existing_product = (
                products.get((existing.pk, fold(product_name))) if existing is not None else None
            )
            planned_product = plan.products.get(product_key)
            if existing_product is not None:
                product_changes = (
                    {"product_group_id": group}
                    if group and existing_product.product_group_id != group
                    else {}
                )
                report.records["product"] = "update" if product_changes else "unchanged"
            else:
                product_changes = {}
                report.records["product"] = "create" if planned_product is None else "unchanged"
            if planned_product is not None and group and planned_product.group_id != group:
                fail("product_group", _("Row %(row)s puts this product in another group."),
                     row=planned_product.row)  # fmt: skip

        # The decision and the certificate.
        planned_decision = planned_certificate = None
        if kind == "decisions":
            planned_decision, planned_certificate = _decision_of(
                row, get, fail, report, province, plan, decisions, items, certificates,
                existing, existing_product, product_key, producer_key,
            )  # fmt: skip

        if report.errors:
            report.outcome = "error"
            continue
        # The row is sound: its records join the plan.
        if planned_producer is None:
            plan.producers[producer_key] = PlannedProducer(
                report.row, existing, data if existing is None else {}, changes
            )
        elif changes and planned_producer.existing is not None:
            planned_producer.changes.update(changes)
        if product_key is not None and product_key not in plan.products:
            plan.products[product_key] = PlannedProduct(
                report.row, producer_key, existing_product, product_name, group, product_changes
            )
        if planned_decision is not None:
            plan.decisions.setdefault(planned_decision[0], planned_decision[1])
        if planned_certificate is not None:
            plan.certificates.append(planned_certificate)
            key = (planned_certificate.decision_key, planned_certificate.product_key)
            plan.certificate_rows[key] = report.row
            if planned_certificate.number:
                plan.certificate_numbers[planned_certificate.number] = report.row
        actions = set(report.records.values())
        report.outcome = (
            "create" if "create" in actions else "update" if "update" in actions else "unchanged"
        )
    return plan


def _commune_of(row, get, cell, report, index, province, choices, communes_of_province):
    """Today's commune of the row's producer, the legacy text if it was written the old
    way, and the street part of the address."""
    code = values.text(get(row, "commune_code"))
    if code:
        if code.isdigit() and int(code) in communes_of_province:
            return int(code), "", values.text(get(row, "address"))
        report.errors.append(
            [cell("commune_code"), _("“%(code)s” is not a commune code of %(province)s."),
             {"code": code, "province": province.name}]
        )  # fmt: skip
        return None, "", ""
    parts = [values.text(get(row, k)) for k in ("address", "commune", "district", "province")]
    text = ", ".join(p for p in parts if p)
    where = cell("address") or cell("commune")
    if not text:
        report.errors.append([where, _("The address is empty."), {}])
        return None, "", ""
    if text in choices:
        chosen = choices[text]
        if chosen in communes_of_province:
            return chosen, text, ""
    result = index.resolve(text, province_hint=province.pk)
    if result.commune is None:
        report.errors.append([where, result.problem, result.params])
        if result.candidates:
            report.address = text
            report.candidates = [
                [c, f"{index.communes[c][0]}, {index.province_names[index.communes[c][1]]}"]
                for c in result.candidates
            ]
        return None, "", ""
    if result.commune not in communes_of_province:
        report.errors.append(
            [where, _("This address is in %(other)s, not in %(province)s."),
             {"other": index.province_names[index.communes[result.commune][1]],
              "province": province.name}]
        )  # fmt: skip
        return None, "", ""
    return result.commune, text if result.legacy else "", result.street


def _decision_day(row, get) -> datetime.date | None:
    raw = get(row, "decision_date")
    try:
        return values.date(raw) if values.text(raw) else values.date_in(get(row, "decision_number"))
    except values.BadValue:
        return None


def _validate_producer(data: dict, fail) -> None:
    producer = Producer(**{k: v for k, v in data.items() if k != "commune_id"})
    producer.status = ProducerStatus.ACTIVE
    exclude = ["commune", "confirmed_by", "created_by"]
    if not data["representative_name"]:
        exclude.append("representative_name")  # earlier lists rarely name them
    try:
        producer.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        keys = {"tax_code": "tax_code", "email": "email", "legal_name": "producer_name",
                "phone": "phone", "producer_type": "producer_type"}  # fmt: skip
        for name, messages in exc.message_dict.items():
            for message in messages:
                fail(keys.get(name, "producer_name"), "%(text)s", text=message)


def _decision_of(row, get, fail, report, province, plan, decisions, items, certificates,
                 existing_producer, existing_product, product_key, producer_key):  # fmt: skip
    try:
        number = values.decision_number(get(row, "decision_number"))
    except values.BadValue as exc:
        fail("decision_number", exc.message, **exc.params)
        return None, None
    raw_date = get(row, "decision_date")
    try:
        day = (
            values.date(raw_date)
            if values.text(raw_date)
            else values.date_in(get(row, "decision_number"))
        )
        if day is None:
            raise values.BadValue(_("The decision's date is empty."))
    except values.BadValue as exc:
        fail("decision_date", exc.message, **exc.params)
        return None, None
    if day > timezone.localdate():
        fail("decision_date", _("A decision cannot be dated in the future."))
        return None, None
    try:
        stars = values.stars(get(row, "stars"))
    except values.BadValue as exc:
        fail("stars", exc.message, **exc.params)
        return None, None
    try:
        score = values.score(get(row, "score"))
    except values.BadValue as exc:
        fail("score", exc.message, **exc.params)
        return None, None
    issuer = values.text(get(row, "issuer"))
    central = any(w in fold_header(issuer) for w in CENTRAL_ISSUERS)
    level = "central" if central else "province"
    if stars == 5 and not central:
        fail(
            "stars",
            _("5 stars are recognised at the central level: give the ministry's decision."),
        )
        return None, None
    if not central and stars not in (3, 4):
        fail("stars", _("A province recognises 3 and 4 stars."))
        return None, None
    issuer = issuer or _default_issuer(province)
    decision_key = (number, day.year, level, None if central else province.pk)
    existing = decisions.get(decision_key)
    if existing is not None and existing.date != day:
        fail("decision_date", _("The register dates decision %(number)s %(date)s."),
             number=number, date=existing.date.strftime("%d/%m/%Y"))  # fmt: skip
        return None, None
    planned = plan.decisions.get(decision_key)
    if planned is not None and planned.date != day:
        fail("decision_date", _("Row %(row)s dates this decision otherwise."), row=planned.row)
        return None, None
    report.records["decision"] = "unchanged" if existing or planned else "create"
    try:
        valid_until = (
            values.date(get(row, "valid_until"))
            if values.text(get(row, "valid_until"))
            else terms.expiry_for(day)
        )
    except values.BadValue as exc:
        fail("valid_until", exc.message, **exc.params)
        return None, None
    except LookupError:
        fail(
            "decision_date",
            _(
                "No certificate term is known for a decision of %(date)s: give each "
                "certificate's valid-until date in a column."
            ),
            date=day.strftime("%d/%m/%Y"),
        )
        return None, None
    if valid_until <= day:
        fail("valid_until", _("A certificate is valid after its decision's date."))
        return None, None
    number_given = values.text(get(row, "certificate_number"))
    earlier = plan.certificate_rows.get((decision_key, product_key))
    if earlier is not None:
        fail("product_name", _("Row %(row)s already lists this product in this decision."),
             row=earlier)  # fmt: skip
        return None, None
    if number_given and number_given in plan.certificate_numbers:
        fail("certificate_number", _("Row %(row)s has the same certificate number."),
             row=plan.certificate_numbers[number_given])  # fmt: skip
        return None, None
    item = (
        items.get((existing.pk, existing_product.pk))
        if existing is not None and existing_product is not None
        else None
    )
    if item is not None:
        if item.stars != stars:
            fail("stars", _("The register says %(n)s stars for this product in this decision."),
                 n=item.stars)  # fmt: skip
            return None, None
        report.records["certificate"] = "unchanged"
        plan.certificate_rows[(decision_key, product_key)] = report.row  # a later duplicate
        return (
            decision_key,
            planned
            or PlannedDecision(report.row, existing, number, day, issuer, level, decision_key[3]),
        ), None
    taken = certificates.get(number_given) if number_given else None
    if taken is not None:
        fail(
            "certificate_number",
            _("Certificate %(number)s is already in the register for another product."),
            number=number_given,
        )
        return None, None
    report.records["certificate"] = "create"
    decision = planned or PlannedDecision(
        report.row, existing, number, day, issuer, level, decision_key[3]
    )
    certificate = PlannedCertificate(
        report.row, decision_key, product_key, producer_key, stars, score, number_given,
        valid_until,
    )  # fmt: skip
    return (decision_key, decision), certificate


def field_label(key: str) -> str:
    return gettext(FIELDS[key].label)


def messages(entries) -> list[list[str]]:
    """A report's [cell, message, params] entries as [cell, text] in the active language."""
    from .table import translated

    return [[cell, translated(message, params or {})] for cell, message, *rest in entries
            for params in (rest[0] if rest else {},)]  # fmt: skip


# --- Applying ----------------------------------------------------------------------------------

BATCH = 1000


def _snapshot(obj, fields) -> dict:
    out = {}
    for f in fields:
        value = getattr(obj, f)
        out[f] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def apply_plan(*, plan: Plan, job, actor, progress=None) -> dict:
    """Write the plan (rows in error are left out) inside the caller's transaction; record
    every record created or changed on `job`. Returns the counts written."""
    from ocop.certificates.services import certificate_numbers_take
    from ocop.reports.figures import figures_changed

    from .models import ImportChange

    now = timezone.now()
    changes: list[ImportChange] = []
    counts = {"producers": 0, "products": 0, "decisions": 0, "certificates": 0, "updated": 0}

    def step(done: int):
        if progress is not None:
            progress(done)

    # Producers.
    new = []
    for planned in plan.producers.values():
        if planned.existing is not None:
            planned.instance = planned.existing
            changes += _update(job, planned, "producers.producer", counts)
            continue
        planned.instance = Producer(
            **planned.data,
            status=ProducerStatus.ACTIVE,
            confirmed_by=actor,
            confirmed_at=now,
            created_by=actor,
        )
        planned.instance.search_text = planned.instance.searchable_text()
        new.append(planned.instance)
    Producer.objects.bulk_create(new, batch_size=BATCH)
    counts["producers"] = len(new)
    changes += _created(job, "producers.producer", plan.producers.values(), new)
    step(len(new))

    # Products.
    new = []
    for planned in plan.products.values():
        if planned.existing is not None:
            planned.instance = planned.existing
            changes += _update(job, planned, "products.product", counts)
            continue
        planned.instance = Product(
            producer=plan.producers[planned.producer_key].instance,
            product_group_id=planned.group_id,
            name=planned.name,
            created_by=actor,
        )
        planned.instance.search_text = planned.instance.searchable_text()
        new.append(planned.instance)
    Product.objects.bulk_create(new, batch_size=BATCH)
    counts["products"] = len(new)
    changes += _created(job, "products.product", plan.products.values(), new)
    step(counts["producers"] + len(new))

    # Decisions.
    new = []
    for planned in plan.decisions.values():
        if planned.existing is not None:
            planned.instance = planned.existing
            continue
        planned.instance = RecognitionDecision(
            number=planned.number, date=planned.date, issuer=planned.issuer,
            signer_name="", signer_title="", level=planned.level,
            province_id=planned.province_id, status="issued", created_by=actor,
            issued_at=now, issued_by=actor,
        )  # fmt: skip
        new.append(planned.instance)
    RecognitionDecision.objects.bulk_create(new, batch_size=BATCH)
    counts["decisions"] = len(new)
    changes += _created(job, "certificates.recognitiondecision", plan.decisions.values(), new)

    # Decision items and certificates, numbered from the register's sequence when the file
    # gives no number.
    wanted: dict[tuple[str, int], int] = {}
    for c in plan.certificates:
        if not c.number:
            d = plan.decisions[c.decision_key]
            area = terms.number_area(d.province_id)
            wanted[(area, d.date.year)] = wanted.get((area, d.date.year), 0) + 1
    pool = {
        key: iter(certificate_numbers_take(area=key[0], year=key[1], count=n))
        for key, n in sorted(wanted.items())
    }
    items = []
    for c in plan.certificates:
        product = plan.products[c.product_key].instance
        items.append(
            DecisionItem(
                decision=plan.decisions[c.decision_key].instance, product=product,
                producer=plan.producers[c.producer_key].instance,
                product_group_id=product.product_group_id, stars=c.stars, score=c.score,
            )
        )  # fmt: skip
    DecisionItem.objects.bulk_create(items, batch_size=BATCH)
    certificates = []
    for c, item in zip(plan.certificates, items, strict=True):
        d = plan.decisions[c.decision_key]
        number = c.number or next(pool[(terms.number_area(d.province_id), d.date.year)])
        certificates.append(
            Certificate(
                number=number, product=item.product, producer=item.producer, stars=c.stars,
                decision=item.decision, item=item, issued_on=d.date, expires_on=c.valid_until,
            )
        )  # fmt: skip
    Certificate.objects.bulk_create(certificates, batch_size=BATCH)
    counts["certificates"] = len(certificates)
    changes += [
        ImportChange(job=job, model="certificates.decisionitem", object_id=i.pk, action="create",
                     row=c.row)
        for c, i in zip(plan.certificates, items, strict=True)
    ] + [
        ImportChange(job=job, model="certificates.certificate", object_id=x.pk, action="create",
                     row=c.row)
        for c, x in zip(plan.certificates, certificates, strict=True)
    ]  # fmt: skip
    changes += _supersede(job, {x.product_id for x in certificates})
    ImportChange.objects.bulk_create(changes, batch_size=BATCH)
    step(sum(counts.values()))
    figures_changed()  # bulk inserts send no signal to the dashboards' cache
    return counts


def _update(job, planned, label: str, counts: dict) -> list:
    """Apply a planned record's changes to the register's record; its values before."""
    from .models import ImportChange

    if not planned.changes:
        return []
    before = _snapshot(planned.existing, planned.changes)
    for key, value in planned.changes.items():
        setattr(planned.existing, key, value)
    planned.existing.save(update_fields=[*planned.changes, "updated_at"])
    counts["updated"] += 1
    return [ImportChange(job=job, model=label, object_id=planned.existing.pk, action="update",
                         before=before, row=planned.row)]  # fmt: skip


def _created(job, label: str, planned_items, new: list) -> list:
    """The change log's "create" entries of the records just inserted."""
    from .models import ImportChange

    created = set(map(id, new))
    return [
        ImportChange(job=job, model=label, object_id=p.instance.pk, action="create", row=p.row)
        for p in planned_items
        if id(p.instance) in created
    ]


def _supersede(job, product_ids: set[int]) -> list:
    """A product's earlier certificate gives way to its latest valid one (as issuing does):
    the earlier ones are marked superseded, recorded to be restored on revert."""
    from .models import ImportChange

    out = []
    chains: dict[int, list[Certificate]] = {}
    for c in Certificate.objects.filter(product_id__in=product_ids, status="valid").order_by(
        "product_id", "issued_on", "id"
    ):
        chains.setdefault(c.product_id, []).append(c)
    updated = []
    for chain in chains.values():
        for earlier, later in zip(chain, chain[1:], strict=False):
            if earlier.superseded_by_id != later.pk:
                before = {"superseded_by_id": earlier.superseded_by_id}
                out.append(
                    ImportChange(job=job, model="certificates.certificate", object_id=earlier.pk,
                                 action="update", before=before)
                )  # fmt: skip
                earlier.superseded_by_id = later.pk
                updated.append(earlier)
    Certificate.objects.bulk_update(updated, ["superseded_by"], batch_size=BATCH)
    return out
