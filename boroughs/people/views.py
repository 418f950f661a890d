"""The People pages (OPCC admins, `boroughs.manage_people`) and the invited person's set-password page."""

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from boroughs.access import require_perm
from boroughs.forms import posted

from . import services, tokens
from .access import get_changeable_person_for_user, get_person_for_user
from .forms import ConfirmForm, InvitationPasswordForm, InviteForm, PeopleFilterForm, ReasonForm, RoleForm
from .permissions import refusal
from .selectors import PAGE_SIZE, describe, people_list, person_history


def _name(person):
    return person.get_full_name() or person.username


def people(request):
    require_perm(request.user, "boroughs.manage_people")
    filters = PeopleFilterForm(request.GET)
    if not filters.is_valid():
        raise Http404
    chosen = filters.cleaned_data
    page = Paginator(people_list(request.user, **chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    describe(page.object_list)
    context = {
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "filters": filters,
        "filtered": any(chosen.values()),
    }
    return render(request, "boroughs/people/list.html", context)


def invite(request):
    require_perm(request.user, "boroughs.manage_people")
    form = InviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        person = services.invite_person(by=request.user, **form.cleaned_data)
        messages.success(
            request,
            f"We have sent {_name(person)} an invitation at {person.email}. "
            f"The link in it works for {tokens.INVITATION_DAYS} days.",
        )
        return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "boroughs/people/invite.html",
        {"form": form, "heading": "Invite someone", "days": tokens.INVITATION_DAYS},
    )


def detail(request, pk):
    """The person, their history, and (unless refusal() says no) the form to change their role and boroughs."""
    person = get_person_for_user(request.user, pk)
    refused = refusal(by=request.user, person=person)
    if refused:
        # The page says why it offers no form; a POST it would not have offered is refused with the same page.
        context = {"person": person, "refusal": refused, "form": None, "history": person_history(person)}
        return render(request, "boroughs/people/detail.html", context, status=403 if request.method == "POST" else 200)
    initial = {"role": person.role, "boroughs": person.boroughs}
    form = RoleForm(posted(request), initial=initial, current_boroughs=person.boroughs)
    if request.method == "POST" and form.is_valid():
        if services.change_role(by=request.user, person=person, **form.cleaned_data):
            messages.success(request, f"{_name(person)}’s role and boroughs have been saved.")
        else:
            messages.info(request, f"{_name(person)}’s role and boroughs were already as you chose: nothing changed.")
        return redirect("people:detail", pk=person.pk)
    context = {"person": person, "refusal": None, "form": form, "history": person_history(person)}
    return render(request, "boroughs/people/detail.html", context)


def status(request, pk):
    """Deactivate an active account or reactivate a deactivated one, with a reason."""
    person = get_changeable_person_for_user(request.user, pk)
    deactivating = person.is_active
    action = "Deactivate" if deactivating else "Reactivate"
    form = ReasonForm(posted(request), submit_label=f"{action} account", warning=deactivating)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.deactivate_person if deactivating else services.reactivate_person
            change(by=request.user, person=person, reason=form.cleaned_data["reason"])
        except services.PeopleError as error:
            messages.error(request, str(error))
        else:
            done = "deactivated: they can no longer sign in" if deactivating else "reactivated"
            messages.success(request, f"{_name(person)}’s account has been {done}.")
        return redirect("people:detail", pk=person.pk)
    context = {"person": person, "form": form, "heading": f"{action} {_name(person)}’s account"}
    return render(request, "boroughs/people/status.html", context)


def mfa_reset(request, pk):
    person = get_changeable_person_for_user(request.user, pk)
    form = ReasonForm(posted(request), submit_label="Reset two-step verification", warning=True)
    if person.mfa_on and request.method == "POST" and form.is_valid():
        try:
            services.reset_mfa(by=request.user, person=person, reason=form.cleaned_data["reason"])
        except services.PeopleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{_name(person)}’s two-step verification has been reset.")
        return redirect("people:detail", pk=person.pk)
    context = {"person": person, "form": form, "heading": f"Reset {_name(person)}’s two-step verification"}
    return render(request, "boroughs/people/mfa_reset.html", context)


def resend(request, pk):
    person = get_changeable_person_for_user(request.user, pk)
    form = ConfirmForm(posted(request), submit_label="Send a new invitation")
    if request.method == "POST" and form.is_valid():
        try:
            services.resend_invitation(by=request.user, person=person)
        except services.PeopleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"We have sent {_name(person)} a new invitation at {person.email}. The earlier link no longer works.",
            )
        return redirect("people:detail", pk=person.pk)
    context = {
        "person": person,
        "form": form,
        "heading": f"Send {_name(person)} a new invitation",
        "days": tokens.INVITATION_DAYS,
    }
    return render(request, "boroughs/people/resend.html", context)


# In the session between the link and the form, so the token leaves the address bar (and any Referer) at once.
INVITATION_SESSION_KEY = "_people_invitation_token"
SET_PASSWORD_TOKEN = "set-password"


def _invited_person(uidb64):
    User = get_user_model()
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        return User.objects.get(pk=pk, is_active=True)
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError, ValidationError, User.DoesNotExist):
        return None


@login_not_required
@never_cache
@sensitive_post_parameters("password1", "password2")
def welcome(request, uidb64, token):
    """The link in the invitation: check it, then let the person choose their password and send them to sign in.

    Like Django's own reset view, the token is moved into the session and the address changed to a fixed one.
    """
    person = _invited_person(uidb64)
    from_link = token != SET_PASSWORD_TOKEN
    if not from_link:
        token = request.session.get(INVITATION_SESSION_KEY, "")
    state = tokens.invitation_tokens.status(person, token) if person else tokens.INVALID
    if state != tokens.VALID:
        context = {"state": state, "days": tokens.INVITATION_DAYS}
        return render(request, "boroughs/people/welcome_refused.html", context)
    if from_link:
        request.session[INVITATION_SESSION_KEY] = token
        return redirect("people:welcome", uidb64=uidb64, token=SET_PASSWORD_TOKEN)
    form = InvitationPasswordForm(posted(request), user=person)
    if request.method == "POST" and form.is_valid():
        services.accept_invitation(person=person, password=form.cleaned_data["password1"])
        # Whoever was signed in in this browser (the admin who sent it, perhaps) is signed out first.
        logout(request)
        messages.success(request, f"Your password has been set. Sign in with your username, {person.username}.")
        return redirect("login")
    context = {"form": form, "person": person, "heading": "Choose your password"}
    return render(request, "boroughs/people/welcome.html", context)
