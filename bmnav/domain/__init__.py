"""The domain model and its analyses: networks, positions, comparison, diff, maturity, cards."""
