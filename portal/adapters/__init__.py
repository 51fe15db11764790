"""Pelican adapters, one module per feature; each is listed in PLUGINS by its dotted name."""
