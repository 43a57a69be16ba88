"""Benchmarks for Kompeten: `python bench/run.py` (see bench/README.md)."""
