"""The PDF reader: glyphs and ruling lines (pdfplumber) -> lines and tables of cells.

The only package that imports pdfplumber, pdfminer or pypdfium2."""

from htreport.readers.pdf.reader import read_pdf

__all__ = ["read_pdf"]
