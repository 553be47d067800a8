"""Search form for rows written in bulk.

The fixture loader and the importer write rows without save(), so until they call `before_write()` the rows
they write hold no `search_text` and no search finds them. Tests searching the real fixtures call this
first; rows made with factories (save()) need nothing.
"""

from inspections.models import Location, Trust


def fill_search_text() -> None:
    for model in (Trust, Location):
        rows = list(model.objects.all())
        for row in rows:
            row.before_write()
        model.objects.bulk_update(rows, ["search_text"])
