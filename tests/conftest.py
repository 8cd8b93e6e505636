"""Shared test fixtures. Tests read only files inside the repository."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
RAW_DIR = ROOT / "data" / "raw"
STRUCTURED_DIR = ROOT / "data" / "structured"
RAW_REPORT = RAW_DIR / "nap-2014-2015-annual-report.txt"
PDF_REPORT = HERE / "fixtures" / "nap-2014-15-annual-report.pdf"

# Hypothesis profiles (docs/development.md, "The fuzz suite"), chosen by HTREPORT_FUZZ_PROFILE
# or pytest's --hypothesis-profile. `ci`, the default, is bounded and reproducible: the same
# examples on every run, no example database. Tests that set max_examples keep their own.
_SLOW_INPUTS = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]
#: No `explain` phase: it traces every line, which makes a slow example look like a hang.
_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
settings.register_profile(
    "ci",
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=_SLOW_INPUTS,
    phases=_PHASES,
    print_blob=True,
)
settings.register_profile(
    "dev",
    max_examples=200,
    deadline=None,
    suppress_health_check=_SLOW_INPUTS,
    phases=_PHASES,
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=3000,
    deadline=None,
    suppress_health_check=_SLOW_INPUTS,
    phases=_PHASES,
    print_blob=True,
)
settings.load_profile(os.environ.get("HTREPORT_FUZZ_PROFILE", "ci"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite golden files (data/structured/, tests/golden/) from the current extractor.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def report_2014():
    """The 2014-2015 report extracted from its archived text (extracted once per session)."""
    from htreport.pipeline import extract

    return extract(RAW_REPORT)


@pytest.fixture
def runner():
    from typer.testing import CliRunner

    return CliRunner()


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The whole run uses a cache of its own: no test writes into the user's ~/.cache/htreport.

    (Session-wide, so tests share parsed entries; a test about the cache sets its own.)"""
    saved = {name: os.environ.get(name) for name in ("HTREPORT_CACHE_DIR", "XDG_CACHE_HOME")}
    os.environ["HTREPORT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make commands believe stdout is a terminal, for the rich views."""
    from htreport import render

    monkeypatch.setattr(render, "is_terminal", lambda: True)


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic rich output: fixed width, no colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERMINAL_WIDTH", "100")


@pytest.fixture(scope="session")
def structured_dir(report_2014, tmp_path_factory):
    """A directory holding the 2014-2015 report as structured YAML (2014-2015.yaml); read-only."""
    import htreport

    directory = tmp_path_factory.mktemp("structured")
    htreport.dump(report_2014, directory / "2014-2015.yaml")
    return directory
