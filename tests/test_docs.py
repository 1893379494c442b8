"""The README opens with the two set-up commands, and what it shows of the CLI and the API is true."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    first_block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", readme, re.S).group(1)
    assert [line.strip() for line in first_block.strip().splitlines()] == ["make serve", "make test"]


def test_readme_query_examples_are_valid_queries(service):
    readme = (ROOT / "README.md").read_text("utf-8")
    for query in re.findall(r"searcher search '([^']+)'", readme):
        assert service.search(query.replace("\\'", "'")).total > 0, query


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_the_makefile_has_the_documented_targets():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for target in ("serve:", "test:", "bench:"):
        assert re.search(rf"^{target}", makefile, re.M), target
