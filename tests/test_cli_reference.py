"""docs/cli.md is the --help of every command; it must be regenerated when a command changes."""

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from gridgraph.cli import main
from gridgraph.cli.reference import cli_reference

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def test_cli_reference_is_current():
    assert DOC.read_text(encoding="utf-8") == cli_reference(), (
        "docs/cli.md is stale: run `python -m gridgraph.cli.reference > docs/cli.md`")


def test_cli_reference_covers_every_command():
    text = cli_reference()
    for command in ("sample", "validate", "load", "stats", "audit", "diff", "view", "cypher",
                    "queries list", "export neo4j-admin", "export graphml", "import-lianjia"):
        assert f"## gridgraph {command}\n" in text


def test_command_summaries_match_each_command():
    """`gridgraph --help` lists commands from base.COMMANDS without importing them."""
    from gridgraph.cli.base import COMMANDS

    for name, (_, summary) in COMMANDS.items():
        command = main.get_command(None, name)
        assert " ".join(command.help.split("\n\n")[0].split()) == summary, name
    assert sorted(main.commands) == sorted(COMMANDS)


def test_help_imports_no_command_module():
    script = ("import sys; from gridgraph.cli import main\n"
              "try: main(['--help'])\n"
              "except SystemExit: pass\n"
              "heavy = {'networkx', 'pyarrow', 'neo4j', 'queries', 'gridgraph.cli.audit'}\n"
              "print(sorted(heavy & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"



def _imported_by(modules: list[str], heavy: set[str]) -> list[str]:
    script = ("import importlib, sys\n"
              f"for name in {modules!r}: importlib.import_module('gridgraph.cli.' + name)\n"
              f"print(sorted({heavy!r} & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


def test_no_command_module_imports_the_neo4j_driver_before_it_connects():
    """The driver takes over half a second to import: only a command that talks to Neo4j pays it."""
    from gridgraph.cli.base import COMMANDS

    assert _imported_by(sorted({module for module, _ in COMMANDS.values()}), {"neo4j"}) == "[]"


def test_audits_loads_and_diffs_do_without_networkx():
    # The views, exports and the report page draw or walk with NetworkX; questions need no import of it.
    assert _imported_by(["audit", "ledgers", "diff"], {"networkx", "neo4j"}) == "[]"


def test_views_render_on_pyvis_template_without_importing_pyvis():
    # Importing pyvis imports NetworkX and IPython's hooks (half a second); the views need only its
    # template folder.
    assert _imported_by(["view"], {"pyvis", "networkx"}) == "[]"


def test_version_says_where_gridgraph_runs_from_and_names_a_package_from_elsewhere(monkeypatch, tmp_path):
    import importlib.machinery
    import sys
    from pathlib import Path

    from gridgraph.cli import base

    home = Path(base.__file__).resolve().parents[2]
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"gridgraph {base.version('gridgraph')} from {home} (Python {sys.version.split()[0]} {sys.executable})\n"
    # PyPI's ``queries`` (a PostgreSQL client) installed in the same environment shadows ours.
    elsewhere = importlib.machinery.ModuleSpec("queries", None, origin=str(tmp_path / "queries" / "__init__.py"))
    real_find_spec = base.find_spec
    monkeypatch.setattr(base, "find_spec", lambda name: elsewhere if name == "queries" else real_find_spec(name))
    lines = CliRunner().invoke(main, ["--version"]).output.splitlines()
    assert len(lines) == 2 and lines[1].startswith(f"warning: queries is imported from {tmp_path / 'queries'}, "
                                                   f"not {home / 'queries'}")
