"""cablegram: a TEI-XML scholarly edition builder for archival telegrams."""

__version__ = "0.1.0"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
