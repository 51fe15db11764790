"""Helpers shared by the tests and the benchmarks: sites built by the real CLI, browsers, servers, photos."""
