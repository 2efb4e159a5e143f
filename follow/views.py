"""Following a paper, a committee, a position or a search; confirming, ending
and listing subscriptions, with or without an account."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.mail import EmailMultiAlternatives
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from council.models import Committee, Paper
from operations.login import client_ip_address
from positions.models import Position

from . import ratelimit, searches, services, tokens
from .events import paper_label
from .models import Subscriber, Subscription


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Ihre E-Mail-Adresse"),
        max_length=254,
        help_text=gettext_lazy(
            "Sie bekommen zuerst eine E-Mail mit einem Bestätigungslink. Wir "
            "speichern die Adresse nur, solange Sie etwas abonniert haben."
        ),
    )


def _target(kind, request, key):
    """The thing to follow, if `request.user` may see it; (fields, title)."""
    user = request.user
    if kind == Subscription.Kind.PAPER:
        paper = get_object_or_404(Paper.objects.visible_to(user), pk=key)
        return {"paper": paper}, paper_label(paper)
    if kind == Subscription.Kind.COMMITTEE:
        committee = get_object_or_404(Committee, slug=key)
        return {"committee": committee}, _("Gremium %(name)s") % {"name": committee}
    if kind == Subscription.Kind.POSITION:
        position = get_object_or_404(Position.objects.visible_to(user), pk=key)
        return {"position": position}, _("Stelle „%(function)s“") % {
            "function": position.function
        }
    query = searches.normalise(request.GET)
    return {"query": query}, _("Suche: %(search)s") % {
        "search": searches.describe(query)
    }


def _feed_url(kind, fields):
    if kind == Subscription.Kind.COMMITTEE:
        return reverse("follow:committee-feed", args=[fields["committee"].slug])
    if kind == Subscription.Kind.SEARCH:
        url = reverse("follow:search-feed")
        return f"{url}?{fields['query']}" if fields["query"] else url
    return None


# Personal pages: never kept by the page cache or a proxy.
@method_decorator(never_cache, name="dispatch")
class FollowView(View):
    """The page behind a "Folgen" button: a form to subscribe by mail (for the
    public with only an address), and the feed where there is one."""

    kind = None

    def dispatch(self, request, *args, key=None, **kwargs):
        self.fields, self.title = _target(self.kind, request, key)
        return super().dispatch(request, *args, **kwargs)

    def page(self, request, form=None, status=200, error=None):
        user = request.user
        context = {
            "title": self.title,
            "form": form if form is not None else EmailForm(),
            "signed_in": user.is_authenticated,
            "account_email": user.email if user.is_authenticated else "",
            "feed_url": _feed_url(self.kind, self.fields),
            "error": error,
        }
        return render(request, "follow/follow_form.html", context, status=status)

    def get(self, request, *args, **kwargs):
        return self.page(request)

    def post(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated:
            if not user.email:
                return self.page(request, status=400)
            if not ratelimit.allow("", client_ip_address(request)):
                return self.limited(request)
            services.subscription_create(kind=self.kind, user=user, **self.fields)
            messages.success(
                request, _("Sie folgen jetzt: %(title)s") % {"title": self.title}
            )
            return redirect("follow:mine")
        form = EmailForm(request.POST)
        if not form.is_valid():
            return self.page(request, form=form, status=400)
        email = services.normalise_email(form.cleaned_data["email"])
        if not ratelimit.allow(email, client_ip_address(request)):
            return self.limited(request, form)
        subscription = services.subscription_create(
            kind=self.kind, email=email, **self.fields
        )
        if subscription.confirmed_at is None:
            send_confirmation(subscription, self.title)
        # The same answer whether the address was known, confirmed or new: the
        # page tells no one who follows what.
        return render(
            request,
            "follow/message.html",
            {
                "heading": _("Bitte bestätigen Sie Ihr Abo"),
                "text": _(
                    "Wir haben eine E-Mail mit einem Bestätigungslink an die "
                    "angegebene Adresse geschickt. Erst nach der Bestätigung "
                    "bekommen Sie Nachrichten."
                ),
            },
        )

    def limited(self, request, form=None):
        return self.page(
            request,
            form=form,
            status=429,
            error=_(
                "Von dieser Adresse oder für diese E-Mail-Adresse wurden in der "
                "letzten Stunde zu viele Abos angefragt. Bitte versuchen Sie es "
                "später noch einmal."
            ),
        )


def send_confirmation(subscription, title):
    """The confirmation mail: the link and the title of what is followed,
    nothing else."""
    base_url = settings.RATSREGISTER_BASE_URL.rstrip("/")
    context = {
        "title": title,
        "confirm_url": base_url
        + reverse(
            "follow:confirm", kwargs={"token": tokens.confirm_token(subscription)}
        ),
        "days": tokens.CONFIRM_MAX_AGE.days,
    }
    with translation.override("de"):
        subject = _("Ratsregister: Bitte bestätigen Sie Ihr Abo")
        text = render_to_string("follow/mail/confirm.txt", context)
        html = render_to_string("follow/mail/confirm.html", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [subscription.subscriber.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _invalid(request, expired=False):
    text = (
        _("Dieser Bestätigungslink ist abgelaufen. Bitte abonnieren Sie noch einmal.")
        if expired
        else _("Dieser Link ist ungültig oder das Abo besteht nicht mehr.")
    )
    return render(
        request,
        "follow/message.html",
        {"heading": _("Link nicht gültig"), "text": text},
        status=410 if expired else 404,
    )


# Personal pages: never kept by the page cache or a proxy.
@method_decorator(never_cache, name="dispatch")
class ConfirmView(View):
    """Double opt-in: the link from the mail shows a button; only the POST
    confirms (a mail scanner that opens links confirms nothing)."""

    def subscription(self, token):
        pk, key = tokens.read_confirm(token)
        return Subscription.objects.select_related("subscriber").get(
            pk=pk, subscriber__key=key
        )

    def dispatch(self, request, token):
        try:
            self.object = self.subscription(token)
        except tokens.Expired:
            return _invalid(request, expired=True)
        except (tokens.Invalid, Subscription.DoesNotExist):
            return _invalid(request)
        return super().dispatch(request, token)

    def get(self, request, token):
        return render(
            request,
            "follow/confirm.html",
            {"title": _subscription_titles([self.object], None)[self.object.pk]},
        )

    def post(self, request, token):
        services.subscription_confirm(subscription=self.object)
        return render(
            request,
            "follow/message.html",
            {
                "heading": _("Abo bestätigt"),
                "text": _(
                    "Danke. Sie bekommen ab jetzt eine E-Mail, wenn es Neues gibt; "
                    "jede enthält einen Link zum Abbestellen."
                ),
            },
        )


@method_decorator(never_cache, name="dispatch")
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """Ending one subscription or all, by the signed link of a mail, without
    login. The POST needs no CSRF token: the mail program's one-click
    unsubscribe (RFC 8058) sends none, and the signed link is the proof."""

    def dispatch(self, request, token):
        try:
            scope, pk, key = tokens.read_unsubscribe(token)
        except tokens.Invalid:
            return _invalid(request)
        self.scope = scope
        if scope == "s":
            self.object = (
                Subscription.objects.select_related("subscriber")
                .filter(pk=pk, subscriber__key=key)
                .first()
            )
        else:
            self.object = Subscriber.objects.filter(pk=pk, key=key).first()
        if self.object is None:
            return render(
                request,
                "follow/message.html",
                {
                    "heading": _("Abo beendet"),
                    "text": _("Dieses Abo besteht nicht mehr."),
                },
            )
        return super().dispatch(request, token)

    def get(self, request, token):
        if self.scope == "s":
            viewer = self.object.subscriber.viewer
            title = _subscription_titles([self.object], viewer)[self.object.pk]
        else:
            title = _("alle Ihre Abos")
        return render(request, "follow/unsubscribe.html", {"title": title})

    def post(self, request, token):
        if self.scope == "s":
            services.subscription_end(subscription=self.object)
        else:
            services.subscriber_end(subscriber=self.object)
        return render(
            request,
            "follow/message.html",
            {
                "heading": _("Abo beendet"),
                "text": _(
                    "Sie bekommen dazu keine Nachrichten mehr. Ohne weitere Abos ist "
                    "Ihre Adresse gelöscht."
                ),
            },
        )


def _subscription_titles(subscriptions, viewer, urls=None):
    """What each subscription follows, as far as `viewer` may see it now (with
    `urls`, a dict, also the address of what is still visible)."""
    paper_ids = [s.paper_id for s in subscriptions if s.paper_id]
    position_ids = [s.position_id for s in subscriptions if s.position_id]
    papers = {
        p.pk: p
        for p in Paper.objects.visible_to(viewer)
        .filter(pk__in=paper_ids)
        .only("pk", "number", "year", "suffix", "title")
    }
    positions = {
        p.pk: p
        for p in Position.objects.visible_to(viewer)
        .filter(pk__in=position_ids)
        .only("pk", "function")
    }
    urls = {} if urls is None else urls
    titles = {}
    for s in subscriptions:
        visible, target = True, None
        if s.kind == Subscription.Kind.PAPER:
            paper = target = papers.get(s.paper_id)
            visible = paper is not None
            titles[s.pk] = (
                paper_label(paper)
                if visible
                else _("eine Drucksache, die Sie nicht mehr sehen können")
            )
        elif s.kind == Subscription.Kind.POSITION:
            position = target = positions.get(s.position_id)
            visible = position is not None
            titles[s.pk] = (
                _("Stelle „%(function)s“") % {"function": position.function}
                if visible
                else _("eine Stelle, die Sie nicht mehr sehen können")
            )
        elif s.kind == Subscription.Kind.COMMITTEE:
            titles[s.pk] = _("Gremium %(name)s") % {"name": s.committee}
        else:
            titles[s.pk] = _("Suche: %(search)s") % {
                "search": searches.describe(s.query)
            }
        urls[s.pk] = s.get_target_url(target) if visible else None
    return titles


def _listing(request, subscriber, viewer):
    subscriptions = (
        list(
            subscriber.subscriptions.select_related("committee").order_by(
                "kind", "created"
            )
        )
        if subscriber
        else []
    )
    urls = {}
    titles = _subscription_titles(subscriptions, viewer, urls)
    rows = [
        {
            "title": titles[s.pk],
            "kind": s.get_kind_display(),
            "confirmed": s.confirmed_at is not None,
            "url": urls[s.pk],
            "unsubscribe": reverse(
                "follow:unsubscribe", kwargs={"token": tokens.unsubscribe_token(s)}
            ),
        }
        for s in subscriptions
    ]
    return render(
        request,
        "follow/subscription_list.html",
        {
            "rows": rows,
            "unsubscribe_all": reverse(
                "follow:unsubscribe",
                kwargs={"token": tokens.unsubscribe_all_token(subscriber)},
            )
            if subscriber
            else None,
        },
    )


# Personal pages: never kept by the page cache or a proxy.
@method_decorator(never_cache, name="dispatch")
class MySubscriptionsView(LoginRequiredMixin, View):
    """ "Meine Abos" of a signed-in user."""

    def get(self, request):
        subscriber = Subscriber.objects.filter(user=request.user).first()
        return _listing(request, subscriber, request.user)


# Personal pages: never kept by the page cache or a proxy.
@method_decorator(never_cache, name="dispatch")
class ManageView(View):
    """ "Meine Abos" of a subscriber without an account, by its signed link."""

    def get(self, request, token):
        try:
            pk, key = tokens.read_manage(token)
        except tokens.Invalid:
            return _invalid(request)
        subscriber = Subscriber.objects.filter(pk=pk, key=key).first()
        if subscriber is None:
            raise Http404(_("Diese Abos bestehen nicht mehr."))
        return _listing(request, subscriber, None)
