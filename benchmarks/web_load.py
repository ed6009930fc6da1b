"""Benchmark (not a test): the web application under 50 concurrent users, on 127.0.0.1.

    .venv/bin/python benchmarks/web_load.py [--users 50] [--seconds 30] [--pause 3,1,0] [--postgres]
        [--processes 2] [--threads 8]

Starts ``yusuan serve`` in a subprocess on a free port with a fresh data folder (SQLite; with
``--postgres`` or DATABASE_URL set, also on a throwaway PostgreSQL database), lets the demo load, then
adds one department per user, each with its own preparer and a draft of the example package (so every
save is a real save-and-check, not a conflict). Every user signs in and, until the time is up, opens
his package's editing page, saves one changed amount (save-and-check), and, as a public visitor (not
signed in), opens the public page of a published version and the API's package endpoint; between two
requests he pauses ``--pause`` seconds on average (0: no pause, the saturation figure), and the users
start spread over their first round rather than all in the same instant. ``--pause 3,1,0`` runs each
pause in turn against the same server and data (seeded once), and prints p50/p95 (ms) per request kind
for each, with the CPU the server and the load generator used (the generator runs on the same cores:
it must stay cheap — one thread and one keep-alive ``http.client`` connection per user, no parsing but
the grid form's inputs), then one summary table per database.

Targets: public page and API package endpoint p95 < 300 ms (issue 12), save-and-check p95 < 800 ms
(issue 11), on this 2-core machine.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import machine
from yusuan.web.throwaway_db import throwaway_postgres

ROOT = Path(__file__).resolve().parents[1]
TARGETS_MS = {"公开页面": 300.0, "保存并校验": 800.0, "API 预算包": 300.0}
KINDS = ("编辑页面", "保存并校验", "公开页面", "API 预算包")
PASSWORD = "bench-password-42"

SEED = r'''
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yusuan.web.settings")
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from yusuan.synth.facts import example_package
from yusuan.web import workflow
from yusuan.web.models import Bureau, Department, Membership, Package, Role, Version

users = int(sys.argv[1])
bureau = Bureau.objects.first()
facts = example_package()
hashed = make_password(sys.argv[2])
User = get_user_model()
for i in range(users):
    dept = Department.objects.create(bureau=bureau, name=f"压测部门{i:02d}")
    p = Package.objects.create(department=dept, year=facts.unit.budget_year)
    workflow.store_facts(p, None, facts, "压测数据", action="demo")
    u = User.objects.create(username=f"bench{i:02d}", password=hashed)
    Membership.objects.create(user=u, role=Role.PREPARER, department=dept)
    print(f"{u.username}\t{p.pk}")
v = Version.objects.order_by("-pk").first()
print(f"version\t{v.pk}\t{v.package_id}")
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(database_url: str | None, threads: int, processes: int):
    with tempfile.TemporaryDirectory(prefix="yusuan-webload-") as tmp:
        env = dict(os.environ, YUSUAN_DATA=tmp, PYTHONPATH=str(ROOT / "src"))
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        port = _free_port()
        log = open(Path(tmp) / "server.log", "w")
        proc = subprocess.Popen([sys.executable, "-c", "from yusuan.cli import main; main()", "serve", "--port", str(port),
                                 "--threads", str(threads), "--processes", str(processes)], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 180
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("服务未能启动：\n" + (Path(tmp) / "server.log").read_text(encoding="utf-8"))
                    time.sleep(0.3)
            yield port, env, proc
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()


class Session:
    """One user: a keep-alive connection and its cookies."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None) -> tuple[int, str, float]:
        h = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        body = None
        if form is not None:
            body = urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
            h["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            h["Referer"] = "http://127.0.0.1/"
        start = time.perf_counter()
        self.conn.request(method, path, body=body, headers=h)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = time.perf_counter() - start
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text, elapsed

    def login(self, username: str) -> None:
        _, page, _ = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _, _ = self.request("POST", "/login/", {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
        if status != 302:
            raise SystemExit(f"{username} 未能登录（{status}）")


def grid_form(page: str, key: str = "basic") -> dict:
    html = re.search(rf'<form class="card grid-card" id="grid-{key}".*?</form>', page, re.S).group(0)
    data = {n: v.replace("&quot;", '"').replace("&amp;", "&").replace("&#x27;", "'")
            for n, v in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)}
    data.update(re.findall(r'<input name="(r\d+-\w+)" value="([^"]*)"', html))
    for name, body in re.findall(r'<select name="(r\d+-\w+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)<', body)
        data[name] = (chosen.group(1) if chosen.group(1) is not None else chosen.group(2)) if chosen else ""
    return data


def seed(env: dict, users: int) -> tuple[list[tuple[str, int]], str, str]:
    seeded = subprocess.run([sys.executable, "-c", SEED, str(users), PASSWORD], env=env, capture_output=True, text=True)
    if seeded.returncode:
        raise SystemExit(seeded.stderr[-3000:])
    lines = [line.split("\t") for line in seeded.stdout.splitlines() if "\t" in line]
    accounts = [(u, int(pk)) for u, pk, *_ in lines if u != "version"]
    _, version, published_package = next(x for x in lines if x[0] == "version")
    return accounts, version, published_package


def server_cpu(proc) -> float:
    """CPU seconds (user + system) of the server process and its children so far."""
    import psutil

    total = 0.0
    try:
        root = psutil.Process(proc.pid)
        for p in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                total += t.user + t.system
    except psutil.Error:
        pass
    return total


def run(port: int, proc, accounts: list, version: str, published_package: str, seconds: float, think: float,
        rounds: dict[int, int]) -> dict:
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    failures: dict[str, int] = {k: 0 for k in KINDS}
    lock = threading.Lock()
    sessions = []
    for username, _ in accounts:  # signed in before the clock starts (password hashing is not the load)
        s = Session(port)
        s.login(username)
        sessions.append(s)
    start_line = threading.Barrier(len(accounts) + 1)
    stop = [0.0]

    def user(s: Session, pk: int, n: int) -> None:
        visitor = Session(port)  # the public pages as the public reads them: not signed in
        rng = random.Random(n)
        start_line.wait()
        # users do not all click at the same instant: each starts somewhere in his first round (four pauses)
        time.sleep(rng.uniform(0, 4 * think))
        def pause() -> None:
            if think:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))

        while time.monotonic() < stop[0]:
            pause()
            status, page, t = s.request("GET", f"/package/{pk}/grid/")
            record("编辑页面", status == 200, t)
            if status != 200:
                continue
            form = grid_form(page)
            rounds[n] = rounds.get(n, 0) + 1  # counted across the pauses: every save changes the amount
            form["r0-amount"] = f"{100 + n}.{rounds[n] % 10000:04d}"
            pause()
            status, text, t = s.request("POST", f"/package/{pk}/grid/basic/", form, {"HX-Request": "true"})
            record("保存并校验", status == 200 and "已保存" in text, t)
            pause()
            status, _, t = visitor.request("GET", f"/public/version/{version}/")
            record("公开页面", status == 200, t)
            pause()
            status, _, t = visitor.request("GET", f"/api/packages/{published_package}/")
            record("API 预算包", status == 200, t)
        visitor.conn.close()

    def record(kind: str, ok: bool, t: float) -> None:
        with lock:
            times[kind].append(t * 1000)
            if not ok:
                failures[kind] += 1

    threads = [threading.Thread(target=user, args=(s, pk, n), daemon=True)
               for n, (s, (_, pk)) in enumerate(zip(sessions, accounts))]
    for th in threads:
        th.start()
    stop[0] = time.monotonic() + seconds
    began = time.monotonic()
    cpu, served = time.process_time(), server_cpu(proc)
    start_line.wait()
    for th in threads:
        th.join(timeout=seconds + 120)
    elapsed = time.monotonic() - began
    for s in sessions:
        s.conn.close()
    return {"times": times, "failures": failures, "elapsed": elapsed, "client_cpu": time.process_time() - cpu,
            "server_cpu": server_cpu(proc) - served, "load": os.getloadavg()[0]}


def percentiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def report(label: str, result: dict, users: int, think: float) -> bool:
    times, failures = result["times"], result["failures"]
    total = sum(len(v) for v in times.values())
    seconds = result["elapsed"]
    print(f"\n{label}：{users} 个并发用户（平均停顿 {think:g} 秒），{seconds:.0f} 秒，共 {total} 个请求（{total / seconds:.1f} 个/秒）；"
          f"服务占用 CPU {result['server_cpu']:.1f} 秒（{result['server_cpu'] / seconds * 100:.0f}% 单核，"
          f"每个请求 {result['server_cpu'] / max(total, 1) * 1000:.0f} ms），"
          f"负载生成器占用 CPU {result['client_cpu']:.1f} 秒（{result['client_cpu'] / seconds * 100:.0f}% 单核）；"
          f"结束时 1 分钟负载 {result['load']:.2f}")
    print(f"  {'请求':<10}{'次数':>6}{'失败':>6}{'p50 ms':>9}{'p95 ms':>9}{'最大 ms':>9}  目标")
    ok = True
    for kind in KINDS:
        values = sorted(times[kind])
        if not values:
            print(f"  {kind:<10}     0")
            ok = False
            continue
        p50, p95 = percentiles(values)
        target = TARGETS_MS.get(kind)
        verdict = "" if target is None else f"p95 < {target:.0f} ms：{'达到' if p95 < target else '未达到'}"
        ok &= target is None or p95 < target
        ok &= failures[kind] == 0
        print(f"  {kind:<10}{len(values):>6}{failures[kind]:>6}{p50:>9.0f}{p95:>9.0f}{values[-1]:>9.0f}  {verdict}")
    return ok


def summary(label: str, results: list[tuple[float, dict]]) -> None:
    """One table per database: p50/p95 of every request kind at every pause."""
    print(f"\n{label} 汇总（p50 / p95 ms）")
    print(f"  {'停顿':<6}{'请求/秒':>8}" + "".join(f"{k:>16}" for k in KINDS))
    for think, r in results:
        rate = sum(len(v) for v in r["times"].values()) / r["elapsed"]
        cells = []
        for kind in KINDS:
            cells.append(f"{'%.0f / %.0f' % percentiles(r['times'][kind]) if r['times'][kind] else '—':>16}")
        print(f"  {think:<6g}{rate:>8.1f}" + "".join(cells))


def bench(label: str, database_url: str | None, args, pauses: list[float]) -> bool:
    """One server and one seeding per database; each pause in turn (the worst last: 0 saturates)."""
    ok, results = True, []
    with server(database_url, args.threads, args.processes) as (port, env, proc):
        accounts, version, published_package = seed(env, args.users)
        rounds: dict[int, int] = {}
        for think in pauses:
            result = run(port, proc, accounts, version, published_package, args.seconds, think, rounds)
            # the targets are stated at a pause a person takes; the saturation figure (0) is reported, not judged
            judged = report(label, result, args.users, think)
            ok &= judged or think == 0
            results.append((think, result))
    summary(label, results)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0, help="每种停顿的测量时长（秒）")
    parser.add_argument("--pause", "--think", dest="pause", default="3,1,0",
                        help="每个用户两次请求之间的平均停顿（秒，0.5–1.5 倍随机），逗号分隔依次测量；0 为不停顿的极限压力")
    parser.add_argument("--threads", type=int, default=8, help="每个服务进程的线程数（yusuan serve --threads）")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="网页服务进程数（yusuan serve --processes）")
    parser.add_argument("--postgres", action="store_true", help="另在 PostgreSQL 上测（DATABASE_URL 或 127.0.0.1:5432 用户 postgres）")
    parser.add_argument("--no-sqlite", action="store_true", help="只测 PostgreSQL")
    args = parser.parse_args()
    try:
        pauses = [float(x) for x in args.pause.split(",") if x.strip()]
    except ValueError:
        raise SystemExit(f"--pause 应为逗号分隔的秒数，实际为“{args.pause}”") from None
    print(machine.describe())
    print(f"服务：yusuan serve --processes {args.processes} --threads {args.threads}；停顿 {', '.join(f'{p:g}' for p in pauses)} 秒，各测 {args.seconds:g} 秒")
    ok = True
    if not args.no_sqlite:
        ok &= bench("SQLite", None, args, pauses)
    pg = os.environ.get("DATABASE_URL") or ("postgres://postgres@127.0.0.1:5432/postgres" if args.postgres or args.no_sqlite else None)
    if pg:
        with throwaway_postgres(pg, "yusuan_bench") as url:
            ok &= bench("PostgreSQL", url, args, pauses)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
