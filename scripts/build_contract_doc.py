"""Write docs/contract.md: PHI Gate's interface as built (CLI, bot commands, config keys),
read from the code that defines it, so the document cannot drift from the product.

    python scripts/build_contract_doc.py          # rewrite docs/contract.md
    python scripts/build_contract_doc.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bridge.cli import _parser  # noqa: E402
from bridge.commands.handlers import COMMANDS  # noqa: E402

DOC = ROOT / "docs" / "contract.md"
EXAMPLE = ROOT / "bridge" / "config.example.yaml"

HEADER = """# PHI Gate's interface (generated)

Written by `scripts/build_contract_doc.py` from the code that defines each part (a test
checks it is current): the command line, the bot commands and the configuration keys. What
each does is in the README and `docs/operations.md`; every key is explained where it stands
in `bridge/config.example.yaml` (what `phigate init` writes).
"""


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _usage(parser: argparse.ArgumentParser) -> str:
    return " ".join(parser.format_usage().removeprefix("usage: ").split())


def _cli() -> list[str]:
    lines = [
        "## Command line (`phigate`, also `python -m bridge`)",
        "",
        "| usage | does |",
        "|---|---|",
    ]
    top = _parser()
    lines.append(f"| `{_usage(top)}` | {top.description or ''} |".replace("|]", "\\|]"))
    helps = {}
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {c.dest: c.help for c in action._choices_actions}
    for name, sub in _subparsers(top).items():
        nested = _subparsers(sub)
        rows = (
            [(sub, helps.get(name))]
            if not nested
            else [(a, a.description) for a in nested.values()]
        )
        for parser, does in rows:
            usage = _usage(parser).replace("|", "\\|")
            lines.append(f"| `{usage}` | {does or ''} |")
    return lines


def _commands() -> list[str]:
    lines = [
        "## Bot commands (control room, admins only)",
        "",
        "| command | does |",
        "|---|---|",
    ]
    for spec in COMMANDS._specs.values():
        usage, does = (text.replace("|", "\\|") for text in (spec.usage, spec.help))
        lines.append(f"| `{usage}` | {does} |")
    return lines


def _keys(value: Any, prefix: str = "") -> list[str]:
    if isinstance(value, dict):
        keys: list[str] = []
        for key, inner in value.items():
            keys.extend(_keys(inner, f"{prefix}{key}."))
        return keys or [prefix.rstrip(".")]
    return [prefix.rstrip(".")]


def _config() -> list[str]:
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    lines = ["## Configuration keys (`config.yaml`)", ""]
    lines += [f"- `{key}`" for key in _keys(raw)]
    return lines


def render() -> str:
    parts = [HEADER, *("\n".join(section) + "\n" for section in (_cli(), _commands(), _config()))]
    return "\n".join(parts)


def main() -> int:
    check = "--check" in sys.argv[1:]
    text = render()
    if check:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print(f"{DOC.relative_to(ROOT)} is out of date: run scripts/build_contract_doc.py")
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
