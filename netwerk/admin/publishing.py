"""Admin writes go through netwerk.search.publishing, whichever door they take."""

from django.db.models import QuerySet

from netwerk.search.publishing import changes_published


class PublishesChanges:
    """For the admins of what the public pages show.

    Django's admin calls `log_addition`/`log_change` once an object, its many-to-many sets and
    its inlines are saved (the change form, the list's inline editing, a revert), and
    `delete_model`/`delete_queryset` for a delete and the bulk delete action. Each passes the
    organisations it touched — read before a delete — to `changes_published`.
    """

    def organisations_touched(self, objects) -> set[int]:
        """The organisations whose search documents hold something of these objects."""
        return {obj.organisation_id for obj in objects}

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        changes_published(organisation_ids=self.organisations_touched([obj]))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        changes_published(organisation_ids=self.organisations_touched([obj]))
        return entry

    def delete_model(self, request, obj):
        touched = self.organisations_touched([obj])
        super().delete_model(request, obj)
        changes_published(organisation_ids=touched)

    def delete_queryset(self, request, queryset: QuerySet):
        touched = self.organisations_touched(queryset)
        super().delete_queryset(request, queryset)
        changes_published(organisation_ids=touched)


class PublishesReferenceChanges(PublishesChanges):
    """Reference data (regions, postcode areas) is read by the pages' queries, not held in the
    search documents: a change only moves the published data's version."""

    def organisations_touched(self, objects) -> set[int]:
        return set()
