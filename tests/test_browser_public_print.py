"""Small things of issue 14 in a real browser: without JavaScript the map says so and points to
the list; on paper there is no "Meld een fout", no comma after the last expertise and the title
stands above the section headings; one product name in the navigation."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORGANISATION = "/organisaties/hospice-de-kapel/"


@pytest.mark.parametrize(
    ("path", "target"),
    [("/zoeken/", "#resultaten-titel"), (ORGANISATION, "#vestigingen-title"), ("/", "/zoeken/")],
)
def test_without_javascript_the_map_points_to_the_list(site, browser, path, target):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{site.url}{path}")
        message = page.locator(".ek-map__noscript")
        assert message.is_visible()
        assert "De kaart heeft JavaScript nodig" in message.inner_text()
        link = message.get_by_role("link", name="naar de lijst")
        assert link.get_attribute("href") == target
        if target.startswith("#"):
            assert page.locator(target).count() == 1
    finally:
        context.close()


def test_with_javascript_the_map_message_stays_hidden(site, phone):
    phone.goto(f"{site.url}/zoeken/")
    phone.wait_for_function("() => document.getElementById('zoekkaart').dataset.markerCount")
    assert not phone.locator(".ek-map__noscript").is_visible()


def test_the_printed_organisation_page_is_a_clean_paper_page(site, desktop):
    desktop.set_viewport_size({"width": 1366, "height": 900})
    desktop.goto(f"{site.url}{ORGANISATION}")
    assert desktop.get_by_text("Meld een fout").is_visible()
    desktop.emulate_media(media="print")
    assert not desktop.get_by_text("Meld een fout").is_visible()
    assert not desktop.locator("#meld-title").is_visible()
    commas = desktop.locator(".ek-tag").evaluate_all(
        "tags => tags.map(t => getComputedStyle(t, '::after').content)"
    )
    assert len(commas) >= 2
    assert commas[-1] in ("none", "normal") and all(c == '","' for c in commas[:-1])
    sizes = desktop.evaluate(
        "() => ['h1', 'h2'].map(tag =>"
        " parseFloat(getComputedStyle(document.querySelector(tag)).fontSize))"
    )
    assert sizes[0] > sizes[1]


def test_the_site_goes_by_one_name(site, phone):
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{site.url}/")
    texts = phone.locator("header, nav, main h1").all_inner_texts()
    assert not any("Sociale kaart" in text for text in texts)
    phone.locator(".ek-nav").get_by_role("link", name="Zoeken", exact=True).click()
    phone.wait_for_url("**/zoeken/")
    assert phone.locator("h1").inner_text() == "Zoeken"


NIGHT = "/wie-bel-ik-nu/?postcode=3511&tijdstip=2026-11-24T23:00"


def test_folded_lines_and_weekly_hours_are_on_paper(site, desktop):
    """'Nu gesloten (N)' and 'Openingstijden en controle' are folded on screen; on paper their
    content shows: print-details.js opens them before printing (page.pdf() prints as the
    browser's print dialog does) and closes them afterwards; print.css shows them too."""
    desktop.goto(f"{site.url}{NIGHT}")
    closed_line = desktop.locator(".ek-closed__list .ek-line__name").first
    hours = desktop.locator(".ek-line__details .ek-hours").first
    assert not closed_line.is_visible() and not hours.is_visible()
    folded = desktop.locator("details:not([open])").count()
    assert folded >= 3
    # What the page shows at the moment it is printed, recorded by a listener that runs after
    # the page's own.
    desktop.evaluate(
        """() => window.addEventListener('beforeprint', () => { window.printed = {
            folded: [...document.querySelectorAll('details:not([open])')]
                .filter(d => !d.closest('form')).length,
            text: document.querySelector('main').innerText }; })"""
    )
    desktop.pdf()
    printed = desktop.evaluate("window.printed")
    assert printed["folded"] == 0
    assert closed_line.inner_text() in printed["text"]
    assert (
        "Gegevens gecontroleerd op" in printed["text"]
        or "nog niet gecontroleerd" in printed["text"]
    )
    assert desktop.locator("details:not([open])").count() == folded  # the screen as it was
    desktop.emulate_media(media="print")
    assert closed_line.is_visible() and hours.is_visible()
    assert not desktop.get_by_text("Openingstijden en controle").first.is_visible()
