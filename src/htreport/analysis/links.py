"""Links from each key achievement to the Annex A deliverables it most plausibly reports on.

Within one report, every (achievement, deliverable) pair gets a score in [0, 1]:

    score = 0.6 * tfidf + 0.2 * departments + 0.2 * terms

- `tfidf`: cosine similarity of scikit-learn TF-IDF vectors (English stop words, sublinear tf)
  of the achievement text and of the deliverable text with its sub-items and its task's text,
  fitted on the report's achievements and deliverables;
- `departments`: 1 when the achievement names a lead department of the deliverable, else 0;
- `terms`: rapidfuzz's token-set ratio of the two texts' key terms (words left once stop words
  and the words every row shares, such as "human trafficking", are removed).

An achievement links to its best-scoring deliverable when that score reaches `min_score`
(DEFAULT_MIN_SCORE); `candidates` keeps more. The weights and the threshold were chosen on the
hand-labelled 2014-2015 evaluation (docs/analysis.md), the only labelled data there is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from htreport.model.report import Report

DEFAULT_MIN_SCORE = 0.15
WEIGHTS = {"tfidf": 0.6, "departments": 0.2, "terms": 0.2}
_NON_WORD = re.compile(r"[\W_]+")
#: Words too common in these reports to say what a text is about.
_GENERIC = frozenset(
    "human trafficking traffic trafficked canada canadian government federal persons person "
    "victims victim".split()
)


@dataclass(frozen=True, slots=True)
class Link:
    """One achievement -> deliverable link, with the evidence behind its score."""

    report: str | None
    source: str
    achievement_line: int
    achievement_page: int | None
    achievement: str
    deliverable: str
    deliverable_line: int
    deliverable_page: int | None
    deliverable_text: str
    score: float
    tfidf: float
    terms: float
    shared_departments: tuple[str, ...]
    shared_terms: tuple[str, ...]

    def to_data(self) -> dict[str, Any]:
        return {
            "report": self.report,
            "source": self.source,
            "achievement_line": self.achievement_line,
            "achievement_page": self.achievement_page,
            "achievement": self.achievement,
            "deliverable": self.deliverable,
            "deliverable_line": self.deliverable_line,
            "deliverable_page": self.deliverable_page,
            "deliverable_text": self.deliverable_text,
            "score": self.score,
            "tfidf": self.tfidf,
            "terms": self.terms,
            "shared_departments": list(self.shared_departments),
            "shared_terms": list(self.shared_terms),
        }


#: Columns of a link record (and of the exported links table), in order.
LINK_FIELDS = tuple(Link.__dataclass_fields__)


@cache
def _stop_words() -> frozenset[str]:
    """English stop words and the words too common in these reports (`_GENERIC`)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | _GENERIC


def key_terms(text: str, stop: frozenset[str]) -> list[str]:
    """The words of `text` that say what it is about (not in `stop`), in order, lower-cased."""
    words = _NON_WORD.sub(" ", text.casefold()).split()
    return [w for w in words if len(w) > 2 and not w.isdigit() and w not in stop]


def _tfidf_cosines(achievement_texts: list[str], deliverable_texts: list[str]) -> Any:
    """Cosine similarities of the achievements' and deliverables' TF-IDF vectors, fitted on
    both (an achievement per row). All zero when no text has a word that is not a stop word.

    The vocabulary is made here, sorted as scikit-learn sorts it, and handed to the
    vectorizer: learning it, scikit-learn builds a `defaultdict` whose default factory is its
    own `__len__`, a reference cycle holding every word of the report, which in bulk work
    (where the cyclic collector runs rarely) piled up report after report."""
    import numpy
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    options: dict[str, Any] = {"stop_words": "english", "sublinear_tf": True}
    analyze = TfidfVectorizer(**options).build_analyzer()
    texts = deliverable_texts + achievement_texts
    vocabulary = sorted({term for text in texts for term in analyze(text)})
    if not vocabulary:
        return numpy.zeros((len(achievement_texts), len(deliverable_texts)))
    vectorizer = TfidfVectorizer(**options, vocabulary=vocabulary).fit(texts)
    return cosine_similarity(
        vectorizer.transform(achievement_texts), vectorizer.transform(deliverable_texts)
    )


def candidates(report: Report) -> list[Link]:
    """Every scored (achievement, deliverable) pair of `report`, best first per achievement."""
    scorer = _Scorer.of(report)
    if scorer is None:
        return []
    return [
        scorer.link(a_index, pair)
        for a_index in range(len(report.achievements))
        for pair in scorer.ranked(a_index)
    ]


def find_links(
    reports: Sequence[Report], min_score: float = DEFAULT_MIN_SCORE, per_achievement: int = 1
) -> list[Link]:
    """The links of every report: each achievement's best `per_achievement` deliverables
    scoring at least `min_score`, in report order (`candidates`, of which only the links
    kept are built)."""
    found = []
    for report in reports:
        scorer = _Scorer.of(report)
        if scorer is None:
            continue
        taken: dict[int, int] = {}
        for a_index, achievement in enumerate(report.achievements):
            line = achievement.provenance.line
            for pair in scorer.ranked(a_index):
                count = taken.get(line, 0)
                if pair[0] >= min_score and count < per_achievement:
                    found.append(scorer.link(a_index, pair))
                    taken[line] = count + 1
    return found


#: A scored pair: (score, deliverable line, deliverable index, tfidf, terms), rounded as the
#: Link says them.
_Pair = tuple[float, int, int, float, float]


class _Scorer:
    """One report's texts, key terms and TF-IDF cosines, made once and scored per pair."""

    def __init__(self, report: Report, rows: list[Any]) -> None:
        self.report = report
        self.rows = rows
        stop = _stop_words()
        deliverable_texts = [
            " ".join([d.text, *(s.text for s in d.items), task.text])
            for _p, _o, task, d in self.rows
        ]
        achievement_texts = [a.text for a in report.achievements]
        self.cosines = _tfidf_cosines(achievement_texts, deliverable_texts)
        self.deliverable_terms = [key_terms(text, stop) for text in deliverable_texts]
        self.deliverable_texts = [" ".join(terms) for terms in self.deliverable_terms]
        self.deliverable_words = [set(terms) for terms in self.deliverable_terms]
        self.deliverable_leads = [{lead.department for lead in d.leads} for *_, d in self.rows]
        self.achievement_terms = [key_terms(text, stop) for text in achievement_texts]

    @classmethod
    def of(cls, report: Report) -> _Scorer | None:
        """The scorer of `report`, or None when it has no deliverables or no achievements."""
        rows = report.deliverables() if report.achievements else []
        return cls(report, rows) if rows else None

    def ranked(self, a_index: int) -> list[_Pair]:
        """Every deliverable scored against one achievement, best first (then by line)."""
        from rapidfuzz import fuzz

        achievement = self.report.achievements[a_index]
        a_text = " ".join(self.achievement_terms[a_index])
        pairs = []
        for d_index, (_p, _o, _t, deliverable) in enumerate(self.rows):
            leads = self.deliverable_leads[d_index]
            shares_a_department = any(code in leads for code in achievement.departments)
            terms = fuzz.token_set_ratio(a_text, self.deliverable_texts[d_index])
            tfidf = float(self.cosines[a_index, d_index])
            score = (
                WEIGHTS["tfidf"] * tfidf
                + WEIGHTS["departments"] * (1.0 if shares_a_department else 0.0)
                + WEIGHTS["terms"] * terms / 100
            )
            line = deliverable.provenance.line
            pairs.append((round(score, 3), line, d_index, round(tfidf, 3), round(terms / 100, 3)))
        pairs.sort(key=lambda pair: (-pair[0], pair[1]))
        return pairs

    def link(self, a_index: int, pair: _Pair) -> Link:
        score, _line, d_index, tfidf, terms = pair
        report, achievement = self.report, self.report.achievements[a_index]
        deliverable = self.rows[d_index][3]
        leads = self.deliverable_leads[d_index]
        words = self.deliverable_words[d_index]
        return Link(
            report=report.metadata.fiscal_year,
            source=report.source.file,
            achievement_line=achievement.provenance.line,
            achievement_page=achievement.provenance.page,
            achievement=achievement.text,
            deliverable=deliverable.id,
            deliverable_line=deliverable.provenance.line,
            deliverable_page=deliverable.provenance.page,
            deliverable_text=deliverable.text,
            score=score,
            tfidf=tfidf,
            terms=terms,
            shared_departments=tuple(code for code in achievement.departments if code in leads),
            shared_terms=tuple(
                dict.fromkeys(t for t in self.achievement_terms[a_index] if t in words)
            ),
        )


def unreported(reports: Sequence[Report], links: Sequence[Link]) -> set[tuple[str, str]]:
    """(source file, deliverable id) of the deliverables of reports with achievements that no
    link reaches. A report without achievements says nothing either way and is left out."""
    linked = {(link.source, link.deliverable) for link in links}
    return {
        (report.source.file, d.id)
        for report in reports
        if report.achievements
        for _p, _o, _t, d in report.deliverables()
        if (report.source.file, d.id) not in linked
    }


def unplanned(reports: Sequence[Report], links: Sequence[Link]) -> set[tuple[str, int]]:
    """(source file, line) of the achievements, in reports with an Annex A, that link to no
    deliverable."""
    linked = {(link.source, link.achievement_line) for link in links}
    return {
        (report.source.file, a.provenance.line)
        for report in reports
        if report.annex
        for a in report.achievements
        if (report.source.file, a.provenance.line) not in linked
    }


def evaluate(links: Sequence[Link], labels: dict[int, set[str]]) -> dict[str, float]:
    """Precision and recall of `links` against hand labels {achievement line: deliverable ids}."""
    predicted = {(link.achievement_line, link.deliverable) for link in links}
    truth = {(line, d) for line, ids in labels.items() for d in ids}
    hits = len(predicted & truth)
    return {
        "precision": hits / len(predicted) if predicted else 0.0,
        "recall": hits / len(truth) if truth else 0.0,
        "true_positives": hits,
        "predicted": len(predicted),
        "labelled": len(truth),
    }


def link_rows(reports: Sequence[Report]) -> list[dict[str, Any]]:
    """The rows of the exported links table, at the default threshold (lists as "; " text)."""
    from htreport.model.records import csv_value

    rows = []
    for link in find_links(reports):
        row = link.to_data()
        row["shared_departments"] = csv_value(row["shared_departments"])
        row["shared_terms"] = csv_value(row["shared_terms"])
        rows.append(row)
    return rows
