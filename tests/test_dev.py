"""dev.py's test command: the tests are spread over the cores unless told otherwise."""

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location("dev", Path(__file__).parents[1] / "dev.py")
dev = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(dev)


@pytest.mark.parametrize("args", [[], ["-m", "not slow"], ["tests/test_cli.py", "-x"]])
def test_the_tests_are_spread_over_every_core_by_default(args):
    assert dev.spread(args) == ["-n", "auto", "--dist", "worksteal", *args]


@pytest.mark.parametrize("args", [["-n", "0"], ["-n0"], ["--numprocesses=1"], ["-x", "-n", "2"]])
def test_a_worker_count_given_is_kept_as_given(args):
    assert dev.spread(args) == args
