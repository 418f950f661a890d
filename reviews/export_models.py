"""Shim: migration 0005 names `reviews.export_models.export_path`. The model lives in reviews/models/exports.py."""

from .models.exports import export_path

__all__ = ["export_path"]
