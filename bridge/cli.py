"""The ``phigate`` command line. Every error is one line on stderr, never a traceback."""

from __future__ import annotations

import argparse
import asyncio
import grp
import importlib
import json
import logging
import os
import stat
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TextIO

import yaml

from bridge.audit import generate_key_file
from bridge.classify import PracticeSettings, classify_content, classify_text
from bridge.config import Config, load_config, registration, render_new_config
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
    p.add_argument("--version", action="version", version=f"phigate {phigate_version()}")
    sub = p.add_subparsers(metavar="command")

    init = sub.add_parser("init", help="write config.yaml, the audit key and registration.yaml")
    init.add_argument("-c", "--config", type=Path, default=Path("config.yaml"))
    init.add_argument("-r", "--registration", type=Path, default=None)
    init.add_argument("--domain", help="the homeserver's server name (default clinic.example)")
    init.add_argument("--homeserver", help="the homeserver's URL (default http://127.0.0.1:8008)")
    init.add_argument(
        "--admin",
        action="append",
        metavar="USER_ID",
        help="who may run bot commands (repeat for more); replaces the example's placeholder",
    )
    _group_argument(init)
    init.add_argument("--force", action="store_true", help="overwrite config and registration")
    init.set_defaults(handler=_cmd_init)

    reg = sub.add_parser("generate-registration", help="appservice registration for the homeserver")
    reg.add_argument("-c", "--config", type=Path, default=Path("config.yaml"))
    reg.add_argument("-r", "--registration", type=Path, default=Path("registration.yaml"))
    _group_argument(reg)
    reg.add_argument("--force", action="store_true")
    reg.set_defaults(handler=_cmd_generate_registration)

    syn = sub.add_parser(
        "synapse-config", help="the homeserver.yaml additions (registration, module, …)"
    )
    syn.add_argument("-c", "--config", type=Path, default=Path("config.yaml"))
    syn.add_argument(
        "-r",
        "--registration",
        type=Path,
        default=None,
        help="the registration file (default: registration.yaml beside the config)",
    )
    syn.set_defaults(handler=_cmd_synapse_config)

    run = sub.add_parser("run", help="run the bridge")
    run.add_argument("-c", "--config", type=Path, default=Path("config.yaml"))
    run.set_defaults(handler=_cmd_run)

    demo = sub.add_parser("demo", help="run the main job on a throwaway homeserver")
    add_demo_arguments(demo)
    demo.set_defaults(handler=demo_main)

    cls = sub.add_parser("classify", help="classify messages read from stdin, one per line")
    cls.add_argument(
        "-c",
        "--config",
        type=Path,
        default=None,
        help="use this config's classify: section (the practice's identifiers and contacts)",
    )
    cls.set_defaults(handler=_cmd_classify)

    _audit_parser(sub)
    return p


def _audit_parser(sub: Any) -> None:
    evidence = sub.add_parser(
        "evidence", help="the compliance evidence report, checked live on this deployment"
    )
    evidence.add_argument("-c", "--config", type=Path, default=Path("config.yaml"))
    evidence.add_argument("--format", choices=["md", "html", "json"], default="md")
    evidence.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    evidence.set_defaults(handler=_on_services("bridge.service.evidence", "evidence_command"))

    audit = sub.add_parser("audit", help="verify, query or export the audit log")
    audit_sub = audit.add_subparsers(metavar="action")

    def action(name: str, help: str, handler: Callable[[argparse.Namespace], int]) -> Any:
        parser = audit_sub.add_parser(name, help=help, description=help)
        parser.add_argument("-c", "--config", type=Path, default=Path("config.yaml"))
        parser.set_defaults(handler=handler)
        return parser

    verify = action(
        "verify",
        "check the hash chain and the newest signed checkpoint",
        _on_services("bridge.service.audit", "verify"),
    )
    verify.add_argument(
        "--checkpoint",
        action="append",
        metavar="FILE",
        help="also check against the signed checkpoints in FILE (e.g. the control room's copy)",
    )
    verify.add_argument("--deep", action="store_true", help="check every record's tag too")
    query = action(
        "query",
        "records matching, newest first",
        _on_services("bridge.service.audit", "query_command"),
    )
    for name in ("vendor", "user", "room", "category", "since", "until"):
        query.add_argument(f"--{name}")
    query.add_argument(
        "--contains", metavar="TEXT", help="records whose content has these words, in order"
    )
    query.add_argument("--limit", type=int, default=100)
    query.add_argument("--json", action="store_true", help="one JSON object per line")
    query.add_argument("--content", action="store_true", help="decrypt and show content")
    export = action(
        "export", "export for a SIEM", _on_services("bridge.service.audit", "export_command")
    )
    export.add_argument("--format", choices=["jsonl", "cef"], required=True)
    export.add_argument("--since")
    disclosures = action(
        "disclosures",
        "the accounting of disclosures (HIPAA 164.528); default range: six years",
        _on_services("bridge.service.audit", "disclosures_command"),
    )
    who = disclosures.add_mutually_exclusive_group()
    who.add_argument("--patient", metavar="USER_ID")
    who.add_argument("--vendor", metavar="VENDOR_ID")
    disclosures.add_argument("--since")
    disclosures.add_argument("--until")
    disclosures.add_argument("--format", choices=["table", "csv", "json"], default="table")
    checkpoint = action(
        "checkpoint",
        "sign the chain head now",
        _on_services("bridge.service.audit", "checkpoint_command"),
    )
    checkpoint.add_argument(
        "--reanchor",
        metavar="REASON",
        help="after a restore from backup: sign a head that does not extend the last checkpoint",
    )
    rotate = action(
        "rotate-key", "new content and signing keys (old ones kept)", _cmd_audit_rotate_key
    )
    rotate.add_argument("--content", action="store_true", help="only the content key")
    rotate.add_argument("--signing", action="store_true", help="only the signing key")
    prune = action(
        "prune",
        "delete records past audit.retention (legal holds kept); verify still proves the rest",
        _on_services("bridge.service.audit", "prune_command"),
    )
    prune.add_argument("--dry-run", action="store_true", help="say what would go, delete nothing")
    action("vkey", "print the checkpoint verifier key(s)", _cmd_audit_vkey)
    action(
        "reindex",
        "rebuild the content search index",
        _on_services("bridge.service.audit", "reindex_command", with_args=False),
    )


def phigate_version() -> str:
    try:
        return version("phigate")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def _group_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--homeserver-group",
        metavar="GROUP",
        help="write the registration mode 0640 with this group (the homeserver's user's group, "
        "e.g. matrix-synapse), so the homeserver can read it; default: mode 0600",
    )


# --- init / registration --------------------------------------------------------------------


def _cmd_init(args: argparse.Namespace) -> int:
    config_path: Path = args.config
    registration_path: Path = args.registration or config_path.parent / "registration.yaml"
    text = render_new_config(domain=args.domain, homeserver=args.homeserver, admins=args.admin)
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
    if not config.audit.signing_key_file.exists():
        generate_key_file(config.audit.signing_key_file, what="audit signing key")
        print(f"wrote audit signing key {config.audit.signing_key_file} (mode 0600)")
    if not config.policy_server.key_file.exists():
        generate_key_file(config.policy_server.key_file, what="policy server key")
        print(f"wrote policy server key {config.policy_server.key_file} (mode 0600)")
    _write_registration(registration_path, config, args.homeserver_group)
    print(f"wrote {config_path} and {registration_path}")
    if config.placeholder_admins:
        print(
            f"set organization.admins in {config_path} (or run init again with --admin "
            "@you:server --force): `phigate run` refuses the placeholder admin"
        )
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
    _write_registration(args.registration, config, args.homeserver_group)
    print(f"wrote {args.registration}")
    return EXIT_OK


def _registration_yaml(config: Any) -> str:
    return yaml.safe_dump(registration(config), sort_keys=False)


def _write_registration(path: Path, config: Config, group: str | None) -> None:
    """The registration holds both tokens: readable by its owner and, given a group, by
    the homeserver's group; never by everyone."""
    _write_private(path, _registration_yaml(config))
    if group is None:
        print(
            f"{path} is mode 0600: the homeserver's user must be able to read it "
            f"(e.g. chgrp matrix-synapse {path} && chmod 0640 {path}, or --homeserver-group)"
        )
        return
    try:
        os.chown(path, -1, grp.getgrnam(group).gr_gid)
        os.chmod(path, 0o640)
    except KeyError:
        raise PhiGateError(f"--homeserver-group {group}: no such group") from None
    except OSError as e:
        raise PhiGateError(f"cannot give {path} to group {group}: {e.strerror}") from None


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


def _cmd_synapse_config(args: argparse.Namespace) -> int:
    from bridge.synapse_config import policy_route, synapse_config

    config = load_config(args.config)
    registration = args.registration or args.config.parent / "registration.yaml"
    print("# PHI Gate: add to Synapse's homeserver.yaml (a key given twice: the later one wins)")
    if not config.antispam.enabled:
        print(
            "# antispam.enabled is false: without the pre-persist module a blocked event is"
            " removed after delivery (redaction), not refused before it is stored"
        )
    else:
        print("# the module: pip install ./synapse_module into Synapse's own environment")
    for line in policy_route(config):
        print(f"# {line}")
    print(yaml.safe_dump(synapse_config(config, registration), sort_keys=False), end="")
    return EXIT_OK


# --- run ------------------------------------------------------------------------------------


def _cmd_run(args: argparse.Namespace) -> int:
    from bridge.logs import setup_logging
    from bridge.matrix.runtime import run_forever

    config = load_config(args.config)
    if config.placeholder_admins:
        raise PhiGateError(
            f"config key organization.admins: {', '.join(config.placeholder_admins)} is the "
            "example's placeholder, so nobody could run bot commands; put your admins' user "
            "IDs there (or `phigate init --admin @you:server --force` for a new config)"
        )
    setup_logging(config.logging)
    warning = registration_access_warning(args.config.parent / "registration.yaml")
    if warning:
        logging.getLogger("bridge.cli").warning("%s", warning)
    asyncio.run(run_forever(config))
    return EXIT_OK


def registration_access_warning(path: Path) -> str | None:
    """A registration beside the config that only its owner may read: the homeserver can
    load it only if it runs as that owner (where it is elsewhere, nothing is said)."""
    try:
        st = path.stat()
    except OSError:
        return None
    if st.st_mode & (stat.S_IRGRP | stat.S_IROTH):
        return None
    return (
        f"{path} is readable only by its owner (uid {st.st_uid}, mode "
        f"{stat.S_IMODE(st.st_mode):04o}): unless the homeserver runs as that user it "
        "cannot load it; chgrp it to the homeserver's group and chmod 0640 "
        "(docs/operations.md)"
    )


# --- classify -------------------------------------------------------------------------------


def _cmd_classify(args: argparse.Namespace) -> int:
    practice = load_config(args.config).classify if args.config is not None else None
    classify_stream(sys.stdin, sys.stdout, practice)
    return EXIT_OK


def classify_stream(lines: TextIO, out: TextIO, practice: PracticeSettings | None = None) -> None:
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
                result = classify_content(content, practice=practice)
        if result is None:
            result = classify_text(text, practice=practice)
        out.write(
            json.dumps({"category": result.category.value, "reasons": list(result.reasons)}) + "\n"
        )
        out.flush()


# --- audit ----------------------------------------------------------------------------------


def _cmd_audit_rotate_key(args: argparse.Namespace) -> int:
    from bridge.service.audit import rotate_key_command

    return asyncio.run(rotate_key_command(load_config(args.config), args))


def _cmd_audit_vkey(args: argparse.Namespace) -> int:
    from bridge.service.audit import vkey_command

    return vkey_command(load_config(args.config))


def _on_services(
    module: str, name: str, *, with_args: bool = True
) -> Callable[[argparse.Namespace], int]:
    """A subcommand that runs ``module.name(services, args)`` on the services the config
    builds. The module is imported when the subcommand runs, so the others start fast."""

    def handler(args: argparse.Namespace) -> int:
        command = getattr(importlib.import_module(module), name)
        action = (lambda s: command(s, args)) if with_args else command
        return asyncio.run(_with_services(args.config, action))

    return handler


async def _with_services(config_path: Path, action: Callable[[Any], Any]) -> int:
    from bridge.service.app import open_services

    services = await open_services(load_config(config_path))
    try:
        return await action(services)
    finally:
        await services.close()
