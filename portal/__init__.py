"""Command-line tools around Pelican for editors and CI: build, check, new."""
