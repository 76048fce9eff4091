"""Signing the audit chain's head while PHI Gate runs: at a bounded interval and at stop.

One :class:`Checkpointer` per bridge process. Each round it reads the stored head, checks
that every record since the last checkpoint extends it (hashes *and* authentication tags,
so nothing was slipped in without the audit key), signs the new head as a C2SP checkpoint
(:mod:`bridge.audit.checkpoint`), appends it to the checkpoint file, notes it in the
database and hands it to the witness (the control room). Nothing is signed while the head
has not moved.

It never signs a head that does not extend the previous checkpoint (C2SP: a log must not
sign two inconsistent checkpoints). If the database is behind or differs — truncated,
rolled back, rewritten — checkpoints stop, the alert callback is told once, and
``phigate audit verify`` names what happened; after a legitimate restore from backup an
admin re-anchors with ``phigate audit checkpoint --reanchor REASON``.

Signing costs one Ed25519 signature and one fsync per round, not per record; the walk since
the last checkpoint reads only the records appended since.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from bridge.audit.chain import GENESIS
from bridge.audit.checkpoint import (
    Checkpoint,
    CheckpointFile,
    CheckpointSet,
    mirror,
    read_checkpoints,
)
from bridge.audit.log import AuditLog
from bridge.audit.retention import pruned_through
from bridge.audit.signed_note import NoteSigner, sign_note
from bridge.audit.signing import SigningKeys
from bridge.tasks import cancel_and_wait

log = logging.getLogger(__name__)

Notify = Callable[[str], Awaitable[None]]
#: How long a witness call may take before it is given up (the note is offered again next
#: round); shorter at stop, where nothing must hang.
WITNESS_TIMEOUT = 30.0
STOP_WITNESS_TIMEOUT = 10.0


class CheckpointRefused(Exception):
    """The head does not extend the last checkpoint; nothing was signed."""


class Checkpointer:
    """Signs the chain head of ``log`` into ``sink`` (and the witness) now and then.

    Args:
        log: The audit log.
        keys: The signing key (and earlier ones, to read the file's older checkpoints).
        sink: The append-only checkpoint file.
        witness: Called with each signed note after it is written to the file; it should
            put the note somewhere the database owner cannot rewrite (the bridge sends it
            to the control room). Failures are logged and the note is offered again next
            round.
        interval_s: Longest time between a record's append and a checkpoint covering it.
        clock: Milliseconds since the epoch.
        alert: Told once (one line) when checkpoints stop because the log does not extend
            the last checkpoint.
    """

    def __init__(
        self,
        log: AuditLog,
        keys: SigningKeys,
        sink: CheckpointFile,
        *,
        witness: Notify | None = None,
        interval_s: float = 60.0,
        clock: Callable[[], int],
        alert: Notify | None = None,
    ) -> None:
        if interval_s <= 0:
            raise ValueError("interval_s must be positive")
        self._log = log
        self._keys = keys
        self._sink = sink
        self._witness = witness
        self._interval = interval_s
        self._clock = clock
        self._alert = alert
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._anchor: Checkpoint | None = None
        self._loaded = False
        self._unwitnessed: str | None = None
        self.refused: str | None = None  # why checkpoints are stopped, while they are

    @property
    def origin(self) -> str:
        return self._keys.name

    @property
    def last(self) -> Checkpoint | None:
        """The newest checkpoint signed or found in the file."""
        return self._anchor

    def read_file(self) -> CheckpointSet:
        """The checkpoints in the sink, checked with every signing key this process has."""
        return read_checkpoints(
            self._sink.read_notes(), self._keys.verifiers, self.origin, str(self._sink.path)
        )

    async def start(self) -> None:
        """Load the newest checkpoint from the file and start the rounds."""
        await self._load()
        self._task = asyncio.create_task(self._run(), name="phigate-audit-checkpoint")

    async def stop(self) -> None:
        """Stop the rounds, then sign what was appended since the last one."""
        await cancel_and_wait(self._task)
        self._task = None
        try:
            await self.checkpoint(witness_timeout=STOP_WITNESS_TIMEOUT)
        except Exception:
            log.exception("the final audit checkpoint failed")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.checkpoint()
            except Exception:
                # The next round tries again; a failure here must not stop the bridge.
                log.exception("audit checkpoint failed")

    async def _load(self) -> None:
        found = await asyncio.to_thread(self.read_file)
        for problem in found.problems:
            log.error("audit checkpoints: %s", problem)
        self._anchor = found.newest
        self._loaded = True

    async def checkpoint(
        self,
        *,
        reanchor: bool = False,
        cosigners: Sequence[NoteSigner] = (),
        witness_timeout: float | None = None,
        pruned: tuple[int, bytes] | None = None,
    ) -> Checkpoint | None:
        """Sign the current head if it moved since the last checkpoint.

        Args:
            reanchor: Sign the head even though it does not extend the last checkpoint (an
                admin's decision after a restore; the whole chain must still verify).
            cosigners: Further keys to sign with (the old key, at a rotation).
            witness_timeout: Give up on the witness after this many seconds.
            pruned: A prune about to be carried out (bridge.audit.retention): sign the head
                now, with this ``pruned`` line. Without it, the newest prune carried out is
                carried forward, so every checkpoint says where the log begins.

        Returns:
            The new checkpoint, or ``None`` when nothing was appended since the last one.

        Raises:
            CheckpointRefused: the log does not extend the last checkpoint (or, with
                ``reanchor``, the chain does not verify).
        """
        async with self._lock:
            if not self._loaded:
                await self._load()
            anchor = self._anchor
            if anchor is not None and anchor.size < await self._log.first_seq():
                # Another process (`phigate audit prune`) pruned past our last checkpoint
                # and signed a newer one into the file: judge by that one.
                await self._load()
                anchor = self._anchor
            if pruned is None:
                pruned = await pruned_through(self._log)
                forced = False
            else:
                forced = True
            head, _ = await self._log.read_head()
            if anchor is not None and head == anchor.size and not (reanchor or cosigners or forced):
                await self._offer_witness(None, witness_timeout)
                return None
            if reanchor or anchor is None:
                report = await self._log.walk_from(0, GENESIS)
            else:
                report = await self._log.walk_from(anchor.size, anchor.head_hash)
            if not report.ok:
                why = (
                    f"the audit log does not extend the last checkpoint ({report.message});"
                    " run phigate audit verify"
                    if anchor is not None and not reanchor
                    else f"the audit chain does not verify ({report.message})"
                )
                await self._refuse(why)
                raise CheckpointRefused(why)
            checkpoint = Checkpoint(
                self.origin,
                report.head_seq,
                bytes.fromhex(report.head_hash) if report.head_hash else GENESIS,
                self._clock(),
                reanchored=reanchor,
                pruned=pruned,
            )
            if (
                anchor is not None
                and checkpoint.size == anchor.size
                and not (reanchor or cosigners or forced)
            ):
                return None
            note = sign_note(checkpoint.body(), [self._keys.signer, *cosigners])
            checkpoint = Checkpoint(
                checkpoint.origin,
                checkpoint.size,
                checkpoint.head_hash,
                checkpoint.time_ms,
                checkpoint.reanchored,
                note,
                checkpoint.pruned,
            )
            await asyncio.to_thread(self._sink.append, note)
            self._anchor = checkpoint
            self._unwitnessed = note
            if self.refused is not None:
                log.warning("audit checkpoints resume at size %d", checkpoint.size)
                self.refused = None
            try:
                await mirror(self._log.engine, checkpoint)
            except Exception:
                # Signed and in the file: the mirror only helps name findings later.
                log.exception("could not note checkpoint %d in the database", checkpoint.size)
            await self._offer_witness(None, witness_timeout)
            return checkpoint

    async def _refuse(self, why: str) -> None:
        first = self.refused is None
        self.refused = why
        if not first:
            return
        log.error("audit checkpoints stopped: %s", why)
        if self._alert is not None:
            try:
                await self._alert(f"⚠ Audit checkpoints stopped: {why}")
            except Exception:
                log.exception("could not send the checkpoint alert")

    async def _offer_witness(self, note: str | None, timeout: float | None) -> None:
        """Hand the newest note to the witness; one that failed is offered again."""
        if note is not None:
            self._unwitnessed = note
        if self._witness is None or self._unwitnessed is None:
            return
        pending = self._unwitnessed
        try:
            await asyncio.wait_for(self._witness(pending), timeout or WITNESS_TIMEOUT)
        except Exception as e:  # the homeserver may be away; the file has the note
            log.warning("audit checkpoint not delivered to the witness: %s", e)
            return
        if self._unwitnessed is pending:
            self._unwitnessed = None
