"""Every generated file is what ``make regen`` writes (tools/regen.py): a change to a question, a
command, a report table or the schema regenerates its pages in the same commit."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _regen():
    spec = importlib.util.spec_from_file_location("regen", ROOT / "tools" / "regen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_generated_file_is_current():
    regen = _regen()
    assert regen.stale() == [], "stale generated files: run `make regen`"


def test_regen_names_the_pages_it_owns():
    assert set(_regen().GENERATED) == {"docs/cli.md", "docs/ledgers.md", "docs/definitions.md",
                                       "tests/report_layouts.json"}
