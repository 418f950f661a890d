"""The rules of the People pages that need no database: the three roles, and whose account an admin may change."""

from boroughs.roles import CSP_OFFICER, OPCC_ADMIN, OPCC_REVIEWER

# The only groups the People pages give or take away, lowest first. Keys are what forms and query strings carry.
OFFICER = "officer"
ROLES = {OFFICER: CSP_OFFICER, "reviewer": OPCC_REVIEWER, "admin": OPCC_ADMIN}
ROLE_HINTS = {
    OFFICER: "Files their boroughs’ returns. Sees only the boroughs you select below.",
    "reviewer": "Sees every borough, reviews returns and works on the annex.",
    "admin": "A reviewer who also manages periods, reference data and people.",
}
NO_ROLE = "none"


def role_of(group_names):
    """The key of the highest of the three roles among these group names, or None.

    An OPCC admin's permissions include a reviewer's, so someone in both groups is shown as an admin.
    """
    names = set(group_names)
    held = [key for key, name in ROLES.items() if name in names]
    return held[-1] if held else None


def refusal(*, by, person):
    """Why `by` may not change `person`'s account, or None if they may.

    A superuser's account is changed only by superusers, in the Django admin: an OPCC admin who could
    deactivate or re-role one could lock out the people who hold the keys. Nobody changes their own role or
    account here, so an admin can neither lock themselves out nor be the only check on their own access.
    """
    if person.is_superuser:
        return (
            "This is a superuser’s account. Only superusers can change it, in the Django admin. "
            "You can see it here, but not change it."
        )
    if by.pk == person.pk:
        return (
            "This is your own account. You cannot change your own role, boroughs or account here: "
            "ask another OPCC admin. Your password and two-step verification are on “Your account”."
        )
    return None
