"""`!audit verify` against the witness copy on a real Synapse: the checkpoint PHI Gate signs
at stop goes to the control room as the org.phigate.checkpoint state event, and after a
restart `!audit verify` reads it back and names it."""

from __future__ import annotations

from .conftest import Deployment


async def test_audit_verify_names_the_witness_checkpoint(deployment: Deployment) -> None:
    d = deployment
    await d.command("!vendor add acme Acme")
    # Stopping signs the head and puts the note in the control room's state.
    await d.restart_bridge()
    reply = await d.command("!audit verify")
    first, *used = reply.splitlines()
    assert first.startswith("audit log intact:"), reply
    witness = [line for line in used if line.startswith("the control room's witness copy: ")]
    assert len(witness) == 1, reply
    assert witness[0].startswith("the control room's witness copy: judged by the checkpoint of")
    checkpoint_file = [
        line for line in used if line.startswith(str(d.config.audit.checkpoint_file))
    ]
    assert len(checkpoint_file) == 1 and "judged by the checkpoint of" in checkpoint_file[0]
    # Both sources gave the same checkpoint: the one signed at stop.
    assert witness[0].split("judged by ")[1] == checkpoint_file[0].split("judged by ")[1]
