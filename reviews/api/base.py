"""What every API resource shares: token-only access, scoping, pagination and validated filters."""

from django.contrib.auth.decorators import login_not_required
from django.core.validators import slug_re as SLUG
from rest_framework import serializers, viewsets
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import PageNumberPagination

from boroughs.models import Borough
from returns.models import FinancialYear

from ..access import YEAR_LABEL


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class YearFilter(serializers.CharField):
    """?year=2025-26: a financial year that exists (the page's 404 becomes a 400 with a message here)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data):
        label = super().to_internal_value(data)
        if not YEAR_LABEL.fullmatch(label):
            # The value is not repeated back: it may hold anything, control characters included.
            raise serializers.ValidationError("Give a financial year like 2025-26.")
        year = FinancialYear.objects.filter(label=label).first()
        if year is None:
            raise serializers.ValidationError(f"There is no financial year {label}.")
        return year


class BoroughFilter(serializers.SlugField):
    """?borough=<slug>: one of the token's boroughs. Another's reads as unknown, so nothing says it exists."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data):
        slug = super().to_internal_value(data)
        if not SLUG.fullmatch(slug):
            raise serializers.ValidationError("Give a borough's slug, like birmingham.")
        borough = Borough.objects.for_user(self.context["request"].user).filter(slug=slug).first()
        if borough is None:
            raise serializers.ValidationError(f"There is no borough “{slug}” that you can see.")
        return borough


def status_filter(choices):
    values = ", ".join(value for value, _ in choices)
    return serializers.ChoiceField(
        choices=choices,
        required=False,
        error_messages={"invalid_choice": f"Give a status, one of {values}."},
    )


class QueryFilters(BaseFilterBackend):
    """Filters a list by its view's `filters`: {parameter: (serializer field, the queryset lookup)}.

    Every value is validated before the query runs: a bad one is a 400 naming the parameter, never a 500 and
    never a silently ignored filter. Blank values mean "not chosen", as on the pages.
    """

    def filter_queryset(self, request, queryset, view):
        filters = getattr(view, "filters", {})
        if getattr(view, "action", None) != "list" or not filters:
            return queryset
        params = self._serializer(filters, request)
        params.is_valid(raise_exception=True)
        for name, value in params.validated_data.items():
            queryset = view.filter_by(queryset, name, value)
        return queryset

    @staticmethod
    def _serializer(filters, request):
        # The serializer copies its fields per instance, so the views' field objects are never changed.
        fields = {name: field for name, (field, _lookup) in filters.items()}
        form = type("Filters", (serializers.Serializer,), fields)
        return form(data=request.query_params, context={"request": request})

    def get_schema_operation_parameters(self, view):
        described = {
            "year": ("A financial year, like 2025-26.", {"type": "string", "pattern": YEAR_LABEL.pattern}),
            "borough": ("A borough's slug, like birmingham: one of the token's boroughs.", {"type": "string"}),
        }
        parameters = []
        for name, (field, _lookup) in getattr(view, "filters", {}).items():
            description, schema = described.get(name, ("", {"type": "string"}))
            if isinstance(field, serializers.ChoiceField):
                description, schema = "One of the listed statuses.", {"type": "string", "enum": list(field.choices)}
            parameters.append(
                {"name": name, "required": False, "in": "query", "description": description, "schema": schema}
            )
        return parameters


class ReadOnlyResource(viewsets.ReadOnlyModelViewSet):
    """A list and a detail, scoped by `scoped(user)`; an object outside the token's scope is a 404."""

    pagination_class = Pagination
    filter_backends = [QueryFilters]
    filters = {}  # ?name= -> (a serializer field, not required, that validates it; the queryset lookup)
    lookup_value_regex = r"\d+"

    @classmethod
    def as_view(cls, *args, **kwargs):
        # Tokens, not the session, authenticate here: the sign-in redirect would hide DRF's 401.
        return login_not_required(super().as_view(*args, **kwargs))

    def scoped(self, user):
        raise NotImplementedError

    def get_queryset(self):
        return self.scoped(self.request.user)

    def filter_by(self, queryset, name, value):
        _field, lookup = self.filters[name]
        return queryset.filter(**{lookup: value})
