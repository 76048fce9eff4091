"""All of PHI Gate's tables in one MetaData, for Alembic: importing the model modules
registers their tables on the shared Base."""

from __future__ import annotations

import bridge.audit.models
import bridge.store.models  # noqa: F401
from bridge.store.base import Base

metadata = Base.metadata
