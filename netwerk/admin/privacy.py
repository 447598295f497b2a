"""Deletes in the admin that forget a contact's personal data in its history
(netwerk.coordination.privacy)."""

from netwerk.coordination.privacy import admin_log_message_forget, contacts_forget_personal_data
from netwerk.directory.contacts import Contact


class ForgetsDeletedContacts:
    """For the admins of contacts and of organisations: a contact deleted on its own page, by the
    bulk action, as a row of its organisation's page, or with its organisation."""

    def delete_model(self, request, obj):
        contact_ids = self.contacts_among([obj.pk])
        super().delete_model(request, obj)
        contacts_forget_personal_data(contact_ids)

    def delete_queryset(self, request, queryset):
        contact_ids = self.contacts_among(queryset.values("pk"))
        super().delete_queryset(request, queryset)
        contacts_forget_personal_data(contact_ids)

    def save_formset(self, request, form, formset, change):
        contact_ids = []
        if formset.model is Contact:
            contact_ids = [row.instance.pk for row in formset.deleted_forms if row.instance.pk]
        super().save_formset(request, form, formset, change)
        contacts_forget_personal_data(contact_ids)

    def construct_change_message(self, request, form, formsets, add=False):
        # Written after the formsets are saved, so after the forgetting: a person deleted as a
        # row of the page is not named in it either.
        message = super().construct_change_message(request, form, formsets, add)
        deleted_people = {
            str(contact)
            for formset in formsets or []
            if formset.model is Contact
            for contact in formset.deleted_objects
            if contact.is_person
        }
        admin_log_message_forget(message, deleted_people)
        return message

    def contacts_among(self, pks) -> list[int]:
        """The contacts that a delete of these objects of this admin's model removes."""
        if self.model is Contact:
            contacts = Contact.objects.filter(pk__in=pks)
        else:  # an organisation: its contacts go with it
            contacts = Contact.objects.filter(organisation__in=pks)
        return list(contacts.values_list("pk", flat=True))
