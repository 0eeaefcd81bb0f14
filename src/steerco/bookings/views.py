"""Booking pages: rooms, a room's day or week, the free-slot finder, the booking form, my
bookings, cancel and undo, check-in, and the calendar feeds (secret addresses)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from steerco.accounts.rules import may_book, may_change_booking, person_of, visible_projects
from steerco.core.pages import SERVICE_ERRORS, message_of, page_status, refusal, render_page

from . import ical, selectors, services
from .forms import BookingForm, FeedForm, FinderForm
from .models import BookableResource, Booking, CalendarFeed

ICAL_TYPE = "text/calendar; charset=utf-8"


def _local_today(zone: str) -> dt.date:
    return timezone.localtime(timezone.now(), ZoneInfo(zone)).date()


def _day_param(request, zone: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return _local_today(zone)
    # A calendar far outside any booking's years would only overflow at its edges.
    return day if 1900 <= day.year <= 2999 else _local_today(zone)


@require_safe
def rooms_view(request):
    resources = selectors.resource_list(user=request.user).order_by("kind", "name")
    return render(request, "bookings/rooms.html", {"resources": resources})


@require_safe
def calendar_view(request, resource_id: int):
    """A resource's day or week (``?view=day|week&date=YYYY-MM-DD``), on its wall clock,
    with the bookings of its parts or its whole that hold it too."""
    resource = selectors.resource_get(resource_id=resource_id)
    zone = ZoneInfo(resource.time_zone)
    span = "day" if request.GET.get("view") == "day" else "week"
    day = _day_param(request, resource.time_zone)
    first = day if span == "day" else day - dt.timedelta(days=day.weekday())
    length = 1 if span == "day" else 7
    start = dt.datetime.combine(first, dt.time()).replace(tzinfo=zone)
    end = dt.datetime.combine(first + dt.timedelta(days=length), dt.time()).replace(tzinfo=zone)
    bookings = list(selectors.blocking_bookings(resource=resource, start=start, end=end))
    days = []
    for offset in range(length):
        date = first + dt.timedelta(days=offset)
        days.append(
            {
                "date": date,
                "bookings": [
                    b
                    for b in bookings
                    if timezone.localtime(b.start, zone).date() <= date
                    and timezone.localtime(b.end, zone).date() >= date
                ],
            }
        )
    step = dt.timedelta(days=length)
    context = {
        "resource": resource,
        "span": span,
        "days": days,
        "zone": resource.time_zone,
        "previous": (first - step).isoformat(),
        "next": (first + step).isoformat(),
        "first": first,
        "can_book": may_book(request.user, resource),
    }
    return render_page(request, "bookings/calendar.html", context, fragment="days")


@require_safe
def find_view(request):
    """The free-slot finder: free stretches of every resource that fits, in a window."""
    form = FinderForm(request.GET or None, initial={"day": _next_weekday(1)})
    slots = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        zone = ZoneInfo(timezone.get_current_timezone_name())
        start = dt.datetime.combine(data["day"], data["from_time"]).replace(tzinfo=zone)
        end = dt.datetime.combine(data["day"], data["to_time"]).replace(tzinfo=zone)
        slots = selectors.free_slots(
            user=request.user,
            start=max(start, timezone.now()),
            end=end,
            duration=dt.timedelta(minutes=data["minutes"]),
            capacity=data.get("capacity"),
            features=data["feature_list"],
            kind=data["kind"],
        )
        slots = [
            {
                "slot": slot,
                "book_url": reverse("bookings:create")
                + "?"
                + _prefill(
                    slot.resource, slot.start, slot.start + dt.timedelta(minutes=data["minutes"])
                ),
            }
            for slot in slots
        ]
    status = 422 if form.is_bound and not form.is_valid() else 200
    return render_page(
        request,
        "bookings/find.html",
        {"form": form, "slots": slots},
        fragment="results",
        status=status,
    )


def _next_weekday(weekday: int) -> dt.date:
    """The next such weekday (0 Monday), today excluded: "Tuesday" in "Tuesday afternoon"."""
    today = timezone.localdate()
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + dt.timedelta(days=ahead)


def _prefill(resource, start: dt.datetime, end: dt.datetime) -> str:
    from urllib.parse import urlencode

    zone = ZoneInfo(resource.time_zone)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    return urlencode(
        {
            "resource": resource.pk,
            "day": local_start.date().isoformat(),
            "start_time": local_start.strftime("%H:%M"),
            "end_time": local_end.strftime("%H:%M"),
        }
    )


def _bookable(user):
    return [r.pk for r in selectors.resource_list(user=user) if may_book(user, r)]


@require_http_methods(["GET", "POST"])
def create_view(request):
    """Book once or as a series; a clash or broken rule is shown on the form (409/422)."""
    resources = BookableResource.objects.filter(pk__in=_bookable(request.user))
    projects = visible_projects(request.user).order_by("code")
    if request.method == "POST":
        form = BookingForm(request.POST, resources=resources, projects=projects)
    else:
        form = BookingForm(initial=request.GET.dict(), resources=resources, projects=projects)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 422
        else:
            data = form.cleaned_data
            try:
                booking = services.booking_create(
                    actor=request.user,
                    resource=data["resource"],
                    start=data["start"],
                    end=data["end"],
                    purpose=data["purpose"],
                    project=data.get("project"),
                    attendees=data.get("attendees") or [],
                    recurrence_rule=data["recurrence"],
                )
            except SERVICE_ERRORS as error:
                status = refusal(error, form=form).status
            else:
                messages.success(
                    request,
                    _("%(resource)s is booked: %(purpose)s.")
                    % {"resource": booking.resource, "purpose": booking.purpose},
                )
                return redirect("bookings:detail", booking_id=booking.pk)
    return render(
        request, "bookings/booking_form.html", {"form": form}, status=page_status(request, status)
    )


@require_safe
def detail_view(request, booking_id: int):
    booking = services.booking_for(request.user, booking_id)
    return render(
        request,
        "bookings/booking_detail.html",
        {
            "booking": booking,
            "zone": booking.resource.time_zone,
            "can_change": may_change_booking(request.user, booking),
            "attendees": booking.attendees.all(),
        },
    )


@require_safe
def mine_view(request):
    since = timezone.now() - dt.timedelta(days=1)
    bookings = selectors.my_bookings(user=request.user, since=since)[:200]
    return render(
        request,
        "bookings/mine.html",
        {"bookings": bookings, "has_person": person_of(request.user) is not None},
    )


def _act(request, booking_id: int, act, done: str):
    booking = services.booking_for(request.user, booking_id)
    try:
        act(booking)
    except SERVICE_ERRORS as error:
        refused = refusal(error)
        if refused.status == 403:
            raise
        messages.error(request, message_of(error))
        status = refused.status
        response = render(
            request,
            "bookings/booking_detail.html",
            {
                "booking": Booking.objects.get(pk=booking.pk),
                "zone": booking.resource.time_zone,
                "can_change": may_change_booking(request.user, booking),
                "attendees": booking.attendees.all(),
            },
            status=page_status(request, status),
        )
        return response
    messages.success(request, done)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("bookings:detail", booking_id=booking.pk)


def _version(request, booking) -> int:
    try:
        return int(request.POST.get("version", booking.version))
    except ValueError:
        return booking.version


@require_POST
def cancel_view(request, booking_id: int):
    def act(booking):
        services.booking_cancel(
            actor=request.user,
            booking=booking,
            expected_version=_version(request, booking),
            whole_series=request.POST.get("whole_series") == "1",
        )

    return _act(request, booking_id, act, _("The booking is cancelled. You can undo this below."))


@require_POST
def restore_view(request, booking_id: int):
    def act(booking):
        services.booking_restore(
            actor=request.user, booking=booking, expected_version=_version(request, booking)
        )

    return _act(request, booking_id, act, _("The booking is back."))


@require_POST
def check_in_view(request, booking_id: int):
    def act(booking):
        services.booking_check_in(actor=request.user, booking=booking)

    return _act(request, booking_id, act, _("You are checked in."))


# --------------------------------------------------------------------------- feeds


@require_http_methods(["GET", "POST"])
def feeds_view(request):
    """The user's feeds; a new feed's address is shown once, as a new API token is."""
    resources = selectors.resource_list(user=request.user)
    projects = visible_projects(request.user).order_by("code")
    form = FeedForm(request.POST or None, resources=resources, projects=projects)
    new_address = None
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 422
        else:
            what = form.cleaned_data["what"]
            kind, subject = {
                "mine": (CalendarFeed.Kind.PERSON, person_of(request.user)),
                "resource": (CalendarFeed.Kind.RESOURCE, form.cleaned_data.get("resource")),
                "project": (CalendarFeed.Kind.PROJECT, form.cleaned_data.get("project")),
            }[what]
            try:
                if subject is None:
                    raise services.DomainError(_("Your login has no person record to follow."))
                _feed, token = services.feed_create(actor=request.user, kind=kind, subject=subject)
            except SERVICE_ERRORS as error:
                status = refusal(error, form=form).status
            else:
                new_address = request.build_absolute_uri(
                    reverse("bookings:feed", kwargs={"feed_token": token})
                )
                form = FeedForm(resources=resources, projects=projects)
    return render(
        request,
        "bookings/feeds.html",
        {"form": form, "feeds": selectors.feeds_of(user=request.user), "new_address": new_address},
        status=page_status(request, status),
    )


@require_POST
def feed_revoke_view(request, feed_id: int):
    feed = selectors.feeds_of(user=request.user).filter(pk=feed_id).first()
    if feed is None:
        raise Http404(_("No such feed."))
    services.feed_revoke(actor=request.user, feed=feed)
    messages.success(request, _("The feed is revoked; calendars following it stop updating."))
    return redirect("bookings:feeds")


def _feed_or_refusal(feed_token: str):
    feed = selectors.feed_for_token(services.token_digest(feed_token))
    if feed is None:
        return None, HttpResponse(
            _("There is no calendar feed at this address. Check the link, or make a new one."),
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    if feed.revoked_at is not None or not selectors.feed_still_allowed(feed):
        return None, HttpResponse(
            _(
                "This calendar feed was revoked and no longer updates. Remove the subscription "
                "from your calendar, and make a new feed in SteerCo if you still need one."
            ),
            status=410,
            content_type="text/plain; charset=utf-8",
        )
    return feed, None


@login_not_required  # the secret address is the credential: calendar apps cannot log in
@require_safe
def feed_view(request, feed_token: str):
    feed, refused = _feed_or_refusal(feed_token)
    if refused is not None:
        return refused
    bookings, series = selectors.feed_bookings(feed)
    calendar = ical.feed_calendar(
        name=f"SteerCo: {feed.subject}", bookings=bookings, series_occurrences=series
    )
    response = HttpResponse(calendar.to_ical(), content_type=ICAL_TYPE)
    response["Content-Disposition"] = 'inline; filename="steerco.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_not_required
@require_safe
def freebusy_view(request, feed_token: str):
    """VFREEBUSY of a room feed's resource: busy times from a week ago to 90 days ahead."""
    feed, refused = _feed_or_refusal(feed_token)
    if refused is not None:
        return refused
    if feed.kind != CalendarFeed.Kind.RESOURCE:
        return HttpResponse(
            _("Free/busy times are published for rooms and equipment only."),
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    now = timezone.now()
    start, end = now - dt.timedelta(days=7), now + dt.timedelta(days=90)
    busy = [
        (b.start, b.end)
        for b in selectors.blocking_bookings(resource=feed.resource, start=start, end=end)
    ]
    calendar = ical.free_busy_calendar(name=feed.resource.name, busy=busy, start=start, end=end)
    return HttpResponse(calendar.to_ical(), content_type=ICAL_TYPE)
