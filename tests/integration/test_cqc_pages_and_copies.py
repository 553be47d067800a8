"""CQC's own pages and copies elsewhere (issue 28): every inspection links CQC's page for the trust and each site it
covered, built from the ids we hold; a copy of CQC's report on another site is named as a copy, and where it is,
wherever a source is shown; no curated address is a redirect wrapper; a hospital page no longer says "Address not
in our sources" in every row."""

from html import unescape
from pathlib import Path

import pytest
import yaml

from inspections.curation import check_fixtures
from inspections.domain.addresses import copy_elsewhere, cqc_page, on_cqc_site, wrapped_address
from inspections.models import Source
from tests.factories import InspectionFactory, LocationFactory, RatingFactory, SourceFactory
from tests.html import squashed

pytestmark = pytest.mark.django_db


@pytest.fixture
def copied_report():
    """A fictional trust's inspection of two sites (one with a CQC location id), citing a copy of CQC's report held
    on another site."""
    copy = SourceFactory(code="X9-QR-COPY", kind="cqc_report", title="Fictional Valley: quality report",
                         url="https://vdocuments.mx/fictional-valley.html")  # fmt: skip
    inspection = InspectionFactory(trust__provider_id="ZZ9", trust__slug="fictional-valley",
                                   trust__name="Fictional Valley NHS Trust", slug="2015-07")  # fmt: skip
    with_id = LocationFactory(trust=inspection.trust, slug="valley-general", name="Valley General Hospital",
                              cqc_location_id="ZZ9AA")  # fmt: skip
    without_id = LocationFactory(trust=inspection.trust, slug="valley-clinic", name="Valley Clinic")
    inspection.locations.set([with_id, without_id])
    RatingFactory(inspection=inspection, sources=[copy])
    return inspection


def page_text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return squashed(unescape(response.content.decode()))


def test_inspection_links_cqcs_pages_of_the_trust_and_of_each_site_with_an_id(client, copied_report):
    top = page_text(client, copied_report.get_absolute_url()).split("<h2>What it covered</h2>")[0]
    assert (
        '<p class="cqc-pages"> CQC\'s page for <a href="https://www.cqc.org.uk/provider/ZZ9" rel="noopener noreferrer">'
        "Fictional Valley NHS Trust" in top
    )
    assert 'and for the sites in this report: <a href="https://www.cqc.org.uk/location/ZZ9AA"' in top
    assert top.count("https://www.cqc.org.uk/location/") == 1  # no address made up for the site without an id


def test_a_copy_of_cqcs_report_is_named_as_a_copy_where_it_is(client, copied_report):
    content = page_text(client, copied_report.get_absolute_url())
    top, rest = content.split("<h2>What it covered</h2>")
    assert ">Read a copy of CQC's report, on vdocuments.mx</a>" in top
    assert "Read CQC's report" not in content
    sources = rest.split('<h2 id="sources">')[1]
    assert (
        'Fictional Valley: quality report</a> <span class="copy-note">(a copy of CQC\'s report, on vdocuments.mx)'
        in (sources)
    )


def test_the_sources_list_and_a_sources_page_say_the_same(client, copied_report):
    listed = page_text(client, "/sources/")
    assert (
        'Fictional Valley: quality report</a> <span class="copy-note">(a copy of CQC\'s report, on vdocuments.mx)'
        in (listed)
    )
    own_page = page_text(client, "/sources/X9-QR-COPY/")
    assert "(A copy of CQC's report, on vdocuments.mx, not CQC's own website)" in own_page


def test_a_report_on_cqcs_website_is_cqcs_report(client, copied_report):
    Source.objects.filter(code="X9-QR-COPY").update(url="https://www.cqc.org.uk/location/ZZ9AA/reports")
    content = page_text(client, copied_report.get_absolute_url())
    assert ">Read CQC's report</a>" in content
    assert "a copy of CQC's" not in content


def test_a_hospital_page_links_cqcs_page_for_the_site_instead_of_a_column_of_gaps(client, copied_report):
    content = page_text(client, "/trusts/fictional-valley/locations/valley-general/")
    assert "Address not in our sources" not in content
    assert '<th scope="col">CQC\'s report</th>' not in content
    assert 'ZZ9AA (<a href="https://www.cqc.org.uk/location/ZZ9AA" rel="noopener noreferrer">CQC\'s page' in content
    assert "https://www.cqc.org.uk/location/" not in page_text(
        client, "/trusts/fictional-valley/locations/valley-clinic/"
    )


def test_a_hospital_page_names_a_report_address_held_elsewhere_as_a_copy(client, copied_report):
    copied_report.report_url = "https://careersdocbox.example/fictional-valley-report.html"
    copied_report.save()
    content = page_text(client, "/trusts/fictional-valley/locations/valley-general/")
    assert '<th scope="col">CQC\'s report</th>' in content
    assert ">A copy of CQC's report, on careersdocbox.example<span" in content


def test_the_curated_hospital_pages_say_no_address_is_missing_row_by_row(client, curated_readonly):
    content = page_text(client, "/trusts/university-hospitals-leicester/locations/leicester-royal-infirmary/")
    assert "Address not in our sources" not in content
    assert "https://www.cqc.org.uk/location/RWEAA" in content


def test_every_curated_inspection_links_cqcs_page_for_its_trust(client, curated_readonly):
    from inspections.models import Inspection

    for inspection in Inspection.objects.select_related("trust"):
        assert f'CQC\'s page for <a href="https://www.cqc.org.uk/provider/{inspection.trust.provider_id}"' in page_text(
            client, inspection.get_absolute_url()
        ), inspection


def test_no_curated_source_is_a_redirect_wrapper_or_a_copy_called_cqcs_report(curated_readonly):
    addresses = Source.objects.exclude(url="").values_list("code", "url")
    assert [(code, url) for code, url in addresses if wrapped_address(url)] == []
    mercury = Source.objects.get(code="L-LM-CAMHS")
    assert mercury.url == "https://www.leicestermercury.co.uk/315k-cash-injection-cut-2-2665769"
    copies = {code: Source.objects.get(code=code).copy_note for code in ("L-QR-2015", "U-QR-GH-2014", "U-IR-2018")}
    assert copies == {
        "L-QR-2015": "a copy of CQC's report, on vdocuments.mx",
        "U-QR-GH-2014": "a copy of CQC's report, on fdocuments.us",
        "U-IR-2018": "a copy of CQC's report, on careersdocbox.com",
    }


def test_the_fixture_check_refuses_a_redirect_wrapper(tmp_path):
    wrapped = "http://news.example/redirect.php?https://gazette.example/story-1"
    source = {"model": "inspections.source", "fields": {"code": "X9-WRAP", "kind": "local_news", "publisher": "Gazette",
                                                        "title": "Story", "url": wrapped}}  # fmt: skip
    folder = tmp_path / "fictional"
    folder.mkdir()
    path = Path(folder / "sources.yaml")
    path.write_text(yaml.safe_dump([source]), encoding="utf-8")
    problems = [str(problem) for problem in check_fixtures(paths=[path])]
    assert problems == [
        f"{path}, record 1 (inspections.source X9-WRAP), field 'url': is a redirect wrapper; give the address it "
        "leads to (https://gazette.example/story-1)"
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "http://news.free-list.org/redirect.php?https://www.leicestermercury.co.uk/a-1",
            "https://www.leicestermercury.co.uk/a-1",
        ),
        ("https://out.example/go?url=https%3A%2F%2Fgazette.example%2Fstory", "https://gazette.example/story"),
        ("https://www.bbc.co.uk/news/uk-england-leicestershire-1?at_medium=RSS", ""),
        ("https://gazette.example/?ref=https-is-in-a-word", ""),
    ],
)
def test_wrapped_address(url, expected):
    assert wrapped_address(url) == expected


def test_cqcs_addresses():
    assert cqc_page("RWE", provider=True) == "https://www.cqc.org.uk/provider/RWE"
    assert cqc_page("RWEAA", provider=False) == "https://www.cqc.org.uk/location/RWEAA"
    assert on_cqc_site("https://dev.cqc.org.uk/a")
    assert on_cqc_site("http://CQC.org.uk/b")
    assert not on_cqc_site("https://cqc.org.uk.example/")
    assert not on_cqc_site("https://notcqc.org.uk/")
    assert copy_elsewhere("cqc_report", "https://www.vdocuments.mx/x") == "a copy of CQC's report, on vdocuments.mx"
    assert (
        copy_elsewhere("cqc_news", "https://europesays.example/x")
        == "a copy of CQC's press release, on europesays.example"
    )
    assert copy_elsewhere("local_news", "https://vdocuments.mx/x") == ""  # only CQC's own documents are CQC's
    assert copy_elsewhere("cqc_report", "") == ""
