"""Reads that build pages, one module per feature. Each starts from a `for_user(user)` queryset."""
