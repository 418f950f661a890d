"""Shim: tasks queued before the move are stored as `reviews.export_tasks.build_annex_export`."""

from .tasks import build_annex_export

__all__ = ["build_annex_export"]
