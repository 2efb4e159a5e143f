"""The read-only OParl 1.1 interface: stateless JSON for harvesters.

Nothing here touches request.user or the session: every answer is what an
anonymous visitor may see, so no cookie is ever set and any cache may keep it.
Every kind of object is one `Kind`: where its public rows come from (receivers.py,
queries.py), its stamps (models.py) and how it is written (serializers.py). An
object that was public and is gone answers a deleted stub, at its URL and in the
lists asked with `modified_since`.
"""

import contextlib
import datetime
import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Value,
)
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from council.files import attachment_response
from operations.pagecache import data_version

from . import cache, conf, queries, vendor
from .models import Stamp
from .receivers import PUBLIC
from .responses import (
    error_response,
    json_response,
    json_text,
    json_text_response,
    with_cors,
)
from .serializers import PREFIX, SCHEMA, Serializer, absolute_url, main_file_name

S = Stamp.Kind
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
# The largest time zone offset of xsd:dateTime, the format of OParl's filters.
MAX_OFFSET = datetime.timedelta(hours=14)
# When nothing has been registered yet, System and Body still need timestamps.
EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


class OParlError(Exception):
    def __init__(self, status, message, debug=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.debug = debug


def not_found():
    return OParlError(
        404, _("Dieses Objekt gibt es nicht, oder es ist nicht öffentlich.")
    )


@method_decorator(csrf_exempt, name="dispatch")
class OParlView(View):
    http_method_names = ["get", "head", "options"]

    @classmethod
    def as_view(cls, **initkwargs):
        # Outside ATOMIC_REQUESTS' transaction: the interface only reads, and a
        # page asked again is then one or two queries, not four (issue 12).
        return transaction.non_atomic_requests(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        self.serializer = Serializer(request)
        try:
            if "ags" in kwargs and kwargs.pop("ags") != conf.get("OPARL_BODY_AGS"):
                raise not_found()
            response = super().dispatch(request, *args, **kwargs)
        except OParlError as error:
            response = error_response(error.status, error.message, error.debug)
        except Http404:
            response = error_response(404, not_found().message)
        return with_cors(response)

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = error_response(
            405, _("Die OParl-Schnittstelle kann nur gelesen werden.")
        )
        response["Allow"] = ", ".join(m.upper() for m in self._allowed_methods())
        return response


def resolve_or_none(path):
    try:
        return resolve(path)
    except Resolver404:
        return None


def body_timestamps():
    """The body's data are its organizations: created with the first, moved by any."""
    stamps = Stamp.objects.filter(kind__in=[S.COMMITTEE, S.DEPARTMENT]).aggregate(
        first=Min("created"), last=Max("modified")
    )
    return stamps["first"] or EPOCH, stamps["last"] or EPOCH


class SystemView(OParlView):
    def get(self, request):
        created, modified = body_timestamps()
        return json_response(
            request, self.serializer.system(created, modified), modified
        )


class BodyView(OParlView):
    def get(self, request):
        created, modified = body_timestamps()
        return json_response(request, self.serializer.body(created, modified), modified)


# Objects --------------------------------------------------------------------


def unchanged(queryset):
    return queryset


def no_extra(serializer, pk):
    return {}


@dataclass(frozen=True)
class Kind:
    """One kind of OParl object: where its rows come from and how it is written."""

    key: str
    stamp: str
    type_name: str
    base: Callable
    url_name: str
    serialize: str
    details: Callable = unchanged
    # What the schema requires of a deleted stub beyond id and type.
    stub_extra: Callable = field(default=no_extra)
    ours: bool = False

    def render(self, serializer, obj):
        return getattr(serializer, self.serialize)(obj)

    def type_uri(self, serializer):
        if self.ours:
            return serializer.vendor_type(self.type_name)
        return SCHEMA + self.type_name

    def stub(self, serializer, stamp):
        pk = stamp.object_pk
        return serializer.deleted(
            stamp,
            serializer.url(self.url_name, pk=pk),
            self.type_uri(serializer),
            **self.stub_extra(serializer, pk),
        )

    def public_keys(self):
        return PUBLIC[self.stamp]().values("pk")


def access_url(name):
    def extra(serializer, pk):
        return {"accessUrl": serializer.url(name, pk=pk)}

    return extra


def kind(key, stamp, type_name, base, serialize=None, **options):
    return Kind(
        key,
        stamp,
        type_name,
        base,
        url_name=key.replace("_", "-"),
        serialize=serialize or key,
        **options,
    )


PAPER = kind(
    "paper",
    S.PAPER,
    "Paper",
    lambda: queries.public(S.PAPER),
    details=queries.with_paper_details,
)
# The paper's text as a File: it lives and goes with its paper.
PAPER_TEXT = kind(
    "paper_text",
    S.PAPER,
    "File",
    lambda: queries.public(S.PAPER),
    "main_file",
    details=queries.with_text,
    stub_extra=access_url("paper-text-access"),
)
CONSULTATION = kind(
    "consultation", S.CONSULTATION, "Consultation", queries.consultations
)
AGENDA_ITEM = kind(
    "agenda_item",
    S.AGENDA_ITEM,
    "AgendaItem",
    queries.agenda_items,
    # The schema demands an order even of a stub; a deleted item has none.
    stub_extra=lambda serializer, pk: {"order": 0},
)
MEETING = kind(
    "meeting",
    S.MEETING,
    "Meeting",
    queries.meetings,
    details=queries.with_meeting_details,
)
LOCATION = kind("location", S.LOCATION, "Location", queries.locations)
FILE = kind("file", S.FILE, "File", queries.files, stub_extra=access_url("file-access"))
PERSON = kind("person", S.PERSON, "Person", queries.persons)
COMMITTEE = kind(
    "committee", S.COMMITTEE, "Organization", lambda: queries.public(S.COMMITTEE)
)
DEPARTMENT = kind(
    "department", S.DEPARTMENT, "Organization", lambda: queries.public(S.DEPARTMENT)
)
RESOLUTION_ITEM = kind(
    "resolution_item",
    S.RESOLUTION_ITEM,
    "ResolutionItem",
    lambda: queries.public(S.RESOLUTION_ITEM).select_related("paper"),
    ours=True,
)
PAPER_SECTION = kind(
    "paper_section",
    S.SECTION,
    "PaperSection",
    lambda: queries.public(S.SECTION),
    "section",
    ours=True,
)
POSITION_DECISION = kind(
    "position_decision",
    S.POSITION_DECISION,
    "PositionDecision",
    queries.position_decisions,
    ours=True,
)
FUNDING_LINE = kind(
    "funding_line", S.FUNDING_LINE, "FundingLine", queries.funding_lines, ours=True
)


def live_object(kind, pk):
    return kind.details(kind.base()).filter(pk=pk).first()


def stub_stamp(kind, pk):
    """The stamp of an object that was public and is not now, else None."""
    return (
        Stamp.objects.filter(kind=kind.stamp, object_pk=pk, published=True)
        .exclude(object_pk__in=kind.public_keys())
        .first()
    )


class ObjectView(OParlView):
    """One object by its key; a deleted one as its stub, a never-public one 404."""

    kind = None

    def get(self, request, pk):
        kind = self.kind
        if cache.objects_enabled():
            response = self.get_kept(request, kind, pk)
            if response is not None:
                return response
        obj = live_object(kind, pk)
        if obj is not None:
            return json_response(
                request, kind.render(self.serializer, obj), obj.oparl_modified
            )
        stamp = stub_stamp(kind, pk)
        if stamp is None:
            raise not_found()
        return json_response(request, kind.stub(self.serializer, stamp), stamp.modified)

    def get_kept(self, request, kind, pk):
        """The object's JSON kept under its stamp, read with whether it is public
        now; rendered and kept if it is not kept yet. None without a stamp."""
        stamp = (
            Stamp.objects.filter(kind=kind.stamp, object_pk=pk)
            .annotate(
                live=Exists(PUBLIC[kind.stamp]().filter(pk=OuterRef("object_pk")))
            )
            .first()
        )
        if stamp is None:
            return None
        if not stamp.live:
            if not stamp.published:
                raise not_found()
            return json_response(
                request, kind.stub(self.serializer, stamp), stamp.modified
            )
        context = cache.context(self.serializer)
        key = cache.object_key(context, kind, pk, stamp.modified)
        text = cache.get_objects([key]).get(key)
        if text is not None:
            return json_text_response(request, text, stamp.modified)
        obj = live_object(kind, pk)
        if obj is None or obj.oparl_modified is None:
            # Gone since the stamp was read: answered as without the cache.
            return None
        text = json_text(kind.render(self.serializer, obj))
        key = cache.object_key(context, kind, pk, obj.oparl_modified)
        cache.set_objects({key: text})
        return json_text_response(request, text, obj.oparl_modified)


def gone():
    """A file that was public and is not: its stub says so, its content 410."""
    return OParlError(410, _("Diese Datei wurde gelöscht."))


def conditional(request, etag, modified):
    timestamp = int(modified.timestamp())
    return timestamp, get_conditional_response(
        request, etag=etag, last_modified=timestamp
    )


class FileContentView(OParlView):
    """The attachment itself: inline at accessUrl, as download at downloadUrl."""

    as_attachment = False

    def get(self, request, pk):
        attachment = live_object(FILE, pk)
        if attachment is None:
            if stub_stamp(FILE, pk):
                raise gone()
            raise not_found()
        modified = attachment.oparl_modified
        etag = quote_etag(
            f"{attachment.pk}-{attachment.file.name}-{modified.timestamp()}"
        )
        timestamp, not_modified = conditional(request, etag, modified)
        if not_modified is not None:
            return not_modified
        try:
            response = attachment_response(attachment, as_attachment=self.as_attachment)
        except Http404 as error:
            raise OParlError(
                404, _("Die Datei fehlt auf dem Server."), debug=error
            ) from error
        response["ETag"] = etag
        response["Last-Modified"] = http_date(timestamp)
        return response


class PaperTextView(OParlView):
    """A paper's text as PDF (its mainFile), made from what is stored."""

    as_attachment = False

    def get(self, request, pk):
        paper = live_object(PAPER_TEXT, pk)
        if paper is None:
            if stub_stamp(PAPER_TEXT, pk):
                raise gone()
            raise not_found()
        content = self.serializer.pdf(paper)
        etag = quote_etag(hashlib.sha512(content).hexdigest()[:40])
        timestamp, not_modified = conditional(request, etag, paper.oparl_modified)
        if not_modified is not None:
            return not_modified
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            self.as_attachment, main_file_name(paper)
        )
        response["ETag"] = etag
        response["Last-Modified"] = http_date(timestamp)
        response["Cache-Control"] = "no-cache"
        return response


class VendorSchemaView(OParlView):
    """The JSON schema of one of our `ratsregister` types, at its type URI."""

    def get(self, request, name):
        schema = vendor.schema(name, self.serializer)
        if schema is None:
            raise not_found()
        return json_response(request, schema)


# Lists ----------------------------------------------------------------------


class ListParams:
    """limit, page and the four date filters of an OParl list, checked."""

    def __init__(self, request):
        self.request = request
        query = request.GET
        self.limit_given = "limit" in query
        self.limit = self._positive(query, "limit", conf.get("OPARL_PAGE_SIZE"))
        self.limit = min(self.limit, conf.get("OPARL_MAX_PAGE_SIZE"))
        self.page = self._positive(query, "page", 1)
        self.raw = {}
        self.dates = {}
        for name in FILTERS:
            if name in query:
                # A "+" that was not URL-encoded arrives as a space; the links
                # carry it as the client meant it.
                text = query[name].strip().replace(" ", "+")
                self.dates[name] = self._datetime(name, text)
                self.raw[name] = text
        # OParl 1.1: a client that fetches the internal objects on their own
        # may ask the lists to leave them out.
        self.omit_internal = query.get("omit_internal", "false").lower() not in (
            "false",
            "0",
            "",
        )
        if self.omit_internal:
            self.raw["omit_internal"] = query["omit_internal"]

    def _positive(self, query, name, default):
        if name not in query:
            return default
        try:
            value = int(query[name])
        except ValueError:
            value = 0
        if value < 1:
            raise OParlError(
                400,
                _("„%(name)s“ muss eine ganze Zahl ab 1 sein, nicht „%(value)s“.")
                % {"name": name, "value": query[name]},
            )
        return value

    def _datetime(self, name, text):
        value = None
        with contextlib.suppress(ValueError):
            value = parse_datetime(text)
        if value is None:
            raise OParlError(
                400,
                _(
                    "„%(name)s“ ist kein gültiger Zeitpunkt: „%(value)s“. Erwartet "
                    "wird z. B. 2019-12-05T00:00:00+01:00."
                )
                % {"name": name, "value": text},
            )
        offset = value.utcoffset()
        if offset is not None and abs(offset) > MAX_OFFSET:
            # OParl's xsd:dateTime allows offsets up to 14:00 (PostgreSQL, 15:59).
            raise OParlError(
                400,
                _(
                    "„%(name)s“ hat eine Zeitzone außerhalb von −14:00 bis +14:00: "
                    "„%(value)s“."
                )
                % {"name": name, "value": text},
            )
        try:
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            # Compared in UTC: 9999-12-31T23:59-12:00 is a moment after year 9999.
            return value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise OParlError(
                400,
                _(
                    "„%(name)s“ liegt außerhalb der darstellbaren Zeitpunkte: "
                    "„%(value)s“."
                )
                % {"name": name, "value": text},
            ) from None

    @property
    def modified_since(self):
        return self.dates.get("modified_since")

    def apply(self, queryset, created="created", modified="modified"):
        lookups = {
            "created_since": f"{created}__gte",
            "created_until": f"{created}__lte",
            "modified_since": f"{modified}__gte",
            "modified_until": f"{modified}__lte",
        }
        return queryset.filter(
            **{lookups[name]: value for name, value in self.dates.items()}
        )

    def url(self, page):
        params = dict(self.raw)
        if self.limit_given:
            params["limit"] = self.limit
        if page != 1:
            params["page"] = page
        base = absolute_url(self.request, self.request.path)
        return f"{base}?{urlencode(params)}" if params else base


def is_embedded(value):
    if isinstance(value, list):
        return bool(value) and all(isinstance(item, dict) for item in value)
    return isinstance(value, dict)


def omit_internal(entry):
    """The entry without its embedded OParl objects (ours stay: no list has them)."""
    return {
        key: value
        for key, value in entry.items()
        if key.startswith(PREFIX) or not is_embedded(value)
    }


def list_response(request, params, total, data, web=None, texts=None):
    """The page's answer; `texts` are its objects as JSON already written."""
    pages = max(1, math.ceil(total / params.limit))
    page = params.page
    links = {"first": params.url(1)}
    if page > 1:
        links["prev"] = params.url(page - 1)
    links["self"] = params.url(page)
    if page < pages:
        links["next"] = params.url(page + 1)
    links["last"] = params.url(pages)
    if web:
        links["web"] = absolute_url(request, web)
    text = json_text(
        {
            "data": data if texts is None else [],
            "pagination": {
                "totalElements": total,
                "elementsPerPage": params.limit,
                "currentPage": page,
                "totalPages": pages,
            },
            "links": links,
        }
    )
    if texts is not None:
        # Byte for byte what json_text writes for the whole: items split by ", ".
        empty = '{"data": []'
        text = '{"data": [' + ", ".join(texts) + "]" + text[len(empty) :]
    return json_text_response(request, text)


def check_page(params, total):
    if params.page > 1 and (params.page - 1) * params.limit >= total:
        raise OParlError(
            404,
            _("Seite %(page)s gibt es nicht; die Liste endet vorher.")
            % {"page": params.page},
        )


STAMPS = Stamp._meta.db_table


def quoted(*names):
    return [connection.ops.quote_name(name) for name in names]


class ListView(OParlView):
    """An external list over one or more kinds, ordered by kind and key.

    The keys of a page are found in one query with their stamps (a UNION with
    the stubs of what is gone when modified_since asks for deletions), then the
    JSON of each object is taken from oparl/cache.py, and each kind of the
    objects not kept is fetched with its related rows: the number of queries does
    not depend on the page size. The size of the list and the first key of each
    page are kept under the data version: the first page counts the list in the
    query of its keys, a later one reads them all in one query, and then every
    page starts at its key through the index.
    """

    kinds = ()
    web_name = None

    def key_queries(self, params, start=None):
        """The keys of the list as (sort, key, gone, stamp), unordered; from the
        key `start` = (sort, key) on if given."""
        parts = []
        for kind in self.kinds:
            if start and kind.key < start[0]:
                continue
            bound = {"gte": start[1]} if start and kind.key == start[0] else None
            marks = {
                "sort": Value(kind.key, output_field=CharField()),
                "gone": Value(False, output_field=BooleanField()),
                "stamp": Value(kind.stamp, output_field=CharField()),
            }
            live = PUBLIC[kind.stamp]()
            if params.dates:
                live = live.filter(
                    pk__in=queries.changed(kind.stamp, params).values("object_pk")
                )
            if bound:
                live = live.filter(pk__gte=bound["gte"])
            parts.append(
                live.annotate(**marks, key=F("pk"))
                .values_list("sort", "key", "gone", "stamp")
                .order_by()
            )
            # Deleted objects are shown only to a client that asks what changed.
            if params.modified_since:
                marks["gone"] = Value(True, output_field=BooleanField())
                stubs = (
                    queries.changed(kind.stamp, params)
                    .filter(published=True)
                    .exclude(object_pk__in=kind.public_keys())
                )
                if bound:
                    stubs = stubs.filter(object_pk__gte=bound["gte"])
                parts.append(
                    stubs.annotate(**marks, key=F("object_pk"))
                    .values_list("sort", "key", "gone", "stamp")
                    .order_by()
                )
        if not parts:
            return None
        return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]

    def page_rows(self, params, start=None, count=False):
        """[(sort, key, gone, modified, total)] of the page: from the key `start`,
        else after (page - 1) × limit keys; total counted if `count`."""
        keys = self.key_queries(params, start)
        if keys is None:
            return []
        sql, sql_params = keys.query.sql_with_params()
        sort, key, gone, stamp, total = quoted("sort", "key", "gone", "stamp", "total")
        kind, object_pk, modified = quoted("kind", "object_pk", "modified")
        counted = f"COUNT(*) OVER () AS {total}" if count else f"NULL AS {total}"
        offset = 0 if start else (params.page - 1) * params.limit
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT p.{sort}, p.{key}, p.{gone}, s.{modified}, p.{total} "
                f"FROM (SELECT k.{sort}, k.{key}, k.{gone}, k.{stamp}, {counted} "
                f"FROM ({sql}) k ORDER BY k.{sort}, k.{key} LIMIT %s OFFSET %s) p "
                f"LEFT JOIN {connection.ops.quote_name(STAMPS)} s "
                f"ON s.{kind} = p.{stamp} AND s.{object_pk} = p.{key} "
                f"ORDER BY p.{sort}, p.{key}",
                [*sql_params, params.limit, offset],
            )
            return [
                (row[0], row[1], bool(row[2]), row[3], row[4])
                for row in cursor.fetchall()
            ]

    def page_starts(self, params):
        """(size of the list, [(sort, key) of the first entry of each page])."""
        keys = self.key_queries(params)
        if keys is None:
            return 0, []
        sql, sql_params = keys.query.sql_with_params()
        sort, key, number, total = quoted("sort", "key", "number", "total")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT b.{sort}, b.{key}, b.{total} FROM (SELECT k.{sort}, "
                f"k.{key}, ROW_NUMBER() OVER (ORDER BY k.{sort}, k.{key}) AS "
                f"{number}, COUNT(*) OVER () AS {total} FROM ({sql}) k) b "
                f"WHERE (b.{number} - 1) %% %s = 0 ORDER BY b.{sort}, b.{key}",
                [*sql_params, params.limit],
            )
            rows = cursor.fetchall()
        return (rows[0][2] if rows else 0), [(row[0], row[1]) for row in rows]

    def get(self, request):
        params = ListParams(request)
        listing, listing_key = None, None
        if cache.lists_enabled():
            version = data_version()
            if version is not None:
                listing_key = cache.list_key(version, request, params.limit)
                listing = cache.get_list(listing_key)
        if listing_key and params.page > 1 and not (listing and listing["starts"]):
            # A later page: the start of every page, read once per version.
            total, starts = self.page_starts(params)
            listing = {"total": total, "starts": starts}
            cache.set_list(listing_key, listing)
        if listing is not None:
            total = listing["total"]
            check_page(params, total)
            starts = listing["starts"]
            if starts is None:
                rows = self.page_rows(params)
            else:
                rows = self.page_rows(params, starts[params.page - 1]) if starts else []
        else:
            # The first page (or no data version): counted with its keys.
            rows = self.page_rows(params, count=True)
            total = rows[0][4] if rows else 0
            check_page(params, total)
            if listing_key:
                cache.set_list(listing_key, {"total": total, "starts": None})
        texts = self.render_rows(rows)
        if params.omit_internal:
            texts = [json_text(omit_internal(json.loads(text))) for text in texts]
        web = reverse(self.web_name) if self.web_name else None
        return list_response(request, params, total, None, web, texts=texts)

    def render_rows(self, rows):
        """The JSON text of each row: kept, else rendered (and kept)."""
        kinds = {kind.key: kind for kind in self.kinds}
        keep = cache.objects_enabled()
        context = cache.context(self.serializer) if keep else None
        texts = {}
        if keep:
            wanted = {
                (sort, key, False): cache.object_key(context, kinds[sort], key, moment)
                for sort, key, gone, moment, _ in rows
                if not gone and moment is not None
            }
            kept = cache.get_objects(list(wanted.values()))
            texts = {row: kept[k] for row, k in wanted.items() if k in kept}
        new = {}
        for kind in self.kinds:
            live = [
                key
                for sort, key, gone, _, _ in rows
                if sort == kind.key and not gone and (sort, key, False) not in texts
            ]
            if live:
                for obj in kind.details(kind.base()).filter(pk__in=live):
                    text = json_text(kind.render(self.serializer, obj))
                    texts[(kind.key, obj.pk, False)] = text
                    if keep and obj.oparl_modified is not None:
                        new[
                            cache.object_key(context, kind, obj.pk, obj.oparl_modified)
                        ] = text
            gone = [key for sort, key, gone, _, _ in rows if sort == kind.key and gone]
            if gone:
                for stamp in Stamp.objects.filter(kind=kind.stamp, object_pk__in=gone):
                    texts[(kind.key, stamp.object_pk, True)] = json_text(
                        kind.stub(self.serializer, stamp)
                    )
        cache.set_objects(new)
        # An object that stopped being public since its key was read is left out.
        return [texts[row[:3]] for row in rows if row[:3] in texts]


class EmptyListView(OParlView):
    """A list the register has nothing for (legislative terms, memberships)."""

    def get(self, request):
        params = ListParams(request)
        check_page(params, 0)
        return list_response(request, params, 0, [])


class BodyListView(OParlView):
    def get(self, request):
        params = ListParams(request)
        check_page(params, 1)
        created, modified = body_timestamps()
        body = self.serializer.body(created, modified)
        in_range = all(
            (not (since := params.dates.get(f"{field}_since")) or stamp >= since)
            and (not (until := params.dates.get(f"{field}_until")) or stamp <= until)
            for field, stamp in (("created", created), ("modified", modified))
        )
        data = [body] if in_range else []
        return list_response(request, params, len(data), data)


class NotFoundView(OParlView):
    """Unknown addresses; one with a trailing slash leads to its canonical URL."""

    def get(self, request, rest):
        if rest.endswith("/"):
            canonical = f"{request.path.rstrip('/')}"
            match = resolve_or_none(canonical)
            if match and match.url_name != "not-found":
                query = request.META.get("QUERY_STRING")
                return HttpResponsePermanentRedirect(
                    canonical + (f"?{query}" if query else "")
                )
        raise OParlError(
            404, _("Diese Adresse gibt es in der OParl-Schnittstelle nicht.")
        )
