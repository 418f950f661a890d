"""The sections of a return an officer fills in: alignment, one page per project, and the three logs."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from boroughs.conflicts import saved_by

from ..access import get_item_for_user, get_project_update_for_user
from ..charts.pages import return_indicator_charts
from ..forms import (
    AlignmentForm,
    CommunityEngagementForm,
    OpccEngagementForm,
    ProjectUpdateForm,
    RiskForm,
    SectionCompleteForm,
)
from ..forms.logs import RemoveItemForm
from ..models import CommunityEngagement, OpccEngagement, PlanPriority, Project, ReturnSection, Risk, SectionStatus
from ..overview import load_task
from ..services import EditConflict, alignment_save, log_item_delete, log_item_save, project_update_save, section_mark
from ._common import after_save, finishing, posted, refused_if_locked, render_conflict, return_view, still_editable


def _completed_initial(status):
    return {SectionStatus.COMPLETED: "yes", SectionStatus.IN_PROGRESS: "no"}.get(status)


def mark_section(request, return_, section, form, *, heading):
    """Save a section's "Have you completed this section?" answer, or show the conflict."""
    try:
        section_mark(
            section=section,
            completed=form.cleaned_data["completed"] and form.finishing,
            version=form.cleaned_data["version"],
            by=request.user,
        )
    except EditConflict as conflict:
        return render_conflict(
            request,
            form_class=SectionCompleteForm,
            form_kwargs={},
            current=conflict.current,
            theirs_initial={"completed": _completed_initial(conflict.current.status)},
            return_=return_,
            heading=heading,
            back_url=request.path,
        )
    return after_save(request, return_, finished=form.finishing)


@return_view(editing=True, keeps_input=True)
def alignment(request, return_):
    section = return_.sections.get(key=ReturnSection.Key.ALIGNMENT)
    form_kwargs = {"priorities": PlanPriority.objects.for_year(return_.period.year_id)}

    def initial_for(section):
        return {
            "statement": return_.alignment_statement,
            "priorities": list(return_.priorities.values_list("pk", flat=True)),
            "completed": _completed_initial(section.status),
            "version": section.version,
        }

    form = AlignmentForm(posted(request), initial=initial_for(section), finishing=finishing(request), **form_kwargs)
    if request.method == "POST" and still_editable(return_, form) and form.is_valid():
        with refused_if_locked(return_, form):
            try:
                alignment_save(
                    return_=return_,
                    statement=form.cleaned_data["statement"],
                    priorities=form.cleaned_data.get("priorities", []),
                    completed=form.cleaned_data["completed"] and form.finishing,
                    version=form.cleaned_data["version"],
                    by=request.user,
                )
            except EditConflict as conflict:
                return_.refresh_from_db()
                return render_conflict(
                    request,
                    form_class=AlignmentForm,
                    form_kwargs=form_kwargs,
                    current=conflict.current,
                    theirs_initial=initial_for(conflict.current),
                    return_=return_,
                    heading=ReturnSection.Key.ALIGNMENT.label,
                    back_url=request.path,
                )
            return after_save(request, return_, finished=form.finishing)
    return render(
        request,
        "returns/section_form.html",
        {"return": return_, "form": form, "heading": ReturnSection.Key.ALIGNMENT.label},
    )


@return_view(editing=True, keeps_input=True)
def project_update(request, return_, update_pk):
    update = get_project_update_for_user(request.user, return_, update_pk)
    task = load_task(update)
    form_kwargs = {"task": task}

    def initial_for(update, task):
        initial = {
            "activity": update.activity,
            "outcomes": update.outcomes,
            "spend": update.spend,
            "expected_spend": update.expected_spend,
            "rag_override": update.rag_override,
            "rag_reason": update.rag_reason,
            "completed": _completed_initial(update.status),
            "version": update.version,
        }
        initial.update({ProjectUpdateForm.indicator_field(row.indicator): row.value for row in task.indicators})
        return initial

    form = ProjectUpdateForm(
        posted(request), initial=initial_for(update, task), finishing=finishing(request), **form_kwargs
    )
    if request.method == "POST" and still_editable(return_, form) and form.is_valid():
        data = form.cleaned_data
        with refused_if_locked(return_, form):
            try:
                project_update_save(
                    update=update,
                    activity=data["activity"],
                    outcomes=data["outcomes"],
                    spend=data["spend"],
                    expected_spend=form.expected_spend_to_save(),
                    rag_override=data["rag_override"],
                    rag_reason=data["rag_reason"],
                    actuals=form.actuals(),
                    completed=data["completed"] and form.finishing,
                    version=data["version"],
                    by=request.user,
                )
            except EditConflict as conflict:
                theirs = load_task(conflict.current)
                return render_conflict(
                    request,
                    form_class=ProjectUpdateForm,
                    form_kwargs=form_kwargs,
                    current=conflict.current,
                    theirs_initial=initial_for(theirs.update, theirs),
                    return_=return_,
                    heading=update.project.name,
                    back_url=request.path,
                )
            return after_save(request, return_, finished=form.finishing)
    return render(
        request,
        "returns/project_update.html",
        {
            "return": return_,
            "form": form,
            "task": task,
            "heading": update.project.name,
            "charts": return_indicator_charts(return_, [task]).get(task.project.pk, []),
        },
    )


class Log:
    """What differs between the risks register and the two engagement logs."""

    def __init__(self, slug, key, model, form_class, noun, related):
        self.slug, self.key, self.model, self.form_class, self.noun, self.related = (
            slug,
            key,
            model,
            form_class,
            noun,
            related,
        )

    def form_kwargs(self, return_):
        if self.model is Risk:
            return {"projects": Project.objects.filter(updates__return_of=return_)}
        return {}

    def items(self, return_):
        items = getattr(return_, self.related).all()
        return items.select_related("project") if self.model is Risk else items


LOGS = {
    "risks": Log("risks", ReturnSection.Key.RISKS, Risk, RiskForm, "risk", "risks"),
    "community": Log(
        "community",
        ReturnSection.Key.COMMUNITY,
        CommunityEngagement,
        CommunityEngagementForm,
        "activity",
        "community_engagements",
    ),
    "opcc": Log("opcc", ReturnSection.Key.OPCC, OpccEngagement, OpccEngagementForm, "event", "opcc_engagements"),
}


@return_view(editing=True, keeps_input=True)
def log_section(request, return_, log):
    log = LOGS[log]
    section = return_.sections.get(key=log.key)
    initial = {"completed": _completed_initial(section.status), "version": section.version}
    form = SectionCompleteForm(posted(request), initial=initial, finishing=finishing(request))
    if request.method == "POST" and still_editable(return_, form) and form.is_valid():
        with refused_if_locked(return_, form):
            return mark_section(request, return_, section, form, heading=log.key.label)
    return render(
        request,
        "returns/log_section.html",
        {"return": return_, "form": form, "items": log.items(return_), "log": log, "heading": log.key.label},
    )


@return_view(editing=True, keeps_input=True)
def log_item(request, return_, log, item_pk=None):
    log = LOGS[log]
    item = get_item_for_user(log.model, request.user, return_, item_pk) if item_pk else log.model(return_of=return_)
    form_kwargs = log.form_kwargs(return_)
    form = log.form_class(posted(request), instance=item, **form_kwargs)
    back_url = reverse("return_log", args=[return_.pk, log.slug])
    if request.method == "POST" and still_editable(return_, form) and form.is_valid():
        with refused_if_locked(return_, form):
            try:
                log_item_save(
                    item=form.instance, section_key=log.key, version=form.cleaned_data["version"], by=request.user
                )
            except EditConflict as conflict:
                return render_conflict(
                    request,
                    form_class=log.form_class,
                    form_kwargs={**form_kwargs, "instance": conflict.current},
                    current=conflict.current,
                    theirs_initial={},
                    return_=return_,
                    heading=f"{log.noun.capitalize()}: {conflict.current}",
                    back_url=back_url,
                )
            messages.success(request, f"The {log.noun} has been saved.")
            return redirect(back_url)
    verb = "Change" if item.pk else "Add"
    heading = f"{verb} {'an' if log.noun[0] in 'aeiou' else 'a'} {log.noun}"
    return render(
        request, "returns/item_form.html", {"return": return_, "form": form, "heading": heading, "back_url": back_url}
    )


@return_view(editing=True, keeps_input=True)
def log_item_remove(request, return_, log, item_pk):
    """Confirm, then remove. The confirmation names the version shown, so an entry changed since is shown again."""
    log = LOGS[log]
    item = get_item_for_user(log.model, request.user, return_, item_pk)
    back_url = reverse("return_log", args=[return_.pk, log.slug])
    form = RemoveItemForm(posted(request), initial={"version": item.version})
    changed_by, not_removed = None, "Nothing has been removed."
    if request.method == "POST" and still_editable(return_, form, note=not_removed) and form.is_valid():
        with refused_if_locked(return_, form, note=not_removed):
            try:
                log_item_delete(item=item, version=form.cleaned_data["version"], by=request.user)
            except EditConflict as conflict:
                # Nothing removed: show the entry as it is now, and ask again on its new version.
                item, changed_by = conflict.current, saved_by(conflict.current)
                form = RemoveItemForm(initial={"version": item.version})
            else:
                messages.success(request, f"The {log.noun} has been removed.")
                return redirect(back_url)
    return render(
        request,
        "returns/confirm_remove.html",
        {
            "return": return_,
            "heading": f"Are you sure you want to remove this {log.noun}?",
            "item": item,
            "items": [item],
            "log": log,
            "form": form,
            "changed_by": changed_by,
            "back_url": back_url,
        },
        status=409 if changed_by else 200,
    )
