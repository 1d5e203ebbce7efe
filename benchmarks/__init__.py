"""Benchmarks of menaka-kg: scripts that print figures (run them with `python -m benchmarks.NAME`)."""
