"""Questions asked of a corpus: query, diff, cross-year matching, history, summary."""
