"""The last step of every write the public pages show: one function, called by the admin (save,
delete, bulk delete, revert), the spreadsheet import, the availability forms and the loaders.

It rebuilds the search documents of the organisations the change touched (a deleted location
or expertise tag as much as a saved one) and raises the published data's version, on which the
public pages' caches are keyed (netwerk.search.data_version).
"""

from collections.abc import Iterable

from netwerk.directory.organisations import Organisation
from netwerk.search.data_version import published_data_changed
from netwerk.search.documents import organisations_search_refresh


def changes_published(*, organisation_ids: Iterable[int] = (), everything: bool = False) -> None:
    """After a change, in its transaction: the documents of `organisation_ids` (of all
    organisations with `everything`) rebuilt, and the published data's version raised."""
    if everything:
        organisations_search_refresh()
    else:
        ids = set(organisation_ids)
        if ids:
            organisations_search_refresh(Organisation.objects.filter(pk__in=ids))
    published_data_changed()
