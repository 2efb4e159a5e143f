"""Load through a real server: gunicorn, a bounded asyncio HTTP client, a throwaway
PostgreSQL cluster for the fault test.

No dependency beyond the standard library and gunicorn (already in base.in): the
client speaks just enough HTTP/1.1 (GET, one request per connection, body read to
the end) for pages of our own server.

The server: gunicorn with 2 workers of the gthread class, 4 threads each. gthread
because a worker waiting for PostgreSQL (or for a slow client) still serves on its
other threads, while a sync worker does nothing else meanwhile; 4 threads because
the machine has 2 cores and a request spends most of its time in Python, not
waiting (more threads only queue behind the GIL). Settings: benchmark/settings.py
(production's behaviour: DEBUG off, persistent connections with health checks).
"""

import asyncio
import contextlib
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORKERS = 2
THREADS = 4
WORKER_CLASS = "gthread"
PG_BIN = Path("/usr/lib/postgresql/15/bin")


# -- the client ------------------------------------------------------------------------


@dataclass
class Sample:
    path: str
    started: float  # seconds since the start of the run
    seconds: float
    status: int  # 0: no answer (connection refused, reset, timeout)
    retry_after: bool = False
    size: int = 0


async def get(host, port, path, timeout=30.0):
    """(status, headers, body) of GET `path`, or (0, {}, b"") without an answer."""
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port), timeout
        )
    except (TimeoutError, OSError):
        return 0, {}, b""
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: ratsregister-load\r\n"
            "Accept-Encoding: identity\r\nConnection: close\r\n\r\n".encode("latin-1")
        )
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    except (TimeoutError, OSError):
        return 0, {}, b""
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return 0, {}, b""
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        body = unchunk(body)
    return status, headers, body


def unchunk(data):
    out, rest = bytearray(), data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2 :]
    return bytes(out)


async def run_clients(host, port, paths, clients, seconds, on_sample=None, until=None):
    """`clients` concurrent clients, each requesting the next of `paths` (in turn,
    each client starting elsewhere) until `seconds` are over (or `until()` is true
    before). Returns the samples."""
    samples = []
    loop = asyncio.get_running_loop()
    start = loop.time()
    deadline = start + seconds

    async def client(number):
        index = number
        while loop.time() < deadline and not (until and until()):
            path = paths[index % len(paths)]
            index += 1
            began = loop.time()
            status, headers, body = await get(host, port, path)
            sample = Sample(
                path=path,
                started=began - start,
                seconds=loop.time() - began,
                status=status,
                retry_after="retry-after" in headers,
                size=len(body),
            )
            samples.append(sample)
            if on_sample:
                on_sample(sample)
            if status == 0:
                # No server: do not spin.
                await asyncio.sleep(0.05)

    await asyncio.gather(*(client(n) for n in range(clients)))
    return samples


def percentile(values, share):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary(samples, seconds):
    """Errors, percentiles (ms) and throughput of one run."""
    times = [s.seconds * 1000 for s in samples]
    errors = [s for s in samples if not 200 <= s.status < 400]
    statuses = {}
    for s in samples:
        statuses[s.status] = statuses.get(s.status, 0) + 1
    return {
        "requests": len(samples),
        "errors": len(errors),
        "statuses": dict(sorted(statuses.items())),
        "p50_ms": round(percentile(times, 0.50), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
        "mean_ms": round(statistics.fmean(times), 1) if times else 0.0,
        "throughput_rps": round(len(samples) / seconds, 1),
    }


# -- the server ------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.1)
    return False


@contextlib.contextmanager
def gunicorn(port, database_url, *, workers=WORKERS, threads=THREADS, env=None):
    """gunicorn serving benchmark/settings.py on 127.0.0.1:`port`; stopped after."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmark.settings",
        "DATABASE_URL": database_url,
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        WORKER_CLASS,
        "--threads",
        str(threads),
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            if not wait_for_port(port):
                log.seek(0)
                raise RuntimeError(
                    "gunicorn ist nicht gestartet:\n"
                    + log.read().decode(errors="replace")
                )
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# -- a throwaway PostgreSQL cluster for the fault test ---------------------------------


class ThrowawayCluster:
    """A PostgreSQL cluster of its own in a temporary directory, on its own port,
    that the fault test may stop and start (never the machine's shared one).

    initdb refuses to run as root: as root, the cluster belongs to `postgres`.
    """

    def __init__(self, port):
        self.port = port
        self.directory = Path(tempfile.mkdtemp(prefix="ratsregister-fault-"))
        self.data = self.directory / "data"
        self.log = self.directory / "postgres.log"
        self.as_root = os.geteuid() == 0

    def run(self, *args, check=True):
        command = [str(a) for a in args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(
            command, check=check, capture_output=True, text=True, timeout=120
        )

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/ratsregister_fault"

    def create(self):
        if self.as_root:
            shutil.chown(self.directory, "postgres", "postgres")
        self.run(
            PG_BIN / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self.start()
        self.run(
            PG_BIN / "createdb",
            "-h",
            "127.0.0.1",
            "-p",
            self.port,
            "-U",
            "postgres",
            "ratsregister_fault",
        )

    def start(self):
        self.run(
            PG_BIN / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.log,
            "-w",
            "-o",
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.directory} -c fsync=off",
            "start",
        )

    def stop(self):
        self.run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def destroy(self):
        with contextlib.suppress(Exception):
            self.run(
                PG_BIN / "pg_ctl",
                "-D",
                self.data,
                "-m",
                "immediate",
                "stop",
                check=False,
            )
        shutil.rmtree(self.directory, ignore_errors=True)
