"""Fixtures for returns: the 2026-27 year, Birmingham's projects and a draft return to work on."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from returns.models import FinancialYear, Indicator, Project, ReturnSection, SectionStatus
from returns.services import return_start

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4a40000000049454e44ae426082"
)
JPEG_BYTES = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + b"\x08" * 64 + b"\xff\xd9"


def office_bytes(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(f"{folder}/document.xml", "<doc/>")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def year(db):
    year, _ = FinancialYear.get_or_create_for_start(2026)
    year.ensure_periods()
    return year


@pytest.fixture
def q1(year):
    return year.periods.get(quarter=1)


@pytest.fixture
def q2(year):
    return year.periods.get(quarter=2)


def make_project(borough, name, *, indicators=(("Referrals engaged", Indicator.Unit.COUNT, 100, 140),), **extra):
    project = Project.objects.create(
        borough=borough, name=name, delivery_partner="St Giles Trust", csf_allocation=Decimal("40000"), **extra
    )
    for ind_name, unit, minimum, aspiration in indicators:
        Indicator.objects.create(
            project=project, name=ind_name, unit=unit, minimum_target=minimum, aspirational_target=aspiration
        )
    return project


@pytest.fixture
def projects(birmingham):
    return [
        make_project(
            birmingham,
            "Youth violence prevention",
            indicators=[
                ("Referrals received", Indicator.Unit.COUNT, 120, 160),
                ("Engaged", Indicator.Unit.PERCENT, 60, 75),
            ],
        ),
        make_project(birmingham, "Business crime"),
    ]


@pytest.fixture
def draft(birmingham, alice, q2, projects):
    return return_start(borough=birmingham, period=q2, by=alice)


def complete_everything(return_):
    return_.sections.update(status=SectionStatus.COMPLETED)
    return_.project_updates.update(status=SectionStatus.COMPLETED)


@pytest.fixture
def submitted(draft, alice):
    from returns.services import return_submit

    complete_everything(draft)
    return return_submit(return_=draft, by=alice)


@pytest.fixture
def youth(draft):
    return draft.project_updates.select_related("project").get(project__name="Youth violence prevention")


def project_post(update, **values):
    """A complete, valid POST of a project task page (the Youth violence prevention fixtures), with `values` on top."""
    referrals, engaged = update.project.indicators.order_by("pk")
    data = {
        "activity": "Mentoring sessions in three schools",
        "outcomes": "82 of 131 referrals engaged",
        f"indicator_{referrals.pk}": "70",
        f"indicator_{engaged.pk}": "62.6",
        "spend": "10000",
        "expected_spend": "30000",
        "rag_override": "",
        "rag_reason": "",
        "completed": "yes",
        "version": str(update.version),
        "save": "",
    }
    data.update(values)
    return data


__all__ = [
    "JPEG_BYTES",
    "PDF_BYTES",
    "PNG_BYTES",
    "ReturnSection",
    "office_bytes",
    "project_post",
    "upload",
]
