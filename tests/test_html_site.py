"""The built web edition, end to end: links, HTML validity (vnu-jar), and in Chromium (Playwright) the
parallel view, the diplomatic/reading switch, supplied's reason on hover, search, the index filters,
axe-core, and screenshots at desktop and phone widths (tests/artifacts/, git-ignored).

The browser tests skip only when Chromium is absent (the Makefile installs it: in CI they run).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from cablegram.cli import main
from cablegram.convert.run import convert_sources
from cablegram.edition import Edition
from cablegram.html import (
    HtmlResult,
    HtmlSettings,
    pagefind_available,
    render_html,
    render_site,
    site_page_inputs,
    site_summaries,
)
from tests.conftest import SEED_IDS

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path(os.environ.get("CABLEGRAM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VNU_CANDIDATES = [
    Path(os.environ.get("VNU_JAR", "/nonexistent")),
    REPO / "tests" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar",
    REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar",
]

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")


@pytest.fixture(scope="module")
def documents(edition: Edition, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return edition.documents() or sorted(
        convert_sources(edition, edition.sources(), tmp_path_factory.mktemp("tei"), force=True).written
    )


@pytest.fixture(scope="module")
def site(edition: Edition, documents: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    scratch = tmp_path_factory.mktemp("site")
    result = render_html(edition, documents, scratch / "html")
    assert not [d for d in result.diagnostics if d.severity == "error"]
    return scratch / "html"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


# -- without a browser -----------------------------------------------------------------------------------


def test_every_page_is_there(site: Path) -> None:
    names = {p.relative_to(site).as_posix() for p in pages(site)}
    expected = {
        "index.html",
        "persons.html",
        "places.html",
        "organisations.html",
        "about.html",
        "search.html",
        "about/encoding.html",
    }
    assert expected <= names
    assert len([n for n in names if n.startswith("wc-")]) == 5
    assert {p.name for p in (site / "tei").iterdir()} >= {"wc-115976.xml", "persons.xml"}


def test_the_edition_pages_are_well_formed_xml_too(site: Path) -> None:
    """Polyglot HTML5: an XML parser reads every page the edition's stylesheet makes (the ODD manual in
    about/ has its own stylesheet, with a style element that XML syntax would escape)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    made = [page for page in pages(site) if page.parent.name != "about"]
    assert len(made) >= 11
    for page in made:
        root = etree.parse(str(page), parser).getroot()
        assert root.tag == "{http://www.w3.org/1999/xhtml}html", page
        assert root.find("{http://www.w3.org/1999/xhtml}body") is not None, page


def test_every_page_has_version_build_date_and_language(site: Path) -> None:
    for page in pages(site):
        if page.parent.name == "about":
            continue  # the ODD manual, rendered by the schema's stage
        root = lxml.html.parse(str(page)).getroot()
        assert root.get("lang") == "en", page
        assert root.xpath("//footer//*[@class='edition-version']"), page
        assert root.xpath("//footer//time[@class='build-date']/@datetime"), page


def test_every_internal_link_resolves(site: Path) -> None:
    """A link checker over the whole site: every relative href/src names a file, every #fragment an id."""
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = set(lxml.html.parse(str(path)).getroot().xpath("//@id"))
        return ids[path]

    broken = []
    checked = 0
    for page in pages(site):
        root = lxml.html.parse(str(page)).getroot()
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if not value or urlsplit(value).scheme or value.startswith("//"):
                    continue
                parts = urlsplit(value)
                assert not parts.query, f"{page.name}: {value} needs a query string"
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                checked += 1
                if not target.is_file():
                    broken.append(f"{page.relative_to(site)}: {value}")
                elif parts.fragment and target.suffix == ".html" and parts.fragment not in ids_of(target):
                    broken.append(f"{page.relative_to(site)}: {value} (no such id)")
    assert checked > 200
    assert broken == []


def test_index_lists_the_documents_in_date_order(site: Path) -> None:
    """As its caption and aria-sort say: by date, undated last, a day's documents by id."""
    root = lxml.html.parse(str(site / "index.html")).getroot()
    rows = root.xpath("//table[@id='documents']/tbody/tr")
    keys = [(not row.get("data-date"), row.get("data-date"), row.get("id")) for row in rows]
    assert len(keys) == 5 and keys == sorted(keys)
    assert root.xpath("//th[@data-key='date']/@aria-sort") == ["ascending"]


def test_documents_of_one_day_stack_on_the_timeline(site: Path) -> None:
    """wc-114900 and wc-115976 are both of 14 May 1950: one circle above the other, the smaller id below."""
    root = lxml.html.parse(str(site / "index.html")).getroot()
    svg = root.xpath("//figure[@id='timeline']//svg")[0]
    height = float(svg.get("height"))
    circles = {
        link.get("href"): (float(link[0].get("cx")), float(link[0].get("cy"))) for link in svg.iter("a")
    }
    assert len(circles) == 5
    assert circles["wc-114900.html"][0] == circles["wc-115976.html"][0]
    assert circles["wc-114900.html"][1] == height - 52 and circles["wc-115976.html"][1] == height - 68
    assert height == 70 + 16 * 2  # the tallest stack is two documents


def test_site_pages_from_summaries_made_afresh_are_the_same(
    site: Path, edition: Edition, documents: list[Path], tmp_path: Path
) -> None:
    """A rebuild that renders no document page makes the summaries in render_site: the same pages."""
    settings = HtmlSettings.of(edition, search=pagefind_available())
    render_site(edition, documents, tmp_path, HtmlResult(tmp_path), settings=settings, pdfs={}, copies=False)
    for name in ("index.html", "persons.html", "places.html", "organisations.html", "about.html"):
        assert (tmp_path / name).read_bytes() == (site / name).read_bytes(), name


def test_what_the_index_reads_of_the_summaries_excludes_their_mentions(
    edition: Edition, documents: list[Path]
) -> None:
    """A rebuild takes a site page over while its inputs are unchanged (site_page_inputs): the index and
    about pages read no mention, the register pages no abstract, the search page no summary at all."""
    site = site_summaries(documents)
    before = site_page_inputs(edition, site)
    assert sorted(before) == sorted(
        ["index.html", "persons.html", "places.html", "organisations.html", "about.html", "search.html"]
    )
    assert site.count(b'header="false"') > 0
    mentions_changed = site_page_inputs(edition, site.replace(b'header="false"', b'header="true"', 1))
    changed = [name for name in before if before[name] != mentions_changed[name]]
    assert changed == ["persons.html", "places.html", "organisations.html"]
    assert b"relays a Chinese assessment" in site
    abstract_changed = site_page_inputs(edition, site.replace(b"a Chinese assessment", b"a Chinese view"))
    changed = [name for name in before if before[name] != abstract_changed[name]]
    assert changed == ["index.html", "about.html"]


def test_a_changed_abstract_makes_the_index_again_and_takes_the_registers_over(tmp_path: Path) -> None:
    from tests.test_parallel import DATE, assert_as_a_fresh_build, make_edition

    root = make_edition(tmp_path / "edition")
    command = ["-C", str(root), "build", "-q", "--date", DATE, "--jobs", "1", "--no-pdf"]
    assert main(command) == 0
    html = root / "build" / "html"
    registers = {name: (html / name).stat().st_ino for name in ("persons.html", "places.html")}
    source = root / "sources" / "wc-114900.txt"
    text = source.read_text(encoding="utf-8")
    assert "relays a Chinese assessment" in text
    source.write_text(
        text.replace("relays a Chinese assessment", "relays a Chinese view", 1), encoding="utf-8"
    )
    assert main(command) == 0
    assert b"relays a Chinese view" in (html / "index.html").read_bytes()
    assert {name: (html / name).stat().st_ino for name in registers} == registers  # linked, not made again
    assert_as_a_fresh_build(root, tmp_path / "fresh", command[2:])


def find_vnu() -> Path | None:
    return next((p for p in VNU_CANDIDATES if p.is_file()), None)


@pytest.mark.skipif(
    find_vnu() is None or shutil.which("java") is None,
    reason="vnu-jar (npm ci in tests/) or java is not installed",
)
def test_nu_html_checker_reports_no_errors(site: Path) -> None:
    vnu = find_vnu()
    assert vnu is not None
    done = subprocess.run(
        ["java", "-jar", str(vnu), "--errors-only", "--format", "json", *map(str, pages(site))],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '')}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []


# -- in Chromium ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def serving(site: Path) -> Iterator[str]:
    """`site` over HTTP (pagefind's index cannot load from file://), on a free port."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    yield from serving(site)


def open_page(browser: Any, url: str, width: int = 1400, height: int = 1000) -> Any:
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_load_state("load")
    page.js_errors = errors
    return page


@needs_chromium
def test_parallel_view_shows_both_layers_aligned(browser: Any, site: Path) -> None:
    page = open_page(browser, (site / "wc-115976.html").as_uri())
    original, translation = page.locator("#wc-115976-ru"), page.locator("#wc-115976-en")
    assert original.is_visible() and translation.is_visible()
    left, right = original.bounding_box(), translation.bounding_box()
    assert left["x"] + left["width"] <= right["x"]  # side by side
    page.wait_for_timeout(100)
    ru, en = page.locator("#wc-115976-ru-p1").bounding_box(), page.locator("#wc-115976-en-p1").bounding_box()
    assert abs(ru["y"] - en["y"]) < 3  # aligned by corresp
    assert page.js_errors == []
    page.close()


@needs_chromium
def test_one_layer_switch(browser: Any, site: Path) -> None:
    page = open_page(browser, (site / "wc-115976.html").as_uri())
    page.get_by_role("button", name="Translation").click()
    assert page.locator("#wc-115976-en").is_visible()
    assert not page.locator("#wc-115976-ru").is_visible()
    page.close()


@needs_chromium
def test_diplomatic_reading_toggle_with_the_keyboard(browser: Any, site: Path) -> None:
    page = open_page(browser, (site / "wc-117420.html").as_uri())
    sic = page.locator("#wc-117420-ru1 [data-tei='sic']", has_text="МИЛЮПОВ")
    corr = page.locator("#wc-117420-ru1 [data-tei='corr']", has_text="ФИЛИППОВ")
    assert corr.is_visible() and not sic.is_visible()  # reading view first
    page.locator("[data-set-view='diplomatic']").focus()
    page.keyboard.press("Enter")
    assert sic.is_visible() and not corr.is_visible()
    assert page.locator("[data-set-view='diplomatic']").get_attribute("aria-pressed") == "true"
    page.locator("[data-set-view='reading']").focus()
    page.keyboard.press("Space")
    assert corr.is_visible() and not sic.is_visible()
    page.close()


@needs_chromium
def test_ocr_residue_hidden_in_reading_view(browser: Any, site: Path) -> None:
    page = open_page(browser, (site / "wc-114900.html").as_uri())
    residue = page.locator("pre.ocr-residue")
    assert not residue.is_visible()
    page.locator("[data-set-view='diplomatic']").click()
    assert residue.is_visible()
    page.close()


@needs_chromium
def test_hovering_supplied_shows_its_reason(browser: Any, site: Path) -> None:
    page = open_page(browser, (site / "wc-115976.html").as_uri())
    supplied = page.locator("#wc-115976-en-p1 [data-tei='supplied'][data-reason='identification']").first
    tip = "el => getComputedStyle(el, '::after').content"
    assert supplied.evaluate(tip) in ("none", "normal", "")
    supplied.hover()
    assert "identification" in supplied.evaluate(tip)
    page.mouse.move(0, 0)
    supplied.focus()  # the keyboard shows it too
    assert "identification" in supplied.evaluate(tip)
    page.close()


@needs_chromium
def test_index_filters_narrow_the_table(browser: Any, site: Path) -> None:
    page = open_page(browser, (site / "index.html").as_uri())
    rows = page.locator("#documents tbody tr")
    assert rows.count() == 5
    visible = lambda: [r.get_attribute("id") for r in rows.all() if r.is_visible()]  # noqa: E731
    assert len(visible()) == 5

    def mentioning(*refs: str) -> list[str]:
        tei = sorted((site / "tei").glob("wc-*.xml"))
        return [f"row-{t.stem}" for t in tei if all(ref in t.read_text(encoding="utf-8") for ref in refs)]

    page.select_option("#filter-persons", "krasovsky")
    assert sorted(visible()) == mentioning('"persons.xml#krasovsky"') != []
    page.select_option("#filter-persons", "")
    page.select_option("#filter-year", "1950")
    assert sorted(visible()) == ["row-wc-113729", "row-wc-114900", "row-wc-115976"]
    page.select_option("#filter-places", "incheon")
    assert sorted(visible()) == sorted(set(mentioning('"places.xml#incheon"')) & set(visible())) != []
    assert len(visible()) < 3
    page.get_by_role("button", name="Show all").click()
    page.wait_for_timeout(50)
    assert len(visible()) == 5
    page.get_by_role("button", name="Title").click()
    titles = [t.strip() for t in page.locator("#documents tbody td.col-title").all_inner_texts()]
    assert titles == sorted(titles, key=str.casefold)
    page.close()


@needs_chromium
@pytest.mark.skipif(not pagefind_available(), reason="pagefind[extended] is not installed")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Сталин", {"wc-115976", "wc-117420"}),
        ("переговорах", {"wc-117420"}),
        ("Stalin", {"wc-110374", "wc-113729", "wc-114900", "wc-115976", "wc-117420"}),
    ],
)
def test_search_finds_the_documents(browser: Any, server: str, query: str, expected: set[str]) -> None:
    page = open_page(browser, server + "search.html")
    page.locator(".pagefind-ui__search-input").fill(query)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
    page.wait_for_timeout(400)  # let every result come in
    links = page.locator(".pagefind-ui__result-link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    found = {Path(urlsplit(href).path).stem for href in links}
    assert found == expected
    page.close()


@needs_chromium
def test_no_serious_or_critical_axe_violations(browser: Any, site: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    for path in pages(site):
        page = open_page(browser, path.as_uri())
        for view in ["reading", "diplomatic"] if path.name.startswith("wc-") else [None]:
            if view:
                page.locator(f"[data-set-view='{view}']").click()
            for violation in axe.run(page).response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [n["target"] for n in violation["nodes"]][:3]
                    problems.append(f"{path.name} ({view}): {violation['id']} {targets}")
        page.close()
    assert problems == []


@needs_chromium
def test_screenshots_desktop_and_phone(browser: Any, site: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, width, height in (("desktop", 1400, 1000), ("phone", 390, 844)):
        page = open_page(browser, (site / "wc-115976.html").as_uri(), width, height)
        target = ARTIFACTS / f"wc-115976-{label}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        if label == "phone":  # stacked: the translation below the original
            ru, en = (
                page.locator("#wc-115976-ru").bounding_box(),
                page.locator("#wc-115976-en").bounding_box(),
            )
            assert en["y"] > ru["y"] + ru["height"] - 1
        page.close()


# -- a search index in several bundles (an edition of thousands of documents) ----------------------------


@pytest.fixture(scope="module")
def sharded_site(edition: Edition, documents: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five documents indexed as if the edition were large: at most two pages per search bundle."""
    from cablegram import search

    out = tmp_path_factory.mktemp("sharded") / "html"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_PAGES", 2)
        result = render_html(edition, documents, out, manual=False)
    assert result.search_index, result.diagnostics
    return out


@pytest.mark.skipif(not pagefind_available(), reason="pagefind[extended] is not installed")
def test_a_large_edition_gets_several_search_bundles_and_the_search_page_merges_them(
    sharded_site: Path,
) -> None:
    from cablegram import search

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_PAGES", 2)
        bundles = search.bundles(SEED_IDS)
    assert len(bundles) >= 2 and sorted(doc for b in bundles for doc in b.pages) == sorted(SEED_IDS)
    for bundle in bundles:
        # each bundle indexes its own pages only: one fragment per page
        assert (sharded_site / bundle.directory / "pagefind-ui.js").is_file()
        assert len(list((sharded_site / bundle.directory / "fragment").iterdir())) == len(bundle.pages)
    merge = lxml.html.parse(str(sharded_site / "search.html")).getroot().get_element_by_id("search")
    assert merge.get("data-merge") == " ".join(b.directory for b in bundles[1:])


def test_a_very_large_edition_keeps_to_the_most_bundles_the_search_page_fetches() -> None:
    from cablegram import search

    ids = [f"wc-{n:06d}" for n in range(5000)]
    assert len(search.bundles(ids)) == 5000 // search.SHARD_PAGES  # 10: within MAX_BUNDLES
    many = [f"wc-{n:06d}" for n in range(100_000)]
    bundles = search.bundles(many)
    assert len(bundles) == search.MAX_BUNDLES  # not 200: their bundles grow instead
    assert sorted(doc for bundle in bundles for doc in bundle.pages) == many


@needs_chromium
@pytest.mark.skipif(not pagefind_available(), reason="pagefind[extended] is not installed")
def test_search_over_several_bundles_finds_every_document(browser: Any, sharded_site: Path) -> None:
    for url in serving(sharded_site):
        page = open_page(browser, url + "search.html")
        page.locator(".pagefind-ui__search-input").fill("Stalin")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
        page.wait_for_timeout(600)  # let every bundle answer
        links = page.locator(".pagefind-ui__result-link").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        assert {Path(urlsplit(href).path).stem for href in links} == set(SEED_IDS)
        assert page.js_errors == []
        page.close()
