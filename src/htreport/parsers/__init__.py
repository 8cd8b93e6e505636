"""One parser per kind of section; each exposes `parse(...)` over a Document's lines."""
