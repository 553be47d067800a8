"""Pure rules on plain values, with no database: what the codes mean, how each rating looks, what a rating is about,
which rating stands, what a window of years holds, dates known to a month or year, and how search words compare.
Every other layer may import from here; nothing here imports from them."""
