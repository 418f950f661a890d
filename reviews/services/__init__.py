"""Writes that touch several models, one module per feature. Keyword-only and atomic."""
