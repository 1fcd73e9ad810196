#!/usr/bin/env python3
"""Typing latency of `latch lsp` on a generated workspace (issue 14).

Spawns the release binary as an editor would (stdio), opens the workspace folder the
workspace benchmark generates (`LATCH_BENCH_DUMP`: 1,000 files under one `latch.toml`, or
10,000 files as ten sub-workspaces), waits until the first analysis has settled, opens two
files (a bucket policy and a `.tf` file) and types into both: every INTERVAL one keystroke
in each (a word typed into a `Sid` value, then erased, again and again) for SECONDS.

For each change it records the time from sending it to the first `publishDiagnostics` for
that file whose version is this one or a later one, and reports p50, p95, p99 and the worst
of these, the edits never answered, the longest stretch of typing without diagnostics for
a file, and the server's resident memory (now and peak, from /proc).

Run from the repository:   scripts/bench/lsp.py [--files 10000] [--seconds 10]
Options: --interval 0.05, --bin target/release/latch, --dir (default
/tmp/latch-lsp-bench-FILES), --no-build. Needs cargo (to build and to generate the workspace)
and Linux /proc for memory. Prints figures; never fails on timing.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Server:
    def __init__(self, argv):
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.lock = threading.Lock()
        self.next_id = 0
        self.responses = {}
        self.published = []  # (time, uri, version)
        self.logs = []
        self.analysis_ends = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _send(self, msg):
        body = json.dumps(msg).encode()
        with self.lock:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()

    def request(self, method, params, timeout=60):
        self.next_id += 1
        rid = self.next_id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.time() + timeout
        with self.cond:
            while rid not in self.responses:
                left = deadline - time.time()
                if left <= 0:
                    raise TimeoutError(method)
                self.cond.wait(left)
            return self.responses.pop(rid)

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if length is None:
                continue
            msg = json.loads(out.read(length))
            now = time.perf_counter()
            method = msg.get("method")
            if method is None:
                with self.cond:
                    self.responses[msg.get("id")] = msg
                    self.cond.notify_all()
            elif "id" in msg:
                # A request from the server (progress token, watcher registration).
                self._send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            elif method == "textDocument/publishDiagnostics":
                p = msg["params"]
                with self.cond:
                    self.published.append((now, p["uri"], p.get("version")))
                    self.cond.notify_all()
            elif method == "window/logMessage":
                with self.cond:
                    self.logs.append(msg["params"]["message"])
                    self.cond.notify_all()
            elif method == "$/progress":
                token = str(msg["params"]["token"])
                if msg["params"]["value"].get("kind") == "end" and token.startswith("latch/analysis"):
                    with self.cond:
                        self.analysis_ends.append(now)
                        self.cond.notify_all()

    def rss_kb(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                fields = dict(
                    l.split(":", 1) for l in f.read().splitlines() if ":" in l
                )
            return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
        except OSError:
            return None, None


def uri_of(path):
    return "file://" + os.path.abspath(path)


def position(text, offset):
    before = text[:offset]
    line = before.count("\n")
    col = len(before) - (before.rfind("\n") + 1)
    # The typed text is ASCII; UTF-16 columns equal characters here.
    return {"line": line, "character": col}


def wait_quiet(server, quiet, limit):
    """Waits until no diagnostics arrived for `quiet` seconds (at most `limit`)."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        with server.cond:
            last = server.published[-1][0] if server.published else start
        if time.perf_counter() - last >= quiet and time.perf_counter() - start >= quiet:
            return time.perf_counter() - start
        time.sleep(0.05)
    return None


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10000, choices=[1000, 10000])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--interval", type=float, default=0.05)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "latch"))
    ap.add_argument("--dir", default=None)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    work = args.dir or f"/tmp/latch-lsp-bench-{args.files}"
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-p", "latch", "--quiet"], cwd=ROOT, check=True)
    if not os.path.isdir(work):
        env = dict(os.environ, LATCH_BENCH_DUMP=work, LATCH_BENCH_FILES=str(args.files))
        subprocess.run(
            ["cargo", "bench", "-p", "latch-ide", "--bench", "workspace", "--quiet"],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )
    prefix = "ws3/" if args.files == 10000 else ""
    targets = [
        (prefix + "s3/bucket-17.json", "json", '"Sid": "CrossAccountRead'),
        (prefix + "terraform/m5/app-55.tf", "terraform", 'Sid      = "WriteReports'),
    ]

    server = Server([args.bin, "lsp"])
    t0 = time.perf_counter()
    server.request("initialize", {
        "processId": os.getpid(),
        "rootUri": uri_of(work),
        "workspaceFolders": [{"uri": uri_of(work), "name": "bench"}],
        "capabilities": {
            "window": {"workDoneProgress": True},
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {"publishDiagnostics": {"versionSupport": True}},
        },
    })
    server.notify("initialized", {})
    with server.cond:
        server.cond.wait_for(lambda: any("analysing" in l for l in server.logs), timeout=300)
    loaded = time.perf_counter() - t0
    # The first analysis: over when its progress ends (shown past 500 ms), or when the
    # server has been quiet for a while.
    with server.cond:
        server.cond.wait_for(lambda: server.analysis_ends, timeout=5)
    if server.analysis_ends:
        wait_quiet(server, 0.5, 60)
    else:
        wait_quiet(server, 1.5, 300)
    settle = (server.analysis_ends[0] - t0 - loaded) if server.analysis_ends else None
    rss_idle, _ = server.rss_kb()
    print(f"latch lsp on {args.files} files in {work}")
    first = "under 0.5 s" if settle is None else f"{settle:.2f} s"
    print(f"  workspace read in {loaded:.2f} s; first analysis {first} after that; RSS {rss_idle and rss_idle // 1024} MB")

    docs = {}
    for path, lang, anchor in targets:
        full = os.path.join(work, path)
        with open(full) as f:
            text = f.read()
        at = text.index(anchor) + len(anchor)
        uri = uri_of(full)
        docs[uri] = {"text": text, "at": at, "typed": 0, "version": 1, "path": path}
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": lang, "version": 1, "text": text}})
    wait_quiet(server, 0.5, 30)

    word = "Typing"
    sent = []  # (time, uri, version)
    start = time.perf_counter()
    tick = 0
    while time.perf_counter() - start < args.seconds:
        due = start + tick * args.interval
        now = time.perf_counter()
        if due > now:
            time.sleep(due - now)
        for uri, d in docs.items():
            # Type the word one letter at a time, then erase it one letter at a time.
            step = tick % (2 * len(word))
            if step < len(word):
                pos = d["at"] + step
                change = {"range": {"start": position(d["text"], pos), "end": position(d["text"], pos)},
                          "text": word[step]}
                d["text"] = d["text"][:pos] + word[step] + d["text"][pos:]
            else:
                n = 2 * len(word) - step
                pos = d["at"] + n - 1
                change = {"range": {"start": position(d["text"], pos), "end": position(d["text"], pos + 1)},
                          "text": ""}
                d["text"] = d["text"][:pos] + d["text"][pos + 1:]
            d["version"] += 1
            sent.append((time.perf_counter(), uri, d["version"]))
            server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": d["version"]},
                "contentChanges": [change]})
        tick += 1
    end = time.perf_counter()
    wait_quiet(server, 1.0, 10)
    rss, peak = server.rss_kb()

    with server.cond:
        published = list(server.published)
    latencies = []
    unanswered = 0
    for t, uri, v in sent:
        answer = next((p for p, u, pv in published if u == uri and pv is not None and pv >= v and p >= t), None)
        if answer is None:
            unanswered += 1
        else:
            latencies.append((answer - t) * 1000)
    gaps = []
    for uri in docs:
        times = [start] + [p for p, u, _ in published if u == uri and start <= p <= end] + [end]
        gaps.append(max(b - a for a, b in zip(times, times[1:])) * 1000)
    print(f"  typed {len(sent)} edits into {', '.join(d['path'] for d in docs.values())} "
          f"every {args.interval * 1000:.0f} ms for {args.seconds:.0f} s")
    print(f"  change -> diagnostics of its version or later: p50 {percentile(latencies, 50):.1f} ms, "
          f"p95 {percentile(latencies, 95):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, "
          f"max {max(latencies, default=float('nan')):.1f} ms; never answered: {unanswered} of {len(sent)}")
    print(f"  longest stretch of typing without diagnostics for a file: {max(gaps):.0f} ms")
    print(f"  server RSS {rss and rss // 1024} MB, peak {peak and peak // 1024} MB")
    try:
        server.request("shutdown", None, timeout=10)
        server.notify("exit", None)
        server.proc.wait(timeout=10)
    except Exception:
        server.proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
