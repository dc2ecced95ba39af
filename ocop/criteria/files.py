"""Reading and checking the criteria data files (``ocop/criteria/data/<decision>/*.yaml``).

Pure Python (PyYAML, no Django). A decision folder holds ``_decision.yaml`` (taxonomy, star
bands) and one file per criteria set. Every problem found in a file is collected and raised
together in one CriteriaFileError that names the file, the code and the line.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .scoring import Band, CriteriaSetSpec, CriterionSpec, OptionSpec, PartSpec

DATA_DIR = Path(__file__).resolve().parent / "data"
DECISION_FILE = "_decision.yaml"
TOTAL_POINTS = Decimal(100)
STAR_RANGE = range(3, 6)  # the classes an option can be required for
BAND_STARS = range(1, 6)


class CriteriaFileError(ValueError):
    """All the problems of one data file."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = list(problems)
        super().__init__(f"{self.path}: " + "; ".join(self.problems))


@dataclass(frozen=True)
class GroupData:
    code: str
    name_vi: str
    name_en: str
    criteria_set: str | None


@dataclass(frozen=True)
class BranchData:
    code: str
    name_vi: str
    name_en: str
    groups: tuple[GroupData, ...]


@dataclass(frozen=True)
class DecisionData:
    code: str  # the folder name, e.g. "qd148-2023"
    decision: str  # e.g. "148/QĐ-TTg"
    decision_date: datetime.date | None
    title: str
    source: str
    rounding: str
    bands: tuple[Band, ...]
    unranked_below: Decimal | None
    branches: tuple[BranchData, ...]
    sets: dict[str, CriteriaSetSpec]
    digest: str  # sha256 of the folder's files, to skip an unchanged reload


# --- YAML with line numbers ------------------------------------------------------------------


class _Map(dict):
    line: int = 0


# libyaml's loader when PyYAML was built with it: five times faster, same marks.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    mapping = _Map(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)


def _read(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)  # a SafeLoader subclass
    except OSError as exc:
        raise CriteriaFileError(path, [f"cannot read: {exc.strerror}"]) from None
    except UnicodeDecodeError as exc:
        raise CriteriaFileError(path, [f"not UTF-8 text ({exc.reason})"]) from None
    except yaml.YAMLError as exc:
        raise CriteriaFileError(path, [f"not valid YAML: {exc}"]) from None
    except (ValueError, AttributeError) as exc:
        # A scalar that PyYAML's constructors fail on instead of raising a YAMLError:
        # 2023-02-30, an integer of 5,000 digits, !!int 'abc', !!timestamp 'abc'.
        raise CriteriaFileError(path, [f"not valid YAML: a value cannot be read ({exc})"]) from None


def _show(value: object) -> str:
    """A wrong value for a message, cut short (repr() itself fails on an int of over 4,300
    digits)."""
    try:
        text = repr(value)
    except ValueError:
        return f"an {type(value).__name__} too long to show"
    return text if len(text) <= 60 else text[:57] + "..."


def _at(node: object) -> str:
    line = getattr(node, "line", 0)
    return f" (line {line})" if line else ""


class _Problems(list):
    def need(self, node: object, key: str, where: str, kind: type = str):
        value = node.get(key) if isinstance(node, dict) else None
        if value is None or (kind is str and (not isinstance(value, str) or not value)):
            self.append(f"{where}: missing or invalid {key!r}{_at(node)}")
            return None
        if kind is list and not isinstance(value, list):
            self.append(f"{where}: {key!r} must be a list{_at(node)}")
            return None
        return value

    def text(self, node: object, key: str, where: str) -> str:
        """An optional text field: "" when absent or null."""
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            return ""
        if not isinstance(value, str):
            self.append(f"{where}: {key!r} must be text, not {type(value).__name__}{_at(node)}")
            return ""
        return value


# Far beyond any points or band of the programme; a larger number is a typo, and the sums of
# such numbers would overflow Decimal's context.
NUMBER_LIMIT = Decimal(10**6)


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        # An int directly: str() refuses integers of over 4,300 digits.
        number = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) <= NUMBER_LIMIT else None


# --- Criteria sets ---------------------------------------------------------------------------


def _parse_option(node, where: str, problems: _Problems) -> OptionSpec | None:
    code = problems.need(node, "code", where)
    label = problems.need(node, "label_vi", f"{where} option {code}")
    points = _decimal(node.get("points")) if isinstance(node, dict) else None
    if points is None or points < 0:
        problems.append(f"{where} option {code}: points must be a number >= 0{_at(node)}")
    required = node.get("required_for_stars") if isinstance(node, dict) else None
    if required is not None and (
        isinstance(required, bool) or not isinstance(required, int) or required not in STAR_RANGE
    ):
        problems.append(
            f"{where} option {code}: required_for_stars must be 3, 4 or 5, "
            f"not {_show(required)}{_at(node)}"
        )
        required = None
    if code is None or label is None or points is None:
        return None
    return OptionSpec(code=code, label=label, points=points, required_for_stars=required)


def _parse_criterion(node, part_code: str, problems: _Problems) -> CriterionSpec | None:
    code = problems.need(node, "code", f"part {part_code} criterion")
    where = f"criterion {code}"
    name = problems.need(node, "name_vi", where)
    raw_options = problems.need(node, "options", where, list) or []
    if isinstance(node, dict) and not raw_options and "options" in node:
        problems.append(f"{where}: has no options{_at(node)}")
    options = [_parse_option(o, where, problems) for o in raw_options]
    name_en = problems.text(node, "name_en", where)
    group = problems.text(node, "group_vi", where)
    seen: set[str] = set()
    for option, raw in zip(options, raw_options, strict=True):
        if option and option.code in seen:
            problems.append(f"{where}: duplicate option code {option.code!r}{_at(raw)}")
        if option:
            seen.add(option.code)
    if code is None or name is None or None in options:
        return None
    return CriterionSpec(
        code=code,
        name=name,
        options=tuple(options),
        name_en=name_en,
        group=group,
    )


def parse_criteria_set(
    path: Path, *, bands: tuple[Band, ...] = (), unranked_below: Decimal | None = None
) -> CriteriaSetSpec:
    """Read and check one criteria set file; bands come from its decision's file."""
    path = Path(path)
    data = _read(path)
    problems = _Problems()
    if not isinstance(data, dict):
        raise CriteriaFileError(path, ["a criteria set file must be a mapping"])
    code = problems.need(data, "code", "set")
    where = f"set {code}"
    decision = problems.need(data, "decision", where)
    product_group = problems.need(data, "product_group", where)
    name = problems.need(data, "name_vi", where)
    raw_parts = problems.need(data, "parts", where, list) or []
    texts = {key: problems.text(data, key, where) for key in ("name_en", "source", "notes")}
    parts: list[PartSpec] = []
    part_codes: set[str] = set()
    criterion_codes: set[str] = set()
    for raw in raw_parts:
        part_code = problems.need(raw, "code", f"{where} part")
        pwhere = f"part {part_code}"
        part_name = problems.need(raw, "name_vi", pwhere)
        part_name_en = problems.text(raw, "name_en", pwhere)
        maximum = _decimal(raw.get("max_points")) if isinstance(raw, dict) else None
        if maximum is None:
            problems.append(f"{pwhere}: max_points must be a number{_at(raw)}")
        if part_code in part_codes:
            problems.append(f"duplicate part code {part_code!r}{_at(raw)}")
        part_codes.add(part_code)
        raw_criteria = problems.need(raw, "criteria", pwhere, list) or []
        criteria = []
        for raw_criterion in raw_criteria:
            criterion = _parse_criterion(raw_criterion, str(part_code), problems)
            if criterion is None:
                continue
            if criterion.code in criterion_codes:
                problems.append(f"duplicate criterion code {criterion.code!r}{_at(raw_criterion)}")
            criterion_codes.add(criterion.code)
            criteria.append(criterion)
        criteria_max = sum((c.max_points for c in criteria), Decimal(0))
        if maximum is not None and len(criteria) == len(raw_criteria) and criteria_max != maximum:
            problems.append(
                f"{pwhere}: max_points is {maximum} but its criteria's best options add up to "
                f"{criteria_max}{_at(raw)}"
            )
        if part_code and part_name and maximum is not None:
            parts.append(
                PartSpec(
                    code=part_code,
                    name=part_name,
                    max_points=maximum,
                    criteria=tuple(criteria),
                    name_en=part_name_en,
                )
            )
    if len(parts) == len(raw_parts) and isinstance(data.get("parts"), list):
        total = sum((p.max_points for p in parts), Decimal(0))
        if total != TOTAL_POINTS:
            problems.append(f"{where}: parts' max_points add up to {total}, not 100")
    if problems:
        raise CriteriaFileError(path, problems)
    return CriteriaSetSpec(
        code=code,
        decision=decision,
        product_group=product_group,
        parts=tuple(parts),
        bands=tuple(bands),
        unranked_below=unranked_below,
        name=name,
        **texts,
    )


# --- Decisions -------------------------------------------------------------------------------


def _parse_bands(data: dict, problems: _Problems) -> tuple[Band, ...]:
    raw_bands = problems.need(data, "bands", "decision", list) or []
    bands = []
    for raw in raw_bands:
        stars = raw.get("stars") if isinstance(raw, dict) else None
        minimum = _decimal(raw.get("min_points")) if isinstance(raw, dict) else None
        if isinstance(stars, bool) or not isinstance(stars, int) or minimum is None:
            problems.append(
                f"band {_show(stars)}: needs whole 'stars' and numeric 'min_points'{_at(raw)}"
            )
            continue
        if stars not in BAND_STARS:
            problems.append(f"band {_show(stars)}: stars must be 1 to 5{_at(raw)}")
            continue
        bands.append(Band(stars=stars, min_points=minimum))
    for before, after in zip(bands, bands[1:], strict=False):
        if after.min_points <= before.min_points or after.stars <= before.stars:
            problems.append(
                f"bands must ascend with unique stars and min_points: band {after.stars} "
                f"({after.min_points}) follows band {before.stars} ({before.min_points})"
            )
    if not bands and not problems:
        problems.append("decision: no bands")
    return tuple(bands)


def load_decision(folder: Path | str) -> DecisionData:
    """Read a decision folder: its ``_decision.yaml`` and every criteria set file in it."""
    folder = Path(folder)
    path = folder / DECISION_FILE
    data = _read(path)
    problems = _Problems()
    if not isinstance(data, dict):
        raise CriteriaFileError(path, ["a decision file must be a mapping"])
    decision = problems.need(data, "decision", "decision")
    texts = {key: problems.text(data, key, "decision") for key in ("title", "source", "rounding")}
    bands = _parse_bands(data, problems)
    unranked_below = data.get("unranked_below")
    if unranked_below is not None:
        unranked_below = _decimal(unranked_below)
        if unranked_below is None:
            problems.append("decision: unranked_below must be null or a number")
    decision_date = data.get("decision_date")
    if decision_date is not None and not isinstance(decision_date, datetime.date):
        problems.append(f"decision: decision_date must be a date, not {_show(decision_date)}")
        decision_date = None
    if problems:
        raise CriteriaFileError(path, problems)

    digest = hashlib.sha256()
    set_files = sorted(p for p in folder.glob("*.yaml") if p.name != DECISION_FILE)
    sets: dict[str, CriteriaSetSpec] = {}
    set_paths: dict[str, Path] = {}
    for set_path in [path, *set_files]:
        digest.update(set_path.name.encode() + b"\0" + set_path.read_bytes())
    for set_path in set_files:
        spec = parse_criteria_set(set_path, bands=bands, unranked_below=unranked_below)
        problem = None
        if spec.code in sets:
            problem = f"criteria set code {spec.code!r} is also used by {set_paths[spec.code]}"
        elif spec.decision != decision:
            problem = f"set {spec.code}: decision {spec.decision!r} is not {decision!r}"
        if problem:
            raise CriteriaFileError(set_path, [problem])
        sets[spec.code] = spec
        set_paths[spec.code] = set_path

    branches = []
    branch_codes: set[str] = set()
    group_codes: set[str] = set()
    used_sets: set[str] = set()
    for raw in problems.need(data, "branches", "decision", list) or []:
        code = problems.need(raw, "code", "branch")
        if code in branch_codes:
            problems.append(f"duplicate branch code {code!r}{_at(raw)}")
        branch_codes.add(code)
        groups = []
        for raw_group in problems.need(raw, "groups", f"branch {code}", list) or []:
            group_code = problems.need(raw_group, "code", f"branch {code} group")
            if group_code in group_codes:
                problems.append(f"duplicate group code {group_code!r}{_at(raw_group)}")
            group_codes.add(group_code)
            set_code = raw_group.get("criteria_set") if isinstance(raw_group, dict) else None
            if set_code is not None and not isinstance(set_code, str):
                problems.append(
                    f"group {group_code}: criteria_set must be a set's code, not "
                    f"{_show(set_code)}{_at(raw_group)}"
                )
                set_code = None
            if set_code is not None:
                if set_code not in sets:
                    problems.append(
                        f"group {group_code}: criteria set {set_code!r} has no file in "
                        f"{folder}{_at(raw_group)}"
                    )
                elif sets[set_code].product_group != group_code:
                    problems.append(
                        f"group {group_code}: criteria set {set_code!r} says its product group "
                        f"is {sets[set_code].product_group!r}{_at(raw_group)}"
                    )
                used_sets.add(set_code)
            groups.append(
                GroupData(
                    code=group_code or "",
                    name_vi=problems.need(raw_group, "name_vi", f"group {group_code}") or "",
                    name_en=problems.text(raw_group, "name_en", f"group {group_code}"),
                    criteria_set=set_code,
                )
            )
        branches.append(
            BranchData(
                code=code or "",
                name_vi=problems.need(raw, "name_vi", f"branch {code}") or "",
                name_en=problems.text(raw, "name_en", f"branch {code}"),
                groups=tuple(groups),
            )
        )
    for set_code in sorted(set(sets) - used_sets):
        problems.append(f"criteria set {set_code!r} belongs to no group")
    if problems:
        raise CriteriaFileError(path, problems)
    return DecisionData(
        code=folder.name,
        decision=decision,
        decision_date=decision_date,
        **texts,
        bands=bands,
        unranked_below=unranked_below,
        branches=tuple(branches),
        sets=sets,
        digest=digest.hexdigest(),
    )


def load_all(root: Path | str = DATA_DIR) -> list[DecisionData]:
    """Every decision folder under `root` (a folder is one holding a ``_decision.yaml``)."""
    return [load_decision(p.parent) for p in sorted(Path(root).glob(f"*/{DECISION_FILE}"))]


def load_specs(root: Path | str = DATA_DIR) -> dict[str, CriteriaSetSpec]:
    """All criteria sets of all decisions, by code."""
    return {code: spec for d in load_all(root) for code, spec in d.sets.items()}
