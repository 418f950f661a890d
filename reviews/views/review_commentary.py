from django.shortcuts import get_object_or_404, redirect, render

from boroughs.forms import posted, rebased
from returns.models import Project

from .. import review_services as services
from ..models import AnnexColumn
from ..review_access import get_flag_for_review, get_return_to_decide
from ..review_forms import CommentaryForm, FlagForm, ResolveFlagForm
from ..review_models import ColumnCommentary, ProjectCommentary, ReviewEditConflict
from ._review_common import refuse_if_not_allowed, review_url


def _commentary_page(request, return_, *, existing, heading, subject, save):
    initial = {"version": 0}
    if existing:
        initial = {
            "text": existing.text,
            "rag": existing.rag,
            "visibility": existing.visibility,
            "version": existing.version,
        }
    form = CommentaryForm(posted(request), initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with refuse_if_not_allowed(form):
                save(
                    text=data["text"], rag=data["rag"], visibility=data["visibility"], expected_version=data["version"]
                )
                return redirect(review_url(return_))
        except ReviewEditConflict as error:
            conflict = error.current
            # Their text is shown beside this reviewer's, which stays in the box; saving again
            # from here is a deliberate overwrite of the version they have now seen.
            form = rebased(
                CommentaryForm,
                request.POST,
                current=conflict,
                message="Someone else changed this commentary while you were editing it. "
                "Compare the two versions, then save again.",
            )
    context = {"form": form, "heading": heading, "subject": subject, "return": return_, "conflict": conflict}
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
        services.column_commentary_save(return_=return_, column=column, by=request.user, **fields)

    return _commentary_page(
        request, return_, existing=existing, heading=f"Commentary: {column.heading}", subject=column.heading, save=save
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
        services.project_commentary_save(return_=return_, project=project, by=request.user, **fields)

    return _commentary_page(
        request,
        return_,
        existing=existing,
        heading=f"Performance and impact: {project.name}",
        subject=project.name,
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
            if next_return and next_return.isdigit():
                return redirect("review:return", pk=int(next_return))
            return redirect("review:grid")
    context = {"form": form, "heading": f"Resolve flag: {flag.flag_type}", "flag": flag}
    return render(request, "reviews/review/decision_form.html", context)
