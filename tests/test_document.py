"""The intermediate form: rows of cells with provenance and spans, laid out by `grid()`."""

from __future__ import annotations

from htreport.document import Cell, grid, row


def texts(rows):
    return [[(position.text, position.filled) for position in laid] for laid in grid(rows)]


def test_rowspan_fills_the_rows_below_and_moves_their_cells_right():
    first = row([Cell("3.11", 1, rowspan=3), Cell("a", 1), Cell("CBSA", 1, rowspan=3)], 1)
    assert texts([first, row(["b"], 2), row(["c"], 3)]) == [
        [("3.11", False), ("a", False), ("CBSA", False)],
        [("3.11", True), ("b", False), ("CBSA", True)],
        [("3.11", True), ("c", False), ("CBSA", True)],
    ]


def test_colspan_repeats_the_cell_across_its_columns():
    assert texts([row([Cell("PREVENTION", 1, colspan=3)], 1), row(["x", "y", "z"], 2)]) == [
        [("PREVENTION", False), ("PREVENTION", True), ("PREVENTION", True)],
        [("x", False), ("y", False), ("z", False)],
    ]


def test_short_rows_are_padded_and_spans_stop_at_the_last_row():
    laid = texts([row([Cell("t", 1, rowspan=5), Cell("a", 1), Cell("b", 1)], 1), row(["c"], 2)])
    assert laid == [
        [("t", False), ("a", False), ("b", False)],
        [("t", True), ("c", False), ("", False)],
    ]


def test_a_row_keeps_its_cells_provenance_and_joined_text():
    line = row(["Task", "Lead"], 7, page=3, table=0)
    assert line.text == "Task\tLead" and line.texts == ("Task", "Lead")
    assert [(c.lineno, c.page) for c in line.cells] == [(7, 3), (7, 3)]
