"""A django-filter FilterSet that builds less for every request.

django-filter deep-copies a filter set's filters for each request (their widgets and
querysets with them) and then builds a new form class from their fields. A search page
did both on every request: about half a millisecond of it.
"""

import copy

import django_filters
from django import forms


class ShallowCopiedFilters(dict):
    """A filter set's filters, copied one by one for each filter set rather than deeply:
    they hold nothing a request changes but their parent and model, which the filter set
    sets on its copies."""

    def __deepcopy__(self, memo) -> dict:
        copies = {}
        for name, filter_ in self.items():
            copies[name] = copy.copy(filter_)
            if filter_.method:
                # Made anew, its FilterMethod calls the copy's parent, not the original's.
                copies[name].method = filter_.method
        return copies


class LightFilterSet(django_filters.FilterSet):
    """A FilterSet whose filters are copied shallowly and whose form class is built once.

    Its filters' fields must be the same for every request (as with a fixed queryset,
    not one that depends on the request): the form class is built from the first filter
    set's, and every form copies its fields for itself.
    """

    @classmethod
    def get_filters(cls) -> dict:
        return ShallowCopiedFilters(super().get_filters())

    def get_form_class(self) -> type[forms.Form]:
        cls = type(self)
        if "light_form_class" not in cls.__dict__:
            cls.light_form_class = super().get_form_class()
        return cls.light_form_class
