"""Hostile XML (issue 7, item 1): every attack is refused by `xmlio.parse` or by `cablegram validate` with
one-line errors and exit status 1, quickly and in bounded memory, and nothing of /etc/passwd ever shows.

Each parse and each `cablegram validate` runs in a child process limited to 1 GiB of address space
(`RLIMIT_AS`) and killed after a generous timeout, so an attack that works fails the test instead of
hanging or exhausting the machine. The small attacks are files in `tests/fixtures/hostile/`, their first
comment saying what is expected; the 50 MB text node and the 10,000-deep nesting are generated into a
temporary directory.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from cablegram.edition import REGISTER_FILES
from tests.conftest import REPO

HOSTILE = REPO / "tests" / "fixtures" / "hostile"
PASSWD_MARKERS = ("root:x:0:0", "/bin/bash", "/usr/sbin/nologin", "daemon:")
DIAGNOSTIC = re.compile(r"^[^\n]+:\d+:\d+: (error|warning): \S.*$")
SUMMARY = re.compile(r"^\d+ files?, ")
TIMEOUT = 60  # seconds: generous; the attacks are refused in milliseconds
ONE_GIB = 1 << 30

_LIMIT = f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({ONE_GIB}, {ONE_GIB}))\n"
_PARSE = (
    _LIMIT
    + """
import sys
from pathlib import Path
from cablegram import xmlio
from cablegram.diagnostics import CablegramError
try:
    tree = xmlio.parse(Path(sys.argv[1]))
except CablegramError as exc:
    print(exc, file=sys.stderr)
    sys.exit(1)
sys.stdout.buffer.write(xmlio.serialize(tree)[-4000:])
"""
)
_CLI = _LIMIT + "import sys\nfrom cablegram.cli import main\nsys.exit(main(sys.argv[1:]))\n"


@dataclass
class Run:
    status: int
    out: str
    err: str


def _run(script: str, *args: str, cwd: Path, timeout: float = TIMEOUT) -> Run:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return Run(
        done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    )


def _assert_nothing_leaked(*texts: str) -> None:
    for text in texts:
        for marker in PASSWD_MARKERS:
            assert marker not in text


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An edition with the registers, to run `cablegram validate` in."""
    root = tmp_path_factory.mktemp("hostile") / "edition"
    for directory in ("sources", "tei"):
        (root / directory).mkdir(parents=True)
    shutil.copy(REPO / "edition.toml", root / "edition.toml")
    for name in REGISTER_FILES:
        shutil.copy(REPO / "tei" / name, root / "tei" / name)
    return root


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The attacks too big to commit: a 50 MB text node, 10,000 nested elements, a quadratic blowup."""
    directory = tmp_path_factory.mktemp("generated")
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">'
    files = {
        "huge-text-node.xml": head + b"<p>" + b"x" * (50 * 1024 * 1024) + b"</p></TEI>\n",
        "deep-nesting.xml": head + b"<p>" * 10_000 + b"</p>" * 10_000 + b"</TEI>\n",
        # one 50 kB entity referenced 50,000 times: 2.5 GB if expanded, from a 200 kB file
        "quadratic-blowup.xml": b'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY a "'
        + b"a" * 50_000
        + b'">]>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>'
        + b"&a;" * 50_000
        + b"</p></TEI>\n",
    }
    paths = {}
    for name, data in files.items():
        (directory / name).write_bytes(data)
        paths[name] = directory / name
    return paths


# (file, the rule `cablegram validate` reports for it)
REFUSED_BY_PARSER = [
    ("xxe-system-entity.xml", "no-dtd"),
    ("billion-laughs.xml", "no-dtd"),
    ("external-dtd.xml", "no-dtd"),
    ("parameter-entities.xml", "no-dtd"),
]
GENERATED = [
    ("huge-text-node.xml", "xml-syntax"),
    ("deep-nesting.xml", "xml-syntax"),
    ("quadratic-blowup.xml", "no-dtd"),
]


def _path(name: str, generated: dict[str, Path]) -> Path:
    return generated[name] if name in generated else HOSTILE / name


@pytest.mark.parametrize(("name", "rule"), REFUSED_BY_PARSER + GENERATED)
def test_parser_refuses_with_one_line(
    name: str, rule: str, generated: dict[str, Path], tmp_path: Path
) -> None:
    path = _path(name, generated)
    run = _run(_PARSE, str(path), cwd=tmp_path)
    assert run.status == 1, run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and DIAGNOSTIC.match(lines[0]), run.err
    # libxml2 may stop on the DTD itself (an amplification limit, the external subset) before xmlio
    # refuses the DOCTYPE: either way one line naming the file
    assert lines[0].startswith(f"{path}:")
    assert f"error: [{rule}]" in lines[0] or "error: [xml-syntax]" in lines[0], lines[0]
    _assert_nothing_leaked(run.out, run.err)


@pytest.mark.parametrize(("name", "rule"), REFUSED_BY_PARSER + GENERATED)
def test_validate_refuses_with_exit_1(
    name: str, rule: str, generated: dict[str, Path], edition: Path, tmp_path: Path
) -> None:
    path = _path(name, generated)
    run = _run(_CLI, "validate", str(path), cwd=edition)
    assert run.status == 1, run.err
    assert "Traceback" not in run.err
    lines = run.err.strip().splitlines()
    errors = [line for line in lines if DIAGNOSTIC.match(line)]
    assert len(errors) == 1 and f"error: [{rule}]" in errors[0], run.err
    assert all(DIAGNOSTIC.match(line) or SUMMARY.match(line) for line in lines), run.err
    _assert_nothing_leaked(run.out, run.err)


def test_xinclude_is_never_processed(edition: Path, tmp_path: Path) -> None:
    """The parser keeps `xi:include` as an element (nothing is read); validation refuses the element."""
    path = HOSTILE / "xinclude-passwd.xml"
    parsed = _run(_PARSE, str(path), cwd=tmp_path)
    assert parsed.status == 0 and "<xi:include" in parsed.out
    _assert_nothing_leaked(parsed.out, parsed.err)
    run = _run(_CLI, "validate", str(path), cwd=edition)
    assert run.status == 1 and "Traceback" not in run.err
    assert re.search(r"xinclude-passwd\.xml:13:\d+: error: \[rng-unknown-element\] <include>", run.err), (
        run.err
    )
    assert all(DIAGNOSTIC.match(line) or SUMMARY.match(line) for line in run.err.strip().splitlines())
    _assert_nothing_leaked(run.out, run.err)


def test_doc_function_in_attributes_is_data_never_evaluated(edition: Path) -> None:
    """`doc('file:///etc/passwd')` in @ref and @target: reported as bad pointers, never resolved."""
    target = edition / "tei" / "wc-110374.xml"
    shutil.copy(HOSTILE / "doc-function-attribute.xml", target)
    try:
        run = _run(_CLI, "validate", "tei/wc-110374.xml", cwd=edition)
        assert run.status == 1 and "Traceback" not in run.err
        lines = run.err.strip().splitlines()
        assert all(DIAGNOSTIC.match(line) or SUMMARY.match(line) for line in lines), run.err
        assert re.search(r"^tei/wc-110374\.xml:32:\d+: error: \[pointer-dangling\]", run.err, re.MULTILINE)
        assert re.search(r"^tei/wc-110374\.xml:90:\d+: error: \[ref-dangling\]", run.err, re.MULTILINE)
        _assert_nothing_leaked(run.out, run.err)
        # the JSON report quotes the attribute values; still nothing of the file
        json_run = _run(_CLI, "validate", "--format", "json", "tei/wc-110374.xml", cwd=edition)
        assert json_run.status == 1 and "doc('file:///etc/passwd')" in json_run.out
        _assert_nothing_leaked(json_run.out, json_run.err)
    finally:
        target.unlink()


def test_parameter_entity_to_a_device_does_not_hang(tmp_path: Path) -> None:
    path = tmp_path / "zero.xml"
    path.write_bytes(b'<!DOCTYPE TEI [<!ENTITY % a SYSTEM "/dev/zero"> %a;]>\n<TEI/>\n')
    run = _run(_PARSE, str(path), cwd=tmp_path, timeout=5)
    assert run.status == 1 and "[no-dtd]" in run.err


def test_parser_never_opens_files_named_in_a_doctype(tmp_path: Path) -> None:
    """A named pipe blocks whoever opens it for reading: if the parser opens it, the child times out."""
    fifo = tmp_path / "pipe.dtd"
    os.mkfifo(fifo)
    path = tmp_path / "fifo.xml"
    path.write_bytes(f'<!DOCTYPE TEI [<!ENTITY % a SYSTEM "{fifo}"> %a;]>\n<TEI/>\n'.encode())
    run = _run(_PARSE, str(path), cwd=tmp_path, timeout=5)
    assert run.status == 1 and "[no-dtd]" in run.err


def test_the_fixtures_say_what_they_expect() -> None:
    """STYLE.md §7: each case file states its expectation in its first comment."""
    for path in sorted(HOSTILE.glob("*.xml")):
        second = path.read_text(encoding="utf-8").splitlines()[1]
        assert second.startswith("<!-- refused"), path.name
