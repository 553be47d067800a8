"""National data from CQC's public Syndication API: fetch, keep as a snapshot, map, import.

Read top-down: `client` (HTTP with retries) and `snapshot` (the live API or the same JSON kept on disk) give
provider and location bodies; `body_reader`, `vocabulary` and `stated_ratings` read one body field by field
into `mapped`'s frozen records (`mapping` assembles them, with what could not be read, and `assessments` the
newer framework's); `importer` checks them and runs the import steps over one `import_context` (`import_trust`,
`import_sites`, `import_services`, `import_reports`, `import_ratings`, `import_assessments`), one provider per
transaction through the one write plan (`changes.write_plan`); `run` is the loop over providers, `refresh`
the changes feed and the record of runs; `errors` name the record they concern. `synthetic` (with
`synthetic_features`) writes fictional snapshots for tests and benchmarks.
"""
