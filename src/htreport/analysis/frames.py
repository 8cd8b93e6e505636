"""Query results as pandas DataFrames with the right dtypes: `htreport.to_pandas`.

pandas is an optional extra (`pip install "htreport[pandas]"`), imported only when a frame
is built, so the CLI and `import htreport` never pay for it.

    >>> import htreport
    >>> frame = htreport.to_pandas("deliverables", lead="CBSA")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from htreport.analysis.query import Filters, Record, run
from htreport.errors import UsageError
from htreport.model.records import RECORD_FIELDS
from htreport.model.vocabulary import Pillar, Section, Status

if TYPE_CHECKING:
    import pandas

PathsArgument = str | Path | Sequence[str | Path] | None

#: Record fields holding lists (kept as Python lists in an object column).
LIST_FIELDS = frozenset({"items", "leads", "qualifiers", "departments", "footnotes"})
#: Record fields with a closed vocabulary (categoricals, all values as categories).
CATEGORIES: dict[str, list[str]] = {
    "status": [member.value for member in Status],
    "pillar": [member.value for member in Pillar],
    "section": [member.value for member in Section],
}
BOOLEAN_FIELDS = frozenset({"new"})
INTEGER_FIELDS = frozenset({"line", "page"})
NUMBER_FIELDS = frozenset({"value"})


def _paths(paths: PathsArgument) -> list[Path] | None:
    if paths is None:
        return None
    if isinstance(paths, str | Path):
        return [Path(paths)]
    return [Path(path) for path in paths]


def query_records(
    kind: str = "deliverables",
    paths: PathsArgument = None,
    *,
    sort: str | None = None,
    use_cache: bool = True,
    **filters: Any,
) -> list[Record]:
    """The records of `kind` under `paths` (default data/structured/) passing `filters`.

    `filters` are those of `htreport query` (lead, status, pillar, task, year, start, new,
    grep, section, unit, min, max); a single value may be given for a list filter."""
    from htreport.store.corpus import load_corpus

    if kind not in RECORD_FIELDS:
        raise UsageError(f"unknown record kind {kind!r}; valid kinds: {', '.join(RECORD_FIELDS)}")
    options = {
        name: [value] if isinstance(value, str) and name not in ("grep",) else value
        for name, value in filters.items()
    }
    parsed = Filters.parse(**options)
    corpus = load_corpus(_paths(paths), use_cache=use_cache)
    return run(corpus.records(kind), kind, parsed, sort=sort)


def dtype(name: str) -> Any:
    """The pandas dtype of record field `name`."""
    import pandas as pd

    if name in CATEGORIES:
        return pd.CategoricalDtype(CATEGORIES[name])
    if name in LIST_FIELDS:
        return object
    if name in BOOLEAN_FIELDS:
        return "boolean"
    if name in INTEGER_FIELDS:
        return "Int64"
    if name in NUMBER_FIELDS:
        return "float64"
    return "string"  # ids such as task 1.11 stay text


def to_pandas(
    kind: str = "deliverables",
    paths: PathsArgument = None,
    *,
    sort: str | None = None,
    use_cache: bool = True,
    **filters: Any,
) -> pandas.DataFrame:
    """A DataFrame of the records `htreport query KIND` would give, one column per field.

    Ids (task `1.11`, deliverable `1.11.2`) are strings, `new` is boolean, status, pillar and
    section are categoricals with every allowed value as a category, leads and other lists
    are Python lists, line and page nullable integers."""
    try:
        import pandas as pd
    except ImportError:
        raise UsageError('to_pandas needs pandas: pip install "htreport[pandas]"') from None
    records = query_records(kind, paths, sort=sort, use_cache=use_cache, **filters)
    names = RECORD_FIELDS[kind]
    columns = {
        name: pd.Series([record.get(name) for record in records], dtype=dtype(name), name=name)
        for name in names
    }
    return pd.DataFrame(columns, columns=list(names))
