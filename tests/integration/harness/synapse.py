"""The throwaway Synapse lives in the package (``phigate demo`` runs one too); tests use it
from here."""

from bridge.demo.synapse import SynapseError, SynapseServer, free_port, write_silent_appservice

__all__ = ["SynapseError", "SynapseServer", "free_port", "write_silent_appservice"]
