"""Pure rules about who may see or do what in the review. No model imports, so any module can use them.

These decide from the user's permissions and memberships alone; the querysets (`for_user`) and the
access helpers (reviews/access.py) build on them.
"""

OPCC_ONLY = "reviews.view_opcc_only"


def can_see_annex(user):
    """Annexes and their exports are OPCC business: staff who may see every borough and the annex."""
    return (
        user.is_authenticated
        and user.is_active
        and user.has_perm("boroughs.view_all_boroughs")
        and user.has_perm("reviews.view_annex")
    )


def can_see_opcc_only(user):
    """OPCC-only commentary and flags are internal: never shown to a partnership's officers."""
    return user.is_authenticated and user.has_perm(OPCC_ONLY)


def is_officer_of(user, borough_id):
    """The self-review rule: someone who is an officer of a borough must not judge anything of it.

    Read through the user's own relation, so this module needs no model import.
    """
    return user.is_authenticated and user.memberships.filter(borough_id=borough_id).exists()
