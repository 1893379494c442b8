"""The wheel carries the templates, static files, user dictionary and bundled page, and finds them when installed."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (path,) = out.glob("searcher-*.whl")
    return path


def test_the_wheel_ships_web_files_dictionary_and_bundled_page(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "searcher/web/templates/base.html",
        "searcher/web/templates/_result.html",
        "searcher/web/static/style.css",
        "searcher/web/static/suggest.js",
        "searcher/userdict.txt",
        "searcher/data/articles/kecheng-yibashou-gongtongfuyu-01.txt",
    ):
        assert name in names, name


def test_an_unpacked_wheel_finds_its_files_outside_the_checkout(wheel, tmp_path):
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    code = (
        "import searcher.config as c, searcher.web as w; "
        "app = w.create_app(); print(c.web_dir()); print(c.bundled_articles()); print(app.template_folder)"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path[:0] = [{str(tmp_path / 'site')!r}] + sys.path; {code}"],
        capture_output=True, text=True, cwd=tmp_path, check=True,
    ).stdout.split()  # fmt: skip
    assert all(line.startswith(str(tmp_path / "site" / "searcher")) for line in out), out


def test_the_installed_dependencies_are_the_pinned_ones():
    """`make test` installs from constraints.txt: a dependency at another version means the pins are not applied.

    A new release of a dependency's dependency once broke a fresh clone (trafilatura needed lxml.html.clean after
    lxml split it out); the pins are what keeps a fresh clone on the set the suite last passed with.
    """
    from importlib import metadata

    from packaging.utils import canonicalize_name

    pinned = {}
    for line in (ROOT / "constraints.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pinned[canonicalize_name(name)] = version.strip()
    assert {"whoosh-reloaded", "jieba", "lxml", "lxml-html-clean", "trafilatura"} <= set(pinned)
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    differing = {name: (installed[name], want) for name, want in pinned.items() if installed.get(name, want) != want}
    assert differing == {}
    import lxml.html.clean  # noqa: F401 - the module trafilatura's HTML path needs
