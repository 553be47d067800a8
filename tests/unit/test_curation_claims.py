"""Claims beyond the passage (inspections/curation/claims.py): the checks that can be automated."""

from inspections.curation.claims import claim_problems_in

NAMES = ["Leicester Royal Infirmary", "Urgent and emergency care", "Maternity"]


def problems(text, passages, **kwargs):
    return list(claim_problems_in(text, passages, NAMES, **kwargs))


def test_a_note_that_says_the_earlier_rating_stands_needs_a_passage_that_says_so():
    not_inspected = "Maternity, LRI: Effective, Caring, Responsive not inspected"
    assert problems("Not rated on this focused inspection; the earlier rating stands.", [not_inspected]) == [
        'says a rating "stands", which no passage it cites says'
    ]
    assert problems("Not rated; CQC says the previous rating remains.", ["previous ratings stand"]) == []


def test_improved_or_fell_is_supported_by_a_passage_or_by_the_ratings_own_values():
    class Rating:
        previous_value, value = "requires_improvement", "good"

    assert problems("Improved to good.", ["Responsive Good"]) == [
        'says a rating "improved", which no passage it cites says'
    ]
    assert problems("Improved to good.", ["Responsive Good"], rating=Rating()) == []  # its previous value shows it
    assert problems("It fell.", ["Responsive RI (previous: Good)"]) == []


def test_numbers_must_be_in_a_passage_or_be_the_year_of_a_cited_source_or_the_inspection():
    assert problems("Against the 31-day and 62-day standards.", ["31- and 62-day cancer waits worsening"]) == []
    assert problems("Conditions imposed on 30 November.", ["conditions imposed"]) == [
        "gives the number 30, which no passage it cites gives"
    ]
    assert problems("From CQC's 2018 press release.", ["Responsive RI"], years={2018}) == []


def test_services_and_sites_named_must_be_named_in_a_passage():
    assert problems("Maternity staff lacked time to report incidents.", ["staff lacking time"]) == [
        'names "Maternity", which no passage it cites names'
    ]
    assert problems("Urgent and emergency care at Leicester Royal Infirmary improved.", ["UEC at LRI improved"]) == []
    # A rating note may name what the rating is about, or the report it comes from.
    assert (
        problems("Not re-rated by this maternity inspection.", ["overall stays RI"], context="Maternity inspection")
        == []
    )
