"""What pages, the API and downloads read: selectors (fixed query counts, plain data), charts, the grid, comparison,
tables, exports, search and the forms that read query parameters. Reads only; writes are in curation/ and cqc/."""
