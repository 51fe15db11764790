"""Bring an old portal's archive over: NukeViet 4's news module or a saved HTML copy.

``python -m portal import nukeviet …`` / ``python -m portal import mirror …``
(see docs/import.md). Sources yield :class:`~portal.importer.model.OldArticle`;
:mod:`~portal.importer.writer` turns them into editor-format Markdown files,
photos, the view-count and redirect data files, idempotently.
"""
