"""How a fact's sources are named in compact links."""


def test_source_links_tell_apart_sources_of_one_publisher():
    import datetime

    from inspections.domain.standing import CitedSource
    from inspections.reading.citations import link_names

    def cited(code, publisher, year=None):
        return CitedSource(code, publisher, f"Title of {code}", datetime.date(year, 1, 1) if year else None)

    assert link_names([cited("A", "CQC", 2015), cited("B", "BBC News", 2015)]) == ["CQC", "BBC News"]
    sources = [cited("A", "CQC", 2015), cited("B", "CQC", 2019), cited("C", "CQC", 2019), cited("D", "CQC")]
    assert link_names(sources) == ["CQC, 2015", "CQC, 2019 (1)", "CQC, 2019 (2)", "CQC"]
