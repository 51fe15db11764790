"""The content core: reading, validating and indexing content, without Pelican, Jinja or Starlette."""
