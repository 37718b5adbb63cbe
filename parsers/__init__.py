"""Pure functions from files to records: reading, splitting, recognising, extracting."""
