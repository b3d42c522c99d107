"""Checking case files: JSON Schema, the rules, problems and the validate pipeline."""
