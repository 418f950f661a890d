"""Issue 12: the reviewer's return page, cheaper. It draws no chart (each project's drawings are fetched from their
own URL when the reader opens them, and the figures tables stay in the page) and no crispy form (the cards' and
the flag's unbound forms are drawn without crispy, to the same markup): what it shows is unchanged."""

import re
from decimal import Decimal as D
from types import SimpleNamespace

import lxml.html
import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse

from returns.charts import pages as chart_pages
from returns.charts.indicators import indicator_chart
from returns.charts.outline import indicator_outline
from returns.models import Indicator, IndicatorActual
from reviews.forms.review import CommentaryForm, FlagForm
from reviews.models import AnnexColumn
from reviews.views.review import _editor
from tests.reviews.conftest import make_project, make_return

pytestmark = pytest.mark.django_db

CSRF = "a-token-the-same-in-both"


def tree(html):
    """The markup as (tag, attributes, text, tail) per element, whitespace collapsed: what a browser builds."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")

    def words(text):
        return " ".join((text or "").split())

    return [(e.tag, dict(e.attrib), words(e.text), words(e.tail)) for e in root.iter() if isinstance(e.tag, str)]


def crispy(form):
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": form, "csrf_token": CSRF})
    )


@pytest.mark.parametrize(
    "initial",
    [
        None,  # no commentary yet
        {"text": "Good <b>work</b> & more.\n\n- one\n- two", "rag": "amber", "visibility": "opcc", "version": 3},
        {"text": "Fine.", "rag": "", "visibility": "shared", "version": 1},  # saved with "No rating"
    ],
)
def test_a_cards_unbound_form_is_the_markup_crispy_draws(initial):
    comment = SimpleNamespace(**initial) if initial else None
    editor = _editor(card="project-12", subject="Youth <violence> & co", action="/x/", comment=comment, empty="No.")
    assert editor["form"] is None  # drawn from the form class's fields, with no form object
    html = render_to_string("reviews/review/_commentary_form.html", {"editor": editor} | {"csrf_token": CSRF})
    form = CommentaryForm.in_card(
        card="project-12", subject="Youth <violence> & co", action="/x/", initial=initial or {"version": 0}
    )
    assert tree(html) == tree(crispy(form))
    assert "checked" in html if initial else "checked" not in html


def test_a_cards_bound_form_is_still_drawn_by_crispy():
    data = {"project-12-text": "", "version": "0"}
    editor = _editor(card="project-12", subject="Youth", action="/x/", comment=None, empty="No.", data=data)
    html = render_to_string("reviews/review/_commentary_form.html", {"editor": editor, "form": editor["form"]})
    assert "Enter commentary" in html  # the message beside the field


def test_the_flag_form_is_the_markup_crispy_draws(year, project):
    columns = AnnexColumn.objects.for_year(year)
    form = FlagForm(columns=columns, projects=[project])
    form.helper.form_action = "/review/returns/1/flags/add/"
    flag_types = list(iter(form.fields["flag_type"].choices))
    assert flag_types
    context = {"form": form, "flag_types": flag_types, "action": form.helper.form_action, "csrf_token": CSRF}
    html = render_to_string("reviews/review/_flag_form.html", context)
    assert tree(html) == tree(crispy(form))


def test_an_outline_says_what_the_drawn_chart_says():
    indicator = Indicator(pk=880001, name="Referrals", minimum_target=D("100"), aspirational_target=D("150"))
    for actuals, last_year in [({1: D("30"), 2: D("45")}, {1: D("20")}), ({}, {}), ({3: D("1")}, None)]:
        options = {"key": "indicator-1", "year_label": "2026-27", "actuals": actuals, "last_year": last_year}
        options |= {"last_year_label": "2025-26", "compact": True}
        drawn, outline = indicator_chart(indicator, **options), indicator_outline(indicator, **options)
        assert outline.svg == ""
        for name in ("key", "title", "summary", "labels", "series", "table_head", "table_rows", "style"):
            assert getattr(outline, name) == getattr(drawn, name), name


@pytest.fixture
def drawn(monkeypatch):
    """The charts drawn, by key."""
    keys = []
    draw = chart_pages.indicator_chart

    def counting(indicator, **options):
        keys.append(options["key"])
        return draw(indicator, **options)

    monkeypatch.setattr(chart_pages, "indicator_chart", counting)
    chart_pages._charts.clear()  # nothing kept from other tests
    return keys


@pytest.fixture
def reported(birmingham, periods, alice):
    """A submitted return of two projects, with a figure for each one's indicator."""
    projects = [make_project(birmingham, "Youth violence prevention"), make_project(birmingham, "Business crime")]
    return_ = make_return(birmingham, periods[0], by=alice)
    for update in return_.project_updates.all():
        for indicator in update.project.indicators.all():
            IndicatorActual.objects.create(update=update, indicator=indicator, value=D("42"))
    return return_, projects


def test_the_page_draws_no_chart_and_keeps_the_figures(client, rita, reported, drawn):
    return_, projects = reported
    client.force_login(rita)
    page = client.get(reverse("reviews:return", args=[return_.pk])).text
    assert drawn == []
    assert page.count('class="app-chart app-chart--trend app-chart--compact"') == 2
    assert "<svg" not in page
    assert page.count("Referrals: 2026-27 against its targets: the figures as a table") == 2
    assert re.search(r'<th scope="row" class="govuk-table__header">Q1</th><td class="govuk-table__cell">42</td>', page)
    for project in projects:
        assert f'data-charts-src="{reverse("reviews:return_project_charts", args=[return_.pk, project.pk])}"' in page


def test_a_projects_drawings_come_from_their_own_url(client, rita, reported, drawn):
    return_, projects = reported
    client.force_login(rita)
    page = client.get(reverse("reviews:return", args=[return_.pk])).text
    response = client.get(reverse("reviews:return_project_charts", args=[return_.pk, projects[0].pk]))
    assert response.status_code == 200
    key = f"indicator-{projects[0].indicators.get().pk}"
    assert drawn == [key]  # that project's charts only
    drawing = lxml.html.fragment_fromstring(response.text, create_parent="div").find(".//*[@data-chart-drawing]")
    assert drawing.get("data-chart-drawing") == key
    assert f'id="chart-{key}"' in page  # the figure the script puts it in
    assert drawing.find("svg") is not None
    # The page's CSP would block a style or a script in them.
    assert "<style" not in response.text
    assert "<script" not in response.text


@pytest.mark.parametrize(("persona", "status"), [("rita", 200), ("adam", 200), ("alice", 404), ("bob", 404)])
def test_the_drawings_are_for_whoever_may_read_the_review(client, request, persona, status, reported):
    return_, projects = reported
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("reviews:return", args=[return_.pk]))
    charts = client.get(reverse("reviews:return_project_charts", args=[return_.pk, projects[0].pk]))
    assert page.status_code == charts.status_code == status


def test_no_drawings_for_a_project_the_return_does_not_report(client, rita, reported, birmingham):
    return_, _projects = reported
    other = make_project(birmingham, "Started later")
    client.force_login(rita)
    assert client.get(reverse("reviews:return_project_charts", args=[return_.pk, other.pk])).status_code == 404


def test_radios_escape_each_value_and_label_once_and_keep_a_safe_label():
    from django.utils.safestring import mark_safe

    from reviews.templatetags.review_forms import radios_markup

    choices = [("a&b", "<Tom's>"), ("c", mark_safe("<em>C</em>"))]
    html = radios_markup(name="n&m", auto_id="id_n", label="Pick", value="a&b", choices=choices)
    assert 'name="n&amp;m"' in html
    assert 'id="id_n&amp;m_1" value="a&amp;b" checked="checked">' in html
    assert ">&lt;Tom&#x27;s&gt;</label>" in html  # escaped once, as format_html did
    assert "<em>C</em></label>" in html  # a safe label as it is
    assert html.count(' checked="checked"') == 1
