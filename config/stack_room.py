"""Each request handled in a stretch of CPython's frame stack of its own.

CPython (3.11 and 3.12) keeps the frames of Python calls in chunks of 16 KB. A
call that does not fit into the current chunk gets a new one, mapped from the
operating system, and the chunk is unmapped again as soon as that call returns
(python/cpython#142183, mended in later releases by keeping one chunk back). A
loop that calls a function exactly where a chunk ends maps and unmaps memory on
every call. Django's template engine renders each node by a call deep in the
stack, so a page could pay that thousands of times, or not at all, depending
only on how deep the server's own stack happened to be: the admin's list of
100,000 papers took 26 ms called from one depth and 41–55 ms from a few frames
further down, and the benchmark, a few frames below a test's client, measured
rendered pages up to 1.7 times as slow as they are (issue 12, docs/benchmark.md).

StackRoomMiddleware calls the rest of the request through `with_stack_room`,
whose frame asks for a large evaluation stack it never uses. CPython gives that
frame a chunk of 2 MB; the frame reserves half of it, and everything the request
calls runs in the other megabyte, one chunk, without crossing a boundary (the
admin's largest page nests some 140 frames, not the thousands that would fill
it). Nothing of it is touched but the frames in use; the chunk goes back when the
request returns. Mapping it and faulting in the pages the request's frames use
costs 0.06–0.1 ms a request, a few tenths of a per cent of a rendered page: the
middleware comes right after the page cache, which answers a kept page (in about
a millisecond, no template rendered) before it.
"""

import types

# Slots (of 8 bytes) the trampoline's frame reserves: a little over 128 Ki makes
# CPython round its chunk up to 2 MB (the frame plus 1,000 slots of headroom, in
# powers of two from 16 KB), half of which is left for the request's frames.
ROOM = 131_072


def _call(function, *args):
    return function(*args)


# function(*args), called from a frame that declares an evaluation stack of ROOM
# more slots. A declared stack larger than the code needs is safe: CPython only
# reserves it.
with_stack_room = types.FunctionType(
    _call.__code__.replace(co_stacksize=_call.__code__.co_stacksize + ROOM),
    _call.__globals__,
    "with_stack_room",
)


class StackRoomMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return with_stack_room(self.get_response, request)
