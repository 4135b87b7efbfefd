"""Demo partnerships built from the seed papers, one module per council.

Each module states which paper it follows and the dates it had to infer. `load()` is idempotent.
"""

from . import cambridgeshire, central_bedfordshire, plymouth, worcestershire
from .loader import load_partnerships

__all__ = ["load"]

COUNCILS = [cambridgeshire, central_bedfordshire, worcestershire, plymouth]


def load() -> None:
    """Build the demo partnerships; running it again changes nothing."""
    load_partnerships(
        [org for council in COUNCILS for org in council.ORGANISATIONS],
        [partnership for council in COUNCILS for partnership in council.PARTNERSHIPS],
    )
