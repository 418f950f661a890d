"""The reviews app's models, one module per feature: the quarterly review, the roll-up, the annex, exports."""

from boroughs.locking import EditConflict

from .annex import Annex, AnnexVersion
from .exports import AnnexExport, ExportStateError, YearDataExport, export_path
from .review import (
    REASON_MAX,
    REVIEW_TEXT_MAX,
    ColumnCommentary,
    Decision,
    Flag,
    FlagType,
    ProjectCommentary,
    ReviewEditConflict,
    ReviewNotAllowed,
    Visibility,
)
from .rollup import STANDARD_COLUMNS, AnnexColumn, BoroughRollUp, RollUpCell, RollUpRow

__all__ = [
    "REASON_MAX",
    "REVIEW_TEXT_MAX",
    "STANDARD_COLUMNS",
    "Annex",
    "AnnexColumn",
    "AnnexExport",
    "AnnexVersion",
    "BoroughRollUp",
    "ColumnCommentary",
    "Decision",
    "EditConflict",
    "ExportStateError",
    "Flag",
    "FlagType",
    "ProjectCommentary",
    "ReviewEditConflict",
    "ReviewNotAllowed",
    "RollUpCell",
    "RollUpRow",
    "Visibility",
    "YearDataExport",
    "export_path",
]
