"""Attachments on a real Synapse with a real clamd: scanned, type-checked, size-limited and
BAA-gated, plain and end-to-end encrypted."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from nio import UploadResponse

from bridge.demo.client import DemoClient

from ..harness.clients import wait_for
from .conftest import EICAR, MEDIA_MAX, Deployment


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x00\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def elf() -> bytes:
    header = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + struct.pack("<HHI", 2, 0x3E, 1)
    return header + b"\x00" * 200


async def upload(
    client: DemoClient, data: bytes, mimetype: str, name: str, *, encrypt: bool
) -> dict[str, Any]:
    """Upload like Element: in an encrypted room the file itself is encrypted too."""
    response, keys = await client.upload(
        io.BytesIO(data), content_type=mimetype, filename=name, encrypt=encrypt, filesize=len(data)
    )
    assert isinstance(response, UploadResponse), response
    if encrypt:
        assert keys
        return {"file": {**keys, "url": response.content_uri}}
    return {"url": response.content_uri}


async def send_file(
    d: Deployment,
    client: DemoClient,
    room: str,
    data: bytes,
    mimetype: str,
    name: str,
    *,
    encrypt: bool,
    msgtype: str = "m.file",
    extra: dict[str, Any] | None = None,
) -> str:
    source = await upload(client, data, mimetype, name, encrypt=encrypt)
    content = {
        "msgtype": msgtype,
        "body": name,
        "info": {"mimetype": mimetype, "size": len(data)},
        **source,
        **(extra or {}),
    }
    await d.wait_room_known(client, room)
    response = await client.room_send(
        room, "m.room.message", content, ignore_unverified_devices=True
    )
    event_id = getattr(response, "event_id", None)
    assert event_id, response
    MXC[event_id] = source.get("url") or source["file"]["url"]
    return event_id


# event ID → the mxc:// URI of its file, to look for the bot's downloads in Synapse's log.
MXC: dict[str, str] = {}


def downloads_seen(d: Deployment, event_id: str) -> int:
    """Requests for the event's file in Synapse's access log (the homeserver's own account)."""
    media_id = MXC[event_id].rsplit("/", 1)[-1]
    log = d.synapse.log_path.read_text(errors="replace")
    return sum(1 for line in log.splitlines() if "/media/download/" in line and media_id in line)


async def decided(d: Deployment, event_id: str) -> bool:
    assert d.bridge.services
    return event_id in await d.bridge.services.audit.has_events([event_id])


async def check_cases(d: Deployment, *, encrypt: bool) -> None:
    alice = await d.user("alice")
    room = await d.staff_room(alice, [])  # staff only: the gate is open
    await d.wait_gate(alice, room, "open")
    cases = {
        "eicar": (EICAR, "text/plain", "notes.txt", True),
        "exe_as_png": (elf(), "image/png", "scan.png", True),
        "pdf": (pdf(), "application/pdf", "referral.pdf", False),
        "png": (png(), "image/png", "chart.png", False),
        "too_large": (b"A" * (MEDIA_MAX + 1), "text/plain", "big.txt", True),
    }
    sent = {}
    for name, (data, mimetype, filename, _) in cases.items():
        msgtype = "m.image" if mimetype.startswith("image/") else "m.file"
        extra = {"org.phigate.category": "non_phi"}
        sent[name] = await send_file(
            d, alice, room, data, mimetype, filename, encrypt=encrypt, msgtype=msgtype, extra=extra
        )
    for name, (_, _, _, blocked) in cases.items():
        if blocked:
            await d.wait_redacted(alice, room, sent[name])
        else:
            await wait_for(lambda n=name: decided(d, sent[n]), message=f"{name} never decided")
            assert not await d.is_redacted(alice, room, sent[name]), name
    # The homeserver served the bot the files it checked, and never the oversized one.
    assert downloads_seen(d, sent["pdf"]) >= 1
    assert downloads_seen(d, sent["too_large"]) == 0
    for expected in ("malware: Eicar-Test-Signature", "declared image/png", "too large"):
        await wait_for(
            lambda e=expected: any(e in n for n in d.bot_notices(alice, room)),
            message=f"no notice saying {expected!r}",
        )


async def test_encrypted_attachments_checked(deployment: Deployment) -> None:
    await check_cases(deployment, encrypt=True)


async def test_plain_attachments_checked(deployment: Deployment) -> None:
    await check_cases(deployment, encrypt=False)


async def test_scanner_down_blocks_as_not_scannable(deployment: Deployment, clamd: Any) -> None:
    d = deployment
    alice = await d.user("alice")
    room = await d.staff_room(alice, [])
    clamd.stop()
    try:
        event = await send_file(d, alice, room, pdf(), "application/pdf", "form.pdf", encrypt=True)
        await d.wait_redacted(alice, room, event)
        await wait_for(
            lambda: any("could not be scanned" in n for n in d.bot_notices(alice, room)),
            message="no 'could not be scanned' notice",
        )
    finally:
        clamd.start()


async def test_gated_vendor_room_blocks_media_without_download(deployment: Deployment) -> None:
    d = deployment
    alice = await d.user("alice")
    rep = await d.user("rep")
    await d.command("!vendor add acme Acme Billing")
    await d.applied(f"!vendor link acme {rep.user_id}")
    room = await d.staff_room(alice, [rep.user_id])
    await rep.join_room(room)
    await d.wait_gate(alice, room, "gated")
    assert d.bridge.media is not None
    downloads = d.bridge.media.fetcher.downloads
    event = await send_file(d, alice, room, png(), "image/png", "xray.png", encrypt=True)
    await d.wait_redacted(alice, room, event)
    assert d.bridge.media.fetcher.downloads == downloads
    assert downloads_seen(d, event) == 0


async def test_edit_that_swaps_in_an_infected_file_is_checked(deployment: Deployment) -> None:
    """Media is media everywhere: an edit whose new content is a file is checked like any
    attachment (declared non_phi, in a patient room that lets non-PHI through)."""
    d = deployment
    alice = await d.user("alice")
    pat = await d.user("pat")
    await d.command(f"!patient add {pat.user_id}")
    await d.confirmed(f"!consent grant {pat.user_id}")
    room = await d.staff_room(alice, [pat.user_id])
    await pat.join_room(room)
    await d.wait_gate(alice, room, "open")
    original = await d.send(alice, room, "Here is the form", **{"org.phigate.category": "non_phi"})
    source = await upload(alice, EICAR, "text/plain", "form.txt", encrypt=True)
    new_content = {
        "msgtype": "m.file",
        "body": "form.txt",
        "info": {"mimetype": "text/plain", "size": len(EICAR)},
        "org.phigate.category": "non_phi",
        **source,
    }
    response = await alice.room_send(
        room,
        "m.room.message",
        {
            "msgtype": "m.text",
            "body": "* form.txt",
            "org.phigate.category": "non_phi",
            "m.new_content": new_content,
            "m.relates_to": {"rel_type": "m.replace", "event_id": original},
        },
        ignore_unverified_devices=True,
    )
    edit = getattr(response, "event_id", None)
    assert edit, response
    await d.wait_redacted(alice, room, edit)
    await wait_for(
        lambda: any("malware: Eicar-Test-Signature" in n for n in d.bot_notices(alice, room)),
        message="no malware notice for the edit",
    )
    assert not await d.is_redacted(alice, room, original)
