"""The quarter import's pages: download, upload (errors next to the field), preview, confirm; and who may use them."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from boroughs.roles import CSP_OFFICER
from returns.forms.imports import sign_versions
from returns.imports.models import SpreadsheetImport
from returns.models import IndicatorActual, ProjectUpdate
from returns.services import project_update_save, return_start
from tests.conftest import assert_redirects_to_login, make_user

from ..conftest import PDF_BYTES, make_project
from .conftest import fill, xlsx_upload
from .test_quarter_import import FIGURES, INDICATORS, REFERRALS, SPEND_FIGURES, YOUTH, actuals_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def urls(return_, import_pk=1):
    return {
        "upload": reverse("return_import", args=[return_.pk]),
        "template": reverse("return_import_template", args=[return_.pk]),
        "preview": reverse("return_import_preview", args=[return_.pk, import_pk]),
    }


@pytest.fixture
def officer(client, alice):
    client.force_login(alice)
    return client


def download(client, return_):
    response = client.get(urls(return_)["template"])
    assert response.status_code == 200
    return response.content


def upload(client, return_, content, name="figures.xlsx"):
    return client.post(urls(return_)["upload"], {"file": xlsx_upload(content, name)})


def upload_filled(client, return_, **kwargs):
    response = upload(client, return_, fill(download(client, return_), **kwargs))
    assert response.status_code == 302, response.content.decode()
    return SpreadsheetImport.objects.latest("pk"), response["Location"]


# --- Access ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["upload", "template", "preview"])
def test_anonymous_people_are_sent_to_sign_in(client, draft, page):
    url = urls(draft)[page]
    assert_redirects_to_login(client.get(url), url)


@pytest.mark.parametrize(("persona", "status"), [("bob", 404), ("charlie", 403), ("rita", 403), ("adam", 403)])
@pytest.mark.parametrize("page", ["upload", "template", "preview"])
def test_only_the_returns_own_officers_may_import(client, draft, request, persona, status, page):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(urls(draft)[page]).status_code == status
    assert client.post(urls(draft)[page]).status_code == status


def test_another_officers_import_is_not_found(client, officer, draft, birmingham):
    import_, _ = upload_filled(officer, draft, actuals=FIGURES)
    colleague = make_user("colleague", role=CSP_OFFICER, boroughs=[birmingham])
    client.force_login(colleague)
    url = urls(draft, import_.pk)["preview"]
    assert client.get(url).status_code == 404
    assert client.post(url, {"versions": "x"}).status_code == 404
    import_.refresh_from_db()
    assert import_.status == SpreadsheetImport.Status.PREVIEWED


def test_an_import_of_another_return_is_not_found(officer, draft, alice, birmingham, q1):
    import_, _ = upload_filled(officer, draft, actuals=FIGURES)
    earlier = return_start(borough=birmingham, period=q1, by=alice)
    assert officer.get(urls(earlier, import_.pk)["preview"]).status_code == 404


def test_a_submitted_return_cannot_be_imported_into(officer, submitted):
    for page in ("upload", "template"):
        response = officer.get(urls(submitted)[page])
        assert response.status_code == 302
        assert response["Location"] == submitted.get_absolute_url()


# --- The pages ------------------------------------------------------------------------------------------------


def test_the_task_list_links_to_the_offline_route(officer, draft):
    page = officer.get(draft.get_absolute_url()).content.decode()
    assert "Fill it in offline" in page
    assert urls(draft)["upload"] in page


def test_the_task_list_of_a_submitted_return_does_not(officer, submitted):
    assert "Fill it in offline" not in officer.get(submitted.get_absolute_url()).content.decode()


def test_the_upload_page_offers_the_template_and_a_file_upload(officer, draft):
    page = officer.get(urls(draft)["upload"]).content.decode()
    assert urls(draft)["template"] in page
    assert 'type="file"' in page
    assert 'enctype="multipart/form-data"' in page


def test_the_template_downloads_as_an_xlsx(officer, draft):
    response = officer.get(urls(draft)["template"])
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="birmingham-2026-27-q2-figures.xlsx"'
    assert "no-store" in response["Cache-Control"]
    assert INDICATORS in load_workbook(io.BytesIO(response.content)).sheetnames


def test_upload_preview_confirm(officer, draft, alice, youth):
    import_, location = upload_filled(officer, draft, actuals=FIGURES, spend=SPEND_FIGURES)
    assert location == urls(draft, import_.pk)["preview"]
    page = officer.get(location).content.decode()
    assert "Check the changes from your spreadsheet" in page
    assert "Confirm and apply" in page
    assert re.search(r"blank <span aria-hidden=\"true\">→</span>.*changes to </span> <strong>62.60%</strong>", page)
    assert "£10,000.00" in page
    assert not any(value is not None for value in actuals_of(draft).values())  # a preview saves nothing
    # A spend row changes spend and expected spend: two preview rows, one anchor (ids are never repeated).
    ids = re.findall(r'id="(row-[^"]+)"', page)
    assert ids
    assert len(ids) == len(set(ids))

    versions = re.search(r'name="versions" value="([^"]+)"', page).group(1)
    response = officer.post(location, {"versions": versions}, follow=True)
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert "have been saved: 2 projects updated" in response.content.decode()
    assert actuals_of(draft)[(YOUTH, REFERRALS)] == Decimal("70.00")
    # The history records the officer, as the project page's form does.
    assert youth.history.first().history_user == alice
    assert IndicatorActual.history.filter(update_id=youth.pk).first().history_user == alice


def test_a_row_with_a_problem_is_named_and_cannot_be_confirmed(officer, draft):
    _, location = upload_filled(officer, draft, actuals={**FIGURES, (YOUTH, REFERRALS): "twelve"})
    page = officer.get(location).content.decode()
    assert "There is a problem in your spreadsheet" in page
    assert "Indicators row 3: &#x27;twelve&#x27; is not a number" in page
    assert 'href="#row-indicators-3"' in page
    assert 'id="row-indicators-3"' in page
    assert "Confirm and apply" not in page
    assert "Upload a corrected file" in page
    response = officer.post(location, {"versions": sign_versions({})})
    assert response.status_code == 409
    assert not any(value is not None for value in actuals_of(draft).values())


def test_a_change_since_the_preview_is_a_conflict(officer, draft, alice, youth):
    _, location = upload_filled(officer, draft, actuals=FIGURES, spend=SPEND_FIGURES)
    versions = sign_versions({u.pk: u.version for u in draft.project_updates.all()})
    project_update_save(
        update=youth,
        activity="",
        outcomes="",
        spend=Decimal("3"),
        rag_override="",
        rag_reason="",
        actuals={},
        completed=False,
        version=youth.version,
        by=alice,
    )
    response = officer.post(location, {"versions": versions})
    assert response.status_code == 409
    page = response.content.decode()
    assert f"changed {YOUTH} after you checked this file, so nothing has been applied" in page
    assert "£3.00" in page  # the preview now starts from what they saved
    assert ProjectUpdate.objects.get(pk=youth.pk).spend == Decimal("3.00")
    assert not any(value is not None for value in actuals_of(draft).values())
    # Confirming the refreshed preview applies it.
    versions = re.search(r'name="versions" value="([^"]+)"', page).group(1)
    assert officer.post(location, {"versions": versions}).status_code == 302
    assert ProjectUpdate.objects.get(pk=youth.pk).spend == Decimal("10000.00")


def test_confirming_twice_applies_once(officer, draft, youth):
    _, location = upload_filled(officer, draft, actuals=FIGURES, spend=SPEND_FIGURES)
    versions = sign_versions({u.pk: u.version for u in draft.project_updates.all()})
    officer.post(location, {"versions": versions})
    version = ProjectUpdate.objects.get(pk=youth.pk).version
    response = officer.post(location, {"versions": versions}, follow=True)
    assert "has already been applied" in response.content.decode()
    assert ProjectUpdate.objects.get(pk=youth.pk).version == version


def test_a_tampered_confirmation_is_refused(officer, draft):
    _, location = upload_filled(officer, draft, actuals=FIGURES)
    response = officer.post(location, {"versions": '{"1": 1}'})
    assert response.status_code == 400
    assert "The page was out of date" in response.content.decode()


def test_confirming_after_the_return_was_submitted_applies_nothing(officer, draft, youth):
    from tests.returns.conftest import complete_everything

    _, location = upload_filled(officer, draft, actuals=FIGURES, spend=SPEND_FIGURES)
    complete_everything(draft)
    draft.status = draft.Status.SUBMITTED
    draft.save()
    response = officer.post(location, {"versions": sign_versions({})})
    assert response.status_code == 302
    assert ProjectUpdate.objects.get(pk=youth.pk).spend is None


# --- Files refused at upload, with the message next to the field --------------------------------------------------


def coventry_template(client, coventry, q2, bob):
    make_project(coventry, "Coventry project")
    theirs = return_start(borough=coventry, period=q2, by=bob)
    client.force_login(bob)
    content = download(client, theirs)
    return content


def tampered(content):
    workbook = load_workbook(io.BytesIO(content))
    workbook["meta"]["B1"].value = "projects"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "name", "message"),
    [
        (lambda c: PDF_BYTES, "figures.xlsx", "The selected file is not an Excel spreadsheet (XLSX)"),
        (lambda c: b"", "figures.xlsx", "The selected file is empty"),
        (lambda c: b"PK\x03\x04" + b"0" * (11 * 1024 * 1024), "figures.xlsx", "smaller than 10MB"),
        (lambda c: c[: len(c) // 2], "figures.xlsx", "not an Excel spreadsheet"),
        (lambda c: c, "figures.csv", "must be an Excel spreadsheet"),
        (tampered, "figures.xlsx", "hidden details have been changed"),
    ],
)
def test_bad_files_are_refused_next_to_the_field(officer, draft, make, name, message):
    content = make(download(officer, draft))
    response = upload(officer, draft, content, name)
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert "There is a problem" in page
    assert 'id="id_file-error"' in page or "govuk-error-message" in page
    assert message in page
    assert not SpreadsheetImport.objects.exists()


def test_another_boroughs_template_is_refused(client, draft, alice, bob, coventry, q2):
    content = coventry_template(client, coventry, q2, bob)
    client.force_login(alice)
    page = upload(client, draft, content).content.decode().replace("&#x27;", "'")
    assert "another partnership's template, not Birmingham's" in page
    assert not SpreadsheetImport.objects.exists()


def test_ten_thousand_rows_get_a_message_on_the_preview(officer, draft):
    def grow(workbook):
        for n in range(10_000):
            workbook[INDICATORS].append([YOUTH, f"Indicator {n}", None, None, None, None, None, None, n])

    _, location = upload_filled(officer, draft, edit=grow)
    page = officer.get(location).content.decode()
    assert "The file cannot be used" in page
    assert "more than 2,000 filled rows" in page
    assert "Confirm and apply" not in page
