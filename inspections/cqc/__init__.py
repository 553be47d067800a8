"""National data from CQC's public Syndication API: fetch, keep as a snapshot, map, import.

Read top-down: `client` (HTTP with retries) and `snapshot` (the same JSON kept on disk) give
`feeds` that yield provider and location bodies; `mapping` turns one provider's JSON into plain
records with warnings; `importer` validates them and writes one provider per transaction;
`synthetic` writes fictional snapshots for tests and benchmarks.
"""
