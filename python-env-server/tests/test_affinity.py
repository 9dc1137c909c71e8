"""CPU lists and pinning."""

from __future__ import annotations

import os

import pytest

from dtql_envserver.affinity import parse_cpu_list, pin_process


@pytest.mark.parametrize(
    ("text", "cpus"),
    [("1", {1}), ("0,2", {0, 2}), ("2-4", {2, 3, 4}), ("0, 3-4", {0, 3, 4}), ("5-5", {5})],
)
def test_cpu_lists_parse(text, cpus):
    assert parse_cpu_list(text) == cpus


@pytest.mark.parametrize(("text", "problem"), [("", "empty"), ("a", "'a'"), ("3-1", "'3-1'")])
def test_bad_cpu_lists_name_the_bad_entry(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_cpu_list(text)


def test_pinning_to_a_cpu_this_process_cannot_use_names_the_usable_ones():
    allowed = os.sched_getaffinity(0)
    with pytest.raises(ValueError, match=str(sorted(allowed))):
        pin_process({max(allowed) + 1000})
    assert os.sched_getaffinity(0) == allowed, "a refused pin changes nothing"
