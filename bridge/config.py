"""Load and validate ``config.yaml`` into typed, immutable objects.

Every problem is one :class:`ConfigError` line naming the key, raised at start-up.
"""

from __future__ import annotations

import difflib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

from bridge.audit.period import DEFAULT_RETENTION, Retention, parse_retention
from bridge.classify.detector import IDENTIFIER_TYPES
from bridge.classify.practice import NO_PRACTICE_SETTINGS, PRACTICE_IDENTIFIER, PracticeSettings
from bridge.errors import ConfigError
from bridge.policy.gate import GatedAction, GatePolicy, UndecryptableAction
from bridge.policy.parties import normal_user_id

PLACEHOLDER = "<generated>"
# The example config's admin: `phigate run` refuses it, `phigate init --admin` replaces it.
PLACEHOLDER_ADMIN_LOCALPART = "replace-me"
_MIN_SECRET_LEN = 32
_USER_ID = re.compile(r"^@[a-z0-9._=\-/+]+:[A-Za-z0-9.\-]+(:\d+)?$")

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class HomeserverConfig:
    address: str
    domain: str


@dataclass(frozen=True, slots=True)
class AppserviceConfig:
    address: str
    hostname: str
    port: int
    id: str
    bot_username: str
    as_token: str
    hs_token: str
    sender_localpart: str


@dataclass(frozen=True, slots=True)
class OrganizationConfig:
    staff_domains: frozenset[str]
    control_room: str
    admins: frozenset[str]
    baa_record_url: str
    auto_protect: bool
    # Who on staff_domains is workforce (see config.example.yaml): listed users, users whose
    # whole ID matches a pattern, and (only when said) every account; patient_domains'
    # accounts are patients. The admins count as listed.
    staff_users: frozenset[str] = frozenset()
    staff_user_patterns: tuple[re.Pattern[str], ...] = ()
    staff_by_domain: bool = False
    patient_domains: frozenset[str] = frozenset()
    # A command that opens a gate or changes who someone is waits for the admin's `!confirm`.
    confirm_changes: bool = False

    def baa_record(self, vendor_id: str) -> str:
        return self.baa_record_url.replace("{vendor}", vendor_id)


@dataclass(frozen=True, slots=True)
class ClamAVConfig:
    socket: str | None = None
    host: str | None = None
    port: int | None = None
    # Must equal clamd's StreamMaxLength: a larger file is "not scannable", never truncated.
    stream_max_length: int = 26_214_400


class ScanFailure(StrEnum):
    BLOCK = "block"
    ALLOW = "allow"


@dataclass(frozen=True, slots=True)
class MediaConfig:
    max_size: int
    allowed_types: frozenset[str]
    scan_failure: ScanFailure
    clamav: ClamAVConfig
    scan_timeout: float = 30.0

    @property
    def unscannable(self) -> str | None:
        """Why attachments of some allowed sizes can never pass, in words (None: all can).
        Said at start rather than refused: such files are blocked (fail closed), and a
        practice may mean to raise clamd's limit later."""
        limit = self.clamav.stream_max_length
        if self.max_size <= limit:
            return None
        return (
            f"media.max_size ({self.max_size} bytes) is above media.clamav.stream_max_length "
            f"({limit}), clamd's StreamMaxLength: attachments between the two cannot be "
            "scanned and are blocked; raise StreamMaxLength (and MaxFileSize, MaxScanSize) in "
            "clamd.conf and stream_max_length with it, or lower max_size"
        )


@dataclass(frozen=True, slots=True)
class AntispamConfig:
    """The homeserver asks PHI Gate before it stores an event (the phigate_synapse module)."""

    enabled: bool
    secret: str | None
    # How long a pre-persist check of an encrypted event in a gated room waits for its room
    # key (clients share it by to-device just before they send).
    key_wait_seconds: float = 2.0
    # How long the module waits for PHI Gate's answer before it decides from room state.
    timeout_seconds: float = 5.0


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@dataclass(frozen=True, slots=True)
class PolicyServerConfig:
    """PHI Gate as the managed rooms' policy server (MSC4284): vendors' own homeservers ask
    ``POST /_matrix/policy/v1/sign`` before they store or send their users' events."""

    enabled: bool
    # Ed25519 seed (32 bytes, mode 0600) generated beside the audit key; its public half is
    # published in each room's m.room.policy.
    key_file: Path
    # /sign answers within this (a hanging policy server costs the vendor 30 s per send).
    timeout_seconds: float = 5.0


@dataclass(frozen=True, slots=True)
class LoggingConfig:
    level: str
    format: LogFormat


@dataclass(frozen=True, slots=True)
class AuditConfig:
    """The ``audit:`` section beyond the content key (see docs/audit.md).

    Attributes:
        signing_key_file: Ed25519 key that signs checkpoints (32-byte seed, mode 0600);
            earlier keys in ``<file>.old/``.
        checkpoint_file: Append-only file of signed checkpoints, outside the database.
        checkpoint_interval_seconds: The head is signed at least this often while records
            are appended (and at every stop).
        checkpoint_origin: The checkpoints' origin line and signing key name.
        retention: Records older than this are pruned (once a day while PHI Gate runs, and
            by ``phigate audit prune``) unless a legal hold keeps them.
    """

    signing_key_file: Path
    checkpoint_file: Path
    checkpoint_interval_seconds: float
    checkpoint_origin: str
    retention: Retention = DEFAULT_RETENTION


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    homeserver: HomeserverConfig
    appservice: AppserviceConfig
    database: str
    organization: OrganizationConfig
    policy: GatePolicy
    key_wait_seconds: float
    # Secrets of the bot's E2EE device, kept beside the audit key (never in the database).
    encryption_pickle_key_file: Path
    encryption_recovery_key_file: Path
    audit_key_file: Path
    audit: AuditConfig
    media: MediaConfig
    antispam: AntispamConfig
    logging: LoggingConfig
    policy_server: PolicyServerConfig
    # The practice's own identifier formats and contacts, for the PHI detector.
    classify: PracticeSettings = NO_PRACTICE_SETTINGS

    @property
    def bot_user_id(self) -> str:
        return f"@{self.appservice.bot_username}:{self.homeserver.domain}"

    @property
    def sender_user_id(self) -> str:
        return f"@{self.appservice.sender_localpart}:{self.homeserver.domain}"

    @property
    def placeholder_admins(self) -> list[str]:
        """The example's admin left in ``organization.admins`` (nobody could run commands)."""
        prefix = f"@{PLACEHOLDER_ADMIN_LOCALPART}:"
        return sorted(a for a in self.organization.admins if a.startswith(prefix))


class _Section:
    """Typed reads from one mapping, each error naming the dotted key."""

    def __init__(self, data: Any, prefix: str, opened: list[_Section] | None = None) -> None:
        if not isinstance(data, Mapping):
            raise ConfigError(f"config key {prefix or '<top>'}: expected a mapping")
        self._data = data
        self._prefix = prefix
        # Every key this section was asked for: what is left over is a key PHI Gate does not
        # know (a typo that would otherwise silently leave a default in force).
        self._read: set[str] = set()
        self._opened = opened if opened is not None else []
        self._opened.append(self)

    def check_unknown(self) -> None:
        """Refuse keys nobody read, suggesting the nearest known one."""
        for key in self._data:
            if key in self._read:
                continue
            name = str(key)
            near = difflib.get_close_matches(name, sorted(self._read), n=1, cutoff=0.6)
            hint = (
                f"did you mean {self._key(near[0])}?"
                if near
                else f"known here: {', '.join(sorted(self._read)) or 'none'}"
            )
            raise ConfigError(f"config key {self._key(name)} is not a PHI Gate setting; {hint}")

    def check_all_unknown(self) -> None:
        for section in self._opened:
            section.check_unknown()

    def _key(self, key: str) -> str:
        return f"{self._prefix}.{key}" if self._prefix else key

    def _get(self, key: str, default: Any) -> Any:
        self._read.add(key)
        if key in self._data and self._data[key] is not None:
            return self._data[key]
        if default is _REQUIRED:
            raise ConfigError(f"config key {self._key(key)} is missing")
        return default

    def section(self, key: str, *, required: bool = True) -> _Section:
        return _Section(self._get(key, _REQUIRED if required else {}), self._key(key), self._opened)

    def str(self, key: str, default: Any = None) -> str:
        value = self._get(key, _REQUIRED if default is None else default)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"config key {self._key(key)}: expected a non-empty string")
        return value.strip()

    def secret(self, key: str) -> str:
        value = self.str(key)
        if value == PLACEHOLDER or len(value) < _MIN_SECRET_LEN:
            raise ConfigError(
                f"config key {self._key(key)}: must be a generated secret of at least "
                f"{_MIN_SECRET_LEN} characters (run `phigate init`)"
            )
        return value

    def int(self, key: str, default: Any = None, *, minimum: int = 0) -> int:
        value = self._get(key, _REQUIRED if default is None else default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ConfigError(f"config key {self._key(key)}: expected an integer ≥ {minimum}")
        return value

    def number(self, key: str, default: float) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"config key {self._key(key)}: expected a positive number")
        return float(value)

    def bool(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise ConfigError(f"config key {self._key(key)}: expected true or false")
        return value

    def str_list(self, key: str, default: Any = None) -> list[str]:
        value = self._get(key, _REQUIRED if default is None else default)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"config key {self._key(key)}: expected a list of strings")
        return [v.strip() for v in value]

    def choice(self, key: str, enum: type[E], default: E) -> E:
        value = self._get(key, default.value)
        try:
            return enum(str(value).lower())
        except ValueError:
            options = " | ".join(e.value for e in enum)
            raise ConfigError(
                f"config key {self._key(key)}: {value!r} is not one of {options}"
            ) from None


_REQUIRED = object()


def _workforce(org: _Section, staff_domains: frozenset[str]) -> dict[str, Any]:
    """organization.staff_users, staff_user_patterns, staff_by_domain and patient_domains."""
    users = org.str_list("staff_users", [])
    for user in users:
        if not _USER_ID.match(user):
            raise ConfigError(f"config key organization.staff_users: {user!r} is not a user ID")
        if user.partition(":")[2].lower() not in staff_domains:
            raise ConfigError(
                f"config key organization.staff_users: {user} is not on a server in "
                "organization.staff_domains"
            )
    patterns = []
    for text in org.str_list("staff_user_patterns", []):
        try:
            patterns.append(re.compile(text))
        except re.error as err:
            raise ConfigError(
                f"config key organization.staff_user_patterns: {text!r} is not a regular "
                f"expression ({err})"
            ) from None
    patient_domains = frozenset(d.lower() for d in org.str_list("patient_domains", []))
    if shared := sorted(patient_domains & staff_domains):
        raise ConfigError(
            f"config key organization.patient_domains: {', '.join(shared)} is also a staff "
            "domain (an account cannot be both)"
        )
    return {
        "staff_users": frozenset(normal_user_id(u) for u in [*users, *org.str_list("admins")]),
        "staff_user_patterns": tuple(patterns),
        # Unset: SPEC §1's rule (every staff-domain account is staff) until the practice
        # names its workforce; from then on an unnamed account is a counterparty.
        "staff_by_domain": org.bool("staff_by_domain", not (users or patterns)),
        "patient_domains": patient_domains,
    }


def load_config(path: Path) -> Config:
    """Read and validate a config file.

    Raises:
        ConfigError: the file cannot be read or parsed, or a key is missing or wrong.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"config file {path} not found (create one with `phigate init`)"
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"config file {path} cannot be read: {e}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"config file {path} is not valid YAML{where}") from None
    return parse_config(raw, path.resolve())


def parse_config(raw: Any, path: Path) -> Config:
    top = _Section(raw, "")
    base_dir = path.parent

    hs = top.section("homeserver")
    homeserver = HomeserverConfig(address=_url(hs, "address"), domain=hs.str("domain"))

    asv = top.section("appservice")
    appservice = AppserviceConfig(
        address=_url(asv, "address"),
        hostname=asv.str("hostname"),
        port=asv.int("port", minimum=1),
        id=asv.str("id"),
        bot_username=_localpart(asv, "bot_username"),
        as_token=asv.secret("as_token"),
        hs_token=asv.secret("hs_token"),
        sender_localpart=_localpart(asv, "sender_localpart"),
    )
    if appservice.as_token == appservice.hs_token:
        raise ConfigError("config keys appservice.as_token and appservice.hs_token must differ")
    if appservice.sender_localpart == appservice.bot_username:
        raise ConfigError(
            "config key appservice.sender_localpart: must differ from appservice.bot_username"
        )
    if appservice.port > 65535:
        raise ConfigError("config key appservice.port: expected a port number ≤ 65535")

    database = _database_url(top.str("database"), base_dir)

    org = top.section("organization")
    admins = org.str_list("admins")
    for admin in admins:
        if not _USER_ID.match(admin):
            raise ConfigError(f"config key organization.admins: {admin!r} is not a user ID")
    staff_domains = frozenset(d.lower() for d in org.str_list("staff_domains"))
    organization = OrganizationConfig(
        staff_domains=staff_domains,
        control_room=org.str("control_room", f"#phigate-control:{homeserver.domain}"),
        admins=frozenset(admins),
        baa_record_url=org.str("baa_record_url", "https://example.invalid/baa/{vendor}"),
        auto_protect=org.bool("auto_protect", True),
        confirm_changes=org.bool("confirm_changes", False),
        **_workforce(org, staff_domains),
    )
    if not organization.control_room.startswith(("#", "!")):
        raise ConfigError("config key organization.control_room: expected a #alias or !room id")

    pol = top.section("policy", required=False)
    policy = GatePolicy(
        vendor_without_active_baa=pol.choice(
            "vendor_without_active_baa", GatedAction, GatedAction.BLOCK_ALL
        ),
        patient_without_consent=pol.choice(
            "patient_without_consent", GatedAction, GatedAction.BLOCK_PHI
        ),
        undecryptable_in_gated_room=pol.choice(
            "undecryptable_in_gated_room", UndecryptableAction, UndecryptableAction.BLOCK
        ),
    )

    enc = top.section("encryption", required=False)
    audit = top.section("audit", required=False)
    key_file = Path(audit.str("key_file", "audit.key"))

    def beside(path: str) -> Path:
        p = Path(path)
        return p if p.is_absolute() else base_dir / p

    med = top.section("media", required=False)
    clam = med.section("clamav", required=False)
    stream_max = clam.int("stream_max_length", 26_214_400, minimum=1)
    clam._read.update(("host", "port", "socket"))  # either way, all three are known keys
    if "host" in clam._data:
        clamav = ClamAVConfig(
            host=clam.str("host"),
            port=clam.int("port", 3310, minimum=1),
            stream_max_length=stream_max,
        )
    else:
        clamav = ClamAVConfig(
            socket=clam.str("socket", "/run/clamav/clamd.ctl"), stream_max_length=stream_max
        )
    media = MediaConfig(
        max_size=med.int("max_size", 26_214_400, minimum=1),
        allowed_types=frozenset(
            t.lower()
            for t in med.str_list(
                "allowed_types",
                [
                    "image/png",
                    "image/jpeg",
                    "image/gif",
                    "image/webp",
                    "application/pdf",
                    "text/plain",
                ],
            )
        ),
        scan_failure=med.choice("scan_failure", ScanFailure, ScanFailure.BLOCK),
        clamav=clamav,
        scan_timeout=med.number("scan_timeout", 30.0),
    )
    spam = top.section("antispam", required=False)
    enabled = spam.bool("enabled", False)
    spam._read.add("secret")  # kept while the module is off
    antispam = AntispamConfig(
        enabled=enabled,
        secret=spam.secret("secret") if enabled else None,
        key_wait_seconds=spam.number("key_wait_seconds", 2.0),
        timeout_seconds=spam.number("timeout_seconds", 5.0),
    )

    pserver = top.section("policy_server", required=False)
    policy_server = PolicyServerConfig(
        enabled=pserver.bool("enabled", False),
        key_file=beside(pserver.str("key_file", "policy-server.key")),
        timeout_seconds=pserver.number("timeout_seconds", 5.0),
    )

    log = top.section("logging", required=False)
    level = log.str("level", "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ConfigError(f"config key logging.level: {level!r} is not a log level")
    logging_config = LoggingConfig(
        level=level, format=log.choice("format", LogFormat, LogFormat.TEXT)
    )

    classify = _classify_settings(top.section("classify", required=False))

    config = Config(
        path=path,
        homeserver=homeserver,
        appservice=appservice,
        database=database,
        organization=organization,
        policy=policy,
        key_wait_seconds=enc.number("key_wait_seconds", 10.0),
        encryption_pickle_key_file=beside(enc.str("pickle_key_file", "crypto.key")),
        encryption_recovery_key_file=beside(enc.str("recovery_key_file", "recovery.key")),
        audit_key_file=beside(str(key_file)),
        audit=AuditConfig(
            signing_key_file=beside(audit.str("signing_key_file", "audit-signing.key")),
            checkpoint_file=beside(audit.str("checkpoint_file", "audit-checkpoints.txt")),
            checkpoint_interval_seconds=audit.number("checkpoint_interval_seconds", 60.0),
            checkpoint_origin=_origin(
                audit, "checkpoint_origin", f"{homeserver.domain}/phigate-audit"
            ),
            retention=_retention(audit, "retention"),
        ),
        media=media,
        antispam=antispam,
        logging=logging_config,
        policy_server=policy_server,
        classify=classify,
    )
    top.check_all_unknown()
    return config


def _classify_settings(section: _Section) -> PracticeSettings:
    """``classify:``: the practice's identifier formats and its own contact details."""
    raw = section._get("identifier_patterns", [])
    if not isinstance(raw, list):
        raise ConfigError("config key classify.identifier_patterns: expected a list")
    patterns: list[tuple[str, str]] = []
    for index, entry in enumerate(raw):
        key = f"classify.identifier_patterns[{index}]"
        if isinstance(entry, str):
            entry = {"pattern": entry}
        if not isinstance(entry, Mapping) or not isinstance(entry.get("pattern"), str):
            raise ConfigError(f"config key {key}: expected a pattern string or {{type, pattern}}")
        kind = entry.get("type", PRACTICE_IDENTIFIER)
        if kind not in IDENTIFIER_TYPES:
            raise ConfigError(f"config key {key}.type: {kind!r} is not an identifier type")
        patterns.append((kind, entry["pattern"]))
    own = section.section("own", required=False)
    try:
        return PracticeSettings.build(
            identifier_patterns=patterns,
            own_phones=own.str_list("phones", []),
            own_emails=own.str_list("emails", []),
            own_addresses=own.str_list("addresses", []),
        )
    except ValueError as error:
        raise ConfigError(f"config key classify: {error}") from None


def _url(section: _Section, key: str) -> str:
    value = section.str(key)
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"config key {section._key(key)}: expected an http(s) URL")
    return value.rstrip("/")


def _localpart(section: _Section, key: str) -> str:
    value = section.str(key)
    if value == PLACEHOLDER or not re.fullmatch(r"[a-z0-9._=\-/]+", value):
        raise ConfigError(f"config key {section._key(key)}: expected a Matrix localpart")
    return value


def _origin(section: _Section, key: str, default: str) -> str:
    """A checkpoint origin / signed-note key name: no spaces, no "+" (C2SP signed-note)."""
    value = section.str(key, default)
    if any(c.isspace() or c == "+" for c in value) or not value.isprintable():
        raise ConfigError(
            f"config key {section._key(key)}: expected a name without spaces or '+'"
            " such as clinic.example/phigate-audit"
        )
    return value


def _retention(section: _Section, key: str) -> Retention:
    raw = section._get(key, DEFAULT_RETENTION.text)
    try:
        return parse_retention(str(raw))
    except ValueError as e:
        raise ConfigError(f"config key {section._key(key)}: {e}") from None


def _database_url(url: str, base_dir: Path) -> str:
    """Resolve a relative SQLite path against the config file's directory."""
    if url.startswith("sqlite+aiosqlite:///") and not url.startswith("sqlite+aiosqlite:////"):
        rel = url.removeprefix("sqlite+aiosqlite:///")
        if rel and rel != ":memory:":
            return f"sqlite+aiosqlite:///{(base_dir / rel).resolve()}"
        return url
    if url.startswith(("sqlite+aiosqlite:", "postgresql+asyncpg://")):
        return url
    raise ConfigError(
        "config key database: expected sqlite+aiosqlite:///path or postgresql+asyncpg://…"
    )


def example_config_text() -> str:
    return resources.files("bridge").joinpath("config.example.yaml").read_text(encoding="utf-8")


def render_new_config(
    *,
    domain: str | None = None,
    homeserver: str | None = None,
    admins: list[str] | None = None,
) -> str:
    """The example config with every ``<generated>`` placeholder replaced by a fresh secret."""
    text = example_config_text()
    text = text.replace("as_token: <generated>", f"as_token: {secrets.token_urlsafe(48)}")
    text = text.replace("hs_token: <generated>", f"hs_token: {secrets.token_urlsafe(48)}")
    text = text.replace("secret: <generated>", f"secret: {secrets.token_urlsafe(48)}")
    text = text.replace(
        "sender_localpart: <generated>",
        f"sender_localpart: phigate-sender-{secrets.token_hex(6)}",
    )
    if domain:
        text = text.replace("clinic.example", domain)
    if homeserver:
        text = text.replace('address: "http://127.0.0.1:8008"', f'address: "{homeserver}"')
    if admins:
        for admin in admins:
            if not _USER_ID.match(admin):
                raise ConfigError(f"--admin {admin!r} is not a user ID (@name:server)")
        placeholder = f'admins: ["@{PLACEHOLDER_ADMIN_LOCALPART}:{domain or "clinic.example"}"]'
        if placeholder not in text:
            raise ConfigError("example config has no placeholder admin for --admin to replace")
        text = text.replace(placeholder, "admins: [" + ", ".join(f'"{a}"' for a in admins) + "]")
    if PLACEHOLDER in text:  # a new placeholder in the example must never ship as a default
        raise ConfigError("example config has a <generated> value init does not fill")
    return text


def registration(config: Config) -> dict[str, Any]:
    """The appservice registration the homeserver loads (``app_service_config_files``)."""
    domain = re.escape(config.homeserver.domain)
    users = [
        {"exclusive": True, "regex": f"@{re.escape(config.appservice.bot_username)}:{domain}"},
        {"exclusive": True, "regex": f"@{re.escape(config.appservice.sender_localpart)}:{domain}"},
    ]
    if config.organization.auto_protect:
        # Non-exclusive: the homeserver then pushes events of rooms with staff in them, so the
        # bridge sees staff meet a counterparty before anyone invites the bot.
        for staff_domain in sorted(config.organization.staff_domains):
            users.append({"exclusive": False, "regex": f"@.*:{re.escape(staff_domain)}"})
    aliases = []
    control = config.organization.control_room
    if control.startswith("#") and control.endswith(":" + config.homeserver.domain):
        # An appservice may only create aliases in its own namespace.
        aliases.append({"exclusive": True, "regex": re.escape(control)})
    return {
        "id": config.appservice.id,
        "url": config.appservice.address,
        "as_token": config.appservice.as_token,
        "hs_token": config.appservice.hs_token,
        "sender_localpart": config.appservice.sender_localpart,
        "rate_limited": False,
        "namespaces": {"users": users, "aliases": aliases, "rooms": []},
        # Typing notifications (and receipts) are pushed: PHI Gate warns staff who start
        # typing in a gated room (bridge/matrix/typing.py). Room keys still come by the bot
        # device's own /sync (see bridge/matrix), never by push: the MSC2409 flag, which
        # would push to-device messages too, stays off.
        "receive_ephemeral": True,
        "de.sorunome.msc2409.push_ephemeral": False,
        "org.matrix.msc3202": False,
        "io.element.msc4190": True,
    }
