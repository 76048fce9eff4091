"""SQLAlchemy tables for PHI Gate's own state (the audit log's tables live in bridge/audit)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bridge.store.base import Base

# Matrix IDs are at most 255 bytes (spec); room aliases and server names fit as well.
MXID = String(255)


class Vendor(Base):
    __tablename__ = "vendors"

    vendor_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    created_ms: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(MXID)
    # Current BAA: state as stored (an Active one past its expiry is *effectively* Expired).
    baa_state: Mapped[str] = mapped_column(String(16), default="None")
    baa_expires_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    baa_updated_ms: Mapped[int] = mapped_column(BigInteger)


class VendorLink(Base):
    __tablename__ = "vendor_links"

    # A server name or a user ID; one target belongs to at most one vendor.
    target: Mapped[str] = mapped_column(MXID, primary_key=True)
    vendor_id: Mapped[str] = mapped_column(ForeignKey("vendors.vendor_id"), index=True)
    is_user: Mapped[bool] = mapped_column(Boolean)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(MXID)


class BAATransition(Base):
    __tablename__ = "baa_transitions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    vendor_id: Mapped[str] = mapped_column(ForeignKey("vendors.vendor_id"))
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    expires_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    actor: Mapped[str] = mapped_column(MXID)
    reason: Mapped[str] = mapped_column(Text, default="")
    at_ms: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index(None, "vendor_id", "at_ms"),)


class Patient(Base):
    __tablename__ = "patients"

    user_id: Mapped[str] = mapped_column(MXID, primary_key=True)
    created_ms: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(MXID)
    consent_state: Mapped[str] = mapped_column(String(16), default="None")
    consent_expires_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    consent_updated_ms: Mapped[int] = mapped_column(BigInteger)


class ConsentTransition(Base):
    __tablename__ = "consent_transitions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("patients.user_id"))
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    expires_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    actor: Mapped[str] = mapped_column(MXID)
    reason: Mapped[str] = mapped_column(Text, default="")
    at_ms: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index(None, "user_id", "at_ms"),)


class ManagedRoom(Base):
    __tablename__ = "rooms"

    room_id: Mapped[str] = mapped_column(MXID, primary_key=True)
    is_control: Mapped[bool] = mapped_column(Boolean, default=False)
    # The bot is joined and gates the room.
    managed: Mapped[bool] = mapped_column(Boolean, default=True)
    # The bot can redact here; False makes the room "unprotected".
    can_redact: Mapped[bool] = mapped_column(Boolean, default=False)
    encrypted: Mapped[bool] = mapped_column(Boolean, default=False)
    gate: Mapped[str] = mapped_column(String(8), default="gated")
    joined_ms: Mapped[int] = mapped_column(BigInteger)
    updated_ms: Mapped[int] = mapped_column(BigInteger)


class RoomMember(Base):
    __tablename__ = "room_members"

    room_id: Mapped[str] = mapped_column(MXID, primary_key=True)
    user_id: Mapped[str] = mapped_column(MXID, primary_key=True, index=True)
    # join | invite | knock (leave/ban rows are deleted: they are no longer counterparties).
    membership: Mapped[str] = mapped_column(String(8))


class AppserviceTransaction(Base):
    __tablename__ = "appservice_txns"

    # Synapse reuses transaction IDs after a restart, so the ID alone is not unique: a retry
    # is the same ID *and* the same body.
    txn_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    body_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Indexed for pruning: a handled transaction is only re-sent soon after (a lost 200).
    done_ms: Mapped[int] = mapped_column(BigInteger, index=True)


class BlockedEvent(Base):
    __tablename__ = "blocked_events"

    # Later edits of a blocked event, and replies whose fallback quotes it, are blocked too.
    event_id: Mapped[str] = mapped_column(MXID, primary_key=True)
    # Indexed: the gate reads a room's blocked events once, then keeps them in memory.
    room_id: Mapped[str] = mapped_column(MXID, index=True)
    blocked_ms: Mapped[int] = mapped_column(BigInteger)
    # The removal to carry out (an outbox): written in the commit of the event's audit record,
    # carried out after it, each step marked done. A retried transaction or a restart does
    # what is not marked, with the same Matrix transaction IDs: nothing happens twice.
    sender: Mapped[str] = mapped_column(MXID, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    notice_text: Mapped[str] = mapped_column(Text, default="")
    notice_html: Mapped[str] = mapped_column(Text, default="")
    # Set once the redaction / notice went out (or was refused for good: see ``failure``).
    # Indexed for the start-up scan of removals not yet done.
    redacted_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    noticed_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    failure: Mapped[str | None] = mapped_column(Text, nullable=True)


class PendingEncrypted(Base):
    __tablename__ = "pending_encrypted"

    # Encrypted events PHI Gate could not decrypt yet. The event is kept as received
    # (ciphertext only), so a restart resumes waiting for — and asking for — its key.
    event_id: Mapped[str] = mapped_column(MXID, primary_key=True)
    room_id: Mapped[str] = mapped_column(MXID, index=True)
    sender: Mapped[str] = mapped_column(MXID)
    device_id: Mapped[str] = mapped_column(String(255), default="")
    session_id: Mapped[str] = mapped_column(String(255), default="")
    sender_key: Mapped[str] = mapped_column(String(255), default="")
    raw_event: Mapped[str] = mapped_column(Text)
    first_seen_ms: Mapped[int] = mapped_column(BigInteger)
    # waiting (key wait running) | blocked (gated room, redacted) | undecryptable (open room,
    # re-decided when the key arrives) | decrypted
    status: Mapped[str] = mapped_column(String(16))
