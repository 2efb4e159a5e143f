"""The clerk's page "Vorlage aus Text importieren": paste, preview, confirm."""

from django.contrib import admin, messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .forms import ConfirmForm, ImportForm, preview_signature
from .paper_choices import apply_choices, blocking_errors
from .preview import funding_rows, general_warnings, header_fields, source_rows
from .protocol_views import CONFIRM as CONFIRM_PROTOCOL
from .protocol_views import ProtocolImportMixin
from .reading.paper import ParseError, read_paper
from .services import PaperChanged, PaperImportError, import_plan, paper_import


class PaperImportView(ProtocolImportMixin, PermissionRequiredMixin, FormView):
    """Nothing is saved before the clerk confirms the preview.

    A pasted protocol (Niederschrift) is previewed and recorded by
    ProtocolImportMixin (protocol_views.py). Mounted by importer/admin.py behind
    the admin site's admin_view, which lets only staff in (with a second factor
    where required); the permissions below narrow that to the clerks.
    """

    form_class = ImportForm
    template_name = "importer/paper_import_form.html"
    preview_template_name = "importer/paper_import_preview.html"
    permission_required = ("council.add_paper", "council.change_paper")
    raise_exception = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(admin.site.each_context(self.request))
        context["title"] = _("Vorlage aus Text importieren")
        return context

    def post(self, request, *args, **kwargs):
        if CONFIRM_PROTOCOL in request.POST:
            return self.protocol_confirm()
        if "confirm" in request.POST:
            return self.confirm()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if form.cleaned_data.get("protocol") is not None:
            return self.protocol_preview(
                form.cleaned_data["text"], form.cleaned_data["protocol"]
            )
        text, draft = form.cleaned_data["text"], form.cleaned_data["draft"]
        plan = import_plan(draft, self.request.user)
        if plan.refused:
            form.add_error("text", plan.refused)
            return self.form_invalid(form)
        return self.preview(text, plan, self.signed_form(text, plan))

    def signed_form(self, text, plan):
        """The confirm step of this preview, signed for this text and clerk."""
        return ConfirmForm(
            initial={"text": text, "version": plan.version},
            plan=plan,
            user=self.request.user,
        )

    def confirm(self):
        try:
            text = self.request.POST.get("text", "")
            draft = read_paper(text)
        except ParseError:
            # The same message as in the first step, from the same form.
            form = ImportForm(data={"text": self.request.POST.get("text", "")})
            form.is_valid()
            return self.form_invalid(form)
        plan = import_plan(draft, self.request.user)
        if plan.refused:
            form = ImportForm(data={"text": text})
            form.is_valid()
            form.add_error("text", plan.refused)
            return self.form_invalid(form)
        confirm_form = ConfirmForm(self.request.POST, plan=plan, user=self.request.user)
        if not confirm_form.is_valid():
            if confirm_form.has_error(NON_FIELD_ERRORS, code=ConfirmForm.CHANGED):
                # Not what was previewed: nothing saved, and a preview of what was
                # sent, signed anew, for the clerk to check and confirm.
                signed = self.request.POST.copy()
                signed["signature"] = preview_signature(text, self.request.user)
                fresh = ConfirmForm(signed, plan=plan, user=self.request.user)
                fresh.is_valid()
                for error in confirm_form.non_field_errors():
                    fresh.add_error(None, error)
                return self.preview(text, plan, fresh)
            return self.preview(text, plan, confirm_form)
        departments, committees = apply_choices(draft, plan, confirm_form.cleaned_data)
        try:
            paper = paper_import(
                draft=draft,
                update=confirm_form.cleaned_data["update"],
                position_choices=confirm_form.position_choices(),
                department_choices=departments,
                committee_choices=committees,
                user=self.request.user,
                previewed_version=(
                    confirm_form.cleaned_data["version"]
                    if plan.existing is not None
                    else None
                ),
            )
        except PaperChanged as exc:
            # The paper changed after the preview: a preview of it as it is now,
            # with its new version, for the clerk to check and confirm.
            current = self.request.POST.copy()
            current["version"] = plan.version
            fresh = ConfirmForm(current, plan=plan, user=self.request.user)
            fresh.is_valid()
            for message in exc.messages:
                fresh.add_error(None, message)
            return self.preview(text, plan, fresh)
        except PaperImportError as exc:
            for message in exc.messages:
                confirm_form.add_error(None, message)
            return self.preview(text, plan, confirm_form)
        messages.success(
            self.request,
            _("GRDrs %(ref)s wurde aus dem Text übernommen.")
            % {"ref": paper.reference},
        )
        return redirect(reverse("admin:council_paper_change", args=[paper.pk]))

    def preview(self, text, plan, confirm_form):
        blocking = blocking_errors(plan.draft)
        context = self.get_context_data(
            plan=plan,
            draft=plan.draft,
            confirm_form=confirm_form,
            source=source_rows(text, plan.draft),
            header=header_fields(text, plan.draft),
            positions=[
                {
                    "plan": p,
                    "field": (
                        confirm_form[f"position_{p.index}"]
                        if f"position_{p.index}" in confirm_form.fields
                        else None
                    ),
                }
                for p in plan.positions
            ],
            funding=funding_rows(plan.draft),
            general_warnings=general_warnings(plan.draft),
            blocking_errors=blocking,
            can_confirm=not blocking,
            choice_fields=confirm_form.choice_fields(),
        )
        context["title"] = _("Vorschau: Vorlage aus Text importieren")
        return self.response_class(
            request=self.request,
            template=[self.preview_template_name],
            context=context,
            using=self.template_engine,
        )
