"""The ODD rendered into the HTML encoding manual (xslt/odd/manual.xsl with saxonche; imported lazily)."""

from __future__ import annotations

from pathlib import Path

from cablegram.diagnostics import CablegramError, error
from cablegram.fsutil import atomic_write
from cablegram.resources import schema_dir, xslt_dir


def render(out_path: Path) -> None:
    from saxonche import PySaxonApiError, PySaxonProcessor  # heavy: only when the manual is built

    stylesheet = xslt_dir() / "odd" / "manual.xsl"
    odd = schema_dir() / "cablegram.odd"
    with PySaxonProcessor(license=False) as processor:
        xslt = processor.new_xslt30_processor()
        try:
            executable = xslt.compile_stylesheet(stylesheet_file=str(stylesheet))
            executable.set_parameter(
                "tei-all", processor.make_string_value((schema_dir() / "tei_all.rng").as_uri())
            )
            html = executable.transform_to_string(source_file=str(odd))
        except PySaxonApiError as exc:
            raise CablegramError(error(str(stylesheet), 1, 1, f"manual: {exc}", "xslt")) from None
    if html is None:
        raise CablegramError(
            error(str(stylesheet), 1, 1, "manual: the transformation produced nothing", "xslt")
        )
    atomic_write(out_path, html if html.startswith("<!DOCTYPE") else "<!DOCTYPE html>\n" + html)
