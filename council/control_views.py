"""The Beschlusskontrolle (/beschlusskontrolle/): the items of adopted papers and
how far they are implemented, overdue first. Reads come from council/control.py."""

from django.views.generic import ListView

from . import control
from .filters import PAGE_PARAMETER, ItemFilter, RenamedParametersMixin
from .models import can_see_nonpublic


class ItemListView(RenamedParametersMixin, ListView):
    template_name = "council/item_list.html"
    context_object_name = "items"
    paginate_by = 50
    paginator_class = control.ControlPaginator
    renamed_parameters = ItemFilter.renamed_parameters

    def get_queryset(self):
        self.filter = ItemFilter(
            self.request.GET or None,
            queryset=control.control_items(self.request.user),
        )
        return self.filter.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop(PAGE_PARAMETER, None)
        context["form"] = self.filter.form
        context["query_string"] = query.urlencode()
        context["can_see_nonpublic"] = can_see_nonpublic(self.request.user)
        return context
