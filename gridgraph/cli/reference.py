"""The CLI reference (docs/cli.md), generated from ``--help`` so the docs never fall behind.

Regenerate with ``python -m gridgraph.cli.reference > docs/cli.md``; a test checks it is current.
"""

from __future__ import annotations

import click

from . import main

__all__ = ["cli_reference"]


def _commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    found = []
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        found.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix} {name}"))
    return found


def cli_reference() -> str:
    """Markdown with the ``--help`` text of ``gridgraph`` and every command under it."""
    sections = ["# gridgraph command reference", "",
                "Generated from `--help` by `python -m gridgraph.cli.reference > docs/cli.md`.", ""]
    for path, command in [("gridgraph", main), *_commands(main, "gridgraph")]:
        # The group's settings (``-h``) as commands inherit them when run.
        with click.Context(command, info_name=path, terminal_width=100,
                           **main.context_settings) as ctx:
            help_text = command.get_help(ctx)
        sections += [f"## {path}", "", "```", help_text, "```", ""]
    return "\n".join(sections)


if __name__ == "__main__":
    print(cli_reference(), end="")
