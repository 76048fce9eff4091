"""Benchmark of encrypted events through the gate, beside the raw megolm decrypt rate.

Measures, on one core and without any network (issue 4, "Measure"):

* **raw**: python-olm's ``InboundGroupSession.decrypt`` over ``--events`` megolm ciphertexts
  (the reference of the target), and vodozemac's ``InboundGroupSession.decrypt`` over the same
  ciphertexts (the library PHI Gate's reader decrypts with: its own ceiling);
* **pipeline**: the same ciphertexts through PHI Gate's path, batched ``--batch`` events per
  appservice transaction: decrypt (PHI Gate's ``MegolmReader`` — vodozemac on the sessions
  mautrix stores, cached, replay index checked in memory and written once per transaction, no
  device trust — on a ``PgCryptoStore`` in the same
  SQLite file as the audit log, as the product runs it) → ``classify_content`` → ``decide`` →
  one ``AuditLog.append`` per transaction, which also writes the replay indices (one commit);
* each stage on its own (decrypt, classify, decide, audit);
* for comparison, decrypt alone through **mautrix's ``OlmMachine.decrypt_megolm_event``** (what
  PHI Gate used before ``MegolmReader``: typed event, trust resolved per event) on the same
  ``PgCryptoStore`` set-up, and on a ``MemoryCryptoStore``;
* the ratio pipeline / raw python-olm (target ≥ 0.6), and pipeline / raw vodozemac (how much
  of the gate's time is its own work rather than its decrypt library's).

Every figure is the median of ``--repeats`` runs; every run that writes starts from a fresh
database (a second decrypt of the same event is cheaper: the replay check then writes nothing
new) and a cold session cache.

Workload: the labelled PHI corpus (tests/data/phi_corpus.jsonl, PHI and non-PHI messages),
in ``--rooms`` rooms, each with two staff members, a vendor agent (BAA Active in most rooms,
Pending in the rest) and in some rooms a patient. Every sender's device is known to the bot and
cross-signed (as Element users' devices are), so mautrix's path resolves trust from the
store and never asks the homeserver; megolm sessions rotate every 100 messages (Element's default).

Usage::

    python bench/bench_e2ee.py [--events 20000] [--repeats 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

import olm
import sqlalchemy
import vodozemac
from mautrix.client import Client
from mautrix.crypto import (
    InboundGroupSession,
    MemoryCryptoStore,
    OlmMachine,
    PgCryptoStore,
    StateStore,
)
from mautrix.crypto.store import CryptoStore
from mautrix.types import (
    CrossSigner,
    CrossSigningUsage,
    DeviceID,
    DeviceIdentity,
    EncryptedEvent,
    EncryptionAlgorithm,
    IdentityKey,
    RoomEncryptionStateEventContent,
    RoomID,
    SessionID,
    SigningKey,
    TrustState,
    UserID,
)
from mautrix.util.async_db import Database
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import machine_facts  # noqa: E402

from bridge.audit import (  # noqa: E402
    AuditEntry,
    AuditKeyring,
    AuditLog,
    RecordKind,
    generate_key_file,
)
from bridge.audit import Counterparty as AuditCounterparty  # noqa: E402
from bridge.audit.models import AuditKeyRow, AuditPartyRow, AuditRecordRow  # noqa: E402
from bridge.classify import Classification, classify_content  # noqa: E402
from bridge.matrix.crypto_store import crypto_database  # noqa: E402
from bridge.matrix.events import MEDIA_MSGTYPES  # noqa: E402
from bridge.matrix.megolm_reader import MegolmReader  # noqa: E402
from bridge.matrix.replay import write_message_indices  # noqa: E402
from bridge.policy import (  # noqa: E402
    BAAState,
    ConsentState,
    Counterparty,
    EventFacts,
    EventKind,
    GatePolicy,
    PartyKind,
    Verdict,
    judge,
)
from bridge.store.base import Base  # noqa: E402
from bridge.store.checkpoint import WalCheckpointer  # noqa: E402
from bridge.store.database import open_database  # noqa: E402

CORPUS = REPO / "tests" / "data" / "phi_corpus.jsonl"
TARGET_RATIO = 0.6
# Element rotates an outbound megolm session after 100 messages (rotation_period_msgs).
ROTATE_EVERY = 100
BOT = UserID("@phigate:clinic.example")
BOT_DEVICE = DeviceID("PHIGATEBOT")
PICKLE_KEY = "bench-pickle-key"
# Nothing listens there: a request mautrix should not make fails at once instead of hanging.
NO_HOMESERVER = "http://127.0.0.1:9"
STAGES = ("decrypt", "classify", "decide", "audit")


def decide(counterparties: Any, category: Any, kind: EventKind, policy: Any = None) -> Verdict:
    """The product's one verdict function, on what the bench knows of an event."""
    return judge(EventFacts(tuple(counterparties), category, kind), policy or POLICY)


# --- workload -----------------------------------------------------------------------------


@dataclass
class Sender:
    user_id: str
    kind: PartyKind
    device_id: str
    account: olm.Account = field(default_factory=olm.Account)

    @property
    def curve25519(self) -> str:
        return self.account.identity_keys["curve25519"]

    @property
    def ed25519(self) -> str:
        return self.account.identity_keys["ed25519"]


@dataclass
class Room:
    room_id: str
    members: list[Sender]
    counterparties: tuple[Counterparty, ...]
    audit_parties: tuple[AuditCounterparty, ...]


@dataclass(frozen=True)
class SessionKey:
    """What an m.room_key to-device event gives the bot."""

    room_id: str
    sender: Sender
    session_id: str
    session_key: str  # exported at index 0


@dataclass
class Workload:
    rooms: dict[str, Room]
    senders: list[Sender]
    sessions: list[SessionKey]
    events: list[dict[str, Any]]  # m.room.encrypted events as an appservice receives them
    plaintexts: list[str]  # the megolm payloads, for checking the raw decrypt


def load_contents() -> list[tuple[str, dict[str, Any]]]:
    """(event type, content) of every corpus line."""
    out = []
    with CORPUS.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            content = row.get("content") or {"msgtype": "m.text", "body": row["text"]}
            out.append((str(row.get("event_type", "m.room.message")), content))
    return out


def build_workload(n_events: int, n_rooms: int, seed: int) -> Workload:
    rng = random.Random(seed)
    contents = load_contents()
    rooms: dict[str, Room] = {}
    senders: list[Sender] = []
    for i in range(n_rooms):
        vendor = f"vendor{i % 5}"
        staff = [
            Sender(f"@staff{(2 * i + k) % 17}:clinic.example", PartyKind.STAFF, f"STAFF{i}{k}")
            for k in range(2)
        ]
        agent = Sender(f"@agent{i}:{vendor}.example", PartyKind.VENDOR, f"AGENT{i}")
        members = [*staff, agent]
        baa = BAAState.ACTIVE if rng.random() < 0.7 else BAAState.PENDING
        cps = [Counterparty(agent.user_id, PartyKind.VENDOR, vendor, baa)]
        if rng.random() < 0.3:
            patient = Sender(f"@patient{i}:patients.example", PartyKind.PATIENT, f"PAT{i}")
            members.append(patient)
            consent = ConsentState.ACTIVE if rng.random() < 0.5 else ConsentState.NONE
            cps.append(Counterparty(patient.user_id, PartyKind.PATIENT, None, consent))
        room_id = f"!room{i:04d}:clinic.example"
        rooms[room_id] = Room(
            room_id,
            members,
            tuple(cps),
            tuple(
                AuditCounterparty(c.user_id, c.kind.value, c.agreement, c.status.value) for c in cps
            ),
        )
        senders += members

    sessions: list[SessionKey] = []
    outbound: dict[tuple[str, str], olm.OutboundGroupSession] = {}
    events: list[dict[str, Any]] = []
    plaintexts: list[str] = []
    room_ids = list(rooms)
    ts = 1_700_000_000_000
    for n in range(n_events):
        room = rooms[rng.choice(room_ids)]
        sender = rng.choice(room.members)
        pair = (room.room_id, sender.device_id)
        session = outbound.get(pair)
        if session is None or session.message_index >= ROTATE_EVERY:
            session = outbound[pair] = olm.OutboundGroupSession()
            sessions.append(SessionKey(room.room_id, sender, session.id, session.session_key))
        event_type, content = rng.choice(contents)
        payload = json.dumps({"type": event_type, "content": content, "room_id": room.room_id})
        plaintexts.append(payload)
        ts += rng.randrange(50, 5000)
        events.append(
            {
                "type": "m.room.encrypted",
                "event_id": f"${n:08d}{rng.getrandbits(64):016x}",
                "room_id": room.room_id,
                "sender": sender.user_id,
                "origin_server_ts": ts,
                "unsigned": {"age": rng.randrange(1, 400)},
                "content": {
                    "algorithm": "m.megolm.v1.aes-sha2",
                    "ciphertext": session.encrypt(payload),
                    "session_id": session.id,
                    "sender_key": sender.curve25519,
                    "device_id": sender.device_id,
                },
            }
        )
    return Workload(rooms, senders, sessions, events, plaintexts)


# --- the bot's crypto ---------------------------------------------------------------------


class AllEncrypted(StateStore):
    """Every room is a managed, encrypted room (decryption never asks, encryption would)."""

    async def is_encrypted(self, room_id: RoomID) -> bool:
        return True

    async def get_encryption_info(self, room_id: RoomID) -> RoomEncryptionStateEventContent:
        return RoomEncryptionStateEventContent(algorithm=EncryptionAlgorithm.MEGOLM_V1)

    async def find_shared_rooms(self, user_id: UserID) -> list[RoomID]:
        return []


@dataclass
class Crypto:
    machine: OlmMachine
    reader: MegolmReader  # PHI Gate's decrypt, on the machine's crypto store
    db: Database | None
    key_queries: list[object]

    async def close(self) -> None:
        await self.machine.client.api.session.close()
        if self.db is not None:
            await self.db.stop()


async def open_crypto(workload: Workload, db_url: str | None) -> Crypto:
    """The bot's OlmMachine on a PgCryptoStore in the database at ``db_url`` (SQLAlchemy's URL,
    opened as the product opens it; None: MemoryCryptoStore), with what the bot would hold
    after its sync loop ran: the senders' cross-signed devices (from /keys/query) and the room
    keys (from m.room_key to-device events)."""
    db: Database | None = None
    store: CryptoStore
    if db_url is None:
        store = MemoryCryptoStore(BOT, PICKLE_KEY)
    else:
        db = crypto_database(db_url)
        await db.start()
        store = PgCryptoStore(BOT, PICKLE_KEY, db)
        await store.open()
    # The real client class, as the product builds it; it never gets to send a request.
    client = Client(mxid=BOT, device_id=BOT_DEVICE, base_url=NO_HOMESERVER, token="unused")
    machine = OlmMachine(client, store, AllEncrypted())
    machine.share_keys_min_trust = TrustState.UNVERIFIED
    machine.send_keys_min_trust = TrustState.UNVERIFIED
    await machine.load()
    key_queries: list[object] = []

    async def no_key_query(*args: Any, **kwargs: Any) -> dict[Any, Any]:
        key_queries.append(args)  # a device or cross-signing key missing from the store
        return {}

    machine._fetch_keys = no_key_query  # type: ignore[method-assign]

    by_user: dict[str, dict[str, Sender]] = {}
    for sender in workload.senders:
        by_user.setdefault(sender.user_id, {})[sender.device_id] = sender
    for user_id, devices in by_user.items():
        user = UserID(user_id)
        await store.put_devices(
            user,
            {
                DeviceID(d.device_id): DeviceIdentity(
                    user_id=user,
                    device_id=DeviceID(d.device_id),
                    identity_key=IdentityKey(d.curve25519),
                    signing_key=SigningKey(d.ed25519),
                    trust=TrustState.UNVERIFIED,
                    deleted=False,
                    name="Element",
                )
                for d in devices.values()
            },
        )
        # Cross-signing: the master key signs the self-signing key, which signs each device.
        # The store holds signatures as /keys/query delivered (and mautrix verified) them;
        # these are real ed25519 signatures, though nothing re-checks them on decrypt.
        master, self_signing = olm.PkSigning(os.urandom(32)), olm.PkSigning(os.urandom(32))
        msk, ssk = SigningKey(master.public_key), SigningKey(self_signing.public_key)
        await store.put_cross_signing_key(user, CrossSigningUsage.MASTER, msk)
        await store.put_cross_signing_key(user, CrossSigningUsage.SELF, ssk)
        await store.put_signature(CrossSigner(user, ssk), CrossSigner(user, msk), master.sign(ssk))
        for d in devices.values():
            await store.put_signature(
                CrossSigner(user, SigningKey(d.ed25519)),
                CrossSigner(user, ssk),
                self_signing.sign(d.ed25519),
            )
    for s in workload.sessions:
        session = InboundGroupSession(
            session_key=s.session_key,
            signing_key=SigningKey(s.sender.ed25519),
            sender_key=IdentityKey(s.sender.curve25519),
            room_id=RoomID(s.room_id),
        )
        await store.put_group_session(
            RoomID(s.room_id), IdentityKey(s.sender.curve25519), SessionID(s.session_id), session
        )
    # PHI Gate's decrypt, built as BotDevice.start builds it.
    reader = MegolmReader(store, machine.wait_for_session)
    return Crypto(machine, reader, db, key_queries)


DecryptFn = Callable[[dict[str, Any]], Awaitable[tuple[str, dict[str, Any]]]]


async def mautrix_decrypt(machine: OlmMachine, raw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The mautrix path PHI Gate used before ``MegolmReader``: ``EncryptedEvent.deserialize``
    → ``OlmMachine.decrypt_megolm_event`` → ``serialize``."""
    decrypted = await machine.decrypt_megolm_event(EncryptedEvent.deserialize(dict(raw)))
    serialized = decrypted.serialize()
    return str(serialized["type"]), serialized["content"]


def decrypt_fn(crypto: Crypto, path: str) -> DecryptFn:
    """``path``: "reader" (PHI Gate's MegolmReader) or "mautrix" (OlmMachine)."""
    if path == "reader":
        reader = crypto.reader

        async def via_reader(raw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
            return await reader.decrypt(raw, wait=0)

        return via_reader
    machine = crypto.machine

    async def via_mautrix(raw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return await mautrix_decrypt(machine, raw)

    return via_mautrix


# --- the gate -----------------------------------------------------------------------------


POLICY = GatePolicy()


def event_kind(event_type: str, content: dict[str, Any]) -> EventKind:
    media = event_type == "m.sticker" or (
        event_type == "m.room.message" and content.get("msgtype") in MEDIA_MSGTYPES
    )
    return EventKind.MEDIA if media else EventKind.MESSAGE


def audit_entry(
    raw: dict[str, Any],
    room: Room,
    sender_kind: str,
    event_type: str,
    content: dict[str, Any],
    classification: Classification,
    verdict: Verdict,
    now: int,
) -> AuditEntry:
    """The record the gatekeeper writes for a decrypted event (``_event_entry``)."""
    return AuditEntry(
        kind=RecordKind.EVENT,
        recorded_ts=now,
        event_type=event_type,
        event_id=raw["event_id"],
        room_id=raw["room_id"],
        sender=raw["sender"],
        sender_kind=sender_kind,
        counterparties=room.audit_parties,
        category=classification.category.value,
        decision=verdict.decision.value,
        reason=verdict.reason,
        event_ts=raw["origin_server_ts"],
        content={"content": dict(content), "decrypted": True},
    )


@dataclass
class Env:
    """One fresh database file holding the audit log and the crypto store, as in production."""

    tmp: Path
    engine: AsyncEngine
    log: AuditLog
    crypto: Crypto
    checkpointer: WalCheckpointer

    @classmethod
    async def open(cls, workload: Workload) -> Env:
        tmp = Path(tempfile.mkdtemp(prefix="phigate-bench-e2ee-"))
        key_file = tmp / "audit.key"
        generate_key_file(key_file)
        url = f"sqlite+aiosqlite:///{tmp / 'phigate.db'}"
        engine = await open_database(url)
        await match_audit_schema(engine)
        log = await AuditLog.open(engine, AuditKeyring.load(key_file), now_ms=now_ms())
        crypto = await open_crypto(workload, url)
        # The bridge checkpoints the SQLite log off the write path; so does the bench.
        checkpointer = WalCheckpointer(tmp / "phigate.db")
        checkpointer.start()
        return cls(tmp, engine, log, crypto, checkpointer)

    async def close(self) -> None:
        await self.crypto.close()
        await self.checkpointer.stop()
        await self.engine.dispose()
        shutil.rmtree(self.tmp, ignore_errors=True)


#: Set when the migrated audit tables had to be rebuilt from the models (reported).
SCHEMA_NOTES: set[str] = set()


async def match_audit_schema(engine: AsyncEngine) -> None:
    """Rebuild the audit tables from :mod:`bridge.audit.models` if the migrations lag behind
    them (the audit code is what is measured; an outdated migration would only make it fail)."""
    tables = [AuditRecordRow.__table__, AuditPartyRow.__table__, AuditKeyRow.__table__]

    def check(conn: Connection) -> None:
        inspector = sqlalchemy.inspect(conn)
        stale = [
            t.name
            for t in tables
            if {c["name"] for c in inspector.get_columns(t.name)} != set(t.columns.keys())
        ]
        if stale:
            SCHEMA_NOTES.add(f"migrated {', '.join(stale)} differ from bridge.audit.models")
            Base.metadata.drop_all(conn, tables=tables)
            Base.metadata.create_all(conn, tables=tables)

    async with engine.begin() as conn:
        await conn.run_sync(check)


def now_ms() -> int:
    return int(time.time() * 1000)


def sender_kinds(workload: Workload) -> dict[str, str]:
    return {s.user_id: s.kind.value for s in workload.senders}


# --- measurements -------------------------------------------------------------------------


def raw_decrypt(workload: Workload) -> float:
    """Seconds python-olm takes to decrypt every ciphertext (sessions imported untimed)."""
    inbound = {s.session_id: olm.InboundGroupSession(s.session_key) for s in workload.sessions}
    pairs = [
        (inbound[e["content"]["session_id"]], e["content"]["ciphertext"]) for e in workload.events
    ]
    t0 = time.perf_counter()
    out = [session.decrypt(ct) for session, ct in pairs]
    dt = time.perf_counter() - t0
    assert [text for text, _ in out] == workload.plaintexts
    return dt


def raw_decrypt_vodozemac(workload: Workload) -> float:
    """Seconds vodozemac takes to decrypt every ciphertext (base64 decode included, as the
    reader does it; sessions imported untimed)."""
    inbound = {
        s.session_id: vodozemac.InboundGroupSession(vodozemac.SessionKey(s.session_key))
        for s in workload.sessions
    }
    pairs = [
        (inbound[e["content"]["session_id"]], e["content"]["ciphertext"]) for e in workload.events
    ]
    from_base64 = vodozemac.MegolmMessage.from_base64
    t0 = time.perf_counter()
    out = [session.decrypt(from_base64(ct)) for session, ct in pairs]
    dt = time.perf_counter() - t0
    assert [m.plaintext.decode() for m in out] == workload.plaintexts
    return dt


@dataclass
class EditCheck:
    """Edits (rel_type m.replace) in the workload, and how many of them came out of decrypt
    with an outer body other than the one sent (the body a client shows without m.new_content).
    """

    edits: int
    outer_body_changed: int


def check_contents(workload: Workload, decrypted: list[tuple[str, dict[str, Any]]]) -> EditCheck:
    sent = [json.loads(p) for p in workload.plaintexts]
    edits = changed = 0
    for (_, got), want in zip(decrypted, sent, strict=True):
        if _is_edit(want["content"]):
            edits += 1
            changed += got.get("body") != want["content"].get("body")
    return EditCheck(edits, changed)


async def stages_alone(
    workload: Workload, env: Env, batch: int
) -> tuple[dict[str, float], EditCheck]:
    """Each stage over all events on its own, fed by the previous stage's output."""
    reader = env.crypto.reader
    events = workload.events
    kinds = sender_kinds(workload)
    seconds: dict[str, float] = {}

    t0 = time.perf_counter()
    decrypted = []
    for start in range(0, len(events), batch):
        rows: list[Any] = []
        decrypted += [
            await reader.decrypt(raw, wait=0, indices=rows) for raw in events[start : start + batch]
        ]
        # Alone, the replay indices need a transaction of their own.
        async with env.engine.begin() as conn:
            await write_message_indices(conn, rows)
    seconds["decrypt"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    classified = [classify_content(c, event_type=t) for t, c in decrypted]
    seconds["classify"] = time.perf_counter() - t0

    rooms = [workload.rooms[raw["room_id"]] for raw in events]
    kinds_of = [event_kind(t, c) for t, c in decrypted]
    t0 = time.perf_counter()
    verdicts = [
        decide(tuple(room.counterparties), cl.category, kind)
        for room, cl, kind in zip(rooms, classified, kinds_of, strict=True)
    ]
    seconds["decide"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    now = now_ms()
    for start in range(0, len(events), batch):
        entries = [
            audit_entry(
                events[i],
                rooms[i],
                kinds[events[i]["sender"]],
                decrypted[i][0],
                decrypted[i][1],
                classified[i],
                verdicts[i],
                now,
            )
            for i in range(start, min(start + batch, len(events)))
        ]
        await env.log.append(entries)
    seconds["audit"] = time.perf_counter() - t0

    # What was classified next to what was sent: MegolmReader returns the content exactly as
    # sent, so an edit keeps its outer body (mautrix's typed event replaced it).
    sent = [(p["type"], p["content"]) for p in map(json.loads, workload.plaintexts)]
    differ = sum(got != want for got, want in zip(decrypted, sent, strict=True))
    assert not differ, f"MegolmReader returned {differ} events other than what was sent"
    check = check_contents(workload, decrypted)
    assert check.outer_body_changed == 0, f"{check.outer_body_changed} edits lost their body"
    return seconds, check


def _is_edit(content: dict[str, Any]) -> bool:
    relation = content.get("m.relates_to")
    return isinstance(relation, dict) and relation.get("rel_type") == "m.replace"


async def pipeline(workload: Workload, env: Env, batch: int) -> tuple[float, dict[str, float]]:
    """decrypt → classify → decide per event, one audit append per transaction of ``batch``.

    Returns the wall time and the time spent in each stage inside it (perf_counter reads
    between stages; their own cost, ~0.1 µs each, is in the total only)."""
    reader = env.crypto.reader
    kinds = sender_kinds(workload)
    events = workload.events
    spent = dict.fromkeys(STAGES, 0.0)
    clock = time.perf_counter
    t_start = clock()
    for start in range(0, len(events), batch):
        entries = []
        rows: list[Any] = []
        now = now_ms()
        for raw in events[start : start + batch]:
            t0 = clock()
            event_type, content = await reader.decrypt(raw, wait=0, indices=rows)
            t1 = clock()
            classification = classify_content(content, event_type=event_type)
            t2 = clock()
            room = workload.rooms[raw["room_id"]]
            verdict = decide(
                room.counterparties,
                classification.category,
                event_kind(event_type, content),
                POLICY,
            )
            t3 = clock()
            entries.append(
                audit_entry(
                    raw,
                    room,
                    kinds[raw["sender"]],
                    event_type,
                    content,
                    classification,
                    verdict,
                    now,
                )
            )
            spent["decrypt"] += t1 - t0
            spent["classify"] += t2 - t1
            spent["decide"] += t3 - t2
            spent["audit"] += clock() - t3
        # The audit records and the replay indices of their events commit together, as the
        # gatekeeper commits them (counted as audit time).
        t0 = clock()
        await env.log.append(entries, also=partial(write_message_indices, rows=rows))
        spent["audit"] += clock() - t0
    total = clock() - t_start
    return total, spent


async def mautrix_decrypt_alone(
    workload: Workload, crypto: Crypto
) -> tuple[float, Counter[str], EditCheck]:
    """Comparison: every event through mautrix's OlmMachine path. Returns the seconds, the
    trust states mautrix resolved and what it did to the edits."""
    machine = crypto.machine
    trust: Counter[str] = Counter()
    original = machine.decrypt_megolm_event

    async def decrypt_noting_trust(evt: Any) -> Any:
        result = await original(evt)
        trust[str(result["mautrix"]["trust_state"])] += 1
        return result

    machine.decrypt_megolm_event = decrypt_noting_trust  # type: ignore[method-assign]
    try:
        t0 = time.perf_counter()
        decrypted = [await mautrix_decrypt(machine, raw) for raw in workload.events]
        seconds = time.perf_counter() - t0
    finally:
        machine.decrypt_megolm_event = original  # type: ignore[method-assign]
    return seconds, trust, check_contents(workload, decrypted)


async def memory_decrypt(workload: Workload) -> float:
    """mautrix's OlmMachine path on a MemoryCryptoStore."""
    crypto = await open_crypto(workload, None)
    try:
        seconds, _, _ = await mautrix_decrypt_alone(workload, crypto)
        return seconds
    finally:
        await crypto.close()


#: The crypto-store calls a decrypt may make per event (session, replay check, and on
#: mautrix's path the sender device's trust).
STORE_CALLS = (
    "get_group_session",
    "validate_message_index",
    "put_group_session",
    "find_device_by_key",
    "get_cross_signing_keys",
    "is_key_signed_by",
)


async def decrypt_breakdown(workload: Workload, limit: int, path: str) -> dict[str, Any]:
    """One instrumented decrypt run on ``path`` (see :func:`decrypt_fn`; PgCryptoStore on
    SQLite): µs per event in each store call, and the rest (olm, JSON or mautrix's event
    (de)serialisation, asyncio)."""
    env = await Env.open(workload)
    store = env.crypto.machine.crypto_store
    spent: Counter[str] = Counter()
    calls: Counter[str] = Counter()

    def timed(name: str, fn: Any) -> Any:
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return await fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t0
                calls[name] += 1

        return wrapper

    for name in STORE_CALLS:
        setattr(store, name, timed(name, getattr(store, name)))
    events = workload.events[:limit]
    decrypt = decrypt_fn(env.crypto, path)
    try:
        t0 = time.perf_counter()
        for raw in events:
            await decrypt(raw)
        total = time.perf_counter() - t0
    finally:
        await env.close()
    n = len(events)
    out: dict[str, Any] = {
        name: {"us": round(spent[name] / n * 1e6), "calls": round(calls[name] / n, 2)}
        for name in STORE_CALLS
    }
    out["other"] = {"us": round((total - sum(spent.values())) / n * 1e6), "calls": 0}
    out["total_us"] = round(total / n * 1e6)
    out["events"] = n
    return out


async def run(args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    workload = build_workload(args.events, args.rooms, args.seed)
    n = len(workload.events)
    print(
        f"workload: {n:,} events in {len(workload.rooms)} rooms, {len(workload.sessions)}"
        f" megolm sessions, {len({s.user_id for s in workload.senders})} senders"
        f" (built in {time.perf_counter() - t0:.1f} s)"
    )

    raw_s: list[float] = []
    raw_vz_s: list[float] = []
    pipe_s: list[float] = []
    pipe_spent: list[dict[str, float]] = []
    alone: list[dict[str, float]] = []
    mautrix_s: list[float] = []
    memory_s: list[float] = []
    trust: Counter[str] = Counter()
    key_queries = 0
    for r in range(args.repeats):
        raw_s.append(raw_decrypt(workload))
        raw_vz_s.append(raw_decrypt_vodozemac(workload))

        env = await Env.open(workload)
        try:
            total, spent = await pipeline(workload, env, args.batch)
            key_queries += len(env.crypto.key_queries)
        finally:
            await env.close()
        pipe_s.append(total)
        pipe_spent.append(spent)

        env = await Env.open(workload)
        try:
            seconds, edits = await stages_alone(workload, env, args.batch)
            alone.append(seconds)
            key_queries += len(env.crypto.key_queries)
        finally:
            await env.close()

        env = await Env.open(workload)
        try:
            seconds_m, run_trust, edits_mautrix = await mautrix_decrypt_alone(workload, env.crypto)
            mautrix_s.append(seconds_m)
            trust += run_trust
            key_queries += len(env.crypto.key_queries)
        finally:
            await env.close()

        if not args.no_memory:
            memory_s.append(await memory_decrypt(workload))
        print(
            f"{repeat_line(r, n, raw_s, raw_vz_s)} pipeline {n / pipe_s[-1]:,.0f}/s,"
            f" decrypt {n / seconds['decrypt']:,.0f}/s (mautrix {n / seconds_m:,.0f}/s)",
            file=sys.stderr,
        )

    def rate(seconds: Sequence[float]) -> int:
        return round(n / statistics.median(seconds))

    out: dict[str, Any] = {
        **raw_rates(n, raw_s, raw_vz_s),
        "pipeline_per_s": rate(pipe_s),
        "stage_alone_per_s": {s: rate([a[s] for a in alone]) for s in STAGES},
        "pipeline_share": {
            s: round(
                statistics.median(p[s] / t for p, t in zip(pipe_spent, pipe_s, strict=True)), 3
            )
            for s in STAGES
        },
        "decrypt_mautrix_per_s": rate(mautrix_s),
        "trust_states_mautrix": dict(trust),
        "key_queries": key_queries,
        "schema_notes": sorted(SCHEMA_NOTES),
        "edits": edits.edits,
        "edits_outer_body_changed": edits.outer_body_changed,
        "edits_outer_body_changed_by_mautrix": edits_mautrix.outer_body_changed,
    }
    if memory_s:
        out["decrypt_mautrix_memory_store_per_s"] = rate(memory_s)
    out["decrypt_breakdown"] = {
        path: await decrypt_breakdown(workload, args.breakdown_events, path)
        for path in ("reader", "mautrix")
    }
    out["ratio"] = round(out["pipeline_per_s"] / out["raw_decrypt_per_s"], 4)
    out["ratio_to_vodozemac"] = round(out["pipeline_per_s"] / out["raw_decrypt_vodozemac_per_s"], 4)
    return out


def machine_info(pinned: str) -> dict[str, Any]:
    return machine_facts(
        pinned=pinned,
        python_olm=metadata.version("python-olm"),
        vodozemac=metadata.version("vodozemac"),
        mautrix=metadata.version("mautrix"),
        sqlite=sqlite3.sqlite_version,
    )


def pin_one_core() -> str:
    """Pin this process (and every thread it starts later: aiosqlite's) to one core."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    try:
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
    except OSError as e:
        return f"not pinned ({e})"
    return f"pinned to core {core}"


def repeat_line(r: int, n: int, raw_s: Sequence[float], raw_vz_s: Sequence[float]) -> str:
    """How a repeat starts its progress line: the raw decrypt rates it measured."""
    return f"  repeat {r + 1}: raw {n / raw_s[-1]:,.0f}/s (vodozemac {n / raw_vz_s[-1]:,.0f}/s),"


def raw_rates(n: int, raw_s: Sequence[float], raw_vz_s: Sequence[float]) -> dict[str, int]:
    """The raw decrypt figures (medians of the repeats) every E2EE bench reports."""
    return {
        "events": n,
        "raw_decrypt_per_s": round(n / statistics.median(raw_s)),
        "raw_decrypt_vodozemac_per_s": round(n / statistics.median(raw_vz_s)),
    }


def run_pinned(
    args: argparse.Namespace, bench: Callable[[argparse.Namespace], Awaitable[dict[str, Any]]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Pin to one core, say what machine this is, run the bench and print the raw decrypt
    figures every E2EE bench starts its summary with. Returns (machine facts, figures)."""
    pinned = pin_one_core()
    info = machine_info(pinned)
    print(
        f"machine: {info['cpu']}, {info['cores']} cores ({pinned}), {info['platform']},"
        f" Python {info['python']}, python-olm {info['python_olm']},"
        f" vodozemac {info['vodozemac']}, mautrix {info['mautrix']},"
        f" SQLite {info['sqlite']}"
    )
    figures = asyncio.run(bench(args))
    n = figures["events"]
    print(f"median of {args.repeats} repeats, {n:,} events, transactions of {args.batch}:")
    print(f"  raw python-olm decrypt        : {figures['raw_decrypt_per_s']:>9,} events/s")
    print(
        f"  raw vodozemac decrypt         : {figures['raw_decrypt_vodozemac_per_s']:>9,} events/s"
    )
    return info, figures


def write_figures(args: argparse.Namespace, info: dict[str, Any], figures: dict[str, Any]) -> None:
    """With ``--json``: the machine, the options and the figures, in one file."""
    if args.json:
        params = vars(args) | {"json": str(args.json)}
        document = {"machine": info, "params": params, **figures}
        args.json.write_text(json.dumps(document, indent=2) + "\n")


def workload_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the E2EE workload, shared by the benches that run it."""
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rooms", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100, help="events per transaction")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    workload_arguments(parser)
    parser.add_argument(
        "--no-memory",
        action="store_true",
        help="skip the mautrix decrypt on a MemoryCryptoStore",
    )
    parser.add_argument(
        "--breakdown-events",
        type=int,
        default=5_000,
        help="events in the instrumented decrypt runs (one per path) that split the time",
    )
    args = parser.parse_args()
    # mautrix's own deprecation warnings (datetime.utcnow, megolm sender_key) are not news here.
    warnings.simplefilter("ignore", DeprecationWarning)
    logging.basicConfig(level=logging.WARNING)

    info, figures = run_pinned(args, run)
    print(f"  PHI Gate pipeline             : {figures['pipeline_per_s']:>9,} events/s")
    print("  stages alone (share of pipeline time):")
    for s in STAGES:
        label = "decrypt (MegolmReader)" if s == "decrypt" else s
        print(
            f"    {label:<26}: {figures['stage_alone_per_s'][s]:>9,} events/s"
            f"  ({figures['pipeline_share'][s]:.0%})"
        )
    print("  comparison, decrypt alone (not what the product runs):")
    print(
        f"    {'mautrix OlmMachine path':<26}: {figures['decrypt_mautrix_per_s']:>9,} events/s"
        " (PgCryptoStore, as above)"
    )
    if "decrypt_mautrix_memory_store_per_s" in figures:
        print(
            f"    {'mautrix, MemoryCryptoStore':<26}:"
            f" {figures['decrypt_mautrix_memory_store_per_s']:>9,} events/s"
        )
    for path, label in (("reader", "MegolmReader"), ("mautrix", "mautrix OlmMachine path")):
        breakdown = figures["decrypt_breakdown"][path]
        print(
            f"  inside one decrypt, {label} (instrumented, {breakdown['events']:,} events):"
            f" {breakdown['total_us']} µs/event"
        )
        for name in (*STORE_CALLS, "other"):
            part = breakdown[name]
            if not part["us"] and not part["calls"] and name != "other":
                continue
            calls = f" ({part['calls']:g} calls)" if part["calls"] else ""
            print(f"    {name:<26}: {part['us']:>6} µs{calls}")
    for note in sorted(SCHEMA_NOTES):
        print(f"  note: {note}; rebuilt them from the models for this run")
    print(
        f"  edits whose outer body differs from what is classified: "
        f"{figures['edits_outer_body_changed']} of {figures['edits']}"
        f" (mautrix path: {figures['edits_outer_body_changed_by_mautrix']},"
        ' replaced by "* " + m.new_content body)'
    )
    print(
        f"  trust states (mautrix path only): {figures['trust_states_mautrix']};"
        f" key queries: {figures['key_queries']}"
    )
    ratio = figures["ratio"]
    verdict = "meets" if ratio >= TARGET_RATIO else "below"
    print(
        f"ratio pipeline / raw python-olm decrypt: {ratio:.3f}"
        f" ({verdict} the target {TARGET_RATIO})"
    )
    print(
        f"ratio pipeline / raw vodozemac decrypt: {figures['ratio_to_vodozemac']:.3f}"
        " (the gate's own work against the decrypt library it uses)"
    )
    if ratio < TARGET_RATIO:
        top = max(STAGES, key=lambda s: figures["pipeline_share"][s])
        print(f"  dominated by {top}: {figures['pipeline_share'][top]:.0%} of pipeline time")
    write_figures(args, info, figures)


if __name__ == "__main__":
    main()
