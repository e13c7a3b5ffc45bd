"""`envoy validate` and the published JSON Schema agree on format 2's parts too: the
same corpus of mutations as tests/test_schema_agreement.py, over a crisis that uses
every format-2 field (issues, a draft, interests with ranges, an envoy's values and
BATNA, tags, the bargaining numbers)."""

from __future__ import annotations

from unittest import mock

import pytest
from test_format2 import BASE
from test_schema_agreement import STRICTER, mutations, schema_ok

from game.content import loader
from game.content.yamlsafe import read_yaml

SAMPLER = BASE.replace(
    "turns: 3\n",
    """turns: 3
rules:
  bargaining:
    log_rolling_min: 0.1
    acceptance: {midpoint: 0.5, trust_discount: 1, spread: 1, floor: 0, ceiling: 1}
    concession: {easy: 2, normal: 1, hard: 0.5}
""",
)

# Where validate may refuse what the schema accepts in format 2's parts, and why.
STRICTER_2 = {
    **STRICTER,
    ("format",): "format 1 refuses format 2's keys",
    ("parties", "*", "interests"): "they name accords, issues and options, and cover them all",
    ("parties", "*", "id"): "signatories and interests name the parties",
    ("rules", "bargaining", "acceptance", "spread"): "a spread is above 0",
    ("rules", "bargaining", "acceptance", "floor"): "the floor is at most the ceiling",
    ("rules", "bargaining", "acceptance", "ceiling"): "the floor is at most the ceiling",
    ("rules", "bargaining", "concession"): "every exponent is above 0",
}

TREE, MARKS = read_yaml(SAMPLER.encode(), "sampler.yaml")


def validate_ok(tree: dict) -> bool:
    real = loader.read_yaml_partial

    def read(data: bytes, file: str):
        return (tree, MARKS, ()) if file == "sampler.yaml" else real(data, file)

    with mock.patch.object(loader, "read_yaml_partial", read):
        return not loader.load_scenario_bytes(b"", "sampler.yaml").errors


def stricter_allowed(path: tuple) -> bool:
    return any(
        len(path) >= len(pattern)
        and all(p == "*" or p == part for p, part in zip(pattern, path, strict=False))
        for pattern in STRICTER_2
    )


def test_the_format_2_sampler_is_valid_for_both():
    assert validate_ok(TREE) and schema_ok(TREE)


@pytest.mark.slow  # about 1,000 mutated crises through both checkers
def test_validate_and_the_schema_agree_on_every_mutation_of_format_2():
    disagreements, count = [], 0
    for name, path, mutated in mutations(TREE):
        count += 1
        by_schema, by_validate = schema_ok(mutated), validate_ok(mutated)
        if by_schema == by_validate or (by_schema and not by_validate and stricter_allowed(path)):
            continue
        disagreements.append(f"{name}: schema {by_schema}, validate {by_validate}")
    assert count > 600
    assert not disagreements, "\n".join(disagreements)
