"""Demo people for `manage.py seed_demo`. Never called in production."""

from django.contrib.auth import get_user_model

from .models import Borough, Membership
from .reference import ensure_west_midlands
from .roles import CSP_OFFICER, OPCC_ADMIN, OPCC_REVIEWER, give_role, sync_roles

OFFICER_NAMES = {
    "birmingham": ("Aisha", "Khan"),
    "coventry": ("Tom", "Fletcher"),
    "dudley": ("Sarah", "Price"),
    "sandwell": ("Gurpreet", "Sandhu"),
    "solihull": ("Helen", "Marsh"),
    "walsall": ("Daniel", "Okafor"),
    "wolverhampton": ("Rachel", "Evans"),
}


def _user(username, first, last, password, *, staff=False):
    user, _ = get_user_model().objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.csp-returns.example",
            "is_staff": staff,
            "is_active": True,
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    user.groups.clear()
    return user


def seed_people(*, password):
    """Create or refresh the demo logins. Returns [(username, description)] for printing."""
    sync_roles()
    ensure_west_midlands(Borough)
    logins = []
    for borough in Borough.objects.filter(slug__in=OFFICER_NAMES):
        first, last = OFFICER_NAMES[borough.slug]
        user = _user(f"officer.{borough.slug}", first, last, password)
        give_role(user, CSP_OFFICER)
        Membership.objects.get_or_create(
            user=user, borough=borough, defaults={"job_title": "Community Safety Officer", "phone": "0121 000 0000"}
        )
        logins.append((user.username, f"CSP officer, {borough.name}"))

    multi = _user("officer.multi", "Priya", "Shah", password)
    give_role(multi, CSP_OFFICER)
    for slug in ("dudley", "sandwell"):
        Membership.objects.get_or_create(
            user=multi, borough=Borough.objects.get(slug=slug), defaults={"job_title": "Shared partnership analyst"}
        )
    logins.append((multi.username, "CSP officer, Dudley and Sandwell"))

    reviewer = _user("reviewer", "Mark", "Collins", password)
    give_role(reviewer, OPCC_REVIEWER)
    logins.append((reviewer.username, "OPCC reviewer"))

    admin = _user("opcc.admin", "Joanne", "Hughes", password, staff=True)
    give_role(admin, OPCC_ADMIN)
    give_role(admin, OPCC_REVIEWER)
    logins.append((admin.username, "OPCC admin (and the Django admin)"))
    return logins
