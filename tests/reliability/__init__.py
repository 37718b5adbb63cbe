"""Reliability and safety (issue 9): bad files, crashes, locks, foreign databases, hostile text, fuzzing."""
