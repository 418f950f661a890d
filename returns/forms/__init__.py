"""Forms for returns and projects, one module per feature. They only validate: services do the saving."""

from .evidence import EvidenceForm
from .fields import CompletionMixin, ItemVersionMixin, ReturnFormMixin, TextField, date_field, number_field
from .logs import CommunityEngagementForm, OpccEngagementForm, RiskForm
from .periods import ExtensionForm, PeriodForm, PeriodReasonForm
from .projects import IndicatorForm, MatchFundingForm, ProjectForm
from .sections import AlignmentForm, ProjectUpdateForm, SectionCompleteForm, SubmitForm

__all__ = [
    "AlignmentForm",
    "CommunityEngagementForm",
    "CompletionMixin",
    "EvidenceForm",
    "ExtensionForm",
    "IndicatorForm",
    "ItemVersionMixin",
    "MatchFundingForm",
    "OpccEngagementForm",
    "PeriodForm",
    "PeriodReasonForm",
    "ProjectForm",
    "ProjectUpdateForm",
    "ReturnFormMixin",
    "RiskForm",
    "SectionCompleteForm",
    "SubmitForm",
    "TextField",
    "date_field",
    "number_field",
]
