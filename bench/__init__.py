"""Benchmarks of the assistant (run by hand or with `make bench`, never by the test suite)."""
