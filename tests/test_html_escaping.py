"""Output safety: strings from a source reach the web edition as text. A page export carrying <script>,
javascript: URLs, quotes and </style> in every field is converted and rendered; in Chromium no script
runs and no attribute breaks, and the hostile text is shown literally."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from cablegram.convert.run import convert_sources
from cablegram.edition import Edition
from cablegram.html import render_html
from tests.conftest import REPO
from tests.test_html_site import CHROMIUM, CHROMIUM_ARGS, needs_chromium

PAYLOAD = """<script>window.__pwned = 1</script>"'><img src=x onerror="window.__pwned=2"></style>"""

HOSTILE_PAGE = f"""\
May 14, 1950
Ciphered Telegram, Roshchin to Filippov {PAYLOAD}

Citation:

"Ciphered Telegram {PAYLOAD}", May 14, 1950, Wilson Center Digital Archive, RGASPI, f. 558, op. 11, \
d. 334, l. 56. Translated by {PAYLOAD}. <javascript:window.__pwned=3//document/900666>

Summary:

A summary {PAYLOAD}

Credits:

This document was made possible with support from {PAYLOAD}

Original Language:

Russian

Contents:

Translation - English

Strictly Secret {PAYLOAD}

for Cde. Filippov [Stalin {PAYLOAD}]

At 1640 14 May I visited Cde. Mao Zedong {PAYLOAD} and delivered your telegram to him, and he thanked \
you for it. [Stamp: {PAYLOAD}]

Roshchin {PAYLOAD}
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    for sub in ("sources", "tei"):
        (root / sub).mkdir()
    for register in ("persons.xml", "places.xml", "organisations.xml", "corrections.xml"):
        shutil.copy(REPO / "tei" / register, root / "tei" / register)
    (root / "edition.toml").write_text(
        f'[edition]\ntitle = "Edition {PAYLOAD.replace(chr(34), "&quot;")}"\nbase_url = "https://example.org/e/"\n',
        encoding="utf-8",
    )
    (root / "sources" / "hostile.txt").write_text(HOSTILE_PAGE, encoding="utf-8")
    edition = Edition.open(root)
    report = convert_sources(edition, edition.sources(), edition.tei_dir)
    assert not report.failed, report.diagnostics
    result = render_html(edition, edition.documents(), root / "html", search=False)
    assert not [d for d in result.diagnostics if d.severity == "error"]
    return root / "html"


def test_no_markup_from_the_source_reaches_the_page(hostile_site: Path) -> None:
    page = next(hostile_site.glob("wc-*.html"))
    tree = lxml.html.parse(str(page))
    assert not [s for s in tree.iter("script") if "__pwned" in (s.text or "")]
    assert not tree.xpath("//img[@onerror] | //*[@*[starts-with(name(), 'on')][contains(., '__pwned')]]")
    hrefs = tree.xpath("//@href | //@src")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
    assert "window.__pwned = 1" in tree.getroot().text_content()


@needs_chromium
def test_no_script_runs_in_the_browser(hostile_site: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            for html in sorted(hostile_site.glob("*.html")):
                page.goto(html.as_uri())
                page.wait_for_load_state("load")
                assert page.evaluate("window.__pwned") is None, html.name
                for link in page.locator("a[href]").all():
                    assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
            assert dialogs == []
        finally:
            browser.close()
