"""{% result_list_rows cl %}: Django's {% result_list cl %}, its rows written by
operations.admin_rows (issue 12)."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from operations import admin_rows

register = template.Library()


@register.tag(name="result_list_rows")
def result_list_rows_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=admin_rows.result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
