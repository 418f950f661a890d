"""The 360Giving grants of a published year: one dict per grant (the JSON package's shape) and a flat CSV."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils.text import slugify

from returns.models import FinancialYear, Project, ProjectYear

from ..exports.csv import cell_text
from ..models import AnnexVersion

CURRENCY = "GBP"
# 360Giving's geoCodeType codelist, from the ONS code's entity prefix; anything else is a local authority district.
GEO_CODE_TYPES = {"E06": "UA", "E07": "NMD", "E08": "MD", "E09": "LONB", "W06": "UA"}


@dataclass(frozen=True)
class PublishedYear:
    year: FinancialYear
    version: AnnexVersion  # the newest published version; its snapshot is what the board saw


def published_years():
    """Every year with a published annex version, newest first: one query, snapshots left unloaded."""
    newest = AnnexVersion.objects.filter(annex=OuterRef("annex")).order_by("-number").values("pk")[:1]
    versions = (
        AnnexVersion.objects.filter(pk=Subquery(newest))
        .select_related("annex__financial_year")
        .defer("snapshot")
        .order_by("-annex__financial_year__start_date")
    )
    return [PublishedYear(year=v.annex.financial_year, version=v) for v in versions]


def published_year(label):
    """The PublishedYear of `label`, or None when that year has nothing published."""
    return next((p for p in published_years() if p.year.label == label), None)


def _identifier(*parts):
    return "-".join([settings.OPEN_DATA_ID_PREFIX, *(slugify(str(part)) for part in parts)])


def _published_rows(version):
    """(borough slug, project name) for each project row the board saw."""
    for borough in version.snapshot.get("boroughs", []):
        for row in borough.get("rows", []):
            if row.get("project") and not row.get("hidden"):
                yield borough["slug"], row["project"]


def grants(published):
    """The year's grants as 360Giving dicts, in the annex's order. Rows with no allocation recorded are left out:
    a grant without an amount is not a grant the data can state."""
    year, version = published.year, AnnexVersion.objects.get(pk=published.version.pk)
    rows = list(_published_rows(version))
    slugs = {slug for slug, _ in rows}
    projects = {
        (p.borough.slug, p.name.casefold()): p
        for p in Project.objects.filter(borough__slug__in=slugs)
        .select_related("borough")
        .prefetch_related("priorities")
    }
    funded = ProjectYear.objects.filter(project__in=[p.pk for p in projects.values()])
    allocations, funded_some_year = {}, set()
    for project_id, year_id, allocation in funded.values_list("project_id", "financial_year_id", "csf_allocation"):
        funded_some_year.add(project_id)
        if year_id == year.pk:
            allocations[project_id] = allocation
    modified = version.published_at.isoformat()
    out = []
    for slug, name in rows:
        project = projects.get((slug, name.casefold()))
        if project is None:
            continue
        # The year's allocation; a project added during a year has no ProjectYear yet, and its own is that year's.
        amount = allocations.get(project.pk)
        if amount is None and project.pk not in funded_some_year:
            amount = project.csf_allocation
        if amount:
            out.append(_grant(year, project, Decimal(amount), modified))
    return out


def _grant(year, project, amount, modified):
    borough = project.borough
    start = max(filter(None, [project.start_date, year.start_date]))
    end = min(filter(None, [project.end_date, year.end_date]))
    grant = {
        "id": _identifier(year.label, borough.slug, project.pk),
        "title": project.name,
        "description": project.description.strip()
        or f"Community Safety Fund grant to {borough.partnership_name} for {project.name} in {year.label}.",
        "currency": CURRENCY,
        "amountAwarded": float(amount) if amount != amount.to_integral() else int(amount),
        "awardDate": year.start_date.isoformat(),
        "plannedDates": [{"startDate": start.isoformat(), "endDate": end.isoformat()}],
        "recipientOrganization": [{"id": _identifier("csp", borough.slug), "name": borough.partnership_name}],
        "fundingOrganization": [{"id": settings.OPEN_DATA_FUNDER_ID, "name": settings.ORGANISATION_NAME}],
        "beneficiaryLocation": [{"name": borough.name}],
        "grantProgramme": [{"title": p.name} for p in project.priorities.all()]
        or [{"title": "Community Safety Fund"}],
        "dateModified": modified,
        "dataSource": "",
    }
    if borough.ons_code:
        geo_type = GEO_CODE_TYPES.get(borough.ons_code[:3], "LAD")
        grant["beneficiaryLocation"][0] |= {"geoCode": borough.ons_code, "geoCodeType": geo_type}
    return grant


def package(published, *, data_source=""):
    """The JSON package: {"grants": [...]}, with where it came from on each grant."""
    items = grants(published)
    for grant in items:
        grant["dataSource"] = data_source
    return {"grants": items}


# 360Giving's CSV column titles, flattened as its templates name them; several programmes join with "; ".
CSV_COLUMNS = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Award Date", lambda g: g["awardDate"]),
    ("Planned Dates:Start Date", lambda g: g["plannedDates"][0]["startDate"]),
    ("Planned Dates:End Date", lambda g: g["plannedDates"][0]["endDate"]),
    ("Recipient Org:Identifier", lambda g: g["recipientOrganization"][0]["id"]),
    ("Recipient Org:Name", lambda g: g["recipientOrganization"][0]["name"]),
    ("Funding Org:Identifier", lambda g: g["fundingOrganization"][0]["id"]),
    ("Funding Org:Name", lambda g: g["fundingOrganization"][0]["name"]),
    ("Beneficiary Location:Name", lambda g: g["beneficiaryLocation"][0]["name"]),
    ("Beneficiary Location:Geographic Code", lambda g: g["beneficiaryLocation"][0].get("geoCode", "")),
    ("Beneficiary Location:Geographic Code Type", lambda g: g["beneficiaryLocation"][0].get("geoCodeType", "")),
    ("Grant Programme:Title", lambda g: "; ".join(p["title"] for p in g["grantProgramme"])),
    ("Last Modified", lambda g: g["dateModified"]),
    ("Data Source", lambda g: g["dataSource"]),
]


def to_csv(data):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for title, _ in CSV_COLUMNS])
    for grant in data["grants"]:
        writer.writerow([cell_text(value(grant)) for _, value in CSV_COLUMNS])
    return buffer.getvalue()
