"""Optimistic locking, shared by every app: a save names the version it started from.

Two people editing the same thing must never silently overwrite each other. Each lockable row
has a `version`; a save that started from an older version raises EditConflict carrying what the
other person saved, so the page can show both. The row lock makes check-and-write one step, and
saving through the model keeps auto_now fields and the change history. Every editable model inherits
`Versioned`, so the field and the way to save it live here once.
"""

from django.db import models, transaction


class EditConflict(Exception):
    """Someone else saved the object after this editor loaded it. `current` is what they saved."""

    def __init__(self, current):
        super().__init__("This was changed by someone else while you were editing it.")
        self.current = current


def save_if_version(instance, expected_version, *, fields=(), conflict=EditConflict, related=(), **changes):
    """Save `changes` (and the already-set `fields`) if the row is still at `expected_version`."""
    model = type(instance)
    with transaction.atomic():
        rows = model.objects.select_for_update(of=("self",))
        if related:
            rows = rows.select_related(*related)
        current = rows.get(pk=instance.pk)
        if current.version != expected_version:
            raise conflict(current)
        for name, value in changes.items():
            setattr(instance, name, value)
        instance.version = expected_version + 1
        update_fields = {*fields, *changes, "version"}
        update_fields |= {f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}
        instance.save(update_fields=sorted(update_fields))
    return instance


class Versioned(models.Model):
    """An editable row with optimistic locking: a save must name the version it started from."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save_if_version(self, expected_version, **options):
        """Save if the row is still at `expected_version`; otherwise raise the conflict (see save_if_version)."""
        return save_if_version(self, expected_version, **options)

    def delete_if_version(self, expected_version, *, conflict=EditConflict):
        """Delete if the row is still at `expected_version`: a removal confirmed against an older version is
        refused with what is there now. A row already gone is left gone."""
        with transaction.atomic():
            current = type(self).objects.select_for_update(of=("self",)).filter(pk=self.pk).first()
            if current is None:
                return
            if current.version != expected_version:
                raise conflict(current)
            current.delete()
