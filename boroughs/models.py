from django.conf import settings
from django.db import models
from django.urls import reverse


class BoroughQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_user(self, user):
        """The boroughs this user may see: all for OPCC staff, their own for officers."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_perm("boroughs.view_all_boroughs"):
            return self.all()
        return self.filter(pk__in=_member_boroughs(user))


def _member_boroughs(user):
    """The ids of the boroughs the user is an officer of, as a subquery."""
    return Membership.objects.filter(user=user).values("borough_id")


def borough_scope(user, path="borough"):
    """for_user's rule as a filter on another model's rows, through their borough at `path`.

    No condition at all for staff who see every borough: `borough_id IN (SELECT id FROM borough)` holds for every
    row (the foreign keys are not null), yet PostgreSQL plans and runs it as a join in each query; an unprepared
    query's planning took about twice as long with it. An officer's rows are matched on the memberships' borough
    ids themselves, not through a subquery of the boroughs around them: the same rows (a membership's borough
    exists), one subquery fewer for Django to build and compile in each of the officer's queries (0.3 of a flag
    list's 1.5 ms of Python before it reaches the database) and for PostgreSQL to plan.
    """
    if not user.is_authenticated or not user.is_active:
        return models.Q(pk__in=[])  # no row: what for_user's none() gave
    if user.has_perm("boroughs.view_all_boroughs"):
        return models.Q()
    return models.Q(**{f"{path}__in": _member_boroughs(user)})


class Borough(models.Model):
    """A local authority area and its Community Safety Partnership."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    partnership_name = models.CharField(max_length=200)
    ons_code = models.CharField(
        "ONS local-authority code",
        max_length=9,
        unique=True,
        help_text="For example E08000025 for Birmingham.",
    )
    active = models.BooleanField(default=True, help_text="Inactive boroughs are not asked for returns.")
    contact_email = models.EmailField("Partnership email address", blank=True)
    website = models.URLField(blank=True)
    opcc_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="OPCC contact",
        help_text="The OPCC member of staff who looks after this partnership; copied into overdue reminders.",
    )

    objects = BoroughQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("view_all_boroughs", "Can see every borough (OPCC staff)")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("borough_detail", args=[self.slug])

    def officers(self):
        """The active people who hold the officer's permission and belong to this borough."""
        from .roles import users_with_perm

        return users_with_perm("boroughs.view_borough").filter(memberships__borough=self)


class Membership(models.Model):
    """Makes a user a CSP officer of a borough. A user may belong to several boroughs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    borough = models.ForeignKey(Borough, on_delete=models.CASCADE, related_name="memberships")
    job_title = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["borough__name", "user__last_name", "user__first_name"]
        constraints = [models.UniqueConstraint(fields=["user", "borough"], name="one_membership_per_borough")]

    def __str__(self):
        return f"{self.user} – {self.borough}"


class NotificationKind(models.TextChoices):
    """Every kind of email the service sends. Apps higher up send them; people choose here."""

    RETURN_SUBMITTED = "return_submitted", "A return is submitted (OPCC staff)"
    CHANGES_REQUESTED = "changes_requested", "Changes are requested on your return"
    RETURN_ACCEPTED = "return_accepted", "Your return is accepted"
    COMMENT_SHARED = "comment_shared", "The OPCC shares a comment or flag on your return"
    PERIOD_OPENING = "period_opening", "A reporting period opens"
    DUE_SOON = "due_soon", "A return is due soon"
    DUE_TODAY = "due_today", "A return is due today"
    OVERDUE = "overdue", "A return is overdue (every 7 days)"
    WEEKLY_DIGEST = "weekly_digest", "Weekly digest of outstanding returns (OPCC staff)"
    DEADLINE_CHANGED = "deadline_changed", "A deadline, extension or reopening affects you"

    @classmethod
    def mandatory(cls):
        # Officers must always hear that their return came back: it is the one email that needs action.
        return {cls.CHANGES_REQUESTED}

    @classmethod
    def for_user(cls, user):
        """The kinds this person can receive, by what their permissions let them see."""
        if user.has_perm("boroughs.view_all_boroughs"):
            return [cls.RETURN_SUBMITTED, cls.OVERDUE, cls.WEEKLY_DIGEST, cls.DEADLINE_CHANGED]
        return [
            cls.CHANGES_REQUESTED,
            cls.RETURN_ACCEPTED,
            cls.COMMENT_SHARED,
            cls.PERIOD_OPENING,
            cls.DUE_SOON,
            cls.DUE_TODAY,
            cls.OVERDUE,
            cls.DEADLINE_CHANGED,
        ]


class NotificationOptOut(models.Model):
    """A kind of email a person has turned off. Absence means they get it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_opt_outs")
    kind = models.CharField(max_length=40, choices=NotificationKind)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")]

    def __str__(self):
        return f"{self.user} – no {self.kind}"


class SentNotification(models.Model):
    """A scheduled email already sent, by a key naming what it was about, so reruns send nothing twice."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=NotificationKind)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return self.key


class PersonEvent(models.Model):
    """Something an OPCC admin did to a person's account (or the person did, accepting an invitation).

    The People page shows these as the person's history. The model also carries the permission to manage
    people, since it is the people pages' own model.
    """

    class Action(models.TextChoices):
        INVITED = "invited", "Invited"
        INVITATION_RESENT = "invitation_resent", "Sent a new invitation"
        PASSWORD_SET = "password_set", "Set their password from the invitation"
        ROLE_CHANGED = "role_changed", "Changed role or boroughs"
        DEACTIVATED = "deactivated", "Deactivated the account"
        REACTIVATED = "reactivated", "Reactivated the account"
        MFA_RESET = "mfa_reset", "Reset two-step verification"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person_events")
    # Kept when the admin's own account is deleted: the event still happened.
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=30, choices=Action)
    details = models.CharField(max_length=500, blank=True, help_text="What changed, e.g. the new role.")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        # Events are written only by boroughs/people/services.py: no one adds, changes or deletes them by hand.
        default_permissions = ()
        permissions = [("manage_people", "Can invite people, give roles and boroughs, and deactivate accounts")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.person} by {self.by}"


# Defined in its own module to keep this one readable; imported here so Django finds it.
from .accounts.tokens import ApiToken  # noqa: E402, F401
