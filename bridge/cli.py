"""The ``phigate`` command line. Every error is one line on stderr, never a traceback."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import yaml

from bridge.audit import generate_key_file
from bridge.classify import classify_content, classify_text
from bridge.config import load_config, registration, render_new_config
from bridge.demo.run import add_demo_arguments, demo_main
from bridge.errors import PhiGateError

EXIT_OK, EXIT_CHECK_FAILED, EXIT_ERROR = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_ERROR
    try:
        return handler(args)
    except PhiGateError as e:
        print(f"phigate: {e}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="phigate", description="PHI Gate: HIPAA gate for Matrix")
    sub = p.add_subparsers(metavar="command")

    init = sub.add_parser("init", help="write config.yaml, the audit key and registration.yaml")
    init.add_argument("-c", "--config", type=Path, default=Path("config.yaml"))
    init.add_argument("-r", "--registration", type=Path, default=None)
    init.add_argument("--domain", help="the homeserver's server name (default clinic.example)")
    init.add_argument("--homeserver", help="the homeserver's URL (default http://127.0.0.1:8008)")
    init.add_argument("--force", action="store_true", help="overwrite config and registration")
    init.set_defaults(handler=_cmd_init)

    reg = sub.add_parser("generate-registration", help="appservice registration for the homeserver")
    reg.add_argument("-c", "--config", type=Path, default=Path("config.yaml"))
    reg.add_argument("-r", "--registration", type=Path, default=Path("registration.yaml"))
    reg.add_argument("--force", action="store_true")
    reg.set_defaults(handler=_cmd_generate_registration)

    run = sub.add_parser("run", help="run the bridge")
    run.add_argument("-c", "--config", type=Path, default=Path("config.yaml"))
    run.set_defaults(handler=_cmd_run)

    demo = sub.add_parser("demo", help="run the main job on a throwaway homeserver")
    add_demo_arguments(demo)
    demo.set_defaults(handler=demo_main)

    cls = sub.add_parser("classify", help="classify messages read from stdin, one per line")
    cls.set_defaults(handler=_cmd_classify)

    audit = sub.add_parser("audit", help="verify, query or export the audit log")
    audit_sub = audit.add_subparsers(metavar="action")
    verify = audit_sub.add_parser("verify", help="check the hash chain")
    verify.add_argument("-c", "--config", type=Path, default=Path("config.yaml"))
    verify.set_defaults(handler=_cmd_audit_verify)
    query = audit_sub.add_parser("query", help="records matching, newest first")
    query.add_argument("-c", "--config", type=Path, default=Path("config.yaml"))
    for name in ("vendor", "user", "room", "category", "since", "until"):
        query.add_argument(f"--{name}")
    query.add_argument("--limit", type=int, default=100)
    query.add_argument("--json", action="store_true", help="one JSON object per line")
    query.add_argument("--content", action="store_true", help="decrypt and show content")
    query.set_defaults(handler=_cmd_audit_query)
    export = audit_sub.add_parser("export", help="export for a SIEM")
    export.add_argument("-c", "--config", type=Path, default=Path("config.yaml"))
    export.add_argument("--format", choices=["jsonl", "cef"], required=True)
    export.add_argument("--since")
    export.set_defaults(handler=_cmd_audit_export)
    return p


# --- init / registration --------------------------------------------------------------------


def _cmd_init(args: argparse.Namespace) -> int:
    config_path: Path = args.config
    registration_path: Path = args.registration or config_path.parent / "registration.yaml"
    text = render_new_config(domain=args.domain, homeserver=args.homeserver)
    if not args.force:
        _refuse_existing(config_path, registration_path)
    _write_private(config_path, text)
    config = load_config(config_path)
    # The audit key is never replaced, not even with --force: records written under it would
    # become unreadable.
    if config.audit_key_file.exists():
        print(f"kept the existing audit key {config.audit_key_file}")
    else:
        generate_key_file(config.audit_key_file)
        print(f"wrote audit key {config.audit_key_file} (mode 0600; back it up apart from the DB)")
    _write_private(registration_path, _registration_yaml(config))
    print(f"wrote {config_path} and {registration_path}")
    print(
        "next: add the registration to the homeserver's app_service_config_files, then "
        f"`phigate run -c {config_path}`"
    )
    print(
        "E2EE: no homeserver experimental_features are needed — the registration enables "
        "MSC4190 and the bot's device fetches its room keys by its own /sync. Set "
        "redaction_retention_period: 0 in homeserver.yaml so redacted PHI is purged at once."
    )
    return EXIT_OK


def _cmd_generate_registration(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    if not args.force:
        _refuse_existing(args.registration)
    _write_private(args.registration, _registration_yaml(config))
    print(f"wrote {args.registration}")
    return EXIT_OK


def _registration_yaml(config: Any) -> str:
    return yaml.safe_dump(registration(config), sort_keys=False)


def _refuse_existing(*paths: Path) -> None:
    existing = [str(p) for p in paths if p.exists()]
    if existing:
        raise PhiGateError(f"{', '.join(existing)} exists already; use --force to overwrite")


def _write_private(path: Path, text: str) -> None:
    """Write a file holding secrets: 0600 from the first byte, replaced atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise PhiGateError(f"cannot write {path}: {e.strerror}") from None


# --- run ------------------------------------------------------------------------------------


def _cmd_run(args: argparse.Namespace) -> int:
    from bridge.logs import setup_logging
    from bridge.matrix.runtime import run_forever

    config = load_config(args.config)
    setup_logging(config.logging)
    asyncio.run(run_forever(config))
    return EXIT_OK


# --- classify -------------------------------------------------------------------------------


def _cmd_classify(args: argparse.Namespace) -> int:
    classify_stream(sys.stdin, sys.stdout)
    return EXIT_OK


def classify_stream(lines: TextIO, out: TextIO) -> None:
    """One JSON verdict per input line; the matched text is never echoed."""
    for line in lines:
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        result = None
        if text.lstrip().startswith("{"):
            try:
                content = json.loads(text)
            except json.JSONDecodeError:
                content = None
            if isinstance(content, dict):
                result = classify_content(content)
        if result is None:
            result = classify_text(text)
        out.write(
            json.dumps({"category": result.category.value, "reasons": list(result.reasons)}) + "\n"
        )
        out.flush()


# --- audit ----------------------------------------------------------------------------------


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from bridge.service.audit import verify

    return asyncio.run(_with_services(args.config, verify))


def _cmd_audit_query(args: argparse.Namespace) -> int:
    from bridge.service.audit import query_command

    return asyncio.run(_with_services(args.config, lambda s: query_command(s, args)))


def _cmd_audit_export(args: argparse.Namespace) -> int:
    from bridge.service.audit import export_command

    return asyncio.run(_with_services(args.config, lambda s: export_command(s, args)))


async def _with_services(config_path: Path, action: Callable[[Any], Any]) -> int:
    from bridge.service.app import open_services

    services = await open_services(load_config(config_path))
    try:
        return await action(services)
    finally:
        await services.close()
