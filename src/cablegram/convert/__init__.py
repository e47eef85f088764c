"""Text → TEI: the converter's stages (read, page, layers, blocks, inline, header, builder)."""
