"""Pure functions from files to records: reading, splitting, recognising, extracting."""

from .compiled import use_sources_if_stale

use_sources_if_stale()
