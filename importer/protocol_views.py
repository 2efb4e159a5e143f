"""The import page's second kind of text: a protocol (Niederschrift).

The page tells a protocol from a paper by its first lines (`reading.kind_of`) and
previews what recording it would do for every consultation of the paper's
Beratungsfolge; confirming records it in one transaction. Like the paper's, the
preview signs the text for the clerk, and a confirm of another text (or of rows
changed since the preview) saves nothing and previews anew.
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from operations import formats

from .forms import ImportForm, preview_signature
from .preview import general_warnings, source_rows
from .protocol_forms import ProtocolConfirmForm
from .protocol_plan import protocol_plan
from .protocols import ProtocolImportError, protocol_import
from .reading import ReadError, read_protocol

# The submit button of the protocol's confirm step.
CONFIRM = "confirm_protocol"


class ProtocolImportMixin:
    """Preview and confirm of a protocol, for the import page's view."""

    protocol_template_name = "importer/protocol_import_preview.html"

    def protocol_preview(self, text, draft):
        plan = protocol_plan(draft, self.request.user)
        if plan.refused:
            form = ImportForm(data={"text": text})
            form.is_valid()
            form.add_error("text", plan.refused)
            return self.form_invalid(form)
        confirm_form = ProtocolConfirmForm(
            initial={"text": text, "version": plan.version},
            plan=plan,
            user=self.request.user,
        )
        return self.render_protocol(text, plan, confirm_form)

    def protocol_confirm(self):
        text = self.request.POST.get("text", "")
        try:
            draft = read_protocol(text)
        except ReadError:
            form = ImportForm(data={"text": text})
            form.is_valid()
            return self.form_invalid(form)
        user = self.request.user
        plan = protocol_plan(draft, user)
        if plan.refused:
            form = ImportForm(data={"text": text})
            form.is_valid()
            form.add_error("text", plan.refused)
            return self.form_invalid(form)
        form = ProtocolConfirmForm(self.request.POST, plan=plan, user=user)
        if not form.is_valid():
            if form.has_error(
                NON_FIELD_ERRORS, code=ProtocolConfirmForm.CHANGED
            ) or form.has_error(NON_FIELD_ERRORS, code=ProtocolConfirmForm.STALE):
                # Not what was previewed: nothing recorded, and a preview of
                # this text as things are now, signed anew, to check and confirm.
                fresh_data = self.request.POST.copy()
                fresh_data["signature"] = preview_signature(text, user)
                fresh_data["version"] = plan.version
                fresh = ProtocolConfirmForm(fresh_data, plan=plan, user=user)
                fresh.is_valid()
                for error in form.non_field_errors():
                    fresh.add_error(None, error)
                return self.render_protocol(text, plan, fresh)
            return self.render_protocol(text, plan, form)
        if plan.errors:
            return self.render_protocol(text, plan, form)
        create_stubs = form.cleaned_data["create_stubs"]
        if plan.missing and not create_stubs:
            form.add_error(
                None,
                _(
                    "GRDrs %(papers)s ist nicht erfasst. Nichts wurde erfasst; um die "
                    "Niederschrift zu erfassen, „als Platzhalter anlegen“ ankreuzen."
                )
                % {"papers": ", ".join(plan.missing)},
            )
            return self.render_protocol(text, plan, form)
        try:
            record = protocol_import(
                draft=draft,
                item_outcomes=form.item_outcomes(),
                create_stubs=create_stubs,
                user=user,
            )
        except ProtocolImportError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.render_protocol(text, plan, form)
        return self.protocol_recorded(draft, record)

    def protocol_recorded(self, draft, record):
        if not record.papers:
            messages.warning(self.request, " ".join(record.notes))
            return redirect(reverse("admin:paper-import"))
        steps = ", ".join(
            f"GRDrs {paper.reference}: {step.get_result_display()}"
            for paper, step in zip(record.papers, record.consultations, strict=True)
        )
        messages.success(
            self.request,
            _("Niederschrift %(committee)s vom %(date)s erfasst (%(steps)s).")
            % {
                "committee": draft.committee,
                "date": formats.date(draft.meeting_date),
                "steps": steps,
            },
        )
        for note in record.notes:
            messages.info(self.request, note)
        return redirect(
            reverse("admin:council_paper_change", args=[record.papers[0].pk])
        )

    def render_protocol(self, text, plan, confirm_form):
        draft = plan.draft
        context = self.get_context_data(
            plan=plan,
            draft=draft,
            confirm_form=confirm_form,
            items=[
                {
                    "plan": item,
                    "field": confirm_form[item.field_name]
                    if item.field_name in confirm_form.fields
                    else None,
                }
                for paper in plan.papers
                for item in paper.items
            ],
            source=source_rows(text, draft),
            general_warnings=general_warnings(draft),
            can_confirm=bool(draft.papers and not plan.errors),
        )
        context["title"] = _("Vorschau: Niederschrift erfassen")
        return self.response_class(
            request=self.request,
            template=[self.protocol_template_name],
            context=context,
            using=self.template_engine,
        )
