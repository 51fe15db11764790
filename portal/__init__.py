"""The portal: a content core without Pelican (``portal.core``), Pelican adapters
(``portal.adapters``, one per feature, listed in PLUGINS) and the command line
(``portal.cli``). See docs/architecture.md for which layer may import which."""
