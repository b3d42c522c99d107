"""Reading, writing and caching files: YAML loading, git revisions, limits, the cache, the corpus."""
