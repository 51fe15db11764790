"""Phòng biên tập: the web newsroom where editors write, illustrate, preview and publish.

A small Starlette app on top of the content core (``portal.core``: schema, one-file
check, people registry, photo pipeline) and, for the preview only, the Pelican
adapters. Articles stay Markdown files in git; accounts live in the data folder.
"""
