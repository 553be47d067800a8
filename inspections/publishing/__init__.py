"""What the site builds once and keeps for many requests: the whole-dataset download files (built under a lock,
per data version) and the shares of a kind kept in the cache. Above `reading/`, which only reads; below `web/`,
which serves what is kept here."""
