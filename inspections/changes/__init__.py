"""How the record changes: the one bulk writer (history for every row), edit history and undoing deletions, and the
data version every change replaces (so caches, ETags and downloads know when they are stale)."""
