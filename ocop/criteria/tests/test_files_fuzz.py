"""Bad criteria data files: whatever a file holds, reading it gives a well-formed criteria set
or a CriteriaFileError that lists readable problems, never another exception; and a valid set
written back in the file format reads as the same set."""

import copy
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocop.criteria.files import (
    DATA_DIR,
    DECISION_FILE,
    CriteriaFileError,
    load_decision,
    parse_criteria_set,
)
from ocop.criteria.scoring import CriteriaSetSpec

SET_FILES = sorted(p for p in DATA_DIR.glob("*/*.yaml") if p.name != DECISION_FILE)
PATHS = {p.name: p for p in SET_FILES}
REAL = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in SET_FILES}
SMALL_DECISION = DATA_DIR / "qd1048-2019"  # one set file: loading it is quick
REAL_DECISION = yaml.safe_load((SMALL_DECISION / DECISION_FILE).read_text(encoding="utf-8"))

DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
EXAMPLES = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# The keys of the file format, so that random trees often reach the deeper checks.
KEYS = [
    "code", "decision", "product_group", "name_vi", "name_en", "source", "notes", "parts",
    "max_points", "criteria", "group_vi", "options", "label_vi", "points", "required_for_stars",
    "decision_date", "title", "rounding", "bands", "stars", "min_points", "unranked_below",
    "branches", "groups", "criteria_set",
]  # fmt: skip
# Required by the format: removing one of them always makes the file invalid.
REQUIRED = {
    "code", "decision", "product_group", "name_vi", "parts", "max_points", "criteria",
    "options", "label_vi", "points",
}  # fmt: skip
TEXT_FIELDS = {"code", "decision", "product_group", "name_vi", "name_en", "source", "notes"}
TEXT_FIELDS |= {"group_vi", "label_vi"}
NUMBER_FIELDS = {"points", "max_points"}

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
numbers_as_text = st.sampled_from(
    ["5", " 5 ", "-1", "1e999999", "9E+999999", "-9E+999999", "NaN", "sNaN", "Infinity", "1_0"]
    + ["0x10", "1/2", "", "0.1e-999999", "5" * 5000, "1." + "1" * 5000]
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**80), max_value=10**80),
    st.floats(),
    texts,
    numbers_as_text,
    st.dates(),
    st.sampled_from(KEYS),
)
trees = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | texts, children, max_size=5)
    ),
    max_leaves=25,
)


def write(path: Path, data) -> Path:
    text = yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path, **kwargs) -> CriteriaSetSpec | None:
    """The parsed set, or None when the file is refused with readable problems. Any other
    exception fails the test."""
    try:
        spec = parse_criteria_set(path, **kwargs)
    except CriteriaFileError as exc:
        assert exc.path == str(path)
        assert exc.problems and all(isinstance(p, str) and p.strip() for p in exc.problems)
        return None
    assert_well_formed(spec)
    return spec


def assert_well_formed(spec: CriteriaSetSpec) -> None:
    """What a criteria set that the loader accepts always is."""
    for value in (spec.code, spec.decision, spec.product_group, spec.name):
        assert isinstance(value, str) and value
    for value in (spec.name_en, spec.source, spec.notes):
        assert isinstance(value, str)
    assert spec.max_points == 100
    part_codes = [p.code for p in spec.parts]
    criterion_codes = [c.code for c in spec.criteria()]
    assert len(set(part_codes)) == len(part_codes)
    assert len(set(criterion_codes)) == len(criterion_codes)
    for part in spec.parts:
        assert isinstance(part.code, str) and part.code and isinstance(part.name, str) and part.name
        assert isinstance(part.name_en, str)
        assert isinstance(part.max_points, Decimal) and part.max_points.is_finite()
        assert part.max_points == sum((c.max_points for c in part.criteria), Decimal(0))
        for criterion in part.criteria:
            assert isinstance(criterion.code, str) and criterion.code
            assert isinstance(criterion.name, str) and criterion.name
            assert isinstance(criterion.name_en, str) and isinstance(criterion.group, str)
            assert criterion.options
            option_codes = [o.code for o in criterion.options]
            assert len(set(option_codes)) == len(option_codes)
            for option in criterion.options:
                assert isinstance(option.code, str) and option.code
                assert isinstance(option.label, str) and option.label
                assert isinstance(option.points, Decimal) and option.points.is_finite()
                assert 0 <= option.points <= 100
                assert option.required_for_stars in (None, 3, 4, 5)


def refused(path: Path, **kwargs) -> str:
    with pytest.raises(CriteriaFileError) as info:
        parse_criteria_set(path, **kwargs)
    assert info.value.problems
    return str(info.value)


# --- Arbitrary content ------------------------------------------------------------------------


@EXAMPLES
@given(tree=trees)
def test_any_yaml_tree_gives_a_set_or_the_files_error(tmp_path, tree):
    read(write(tmp_path / "set.yaml", tree))


@EXAMPLES
@given(tree=st.dictionaries(st.sampled_from(KEYS), trees, min_size=3, max_size=10))
def test_any_mapping_of_the_formats_keys_gives_a_set_or_the_files_error(tmp_path, tree):
    read(write(tmp_path / "set.yaml", tree))


@EXAMPLES
@given(tree=st.one_of(scalars, st.lists(trees, max_size=3)))
def test_a_file_that_is_not_a_mapping_is_refused(tmp_path, tree):
    assert "must be a mapping" in refused(write(tmp_path / "set.yaml", tree))


@EXAMPLES
@given(text=st.text(max_size=200))
def test_any_text_gives_a_set_or_the_files_error(tmp_path, text):
    path = tmp_path / "set.yaml"
    path.write_text(text, encoding="utf-8")
    read(path)


# YAML that PyYAML reads as a value its constructors then refuse (not a YAMLError).
@pytest.mark.parametrize(
    "value",
    [
        "2023-02-30",  # a timestamp that is no date
        "2023-13-01",
        "!!timestamp 'not a date'",
        "!!int 'abc'",
        "!!float 'abc'",
        "1" * 5000,  # an integer longer than Python converts from text
        "0x" + "f" * 5000,  # one it converts, but cannot write back as decimal text
        "!!binary 'not base64'",
        "!!python/object:os.system 'ls'",
    ],
)
def test_values_yaml_cannot_construct_are_refused(tmp_path, value):
    path = tmp_path / "set.yaml"
    real = (DATA_DIR / "qd1048-2019" / "qd1048-food-processed-rice-grains.yaml").read_text(
        encoding="utf-8"
    )
    path.write_text(real.replace("points: 1\n", f"points: {value}\n", 1), encoding="utf-8")
    refused(path)
    decision = tmp_path / "qd" / DECISION_FILE
    decision.parent.mkdir()
    decision.write_text(f"decision: x\ndecision_date: {value}\n", encoding="utf-8")
    with pytest.raises(CriteriaFileError):
        load_decision(decision.parent)


@EXAMPLES
@given(
    name=st.sampled_from(sorted(REAL)),
    at=st.floats(min_value=0, max_value=1),
    junk=st.binary(min_size=1, max_size=8),
)
def test_bytes_in_a_real_file_give_a_set_or_the_files_error(tmp_path, name, at, junk):
    content = PATHS[name].read_bytes()
    cut = int(len(content) * at)
    path = tmp_path / "set.yaml"
    path.write_bytes(content[:cut] + junk + content[cut:])
    read(path)
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        assert "UTF-8" in refused(path)


# --- Real files, mutated ------------------------------------------------------------------------


def _places(node, trail=()):
    """Every (path, key) in a tree: the places a mutation can touch."""
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, child in items:
        yield trail, key
        yield from _places(child, (*trail, key))


PLACES = {name: list(_places(data)) for name, data in REAL.items()}


def _at(data, trail):
    for key in trail:
        data = data[key]
    return data


def real_places(where=lambda parent, key, value: True):
    """A real set file's name, a deep copy of its tree, and one place in it (a container
    and a key) where `where(container, key, value)` holds."""
    found = {
        name: [(t, k) for t, k in PLACES[name] if where(_at(data, t), k, _at(data, t)[k])]
        for name, data in REAL.items()
    }
    found = {name: places for name, places in found.items() if places}

    @st.composite
    def cases(draw):
        name = draw(st.sampled_from(sorted(found)))
        trail, key = draw(st.sampled_from(found[name]))
        data = copy.deepcopy(REAL[name])
        return name, data, _at(data, trail), key

    return cases()


@EXAMPLES
@given(case=real_places(), value=trees)
def test_any_value_replaced_by_any_other(tmp_path, case, value):
    _, data, parent, key = case
    before = parent[key]
    parent[key] = value
    spec = read(write(tmp_path / "set.yaml", data))
    if isinstance(before, str) and key in TEXT_FIELDS and not isinstance(value, str):
        # a text field given a number, a list, a mapping...: refused (an absent optional
        # field, None, is no wrong type)
        assert spec is None or (value is None and key not in REQUIRED)


@EXAMPLES
@given(case=real_places(lambda parent, key, value: isinstance(parent, dict)))
def test_a_key_removed(tmp_path, case):
    _, data, parent, key = case
    del parent[key]
    spec = read(write(tmp_path / "set.yaml", data))
    if key in REQUIRED:
        assert spec is None
    else:
        assert spec is not None


@EXAMPLES
@given(case=real_places(lambda parent, key, value: isinstance(parent, list)))
def test_a_list_item_removed(tmp_path, case):
    _, data, parent, key = case
    del parent[key]
    read(write(tmp_path / "set.yaml", data))


@EXAMPLES
@given(
    case=real_places(lambda parent, key, value: isinstance(value, list)),
    value=st.one_of(scalars, st.dictionaries(st.sampled_from(KEYS), scalars, max_size=3)),
)
def test_a_list_replaced_by_a_scalar_or_a_mapping(tmp_path, case, value):
    _, data, parent, key = case
    parent[key] = value
    refused(write(tmp_path / "set.yaml", data))


@EXAMPLES
@given(case=real_places(lambda parent, key, value: isinstance(value, list)))
def test_an_empty_list(tmp_path, case):
    # No parts, a part without criteria, a criterion without options: none adds up to 100.
    _, data, parent, key = case
    parent[key] = []
    refused(write(tmp_path / "set.yaml", data))


@EXAMPLES
@given(case=real_places(lambda parent, key, value: isinstance(parent, list)))
def test_a_duplicated_part_criterion_or_option(tmp_path, case):
    _, data, parent, key = case
    parent.insert(key, copy.deepcopy(parent[key]))
    assert "duplicate" in refused(write(tmp_path / "set.yaml", data))


@EXAMPLES
@given(case=real_places(lambda parent, key, value: key in NUMBER_FIELDS))
def test_numbers_written_as_text_read_the_same(tmp_path, case):
    name, data, parent, key = case
    parent[key] = str(parent[key])
    assert read(write(tmp_path / "set.yaml", data)) == parse_criteria_set(PATHS[name])


@EXAMPLES
@given(
    case=real_places(lambda parent, key, value: key in NUMBER_FIELDS),
    value=st.one_of(
        st.integers(max_value=-1),
        st.floats(max_value=-1e-9),
        st.sampled_from([float("nan"), float("inf"), float("-inf"), 10**6 + 1, 1e300]),
        st.sampled_from(["NaN", "-Infinity", "1e999999", "9E+999999", "-0.5", "abc", ""]),
        st.booleans(),
    ),
)
def test_negative_huge_or_not_finite_points_are_refused(tmp_path, case, value):
    _, data, parent, key = case
    parent[key] = value
    assert f"{key} " in refused(write(tmp_path / "set.yaml", data))


def test_points_whose_sum_would_overflow_are_refused(tmp_path):
    # Two parts of 9E+999999 each: their sum is beyond what Decimal's context can hold.
    data = copy.deepcopy(REAL[SET_FILES[0].name])
    for part in data["parts"][:2]:
        part["max_points"] = "9E+999999"
    assert "max_points must be a number" in refused(write(tmp_path / "set.yaml", data))


@EXAMPLES
@given(
    case=real_places(lambda parent, key, value: key == "required_for_stars"),
    value=st.one_of(
        st.integers().filter(lambda n: n not in (3, 4, 5)), st.sampled_from(["3", 4.0, True])
    ),
)
def test_required_for_stars_out_of_3_to_5_is_refused(tmp_path, case, value):
    _, data, parent, key = case
    parent[key] = value
    assert "required_for_stars must be 3, 4 or 5" in refused(write(tmp_path / "set.yaml", data))


# --- Decision files ------------------------------------------------------------------------------


@pytest.fixture
def decision_folder(tmp_path) -> Path:
    folder = tmp_path / "qd1048-2019"
    shutil.copytree(SMALL_DECISION, folder)
    return folder


def load(folder: Path):
    try:
        return load_decision(folder)
    except CriteriaFileError as exc:
        assert exc.problems and all(isinstance(p, str) and p.strip() for p in exc.problems)
        return None


DECISION_PLACES = list(_places(REAL_DECISION))


@EXAMPLES
@given(tree=trees)
def test_any_decision_file_gives_a_decision_or_the_files_error(decision_folder, tree):
    write(decision_folder / DECISION_FILE, tree)
    load(decision_folder)


@EXAMPLES
@given(place=st.sampled_from(DECISION_PLACES), value=trees, remove=st.booleans())
def test_a_real_decision_file_mutated(decision_folder, place, value, remove):
    trail, key = place
    data = copy.deepcopy(REAL_DECISION)
    parent = _at(data, trail)
    if remove:
        del parent[key]
    else:
        parent[key] = value
    write(decision_folder / DECISION_FILE, data)
    decision = load(decision_folder)
    if decision is None:
        return
    for text in (decision.decision, decision.title, decision.source, decision.rounding):
        assert isinstance(text, str)
    assert all(isinstance(b.stars, int) and b.min_points.is_finite() for b in decision.bands)
    for branch in decision.branches:
        assert isinstance(branch.code, str) and branch.code and isinstance(branch.name_en, str)
        for group in branch.groups:
            assert isinstance(group.code, str) and group.code and isinstance(group.name_en, str)
            assert group.criteria_set is None or group.criteria_set in decision.sets


# --- Round trips ---------------------------------------------------------------------------------


def _number(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


def dump(spec: CriteriaSetSpec) -> dict:
    """A set in the file format (what a transcriber would write for it)."""

    def optional(**fields):
        return {k: v for k, v in fields.items() if v}

    return {
        "code": spec.code,
        "decision": spec.decision,
        "product_group": spec.product_group,
        "name_vi": spec.name,
        **optional(name_en=spec.name_en, source=spec.source, notes=spec.notes),
        "parts": [
            {
                "code": part.code,
                "name_vi": part.name,
                **optional(name_en=part.name_en),
                "max_points": _number(part.max_points),
                "criteria": [
                    {
                        "code": c.code,
                        **optional(group_vi=c.group),
                        "name_vi": c.name,
                        **optional(name_en=c.name_en),
                        "options": [
                            {
                                "code": o.code,
                                "label_vi": o.label,
                                "points": _number(o.points),
                                **optional(required_for_stars=o.required_for_stars),
                            }
                            for o in c.options
                        ],
                    }
                    for c in part.criteria
                ],
            }
            for part in spec.parts
        ],
    }


@pytest.mark.parametrize("path", SET_FILES, ids=lambda p: p.stem)
def test_every_real_set_reads_the_same_once_written_back(tmp_path, path):
    spec = parse_criteria_set(path)
    again = parse_criteria_set(write(tmp_path / "again.yaml", dump(spec)))
    assert again == spec


# Text as transcribers write it: PyYAML's emitter turns a lone line separator (U+0085,
# U+2028) into a space, which is the dumper's doing, not the parser's.
names = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20)


def _split(draw, total: Decimal, count: int) -> list[Decimal]:
    """`count` non-negative half points adding up to `total`."""
    cuts = sorted(
        draw(st.lists(st.integers(0, int(total * 2)), min_size=count - 1, max_size=count - 1))
    )
    edges = [0, *cuts, int(total * 2)]
    return [Decimal(b - a) / 2 for a, b in zip(edges, edges[1:], strict=False)]


@st.composite
def valid_sets(draw) -> dict:
    """A random valid set in the file format: parts adding up to 100, each part's maximum
    the sum of its criteria's best options, codes unique."""
    parts = []
    for p, part_max in enumerate(_split(draw, Decimal(100), draw(st.integers(1, 4)))):
        criteria = []
        for c, best in enumerate(_split(draw, part_max, draw(st.integers(1, 3)))):
            lower = draw(st.lists(st.integers(0, int(best * 2)), max_size=3))
            lower = [Decimal(n) / 2 for n in lower]
            options = [
                {"code": f"o{i}", "label_vi": draw(names), "points": _number(points)}
                for i, points in enumerate([*lower, best])
            ]
            for option in options:
                if draw(st.integers(0, 4)) == 0:
                    option["required_for_stars"] = draw(st.sampled_from([3, 4, 5]))
            criteria.append(
                {
                    "code": f"P{p}.{c}",
                    "name_vi": draw(names),
                    "options": draw(st.permutations(options)),
                }
            )
            if draw(st.booleans()):
                criteria[-1]["group_vi"] = draw(names)
        parts.append(
            {
                "code": f"P{p}",
                "name_vi": draw(names),
                "max_points": _number(part_max),
                "criteria": criteria,
            }
        )
    data = {"code": draw(names), "decision": draw(names), "product_group": draw(names)}
    return {**data, "name_vi": draw(names), "parts": parts}


@EXAMPLES
@given(data=valid_sets())
def test_a_valid_set_reads_back_as_written(tmp_path, data):
    spec = read(write(tmp_path / "set.yaml", data))
    assert spec is not None
    assert dump(spec) == data
