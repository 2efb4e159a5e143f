"""The HR register's current filter as CSV (for German Excel) and as XLSX."""

import csv
import io
from decimal import Decimal

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpResponse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import View

from council.filters import RenamedParametersMixin
from operations import formats

from .filters import HRPositionFilter
from .models import HR_PERMISSION, Position
from .selectors import Register, Term


def columns():
    """(heading, value of a RegisterRow, kind); kind picks the cell format.

    Every label is translated once here, not per row: 74,000 gettext calls were
    a fifth of an export of 12,500 positions (issue 12)."""
    yes, no = _("ja"), _("nein")
    kinds = {kind: str(label) for kind, label in Position.Kind.choices}
    terms = {term: str(term.label) for term in Term}

    def state(row):
        return terms[row.term]

    def paper_and_item(decision):
        return "" if decision is None else decision.basis

    return [
        (_("Funktion"), lambda r: r.position.function, "text"),
        (_("Dienststelle"), lambda r: r.position.department.name, "text"),
        (_("Art"), lambda r: kinds.get(r.position.kind, r.position.kind), "text"),
        (_("Stellenanteil in %"), lambda r: r.share, "number"),
        (_("Tarif / Besoldung"), lambda r: r.position.pay_scheme, "text"),
        (_("Entgeltgruppe"), lambda r: r.grade, "text"),
        (_("befristet bis"), lambda r: r.expiry, "date"),
        (_("Stand"), state, "text"),
        (
            _("Befristung beruht auf"),
            lambda r: paper_and_item(r.expiry_decision),
            "text",
        ),
        (_("geschaffen durch"), lambda r: paper_and_item(r.origin), "text"),
        (
            _("unbefristet ausschreibbar"),
            lambda r: yes if r.may_advertise_unlimited else no,
            "text",
        ),
        (
            _("Jahreskosten in EUR"),
            lambda r: r.annual_cost[1] if r.annual_cost else None,
            "money",
        ),
        (
            _("Jahr der Kosten"),
            lambda r: r.annual_cost[0] if r.annual_cost else None,
            "year",
        ),
        (
            _("Folgebeschluss in Beratung"),
            lambda r: yes if r.pending_follow_up else no,
            "text",
        ),
    ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value, kind):
    if value is None:
        return ""
    if kind == "text" and str(value).startswith(FORMULA_STARTS):
        # A function text like "=HYPERLINK(…)" must stay text, not run in Excel.
        return "'" + str(value)
    if kind == "date":
        return formats.date(value)
    if kind == "number":
        return formats.spreadsheet_number(value)
    if kind == "money":
        return formats.spreadsheet_number(value, 2)
    return str(value)


class PositionExportView(PermissionRequiredMixin, RenamedParametersMixin, View):
    permission_required = HR_PERMISSION
    renamed_parameters = HRPositionFilter.renamed_parameters

    @cached_property
    def filterset(self):
        return self.register.filter

    @cached_property
    def register(self):
        return Register(self.request.user, self.request.GET)

    def get(self, request, file_format):
        if file_format not in ("csv", "xlsx"):
            raise Http404(_("Dieses Format gibt es nicht."))
        if not self.filterset.is_valid():
            return HttpResponse(
                _("Der Filter ist ungültig: %(errors)s")
                % {"errors": self.filterset.form.errors.as_text()},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        build = self.csv if file_format == "csv" else self.xlsx
        response = build(self.register.export_rows())
        response["Content-Disposition"] = (
            f'attachment; filename="{self.filename()}.{file_format}"'
        )
        return response

    def filename(self):
        """ "stellen" plus every active filter, e.g. stellen_stand-2019-06-30."""
        parts = ["stellen"]
        if self.filterset.is_valid():
            for name, value in self.filterset.form.cleaned_data.items():
                if value in (None, ""):
                    continue
                if hasattr(value, "isoformat"):
                    value = value.isoformat()
                elif isinstance(value, Decimal):
                    value = f"{value.normalize():f}"
                parts.append(slugify(f"{name} {value}"))
        return "_".join(parts)[:150]

    def csv(self, rows):
        cols = columns()
        buffer = io.StringIO()
        # The byte order mark tells Excel the file is UTF-8.
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([heading for heading, _value, _kind in cols])
        for row in rows:
            writer.writerow([csv_cell(value(row), kind) for _h, value, kind in cols])
        return HttpResponse(
            buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
        )

    def xlsx(self, rows):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        cols = columns()
        # Write-only: rows are streamed into the file instead of kept as a sheet
        # of cell objects (12,500 positions took 10 s at 100,000 papers).
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Stellen"))
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        headings = []
        for heading, _value, _kind in cols:
            cell = WriteOnlyCell(sheet, value=heading)
            cell.font = bold
            headings.append(cell)
        sheet.append(headings)
        formats = {"date": "DD.MM.YYYY", "money": "#,##0.00", "number": "0.##"}
        for row in rows:
            cells = []
            for _heading, value, kind in cols:
                cell = WriteOnlyCell(sheet, value=value(row))
                if kind == "text" and cell.data_type == "f":
                    cell.data_type = "s"  # text, never a formula
                if kind in formats:
                    cell.number_format = formats[kind]
                cells.append(cell)
            sheet.append(cells)
        output = io.BytesIO()
        workbook.save(output)
        return HttpResponse(
            output.getvalue(),
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
