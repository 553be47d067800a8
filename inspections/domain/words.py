"""The one rule for comparing words a reader types with the names we hold (search on the site and the API).

Case, accents, apostrophes (straight, curly or none), full stops and hyphens do not matter: "St Mary’s",
"st marys" and "ST. MARYS" all become "st marys". Names are stored in this form beside the original
(`search_text` on trusts and locations), so a search compares like with like in the database.
"""

import re
import unicodedata

DROPPED = re.compile(r"['\u2018\u2019\u02bc`´.]")  # apostrophes and full stops join what they separate
SEPARATORS = re.compile(r"[\W_]+")  # hyphens and any other punctuation separate words


def search_form(text: str) -> str:
    """`text` lower-cased, without accents, apostrophes or full stops, other punctuation as single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(SEPARATORS.sub(" ", DROPPED.sub("", plain)).split())


def search_words(query: str, limit: int) -> list[str]:
    """The words of a search in search form, at most `limit` of them."""
    return search_form(query).split()[:limit]
