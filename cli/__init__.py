"""parks: Chinese news about industrial parks, turned into comparable indicators."""

__version__ = "0.1.0"
