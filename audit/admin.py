"""What every domain ModelAdmin gets from the audit trail: a readable history of
the record and its inline rows, and optimistic concurrency on its change form.

Used as `class PaperAdmin(VisibilityMixin, AuditMixin, ModelAdmin)`; the
visibility mixin comes first, so that the object, its inline rows and every
version shown are the ones the user may see.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .concurrency import ConcurrencyMixin
from .trail import Source, entries


class HistoryMixin:
    """The admin's "Änderungen" page: every version of the record and of its inline
    rows that the user may see, with old and new values, user, time and reason."""

    object_history_template = "admin/audit/object_history.html"
    history_per_page = 50

    def history_sources(self, request, obj):
        sources = []
        if hasattr(self.model, "audit_trail"):
            sources.append(Source(self.model, {"id": obj.pk}))
        for inline in self.get_inline_instances(request, obj):
            if not hasattr(inline.model, "audit_trail"):
                continue
            fk = inline.get_formset(request, obj).fk
            sources.append(Source(inline.model, {fk.attname: obj.pk}, fk.name))
        return sources

    def history_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        sources = self.history_sources(request, obj)
        if not sources:
            # Not a record with an audit trail: the admin's own log.
            return super().history_view(request, object_id, extra_context)
        trail = entries(sources, request.user)
        page = Paginator(trail, self.history_per_page).get_page(request.GET.get("p"))
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": _("Änderungen: %s") % obj,
            "subtitle": None,
            "module_name": str(capfirst(opts.verbose_name_plural)),
            "object": obj,
            "opts": opts,
            "preserved_filters": self.get_preserved_filters(request),
            "page_obj": page,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_template, context)


class AuditMixin(HistoryMixin, ConcurrencyMixin):
    """History and optimistic concurrency for a domain ModelAdmin."""
