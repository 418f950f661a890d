"""No 500 on odd input, and no raw Python message: dates with absurd years or days, and tampered versions.

Dates: every date field refuses a year outside 1900–2100 (a year of thirty 9s overflowed Python's date)
with "Year must be between 1900 and 2100" beside the year box, and an impossible day or month in words,
keeping what was typed. Versions: a hidden `version` that cannot be one the page wrote (2^63, text,
negative) counts as out of date, so the save meets the ordinary conflict page with the input kept.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from returns.models import CommunityEngagement, OpccEngagement, ProjectUpdate, SectionStatus
from returns.services import return_start
from reviews.models import ColumnCommentary, RollUpCell, RollUpRow
from reviews.services import review as review_services
from tests.form_html import error_beside, summary_links, value_of
from tests.reviews.conftest import annex_2015, columns, periods, project, seed_json, submitted, year  # noqa: F401

YEAR_MESSAGE = "Year must be between 1900 and 2100"
PYTHON_WORDS = ["must be in 1..", "out of range", "too large", "OverflowError", "Exceeds the limit", "C long"]

# (day, month, year as typed, the message)
BAD_DATES = [
    ("1", "8", "9" * 30, YEAR_MESSAGE),
    ("1", "8", "1899", YEAR_MESSAGE),
    ("1", "8", "2101", YEAR_MESSAGE),
    ("1", "8", "9" * 5000, YEAR_MESSAGE),
    ("9" * 30, "8", "2026", "real"),
    ("1", "9" * 30, "2026", "real"),
    ("1", "13", "2026", "real"),
    ("31", "2", "2026", "real"),
    ("0", "8", "2026", "real"),
]
TAMPERED = [str(2**63), "9" * 30, "abc", "-1", "1e400", ""]


def assert_explained(response, name, day, month, typed_year, message, label):
    """200, the message beside the field (the year's on the year box), nothing of Python's, input kept."""
    assert response.status_code == 200
    page = response.text
    expected = message if message == YEAR_MESSAGE else f"{label} must be a real date"
    assert error_beside(page, f"id_{name}") == [expected]
    target = f"#id_{name}_2" if message == YEAR_MESSAGE else f"#id_{name}"
    assert (target, expected) in summary_links(page)
    for words in PYTHON_WORDS:
        assert words not in page
    assert (value_of(page, f"{name}_0"), value_of(page, f"{name}_1"), value_of(page, f"{name}_2")) == (
        day,
        month,
        typed_year,
    )
    if message == YEAR_MESSAGE:
        year_box = page.split(f'id="id_{name}_2"')[0].rsplit("<input", 1)[1]
        assert "govuk-input--error" in year_box


@pytest.fixture
def draft(birmingham, alice, periods, project):  # noqa: F811
    return return_start(borough=birmingham, period=periods[1], by=alice)


def date_data(field, day, month, year_, **extra):
    return {f"{field}_0": day, f"{field}_1": month, f"{field}_2": year_, "save": "", **extra}


class TestDates:
    @pytest.mark.parametrize(("day", "month", "year_", "message"), BAD_DATES)
    def test_the_community_log(self, client, alice, draft, day, month, year_, message):
        client.force_login(alice)
        data = date_data("date", day, month, year_, title="Road show", description="Stalls", people_reached="40")
        response = client.post(reverse("return_log_add", args=[draft.pk, "community"]), data)
        assert_explained(response, "date", day, month, year_, message, "Date of the activity")
        assert "Road show" in response.text
        assert not CommunityEngagement.objects.exists()

    @pytest.mark.parametrize(("day", "month", "year_", "message"), BAD_DATES[:5])
    def test_the_opcc_log(self, client, alice, draft, day, month, year_, message):
        client.force_login(alice)
        data = date_data("date", day, month, year_, what="Launch", pcc_involvement="not_invited", logo_used="yes")
        response = client.post(reverse("return_log_add", args=[draft.pk, "opcc"]), data)
        assert_explained(response, "date", day, month, year_, message, "Date of the event")
        assert not OpccEngagement.objects.exists()

    @pytest.mark.parametrize(("day", "month", "year_", "message"), BAD_DATES[:5])
    def test_a_projects_dates(self, client, alice, birmingham, day, month, year_, message):
        client.force_login(alice)
        data = date_data("start_date", day, month, year_, name="Knife crime", csf_allocation="100", status="active")
        response = client.post("/boroughs/birmingham/projects/add/", data)
        assert_explained(response, "start_date", day, month, year_, message, "Start date")

    @pytest.mark.parametrize(("day", "month", "year_", "message"), BAD_DATES[:5])
    def test_the_period_dates_page(self, client, adam, periods, day, month, year_, message):  # noqa: F811
        period = periods[1]
        client.force_login(adam)
        data = {**date_data("opens_on", day, month, year_), "due_on_0": "30", "due_on_1": "10", "due_on_2": "2026"}
        response = client.post(reverse("period_edit", args=[period.pk]), data)
        assert_explained(response, "opens_on", day, month, year_, message, "Opening date")
        opens_on = period.opens_on
        period.refresh_from_db()
        assert period.opens_on == opens_on

    @pytest.mark.parametrize(("day", "month", "year_", "message"), BAD_DATES[:5])
    def test_an_extension(self, client, adam, birmingham, periods, day, month, year_, message):  # noqa: F811
        client.force_login(adam)
        data = date_data("due_on", day, month, year_, borough=birmingham.pk, reason="Staff sickness")
        response = client.post(reverse("extension_add", args=[periods[1].pk]), data)
        assert_explained(response, "due_on", day, month, year_, message, "New due date")
        assert "Staff sickness" in response.text

    @pytest.mark.parametrize(("day", "month", "year_", "message"), BAD_DATES)
    def test_the_publish_page(self, client, rita, annex_2015, day, month, year_, message):  # noqa: F811
        client.force_login(rita)
        response = client.post("/annex/2015-16/publish/", date_data("meeting_date", day, month, year_))
        assert_explained(response, "meeting_date", day, month, year_, message, "Date of the board meeting")
        assert not annex_2015.versions.exists()

    def test_a_good_date_still_saves(self, client, alice, draft):
        client.force_login(alice)
        data = date_data("date", "1", "8", "2026", title="Road show", description="Stalls", people_reached="40")
        assert client.post(reverse("return_log_add", args=[draft.pk, "community"]), data).status_code == 302
        assert str(CommunityEngagement.objects.get().date) == "2026-08-01"


def assert_conflict_kept(response, *typed):
    assert response.status_code == 409
    page = response.text
    assert "while you were editing" in page
    for text in typed:
        assert text in page


class TestTamperedVersions:
    @pytest.mark.parametrize("version", TAMPERED)
    def test_a_project_task(self, client, alice, draft, version):
        update = draft.project_updates.select_related("project").get()
        (referrals,) = update.project.indicators.all()
        client.force_login(alice)
        data = {
            "activity": "Mentoring sessions",
            "outcomes": "Engaged 40",
            f"indicator_{referrals.pk}": "40",
            "spend": "£1,000",
            "expected_spend": "£3,000",
            "rag_override": "",
            "rag_reason": "",
            "completed": "yes",
            "version": version,
            "save": "",
        }
        response = client.post(reverse("return_project", args=[draft.pk, update.pk]), data)
        assert_conflict_kept(response, "Mentoring sessions", "Engaged 40")
        assert f'name="version" value="{update.version}"' in response.text  # saving again is on the real version
        update.refresh_from_db()
        assert (update.activity, update.spend) == ("", None)

        data["version"] = str(update.version)
        assert client.post(reverse("return_project", args=[draft.pk, update.pk]), data).status_code == 302
        assert ProjectUpdate.objects.get(pk=update.pk).spend == Decimal("1000.00")

    @pytest.mark.parametrize("version", TAMPERED)
    def test_the_alignment_and_a_logs_completion(self, client, alice, draft, version):
        client.force_login(alice)
        data = {"statement": "Aligned to the Plan", "completed": "no", "version": version, "save": ""}
        assert_conflict_kept(client.post(reverse("return_alignment", args=[draft.pk]), data), "Aligned to the Plan")
        data = {"completed": "yes", "version": version, "save": ""}
        assert_conflict_kept(client.post(reverse("return_log", args=[draft.pk, "risks"]), data))
        draft.refresh_from_db()
        assert draft.alignment_statement == ""
        assert set(draft.sections.values_list("status", flat=True)) == {SectionStatus.NOT_STARTED}

    @pytest.mark.parametrize("version", TAMPERED)
    def test_a_log_item(self, client, alice, draft, version):
        item = CommunityEngagement.objects.create(
            return_of=draft, date="2026-08-01", title="Road show", description="Stalls", people_reached=40
        )
        client.force_login(alice)
        data = date_data(
            "date", "2", "8", "2026", title="Road show (changed)", description="Stalls", people_reached="41"
        )
        response = client.post(
            reverse("return_log_item", args=[draft.pk, "community", item.pk]), {**data, "version": version}
        )
        assert_conflict_kept(response, "Road show (changed)")
        item.refresh_from_db()
        assert (item.title, item.version) == ("Road show", 1)

    def test_a_new_log_item_has_no_version_to_tamper_with(self, client, alice, draft):
        client.force_login(alice)
        data = date_data("date", "2", "8", "2026", title="Road show", description="Stalls", people_reached="41")
        response = client.post(
            reverse("return_log_add", args=[draft.pk, "community"]), {**data, "version": str(2**63)}
        )
        assert response.status_code == 302
        assert CommunityEngagement.objects.get().version == 1

    @pytest.mark.parametrize("version", TAMPERED)
    def test_a_roll_up_cell(self, client, rita, annex_2015, version):  # noqa: F811
        cell = RollUpCell.objects.get(row__rollup__borough__name="Walsall", row__position=1, column__key="community")
        url = f"/review/roll-up/walsall/2015-16/cells/{cell.pk}/"
        client.force_login(rita)
        response = client.post(url, {"text": "Rewritten by the reviewer", "version": version})
        assert_conflict_kept(response, "Rewritten by the reviewer")
        assert RollUpCell.objects.get(pk=cell.pk).text == cell.text

    @pytest.mark.parametrize("version", TAMPERED)
    def test_a_row_hidden(self, client, rita, annex_2015, version):  # noqa: F811
        row = RollUpRow.objects.get(rollup__borough__name="Walsall", position=2)
        client.force_login(rita)
        url = f"/review/roll-up/walsall/2015-16/rows/{row.pk}/visibility/"
        response = client.post(url, {"intent": "hide", "reason": "Counted twice", "version": version})
        assert_conflict_kept(response, "Counted twice")
        assert not RollUpRow.objects.get(pk=row.pk).hidden

    @pytest.mark.parametrize("version", TAMPERED)
    def test_the_annex_details(self, client, rita, annex_2015, version):  # noqa: F811
        client.force_login(rita)
        data = {"label": "Annex 1", "title": "A tampered title", "introduction": "", "version": version}
        assert_conflict_kept(client.post("/annex/2015-16/details/", data), "A tampered title")
        annex_2015.refresh_from_db()
        assert annex_2015.title != "A tampered title"

    @pytest.mark.parametrize("version", TAMPERED)
    def test_a_commentary(self, client, rita, submitted, columns, version):  # noqa: F811
        review_services.column_commentary_save(
            return_=submitted,
            column=columns["alignment"],
            text="First thoughts",
            rag="",
            visibility="shared",
            expected_version=0,
            by=rita,
        )
        client.force_login(rita)
        url = f"/review/returns/{submitted.pk}/columns/alignment/"
        data = {"text": "Second thoughts", "rag": "", "visibility": "shared", "version": version}
        assert_conflict_kept(client.post(url, data), "Second thoughts")
        assert ColumnCommentary.objects.get().text == "First thoughts"
