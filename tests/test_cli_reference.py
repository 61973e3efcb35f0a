"""docs/cli.md is the --help of every command; it must be regenerated when a command changes."""

from pathlib import Path

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
