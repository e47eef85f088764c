"""The print edition (issue 5): per-document PDFs and the volume, checked from the PDFs themselves.

The whole edition is rendered once per session (fixture `pdfs`); the text of the PDFs is extracted with
poppler's pdftotext, fonts are listed with pdffonts, metadata and outline are read with pypdf. Pages are
rendered to PNG in tests/artifacts/pdf/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from cablegram.diagnostics import Diagnostic, Severity
from cablegram.edition import Edition
from tests.conftest import NS, REPO, SEED_IDS

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts, pdftoppm) is not installed",
)
pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

ARTIFACTS = REPO / "tests" / "artifacts" / "pdf"
FIXTURES = REPO / "tests" / "fixtures" / "pdf"
BUILD_DATE = "2026-11-30"


@dataclass
class Built:
    out: Path
    diagnostics: list[Diagnostic]


def pdftotext(pdf: Path, *, first: int | None = None, last: int | None = None) -> str:
    command = ["pdftotext", "-enc", "UTF-8"]
    if first is not None:
        command += ["-f", str(first), "-l", str(last if last is not None else first)]
    return subprocess.run([*command, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def words(text: str) -> str:
    """Text with line breaks and runs of white space made single spaces (pdftotext breaks lines)."""
    return " ".join(text.split())


@pytest.fixture(scope="session")
def pdfs(edition: Edition, tmp_path_factory: pytest.TempPathFactory) -> Built:
    from cablegram.pdf import build_pdfs

    out = tmp_path_factory.mktemp("pdf")
    diagnostics = build_pdfs(edition, edition.documents(), out, build_date=BUILD_DATE)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if shutil.which("pdftoppm"):
        for doc_id in SEED_IDS:
            subprocess.run(
                ["pdftoppm", "-r", "80", "-png", str(out / f"{doc_id}.pdf"), str(ARTIFACTS / doc_id)],
                check=True,
            )
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "80",
                "-png",
                "-f",
                "1",
                "-l",
                "8",
                str(out / "edition.pdf"),
                str(ARTIFACTS / "edition"),
            ],
            check=True,
        )
        for index_page in (-2, -1):
            count = len(pypdf.PdfReader(out / "edition.pdf").pages)
            page = count + 1 + index_page
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "80",
                    "-png",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    str(out / "edition.pdf"),
                    str(ARTIFACTS / "edition-index"),
                ],
                check=True,
            )
    return Built(out, diagnostics)


def test_every_document_and_the_volume_are_written_without_errors(pdfs: Built) -> None:
    assert [d.format() for d in pdfs.diagnostics if d.severity is Severity.ERROR] == []
    assert sorted(p.name for p in pdfs.out.glob("*.pdf")) == sorted(
        [*(f"{i}.pdf" for i in SEED_IDS), "edition.pdf"]
    )


def _layer_samples(doc_id: str) -> dict[str, list[str]]:
    """For each layer of the TEI: a few longer words of its reading text (corrections, not sic)."""
    tree = etree.parse(str(REPO / "tei" / f"{doc_id}.xml"))
    samples = {}
    for layer in tree.xpath("//t:body/t:div", namespaces=NS):
        for skip in layer.xpath(
            ".//t:sic | .//t:ab[@type='ocr-residue'] | .//t:hi[@rend='spaced']", namespaces=NS
        ):
            skip.getparent().remove(skip) if skip.tail is None else skip.clear()
        text = " ".join(layer.itertext())
        found = [w for w in re.findall(r"\w{7,}", text) if not w.isdigit()]
        samples[layer.get("{http://www.w3.org/XML/1998/namespace}id")] = found[:3] + found[-3:]
    return samples


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_each_layer_of_each_document_is_in_its_pdf(pdfs: Built, doc_id: str) -> None:
    text = words(pdftotext(pdfs.out / f"{doc_id}.pdf"))
    for layer, samples in _layer_samples(doc_id).items():
        assert samples, layer
        missing = [w for w in samples if w not in text]
        assert missing == [], f"{layer}: {missing}"
    assert "\ufffd" not in text and "#" not in text


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [
        ("wc-115976", ["Филиппов", "Mao Zedong", "[Stalin]", "[pristupit k obiednineniiu]", "ВЫШИНСКИЙ"]),
        (
            "wc-117420",
            ["ФИЛИППОВ", "МАО ЦЗЕ-ДУН", "[signature]", "[...]", "ПОДЛЕЖИТ ВОЗВРАТУ", "in the 1[3]"],
        ),
        ("wc-113729", ["Jemulpo [Incheon]", "Mao Zedong", "F I L I P P O V [STALIN]"]),  # letter-spaced
        ("wc-114900", ["Text recognition residue", "油", "ФИЛИППОВ"]),
        ("wc-110374", ["Mao Zedong", "FILIPPOV"]),
    ],
)
def test_phenomena_print_as_the_edition_renders_them(pdfs: Built, doc_id: str, expected: list[str]) -> None:
    text = words(pdftotext(pdfs.out / f"{doc_id}.pdf"))
    assert [e for e in expected if e not in text] == []


def test_sic_readings_and_reasons_are_footnotes_numbered_per_document(pdfs: Built) -> None:
    text = pdftotext(pdfs.out / "wc-117420.pdf")
    assert re.search(r"^1\. ЦЭЕ in the source; corrected by this edition\.", text, re.M)
    assert re.search(r"^\d+\. МИЛЮПОВ in the source; corrected by this edition\.", text, re.M)
    assert re.search(
        r"^\d+\. Supplied by the archive \(gloss\): explains a term or abbreviation\.", text, re.M
    )
    other = pdftotext(pdfs.out / "wc-115976.pdf")
    assert re.search(r"^1\. Supplied by the archive \(identification\)", other, re.M)  # the counter restarts


def test_running_heads_and_page_numbers(pdfs: Built) -> None:
    pages = pdftotext(pdfs.out / "wc-117420.pdf").split("\f")[:-1]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == "Filippov (Stalin) → Mao Zedong, 14 July 1951"
        assert re.fullmatch(rf"{number} ?/ ?{len(pages)}", lines[-1]), lines[-1]


def test_every_font_is_embedded(pdfs: Built) -> None:
    for pdf in sorted(pdfs.out.glob("*.pdf")):
        listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = listing.splitlines()[2:]
        assert rows, pdf.name
        for row in rows:
            emb, _sub, uni = row.split()[-5:-2]
            assert (emb, uni) == ("yes", "yes"), f"{pdf.name}: {row}"
        assert "Noto-Serif" in listing


def _toc(pdf: Path) -> dict[str, int]:
    """The volume's table of contents: short title → page number."""
    entries = {}
    for line in pdftotext(pdf, first=2, last=3).splitlines():
        match = re.match(r"^(?:\d+\s+)?(.+?)\s*\.{3,}\s*(\d+)$", line.strip())
        if match:
            entries[match.group(1).strip()] = int(match.group(2))
    return entries


def test_the_volume_table_of_contents_points_at_the_right_pages(pdfs: Built) -> None:
    volume = pdfs.out / "edition.pdf"
    toc = _toc(volume)
    assert len(toc) == len(SEED_IDS) + 2, toc  # introduction, the documents, the index
    titles = {
        "Vyshinsky → Mao Zedong, 14 May 1950": "Ciphered Telegram No. 8600, Vyshinsky to Mao Zedong",
        "Filippov (Stalin) → Mao Zedong, 14 July 1951": "Cable No. 4153, Filippov [Stalin] to Krasovsky",
        "Index of persons and places": "Names in every layer and language",
        "Editorial introduction": "Editorial principles",
    }
    for entry, expected in titles.items():
        assert expected in words(pdftotext(volume, first=toc[entry])), entry
    # date order: the page numbers of the documents grow with their dates
    documents = [page for entry, page in toc.items() if "→" in entry]
    assert documents == sorted(documents)
    assert list(toc)[1].startswith("Roshchin → Filippov (Stalin), 14 May 1950")


def test_the_volume_index_points_at_the_right_pages(pdfs: Built) -> None:
    volume = pdfs.out / "edition.pdf"
    text = words(pdftotext(volume)).split("Names in every layer and language")[1]
    checks = {
        "Incheon": ("Jemulpo", "Чемульпо", "Incheon"),
        "Krasovsky": ("KRASOVSKY", "Krasovsky", "КРАСОВСК"),
        "Zhou Enlai": ("Zhou Enlai", "Чжоу", "ЧЖОУ"),
    }
    for name, forms in checks.items():
        match = re.search(re.escape(name) + r" \([^)]*(?:\([^)]*\)[^)]*)*\) ([\d–, ]+)", text)
        assert match, name
        pages: list[int] = []
        for part in match.group(1).strip(" ,").split(", "):
            first, _, last = part.partition("–")
            pages += range(int(first), int(last or first) + 1)
        for page in pages:
            assert any(form in words(pdftotext(volume, first=page)) for form in forms), (name, page)


def test_pdf_metadata_outline_and_archival_variant(pdfs: Built) -> None:
    reader = pypdf.PdfReader(pdfs.out / "wc-115976.pdf")
    info = reader.metadata
    assert info is not None
    assert info.title == "Ciphered Telegram No. 8600, Vyshinsky to Mao Zedong"
    assert info.author == "cablegram editorial team"
    assert info.subject and info.subject.startswith("The cable contains Stalin's personal response")
    keywords = info.get("/Keywords")
    assert keywords and "Mao Zedong" in keywords and "Beijing" in keywords
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[0] == "Ciphered Telegram No. 8600, Vyshinsky to Mao Zedong"
    assert "Original (Russian)" in str(reader.outline)
    # PDF/A-3u: XMP identification, an output intent, the TEI source attached as the PDF's source
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp or "<pdfaid:part>3</pdfaid:part>" in xmp
    assert "U" in re.findall(r'pdfaid:conformance="?>?(\w)', xmp)
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert list(reader.attachments) == ["wc-115976.xml"]
    assert reader.attachments["wc-115976.xml"][0] == (REPO / "tei" / "wc-115976.xml").read_bytes()
    assert {str(a.get_object()["/AFRelationship"]) for a in root["/AF"]} == {"/Source"}

    volume = pypdf.PdfReader(pdfs.out / "edition.pdf")
    top = [item.title for item in volume.outline if not isinstance(item, list)]
    assert top[:2] == ["Contents", "Editorial introduction"]
    assert top[-1] == "Index of persons and places"
    assert len([t for t in top if t.startswith(("Cipher", "Cable"))]) == len(SEED_IDS)
    assert "wc-117420.xml" in volume.attachments and "persons.xml" in volume.attachments


def test_the_volume_shows_its_introduction_figures(pdfs: Built) -> None:
    text = words(pdftotext(pdfs.out / "edition.pdf", first=1, last=6))
    assert "5 documents, 14 May 1950 – 14 July 1951" in text
    assert "Documents 5" in text and "Stamps 5" in text
    assert "Editorial principles" in text and "Reading this edition" in text
    # the only '#' of the volume are the TEI pointers the editorial principles quote
    everything = pdftotext(pdfs.out / "edition.pdf")
    assert re.findall(r"#\w+", everything) == ["#archive", "#edition"] or set(
        re.findall(r"#\w+", everything)
    ) <= {"#archive", "#edition"}
    assert "\ufffd" not in everything


def test_rebuilding_gives_identical_files(pdfs: Built, edition: Edition, tmp_path: Path) -> None:
    from cablegram.pdf.render import PdfRenderer
    from cablegram.pdf.transform import PrintTransform

    document = REPO / "tei" / "wc-110374.xml"
    transform = PrintTransform(edition, [document], build_date=BUILD_DATE)
    html, _ = transform.document_html(transform.documents[0])
    first = PdfRenderer(build_date=BUILD_DATE).render(html, output="x.pdf").pdf
    assert first is not None and first == PdfRenderer(build_date=BUILD_DATE).render(html, output="x.pdf").pdf


def test_a_character_no_font_covers_is_an_error_naming_document_and_character(
    edition: Edition, tmp_path: Path
) -> None:
    from cablegram.pdf import build_pdfs

    fixture = FIXTURES / "wc-900404.xml"
    diagnostics = build_pdfs(edition, [fixture], tmp_path, build_date=BUILD_DATE)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    assert len(errors) == 1, [d.format() for d in diagnostics]
    found = errors[0]
    assert found.rule == "pdf-notdef"
    assert found.path == str(fixture)
    line = next(n for n, text in enumerate(fixture.read_text("utf-8").splitlines(), 1) if "\ue123" in text)
    assert found.line == line and found.column > 1
    assert '"\ue123" (U+E123)' in found.message and "wc-900404.pdf" in found.message
    assert list(tmp_path.glob("*.pdf")) == []  # no PDF with a hole in it, and no volume


def test_nothing_is_fetched_from_outside_the_print_directory() -> None:
    from weasyprint.urls import FatalURLFetchingError

    from cablegram.pdf.render import PdfRenderer, _local_fetcher, css_path, print_dir

    fetcher = _local_fetcher(print_dir())
    assert fetcher.fetch(css_path().as_uri()).read().startswith(b"/*")
    for url in ("https://example.org/font.woff2", "file:///etc/passwd", (REPO / "pyproject.toml").as_uri()):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
    html = '<html><body><p>x<img src="https://example.org/tracker.png"/></p></body></html>'
    rendered = PdfRenderer().render(html, output="probe.pdf")
    assert rendered.pdf is None
    assert [d.rule for d in rendered.diagnostics] == ["pdf-fetch"]
    assert "https://example.org/tracker.png" in rendered.diagnostics[0].message


def test_the_accessible_variant_is_tagged(edition: Edition) -> None:
    import io

    from cablegram.pdf.render import PdfRenderer
    from cablegram.pdf.transform import PrintTransform

    transform = PrintTransform(edition, [REPO / "tei" / "wc-110374.xml"], build_date=BUILD_DATE)
    html, _ = transform.document_html(transform.documents[0])
    rendered = PdfRenderer(variant="pdf/ua-1", build_date=BUILD_DATE).render(html, output="ua.pdf")
    assert rendered.pdf is not None and rendered.diagnostics == []
    root = pypdf.PdfReader(io.BytesIO(rendered.pdf)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) and root["/Lang"] == "en"
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode("utf-8")


def test_the_volume_is_laid_out_once_when_the_documents_predict_its_pages(edition: Edition) -> None:
    from cablegram.pdf.render import PdfRenderer, Rendered
    from cablegram.pdf.transform import PrintTransform
    from cablegram.pdf.volume import DocumentLayout, render_volume

    transform = PrintTransform(edition, edition.documents(), build_date=BUILD_DATE)
    chunk = transform.date_order(transform.documents)
    renderer = PdfRenderer(build_date=BUILD_DATE)
    layouts = [
        DocumentLayout.of(s.doc_id, renderer.render(transform.document_html(s)[0], output=s.doc_id).anchors)
        for s in chunk
    ]
    assert all(layout is not None and layout.anchors for layout in layouts)
    full_layouts: list[int] = []

    class Counting(PdfRenderer):
        def render(self, html: str, **options: object) -> Rendered:  # type: ignore[override]
            rendered = super().render(html, **options)  # type: ignore[arg-type]
            if rendered.pages > 10:  # the front matter alone has fewer
                full_layouts.append(rendered.pages)
            return rendered

    counting = Counting(build_date=BUILD_DATE)
    target = edition.root / "edition.pdf"
    unpredicted, _ = render_volume(transform, counting, chunk, target, "", [])
    assert len(full_layouts) == 2  # without a prediction: one layout to find the pages, one to print
    full_layouts.clear()
    predicted, found = render_volume(transform, counting, chunk, target, "", [], layouts)
    assert len(full_layouts) == 1 and not [d for d in found if d.severity is Severity.ERROR]
    assert predicted is not None and predicted == unpredicted
    # a wrong prediction (the first document one page longer) is found out and corrected by a second layout
    first = layouts[0]
    assert first is not None
    wrong = [DocumentLayout(first.pages + 1, first.anchors), *layouts[1:]]
    full_layouts.clear()
    corrected, _ = render_volume(transform, counting, chunk, target, "", [], wrong)
    assert len(full_layouts) == 2 and corrected == unpredicted
