"""Pages written for the parks project in the style of Chinese park news (package data)."""
