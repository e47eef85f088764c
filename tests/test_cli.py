"""The command line: exit statuses, one-line diagnostics, the hand-edit guard, --check, --keep-going, init."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cablegram.cli import main
from tests.conftest import REPO

DIAGNOSTIC = r"^[^:\n]+:\d+:\d+: (error|warning): "


@pytest.fixture
def edition_dir(tmp_path: Path) -> Path:
    """A fresh copy of the bundled edition's sources, registers and configuration."""
    root = tmp_path / "edition"
    assert main(["init", str(root), "--title", "Test edition", "-q"]) == 0
    for source in sorted((REPO / "sources").glob("*.txt"))[:3]:
        shutil.copy(source, root / "sources" / source.name)
    for register in ("persons.xml", "places.xml", "organisations.xml", "corrections.xml"):
        shutil.copy(REPO / "tei" / register, root / "tei" / register)
    return root


def test_help_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["--help"],
        ["convert", "--help"],
        ["validate", "--help"],
        ["build", "--help"],
        ["init", "--help"],
    ):
        assert main(argv) == 0
        assert "usage:" in capsys.readouterr().out


def test_usage_error_is_one_line_and_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", "--no-such-option"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["-C", "/no/such/dir", "convert"]) == 2


def test_convert_is_deterministic_and_idempotent(
    edition_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(edition_dir), "convert"]) == 0
    written = {p.name: p.read_bytes() for p in (edition_dir / "tei").glob("wc-*.xml")}
    assert len(written) == 3
    assert main(["-C", str(edition_dir), "convert"]) == 0
    assert "0 written, 3 up to date" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in (edition_dir / "tei").glob("wc-*.xml")} == written
    assert main(["-C", str(edition_dir), "convert", "--check"]) == 0


def test_hand_edits_are_never_overwritten_silently(
    edition_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(edition_dir), "convert"]) == 0
    target = next((edition_dir / "tei").glob("wc-*.xml"))
    edited = target.read_text(encoding="utf-8").replace(
        "</teiHeader>", "<!-- checked by hand --></teiHeader>"
    )
    target.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert main(["-C", str(edition_dir), "convert"]) == 0
    err = capsys.readouterr().err
    assert f"tei/{target.name}:1:1: warning: [hand-edited]" in err
    assert target.read_text(encoding="utf-8") == edited
    assert main(["-C", str(edition_dir), "convert", "--force"]) == 0
    assert "checked by hand" not in target.read_text(encoding="utf-8")


def test_check_reports_out_of_date(edition_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(edition_dir), "convert"]) == 0
    source = next((edition_dir / "sources").glob("*.txt"))
    source.write_text(
        source.read_text(encoding="utf-8") + "\nOne more line of the translation.\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["-C", str(edition_dir), "convert", "--check"]) == 1
    assert "[out-of-date]" in capsys.readouterr().err
    # --check writes nothing; a plain run brings tei/ up to date (the file was not edited by hand).
    assert main(["-C", str(edition_dir), "convert"]) == 0
    assert main(["-C", str(edition_dir), "convert", "--check"]) == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        ("Телеграмма".encode("cp1251"), "UTF-8"),
        ("Telegram".encode("utf-16"), "UTF-8"),
        (b"\x00\x01\x02binary", ""),
    ],
    ids=["empty", "cp1251", "utf16", "binary"],
)
def test_bad_source_is_one_line_error_with_location(
    edition_dir: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    bad = edition_dir / "sources" / "aaa-bad.txt"
    bad.write_bytes(content)
    capsys.readouterr()
    assert main(["-C", str(edition_dir), "convert"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    line = next(line for line in err.splitlines() if "aaa-bad.txt" in line)
    assert line.startswith("sources/aaa-bad.txt:") and ": error: " in line and expected in line
    # Without --keep-going the run stops at the bad file (sorted first); with it the others still convert.
    assert not list((edition_dir / "tei").glob("wc-*.xml"))
    assert main(["-C", str(edition_dir), "convert", "--keep-going"]) == 1
    assert len(list((edition_dir / "tei").glob("wc-*.xml"))) == 3


def test_validate_reports_and_exits_1(edition_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(edition_dir), "convert"]) == 0
    assert main(["-C", str(edition_dir), "validate"]) == 0
    target = next((edition_dir / "tei").glob("wc-*.xml"))
    target.write_text(target.read_text(encoding="utf-8").replace('reason="identification"', 'reason="guess"'))
    capsys.readouterr()
    assert main(["-C", str(edition_dir), "validate"]) == 1
    err = capsys.readouterr().err
    assert f"tei/{target.name}:" in err and "guess" in err


def test_init_refuses_a_non_empty_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "file").write_text("x")
    assert main(["init", str(tmp_path / "x")]) == 1
    assert "not empty" in capsys.readouterr().err


def test_strict_turns_warnings_into_failure(edition_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(edition_dir), "convert"]) == 0
    target = next((edition_dir / "tei").glob("wc-*.xml"))
    target.write_text(target.read_text(encoding="utf-8").replace("</teiHeader>", "<!-- x --></teiHeader>"))
    assert main(["-C", str(edition_dir), "convert"]) == 0  # a hand edit is a warning
    assert main(["-C", str(edition_dir), "convert", "--strict"]) == 1
    assert "--strict" in capsys.readouterr().err


def test_config_refuses_unsafe_urls_naming_every_bad_key(
    edition_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (edition_dir / "edition.toml").write_text(
        '[edition]\nbase_url = "javascript:alert(1)"\nlicence_url = "data:text/html,x"\ncolour = "red"\n',
        encoding="utf-8",
    )
    assert main(["-C", str(edition_dir), "convert"]) == 1
    err = capsys.readouterr().err
    assert "'base_url' must be an http(s) URL" in err and "'licence_url'" in err and "'colour'" in err


def test_validate_jobs_2_finds_what_jobs_1_finds(
    edition_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(edition_dir), "convert", "--jobs", "2"]) == 0
    first, second = sorted((edition_dir / "tei").glob("wc-*.xml"))[:2]
    # a bad value in one file, and in another an id the first one has too (a cross-file rule)
    first.write_text(first.read_text(encoding="utf-8").replace('reason="identification"', 'reason="guess"'))
    text = second.read_text(encoding="utf-8")
    second.write_text(text.replace("<body>", f'<body xml:id="{first.stem}-dup">', 1), encoding="utf-8")
    first.write_text(
        first.read_text(encoding="utf-8").replace("<body>", f'<body xml:id="{first.stem}-dup">', 1),
        encoding="utf-8",
    )
    reports = {}
    for jobs in ("1", "2"):
        capsys.readouterr()
        assert main(["-C", str(edition_dir), "validate", "--format", "json", "--jobs", jobs]) == 1
        reports[jobs] = capsys.readouterr().out
    assert reports["1"] == reports["2"]
    assert "guess" in reports["2"] and reports["2"].count("id-duplicate-corpus") == 2
    # one file asked for: the other files are still the corpus its cross-file rules see
    capsys.readouterr()
    assert main(["-C", str(edition_dir), "validate", "--jobs", "2", str(second)]) == 1
    err = capsys.readouterr().err
    assert f"tei/{second.name}:" in err and "[id-duplicate-corpus]" in err and first.name in err
    assert "guess" not in err


def test_html_jobs_2_gives_the_bytes_of_jobs_1(edition_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # the pages' date: the same for both runs
    assert main(["-C", str(edition_dir), "convert", "-q"]) == 0
    sites = {}
    for jobs in ("1", "2"):
        out = edition_dir / f"html-{jobs}"
        assert main(["-C", str(edition_dir), "html", "-q", "--jobs", jobs, "-o", str(out)]) == 0
        sites[jobs] = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert len([name for name in sites["2"] if name.startswith("wc-")]) == 3
    assert sites["1"].keys() == sites["2"].keys()
    assert [name for name in sites["1"] if sites["1"][name] != sites["2"][name]] == []


def test_pdf_jobs_2_gives_the_bytes_of_jobs_1(edition_dir: Path) -> None:
    for source in sorted((edition_dir / "sources").glob("*.txt"))[2:]:
        source.unlink()  # two documents are enough: PDFs are slow
    assert main(["-C", str(edition_dir), "convert", "-q"]) == 0
    made = {}
    for jobs in ("1", "2"):
        out = edition_dir / f"pdf-{jobs}"
        assert main(["-C", str(edition_dir), "pdf", "-q", "--jobs", jobs, "-o", str(out)]) == 0
        made[jobs] = {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}
    assert len(made["2"]) == 3 and "edition.pdf" in made["2"]
    assert all(data.startswith(b"%PDF-") for data in made["2"].values())
    assert made["1"] == made["2"]


@pytest.mark.parametrize("command", ["convert", "validate", "html", "pdf", "build"])
@pytest.mark.parametrize("value", ["0", "-2", "two"])
def test_jobs_must_be_a_positive_number(
    edition_dir: Path, capsys: pytest.CaptureFixture[str], command: str, value: str
) -> None:
    assert main(["-C", str(edition_dir), command, "--jobs", value]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    expected = "at least 1" if value != "two" else "is not a whole number"
    assert line.startswith(f"cablegram {command}: argument -j/--jobs: '{value}'") and expected in line


@pytest.mark.parametrize("value", ["0", "-5"])
def test_pdf_refuses_a_volume_size_below_1_as_build_does(
    edition_dir: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    errors = {}
    for command in ("pdf", "build"):
        assert main(["-C", str(edition_dir), command, f"--volume-size={value}"]) == 2
        errors[command] = capsys.readouterr().err
        assert not (edition_dir / "build").exists()  # refused before anything is done
    assert errors["pdf"] == errors["build"].replace("cablegram build:", "cablegram pdf:")
    assert f"argument --volume-size: '{value}': at least 1" in errors["pdf"]
