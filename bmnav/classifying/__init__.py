"""Placing a company in the clusters: facts, fitted weights, calibration and free text."""
