"""The clerk's page "Vorlage aus Text importieren": paste, preview, confirm."""

from django.contrib import admin, messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from funding.models import FundingLine

from .forms import ConfirmForm, ImportForm, preview_signature
from .paper_choices import apply_choices, blocking_errors
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
            general_warnings=[w for w in plan.draft.warnings if not w.line],
            blocking_errors=blocking_errors(plan.draft),
            choice_fields=confirm_form.choice_fields(),
        )
        context["title"] = _("Vorschau: Vorlage aus Text importieren")
        return self.response_class(
            request=self.request,
            template=[self.preview_template_name],
            context=context,
            using=self.template_engine,
        )


# The preview lists the text line by line; a page of 490,000 rows took 23 s to
# render and 61 MB to send. Beyond these, only lines with a note are listed, and a
# gap row says how many were left out.
MAX_SOURCE_LINES = 2000
MAX_NOTED_LINES = 1000
MAX_LINE_CHARS = 2000


def source_rows(text, draft):
    """The text line by line, with the warnings and errors that refer to each line.

    A row {"gap": n} stands for n lines left out (long texts, see above).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    notes = {}
    for kind, problems in (("error", draft.errors), ("warning", draft.warnings)):
        for problem in problems:
            if problem.line:
                notes.setdefault(problem.line, []).append((kind, problem.message))
    shown = list(range(1, min(len(lines), MAX_SOURCE_LINES) + 1))
    shown += sorted(n for n in notes if MAX_SOURCE_LINES < n <= len(lines))[
        :MAX_NOTED_LINES
    ]
    rows, previous = [], 0
    for n in shown:
        if n > previous + 1:
            rows.append({"gap": n - previous - 1})
        line = lines[n - 1]
        rows.append({"number": n, "text": _shortened(line), "notes": notes.get(n, [])})
        previous = n
    if previous < len(lines):
        rows.append({"gap": len(lines) - previous})
    return rows


def header_fields(text, draft):
    """[(label, value, line, source line)] for the header fields of the preview."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def source(key):
        line = draft.lines.get(key)
        return (line, _shortened(lines[line - 1].strip())) if line else (None, "")

    def date(value):
        return value.strftime("%d.%m.%Y") if value else None

    rows = [
        (_("Drucksache"), draft.reference and f"GRDrs {draft.reference}", "reference"),
        (_("Zusatz"), draft.suffix or _("kein Zusatz"), "suffix"),
        (_("Datum"), date(draft.date), "date"),
        (_("federführende Dienststelle"), draft.department, "department"),
        (
            _("mitverantwortliche Dienststellen"),
            ", ".join(d.name for d in draft.co_departments) or "—",
            "department",
        ),
        (_("Aktenzeichen (Gz)"), draft.file_reference, "file_reference"),
        (_("Haushaltsberatung"), draft.budget_reading or "—", "budget_reading"),
        (_("Betreff"), draft.title, "title"),
        (
            _("Art der Vorlage"),
            draft.paper_type
            and (
                draft.paper_type
                if draft.paper_type_key
                else _("„%(printed)s“ – unbekannt, bitte wählen")
                % {"printed": draft.paper_type}
            ),
            "paper_type",
        ),
        (
            _("unterzeichnet von"),
            draft.signed_by_name
            and f"{draft.signed_by_name}, {draft.signed_by_office}",
            "signed_by",
        ),
        (
            _("öffentlich"),
            _("ja")
            if draft.is_public
            else _("nein (im Kopf als nichtöffentlich gekennzeichnet)")
            if draft.marked_non_public
            else _("nein (alle Beratungen nichtöffentlich)"),
            "non_public",
        ),
    ]
    return [(label, _shortened(value), *source(key)) for label, value, key in rows]


def _shortened(value):
    if isinstance(value, str) and len(value) > MAX_LINE_CHARS:
        return value[:MAX_LINE_CHARS] + " …"
    return value


def funding_rows(draft):
    """The detected funding lines with the labels a clerk reads."""
    rows = []
    for line in draft.funding_lines:
        codes = [
            f"{label} {code.number}"
            for label, code in (
                ("THH", line.budget_unit),
                (_("Amtsbereich"), line.cost_centre),
                (_("Produkt"), line.product),
                (_("Kontengruppe"), line.account_group),
            )
            if code
        ]
        rows.append(
            {
                "purpose": line.purpose,
                "year": line.year,
                "amount": line.amount,
                "direction": FundingLine.Direction(line.direction).label,
                "source": FundingLine.Source(line.source).label,
                "status": FundingLine.BudgetStatus(line.budget_status).label,
                "codes": codes,
                "item": line.item,
                "line": line.line,
                "part_of": (
                    draft.funding_lines[line.part_of]
                    if line.part_of is not None
                    else None
                ),
                "funded_posts": line.funded_posts,
            }
        )
    return rows
