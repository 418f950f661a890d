"""The quarterly review of one return: the grid, the return's page, commentary, flags and decisions."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from boroughs.conflicts import render_conflict
from boroughs.forms import posted
from returns.charts.pages import return_indicator_charts
from returns.models import FinancialYear, Project, Return
from returns.overview import load_overview, overview_as_submitted

from ..access import (
    get_decision_for_review,
    get_flag_for_review,
    get_return_for_review,
    get_return_to_decide,
    get_year_for_review,
)
from ..forms.grid import GridQuery
from ..forms.review import (
    AcceptForm,
    AcceptWithFlagsForm,
    CommentaryForm,
    FlagForm,
    ReopenForm,
    RequestChangesForm,
    ResolveFlagForm,
)
from ..models import AnnexColumn, ColumnCommentary, ProjectCommentary, ReviewEditConflict
from ..permissions import is_officer_of
from ..selectors.feedback import load_feedback
from ..selectors.grid import build_grid
from ..services import review as services
from ..templatetags.review_forms import radios_markup


def review_url(return_, anchor=""):
    url = reverse("reviews:return", args=[return_.pk])
    return f"{url}#{anchor}" if anchor else url


@contextmanager
def refuse_if_not_allowed(form):
    """Turn a refused move (illegal transition, own borough, missing reason) into a form error.

    The caller's `return redirect(...)` inside the block is skipped when the service refuses, so the
    view falls through to re-render the form with the message in the error summary.
    """
    try:
        yield
    except ValidationError as error:
        form.add_error(None, error.messages)


def grid(request):
    """The reviewers' home page: every borough's returns for the chosen year, and the current quarter's summary."""
    year = get_year_for_review(request.user, request.GET.get("year"))
    query = GridQuery(request.GET)
    chosen = query.cleaned_or_404()  # ?sort=, ?status=, ?quarter=, ?page= junk is a 404; a bad name, a message
    grid = build_grid(
        request.user,
        year,
        sort=chosen["sort"],
        borough=chosen["borough"],
        status=chosen["status"],
        quarter=chosen["quarter"],
        page=chosen["page"],
    )
    page = grid.page
    context = {
        "grid": grid,
        "years": FinancialYear.objects.all(),
        "year": year,
        "query": query,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1) if page else [],
    }
    return render(request, "reviews/review/grid.html", context)


# The session key of the one-off confirmation shown in the card just saved without JavaScript. Not a
# Django message: base.html prints those at the top of the page, out of sight of the card the reviewer
# is brought back to (#column-<key>), which is where the confirmation has to be.
SAVED_KEY = "reviews:commentary-saved"


def _commentary_initial(commentary):
    if commentary is None:
        return {"version": 0}
    fields = ("text", "rag", "visibility", "version")
    return {name: getattr(commentary, name) for name in fields}


def _card_fields_html(card, subject, initial):
    """An unbound card form's fields and button: the markup crispy's GOV.UK pack gives them, without its cost.

    Drawing each card's form with crispy was half of what the review page cost (some 20 forms at national
    scale), and even a form object per card, only to read its fields back, cost more than drawing them: the
    labels, hint, limit and choices are the form class's own fields, the values the card's `initial`. A bound
    form (with its messages) is still drawn by crispy (_commentary_form.html), and
    tests/reviews/review/test_return_page_cost.py compares the two.
    """
    fields = CommentaryForm.base_fields
    text = fields["text"]

    def value(name):
        return initial.get(name, fields[name].initial)

    def name(field_name):  # the form's prefix is the card; "version" keeps its plain name (CommentaryForm.add_prefix)
        return f"{card}-{field_name}"

    def radios(field_name):
        field = fields[field_name]
        return radios_markup(
            name=name(field_name),
            auto_id=f"id_{name(field_name)}",
            label=field.label,
            value=value(field_name),
            choices=field.choices,
            small=True,
        )

    return format_html(
        '<div id="div_{0}" class="govuk-form-group"><label for="{0}" class="govuk-label govuk-label--s">{1}</label>'
        '<div id="{0}_hint" class="govuk-hint">{2}</div><textarea name="{3}" cols="40" rows="4" maxlength="{4}"'
        ' aria-describedby="{0}_hint" class="govuk-textarea" id="{0}">\n{5}</textarea></div>{6}{7}'
        '<input type="hidden" name="version" value="{8}" id="{9}-version"><button name="save" class="govuk-button"'
        ' id="{9}-save" data-module="govuk-button">Save commentary<span class="govuk-visually-hidden"> on {10}</span>'
        "</button>",
        f"id_{name('text')}",
        mark_safe(text.label),  # the form's own label and hint, unescaped as crispy shows them
        mark_safe(text.help_text),
        name("text"),
        text.max_length,
        value("text") or "",
        radios("rag"),
        radios("visibility"),
        value("version"),
        card,
        subject,
    )


def _editor(*, card, subject, action, comment, empty, data=None):
    """What a card needs to show its commentary with the form beside it: a bound form (`data`) to show again with
    its messages, or for an unbound one only its markup (no form object)."""
    initial = _commentary_initial(comment)
    editor = {"card": card, "subject": subject, "action": action, "comment": comment, "empty": empty, "form": None}
    if data is None:
        # Called by the template (it calls what it is given), so only when a card shows the form.
        editor["fields_html"] = lambda: _card_fields_html(card, subject, initial)
    else:
        editor["form"] = CommentaryForm.in_card(data, card=card, subject=subject, action=action, initial=initial)
    return editor


def _column_editor(return_, column, comment, data=None):
    action = reverse("reviews:column_commentary", args=[return_.pk, column.key])
    return _editor(
        card=f"column-{column.key}",
        subject=column.heading,
        action=action,
        comment=comment,
        empty="No commentary yet.",
        data=data,
    )


def _project_editor(return_, project, comment, data=None):
    action = reverse("reviews:project_commentary", args=[return_.pk, project.pk])
    return _editor(
        card=f"project-{project.pk}",
        subject=project.name,
        action=action,
        comment=comment,
        empty="No assessment yet.",
        data=data,
    )


def review_return(request, pk):
    """A return read-only, with the OPCC's commentary, flags and decisions beside it.

    A reviewer who may judge it gets a commentary form in every column's and project's card.
    """
    return_ = get_return_for_review(request.user, pk)
    overview = load_overview(return_, full=True)
    feedback = load_feedback(return_, request.user)
    own_borough = is_officer_of(request.user, return_.borough_id)
    editable = (
        request.user.has_perm("reviews.review_return") and not own_borough and return_.status != Return.Status.DRAFT
    )
    editors = {}
    if editable:
        for column in feedback.columns:
            editors[f"column-{column.key}"] = _column_editor(return_, column, feedback.column_comments.get(column.pk))
        for task in overview.tasks:
            project = task.project
            editors[f"project-{project.pk}"] = _project_editor(
                return_, project, feedback.project_comments.get(project.pk)
            )
    saved = request.session.pop(SAVED_KEY, None)  # marks the session changed only when the key was there
    if saved and saved.get("return") == return_.pk and saved.get("card") in editors:
        editors[saved["card"]]["saved"] = saved.get("message", "")
    # The template looks the cards' editors up by column and by project.
    column_editors = {c.pk: editors[f"column-{c.key}"] for c in feedback.columns if editable}
    project_editors = {t.project.pk: editors[f"project-{t.project.pk}"] for t in overview.tasks if editable}
    # A flag is raised on the page too; its form posts to flag_new, which shows its own page only when refused.
    flag_form = flag_types = flag_action = None
    if editable:
        projects = sorted((t.project for t in overview.tasks), key=lambda project: project.name)
        flag_form = FlagForm(columns=feedback.columns, projects=projects)
        flag_action = flag_form.helper.form_action = reverse("reviews:flag_add", args=[return_.pk])
        # The problems, read in one plain query: a ModelChoiceField's choices count them first, and iterating them
        # opens a server-side cursor (DECLARE, FETCH, CLOSE: three round trips on PostgreSQL).
        field = flag_form.fields["flag_type"]
        flag_types = [(flag_type.pk, field.label_from_instance(flag_type)) for flag_type in field.queryset]
    context = {
        "return": return_,
        "overview": overview,
        # Each project card's indicator charts, {project id: [Chart]}: outlines, whose drawings the page's script
        # fetches from return_project_charts when the reader opens a card's charts (most never are).
        "indicator_charts": return_indicator_charts(return_, overview.tasks, compact=True, drawn=False),
        "feedback": feedback,
        "own_borough": own_borough,
        "can_reopen": request.user.has_perm("reviews.reopen_return"),
        "column_editors": column_editors,
        "project_editors": project_editors,
        "flag_form": flag_form,
        "flag_types": flag_types,
        "flag_action": flag_action,
    }
    return render(request, "reviews/review/return.html", context)


def return_project_charts(request, pk, project_pk):
    """The drawings of one project card's indicator charts (static/js/review-charts.js puts them in the page).

    The same access as the return's page, and the same figures: as submitted while the OPCC has the return.
    """
    return_ = get_return_for_review(request.user, pk)
    task = next((t for t in load_overview(return_).tasks if t.project.pk == project_pk), None)
    if task is None:
        raise Http404("This return reports no such project.")
    charts = return_indicator_charts(return_, [task], compact=True)[project_pk]
    return render(request, "reviews/review/_chart_drawings.html", {"charts": charts})


def submitted_version(request, pk, decision_pk):
    """What the officer had submitted when the return was sent back to them (or reopened)."""
    return_, decision = get_decision_for_review(request.user, pk, decision_pk)
    if not decision.snapshot:
        raise Http404("This decision kept no earlier version.")
    # Versions kept before the snapshot format existed hold figures as text: the template lists those as they are.
    overview = overview_as_submitted(return_, decision.snapshot) if decision.snapshot.get("format") else None
    context = {"return": return_, "decision": decision, "overview": overview}
    return render(request, "reviews/review/snapshot.html", context)


def _answer_fetch(request, editor, *, status=200, message=""):
    """The review page's script saved in place: the card's commentary as it is now, as JSON."""
    html = render_to_string("reviews/review/_commentary_card.html", {"editor": editor, "in_place": True}, request)
    return JsonResponse({"ok": status == 200, "html": html, "message": message}, status=status)


def _commentary_page(request, return_, *, card, existing, heading, subject, make_editor, save):
    """Save one commentary, from its card on the review page (with or without JavaScript) or from its own page.

    A card's form carries the card's id as its prefix; the commentary's own page, and the conflict page,
    post plain names. Either way a save returns to the card (#column-<key>, #project-<pk>) with a
    confirmation there; the page's script (X-Requested-With: fetch) gets the card back as JSON instead.
    """
    by_script = request.headers.get("X-Requested-With") == "fetch"
    in_card = request.method == "POST" and f"{card}-text" in request.POST
    if in_card:
        editor = make_editor(existing, request.POST)
        form = editor["form"]
    else:
        editor, form = None, CommentaryForm(posted(request), initial=_commentary_initial(existing))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with refuse_if_not_allowed(form):
                saved = save(
                    text=data["text"], rag=data["rag"], visibility=data["visibility"], expected_version=data["version"]
                )
                message = f"Commentary on {subject} saved"
                if by_script and in_card:
                    return _answer_fetch(request, {**make_editor(saved), "saved": message}, message=message)
                request.session[SAVED_KEY] = {"return": return_.pk, "card": card, "message": message}
                return redirect(review_url(return_, card))
        except ReviewEditConflict as conflict:
            if by_script:
                # The script posts the form again without itself, and the shared conflict page answers.
                return JsonResponse({"ok": False, "conflict": True}, status=409)
            return render_conflict(
                request,
                form_class=CommentaryForm,
                form_kwargs={"prefix": card} if in_card else {},
                current=conflict.current,
                theirs_initial=_commentary_initial(conflict.current),
                heading=f"the commentary on {subject}",
                back_url=review_url(return_, card),
                template_name="returns/conflict.html",
                context={"return": return_},
            )
    if by_script and in_card:
        return _answer_fetch(request, editor, status=400)
    # Without JavaScript a refused form is shown on its own page: the message beside the field, nothing lost.
    context = {"form": form, "heading": heading, "subject": subject, "return": return_, "card": card}
    return render(request, "reviews/review/commentary_form.html", context)


def column_commentary(request, pk, key):
    return_ = get_return_to_decide(request.user, pk)
    column = get_object_or_404(AnnexColumn.objects.for_year(return_.period.year_id), key=key)
    existing = (
        ColumnCommentary.objects.for_user(request.user)
        .filter(borough_id=return_.borough_id, period_id=return_.period_id, column=column)
        .first()
    )

    def save(**fields):
        return services.column_commentary_save(return_=return_, column=column, by=request.user, **fields)

    def make_editor(comment, data=None):
        return _column_editor(return_, column, comment, data)

    return _commentary_page(
        request,
        return_,
        card=f"column-{column.key}",
        existing=existing,
        heading=f"Commentary: {column.heading}",
        subject=column.heading,
        make_editor=make_editor,
        save=save,
    )


def project_commentary(request, pk, project_pk):
    return_ = get_return_to_decide(request.user, pk)
    project = get_object_or_404(
        Project.objects.for_user(request.user).filter(updates__return_of=return_), pk=project_pk
    )
    existing = (
        ProjectCommentary.objects.for_user(request.user).filter(period_id=return_.period_id, project=project).first()
    )

    def save(**fields):
        return services.project_commentary_save(return_=return_, project=project, by=request.user, **fields)

    def make_editor(comment, data=None):
        return _project_editor(return_, project, comment, data)

    return _commentary_page(
        request,
        return_,
        card=f"project-{project.pk}",
        existing=existing,
        heading=f"Performance and impact: {project.name}",
        subject=project.name,
        make_editor=make_editor,
        save=save,
    )


def flag_new(request, pk):
    return_ = get_return_to_decide(request.user, pk)
    columns = AnnexColumn.objects.for_year(return_.period.year_id)
    projects = Project.objects.for_user(request.user).filter(updates__return_of=return_).order_by("name")
    initial = {"target": request.GET.get("target", "")}
    form = FlagForm(posted(request), initial=initial, columns=columns, projects=projects)
    if request.method == "POST" and form.is_valid():
        kind, target = form.cleaned_data["target"]
        with refuse_if_not_allowed(form):
            services.flag_raise(
                return_=return_,
                flag_type=form.cleaned_data["flag_type"],
                note=form.cleaned_data["note"],
                visibility=form.cleaned_data["visibility"],
                by=request.user,
                **{kind: target},
            )
            return redirect(review_url(return_, "flags"))
    context = {"form": form, "heading": "Raise an evidence-quality flag", "return": return_}
    return render(request, "reviews/review/decision_form.html", context)


def flag_resolve(request, pk):
    flag = get_flag_for_review(request.user, pk)
    form = ResolveFlagForm(posted(request))
    if request.method == "POST" and form.is_valid():
        with refuse_if_not_allowed(form):
            services.flag_resolve(flag=flag, by=request.user, resolution=form.cleaned_data["resolution"])
            next_return = request.GET.get("return")
            if next_return and next_return.isascii() and next_return.isdigit():
                return redirect("reviews:return", pk=int(next_return))
            return redirect("reviews:grid")
    context = {"form": form, "heading": f"Resolve flag: {flag.flag_type}", "flag": flag}
    return render(request, "reviews/review/decision_form.html", context)


def _decision_page(request, return_, form_class, heading, decide):
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        with refuse_if_not_allowed(form):
            decide(**form.cleaned_data)
            return redirect(review_url(return_, "timeline"))
    return render(request, "reviews/review/decision_form.html", {"form": form, "heading": heading, "return": return_})


def request_changes(request, pk):
    return_ = get_return_to_decide(request.user, pk)

    def decide(reason, sections):
        services.return_request_changes(return_=return_, by=request.user, reason=reason, sections=sections)

    return _decision_page(request, return_, RequestChangesForm, "Request changes", decide)


def accept(request, pk):
    """Accept; with open flags, only by confirming them on a page that lists them (accept with care).

    The confirmation carries the ids of the flags it listed; the service refuses if another is open by
    then, and the page is shown again with the list as it is now (409), nothing accepted.
    """
    return_ = get_return_to_decide(request.user, pk)
    back_url = review_url(return_)
    flags = services.open_flags(return_)
    if flags:
        form = AcceptWithFlagsForm(posted(request), flags=flags, back_url=back_url)
    else:
        form = AcceptForm(posted(request))
    if request.method == "POST" and form.is_valid():
        seen = form.confirmed_ids if flags else None
        with refuse_if_not_allowed(form):
            try:
                services.return_accept(
                    return_=return_, by=request.user, reason=form.cleaned_data["reason"], open_flags_seen=seen or ()
                )
            except services.UnconfirmedOpenFlags as unconfirmed:
                flags = unconfirmed.flags
                form = AcceptWithFlagsForm.shown_again(request.POST, flags=flags, back_url=back_url)
                context = {"form": form, "flags": flags, "stale": seen is not None, "return": return_}
                status = 409 if seen is not None else 200
                return render(request, "reviews/review/accept_confirm.html", context, status=status)
            return redirect(review_url(return_, "timeline"))
    if flags:
        context = {"form": form, "flags": flags, "stale": False, "return": return_}
        return render(request, "reviews/review/accept_confirm.html", context)
    context = {"form": form, "heading": "Accept this return", "return": return_}
    return render(request, "reviews/review/decision_form.html", context)


def reopen(request, pk):
    return_ = get_return_to_decide(request.user, pk, perm="reviews.reopen_return")

    def decide(reason):
        services.return_reopen(return_=return_, by=request.user, reason=reason)

    return _decision_page(request, return_, ReopenForm, "Reopen this return", decide)
