"""Integration-test harness: a real Synapse and matrix-nio clients."""
