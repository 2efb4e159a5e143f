"""Every request runs above a frame that gives it a chunk of CPython's frame stack
of its own (config/stack_room.py), so a page costs the same however deep the
server calls it."""

import sys

import pytest
from django.conf import settings
from django.test.signals import template_rendered

from config.stack_room import ROOM, StackRoomMiddleware, with_stack_room

SLOT = 8  # bytes of a slot of CPython's frame stack
CHUNK = 16 * 1024  # bytes of its usual chunk
HEADROOM = 1000  # slots CPython adds to a frame that needs a chunk of its own


def _frames():
    frame = sys._getframe()
    while frame is not None:
        yield frame
        frame = frame.f_back


def _runs_with_room():
    return any(frame.f_code is with_stack_room.__code__ for frame in _frames())


@pytest.mark.django_db
def test_a_page_is_rendered_above_the_frame_with_room(client):
    seen = []

    def rendered(**kwargs):
        seen.append(_runs_with_room())

    template_rendered.connect(rendered)
    try:
        response = client.get("/")
    finally:
        template_rendered.disconnect(rendered)
    assert response.status_code == 200
    assert seen
    assert all(seen)


def test_the_middleware_comes_right_after_the_page_cache():
    # A page from the cache is answered without the chunk's cost; the view, its
    # templates and the middleware that render (the admin's) run above it.
    middleware = settings.MIDDLEWARE
    stack_room = middleware.index("config.stack_room.StackRoomMiddleware")
    assert middleware[stack_room - 1] == "operations.pagecache.PageCacheMiddleware"


def test_the_frame_leaves_about_a_megabyte_for_the_request():
    # CPython doubles its chunk from 16 KB until the frame and its headroom fit;
    # what the frame leaves of that chunk is the request's.
    reserved = with_stack_room.__code__.co_stacksize
    assert reserved >= ROOM
    chunk = CHUNK
    while chunk < SLOT * (reserved + HEADROOM):
        chunk *= 2
    assert chunk - SLOT * reserved >= 1_000_000


def test_the_middleware_passes_the_request_and_the_response_through():
    request, response = object(), object()
    seen = []

    def get_response(received):
        seen.append((received, _runs_with_room()))
        return response

    assert StackRoomMiddleware(get_response)(request) is response
    assert seen == [(request, True)]


def test_an_error_of_the_request_passes_through_unchanged():
    def fails():
        raise LookupError("nicht gefunden")

    with pytest.raises(LookupError, match="nicht gefunden"):
        with_stack_room(fails)
