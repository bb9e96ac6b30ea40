#!/usr/bin/env python3
"""Stress harness for dpgen: runs the families of tests/stress/README.md
(parallel runs, kills, hostile requests, hostile catalogs, data faults)
and checks the invariants every run must keep; prints each breach as a
finding (command, expected, got) and exits 1 when there is any."""
import argparse
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

SANITIZER = re.compile(rb"ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|SUMMARY: (Address|Undefined|Leak)")
LOCKED = re.compile(rb"database is locked|SQLITE_BUSY|database table is locked", re.I)
# bytes a terminal acts on: C0 controls other than tab and newline, and DEL
# characters a terminal acts on: C0 controls other than tab and newline, DEL
# and the C1 controls (U+0080..U+009F; CSI is U+009B)
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# bytes that are not UTF-8, as surrogateescape decodes them (a raw 0x9b is
# CSI to an 8-bit terminal)
NOT_UTF8 = re.compile("[\udc80-\udcff]")
EXIT_MEANING = {0: "spec printed", 1: "other error", 2: "usage", 3: "catalog cannot answer"}


class Res:
    def __init__(self, argv, rc, out, err, wall, rss_mb, timed_out):
        self.argv, self.rc, self.out, self.err = argv, rc, out, err
        self.wall, self.rss_mb, self.timed_out = wall, rss_mb, timed_out

    def msg(self):
        return self.err.decode("utf-8", "replace").strip().replace("\n", " | ")[:400]


def show_arg(a):
    if isinstance(a, bytes):
        a = a.decode("utf-8", "surrogateescape")
    if len(a) > 160:
        return "<%d chars: %s...>" % (len(a), ascii(a[:60]))
    if any(ord(c) < 32 or 127 <= ord(c) <= 0x9F or 0xDC80 <= ord(c) <= 0xDCFF for c in a):
        return "$" + ascii(a)
    return shlex.quote(a)


class Ctx:
    """What every family needs: the binary, a seeded RNG, the limits, one
    scratch working directory per run and the findings list."""

    def __init__(self, opts):
        self.opts = opts
        self.dpgen = os.path.abspath(opts.dpgen)
        self.src = opts.source
        self.quick = opts.quick
        self.rng = random.Random(opts.seed)
        self.work = tempfile.mkdtemp(prefix="dpgen-stress-")
        # a copy, so a rebuild during a long run does not pull the binary away
        # (its RUNPATH is absolute)
        shutil.copy2(self.dpgen, os.path.join(self.work, "dpgen"))
        self.dpgen = os.path.join(self.work, "dpgen")
        self.findings = []
        self.runs = 0
        self.lock = threading.Lock()
        self.peak_rss = 0.0
        self.slowest = 0.0
        with open(self.dpgen, "rb") as f:
            self.asan = b"__asan_init" in f.read()
        factor = opts.asan_factor if self.asan else 1
        self.max_wall = opts.max_wall * factor
        self.max_rss = opts.max_rss_mb * (3 if self.asan else 1)
        self.kill_after = opts.kill_after * factor
        self.env = dict(os.environ)
        self.env.pop("DPGEN_STATE_DIR", None)
        self.env["ASAN_OPTIONS"] = "detect_leaks=1:exitcode=99:abort_on_error=0"
        self.env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1:exitcode=99"
        self.env["LC_ALL"] = "C.UTF-8"
        self.usage = None
        self.family = "?"
        self.quiet = False

    def path(self, *parts):
        p = os.path.join(self.work, *parts)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def dir(self, *parts):
        p = os.path.join(self.work, *parts)
        os.makedirs(p, exist_ok=True)
        return p

    def finding(self, cmd, expected, got):
        with self.lock:
            self.findings.append({"family": self.family, "command": cmd, "expected": expected, "got": got})
        if not self.quiet:
            print("FINDING [%s] %s\n  expected: %s\n  got:      %s" % (self.family, cmd, expected, got), flush=True)

    def cmdline(self, argv, state=None, extra_env=None):
        env = ""
        if state:
            env += "DPGEN_STATE_DIR=%s " % shlex.quote(state)
        for k, v in (extra_env or {}).items():
            env += "%s=%s " % (k, shlex.quote(v))
        return env + " ".join(show_arg(a) for a in ["dpgen"] + list(argv))

    def spawn(self, argv, state=None, extra_env=None, cwd=None, stdin=None):
        env = dict(self.env)
        if state:
            env["DPGEN_STATE_DIR"] = state
        env.update(extra_env or {})
        cwd = cwd or tempfile.mkdtemp(dir=self.dir("cwd"))
        fo = tempfile.TemporaryFile()
        fe = tempfile.TemporaryFile()
        p = subprocess.Popen([self.dpgen] + list(argv), stdout=fo, stderr=fe, stdin=stdin or subprocess.DEVNULL,
                             env=env, cwd=cwd, start_new_session=True)
        return p, fo, fe, cwd, time.monotonic()

    def reap(self, argv, proc, fo, fe, t0, limit=None):
        """Waits for a spawned run (killing it after `limit` seconds) and
        returns its result with its own peak RSS (wait4's rusage)."""
        fired = []

        def kill():
            fired.append(1)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
        timer = threading.Timer(limit or self.kill_after, kill)
        timer.start()
        _, status, ru = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - t0
        fo.seek(0)
        fe.seek(0)
        res = Res(argv, proc.returncode, fo.read(), fe.read(), wall, ru.ru_maxrss / 1024.0, bool(fired))
        fo.close()
        fe.close()
        with self.lock:
            self.runs += 1
            self.peak_rss = max(self.peak_rss, res.rss_mb)
            self.slowest = max(self.slowest, wall)
        return res

    def run(self, argv, state=None, expect=(0, 1, 2, 3), extra_env=None, cwd=None, check=True, limit=None, note=None):
        proc, fo, fe, cwd_used, t0 = self.spawn(argv, state, extra_env, cwd)
        res = self.reap(argv, proc, fo, fe, t0, limit)
        if check:
            self.check(res, expect, state, extra_env, cwd_used if cwd is None else None, note=note)
        return res

    def check(self, res, expect, state=None, extra_env=None, cwd=None, killed=False, note=None):
        """The invariants of one finished run; each breach is a finding.
        note says what the case is (a catalog's mutation, a data fault)."""
        cmd = self.cmdline(res.argv, state, extra_env) + ("  [%s]" % note if note else "")
        tail = res.msg()
        if res.timed_out:
            self.finding(cmd, "finishes within %.0f s" % self.kill_after, "still running, killed (hang)")
            return
        if not killed and (res.rc < 0 or res.rc >= 128):
            self.finding(cmd, "no crash", "exit %d (signal %d): %s" % (res.rc, -res.rc if res.rc < 0 else res.rc - 128, tail))
        if SANITIZER.search(res.err):
            self.finding(cmd, "no sanitizer report", first_lines(res.err, SANITIZER))
        if LOCKED.search(res.err) or LOCKED.search(res.out):
            self.finding(cmd, "no lock error", tail)
        if not killed:
            if res.rc not in EXIT_MEANING and res.rc >= 0:
                self.finding(cmd, "exit in {0,1,2,3}", "exit %d: %s" % (res.rc, tail))
            elif res.rc not in expect and res.rc >= 0:
                self.finding(cmd, "exit %s (%s)" % ("|".join(map(str, expect)), ", ".join(EXIT_MEANING[e] for e in expect)),
                             "exit %d: %s" % (res.rc, tail))
        for name, data in (("stderr", res.err), ("stdout", res.out)):
            text = data.decode("utf-8", "surrogateescape")
            m = RAW_CONTROL.search(text)
            if m:
                at = m.start()
                self.finding(cmd, "no raw control character on %s" % name,
                             "U+%04X at %d: %s" % (ord(text[at]), at, ascii(text[max(0, at - 40):at + 20])))
            m = NOT_UTF8.search(text)
            if m:
                at = m.start()
                self.finding(cmd, "%s is UTF-8 (bytes the request or data had escaped)" % name,
                             "byte 0x%02x at %d: %s" % (ord(text[at]) - 0xDC00, at, ascii(text[max(0, at - 40):at + 20])))
        if not killed and res.rc in (1, 2, 3):
            lines = [ln for ln in res.err.decode("utf-8", "replace").split("\n") if ln.strip()]
            if res.rc == 2 and self.usage:
                lines = [ln for ln in lines if ln not in self.usage]
            stray = [ln for ln in lines if not ln.startswith("dpgen: ") and not ln.startswith("usage: dpgen")]
            if stray and not SANITIZER.search(res.err):
                self.finding(cmd, "each message one line starting 'dpgen: '", "line %s in: %s" % (ascii(stray[0][:120]), tail[:200]))
        if res.wall > self.max_wall and not killed:
            self.finding(cmd, "at most %.0f s" % self.max_wall, "%.1f s" % res.wall)
        if res.rss_mb > self.max_rss:
            self.finding(cmd, "peak RSS at most %d MB" % self.max_rss, "%.0f MB" % res.rss_mb)
        if cwd and os.path.isdir(cwd):
            left = os.listdir(cwd)
            if left:
                self.finding(cmd, "nothing left in the working directory", "left %s" % left[:5])
            shutil.rmtree(cwd, ignore_errors=True)


def first_lines(data, pat):
    m = pat.search(data)
    return data[m.start():m.start() + 300].decode("utf-8", "replace").replace("\n", " | ")


def tree_digest(path):
    """sha256 of every file under path (or of path), by relative name: the
    sources must be byte-identical after every family."""
    out = {}
    if os.path.isfile(path):
        path = os.path.dirname(path)
    for root, _, files in os.walk(path):
        for f in files:
            p = os.path.join(root, f)
            if os.path.islink(p) or not os.path.isfile(p):
                out[os.path.relpath(p, path)] = "special"
                continue
            h = hashlib.sha256()
            with open(p, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            out[os.path.relpath(p, path)] = h.hexdigest()
    return out


def compare_digest(ctx, what, before, after):
    if before != after:
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        ctx.finding("(the sources of %s)" % what, "byte-identical before and after (sha256)", "changed: %s" % changed[:5])


def state_intact(ctx, state, after):
    """The state after a run or a kill: SQLite's integrity check is ok and
    `dpgen runs` still answers."""
    db = os.path.join(state, "state.db")
    if os.path.exists(db):
        r = subprocess.run(["sqlite3", db, "PRAGMA integrity_check"], capture_output=True, timeout=60)
        got = r.stdout.decode().strip()
        if got != "ok":
            ctx.finding("sqlite3 %s 'PRAGMA integrity_check'  (after %s)" % (db, after), "ok", ascii(got[:200]) + r.stderr.decode()[:200])
    res = ctx.run(["runs", "--limit", "5"], state=state, expect=(0,))
    if res.rc == 0:
        try:
            json.loads(res.out)
        except ValueError as e:
            ctx.finding(ctx.cmdline(["runs"], state) + "  (after %s)" % after, "JSON", str(e))


FAKE = """#!/bin/sh
case "$1" in
crash) kill -SEGV $$ ;;
locked) echo "dpgen: database is locked" >&2; exit 1 ;;
esc) printf 'dpgen: no metric \\033[2J\\n' >&2; exit 3 ;;
c1) printf 'dpgen: no metric \\302\\233\\n' >&2; exit 3 ;;
bytes) printf 'dpgen: no metric \\303(\\n' >&2; exit 3 ;;
multi) printf 'dpgen: first line\\nsecond line\\n' >&2; exit 1 ;;
rc) exit 7 ;;
asan) echo "==1==ERROR: AddressSanitizer: heap-use-after-free" >&2; exit 1 ;;
ubsan) echo "x.c:1:2: runtime error: signed integer overflow" >&2; exit 0 ;;
leave) touch .tmp; exit 0 ;;
ok) exit 0 ;;
esac
"""


def selftest(ctx):
    """The checks can fail: a fake dpgen breaks each invariant once, and
    each breach must be found (else the harness itself is a finding)."""
    fake = os.path.join(ctx.dir("selftest"), "dpgen")
    with open(fake, "w") as f:
        f.write(FAKE)
    os.chmod(fake, 0o755)
    real, ctx.dpgen = ctx.dpgen, fake
    try:
        for case in ("crash", "locked", "esc", "c1", "bytes", "multi", "rc", "asan", "ubsan", "leave", "ok"):
            n = len(ctx.findings)
            ctx.quiet = True
            ctx.run([case], expect=(0, 1, 3))
            ctx.quiet = False
            got = len(ctx.findings) - n
            del ctx.findings[n:]
            if (got == 0) != (case == "ok"):
                ctx.finding("(harness self-test: a fake dpgen's '%s')" % case, "found" if case != "ok" else "clean",
                            "%d findings" % got)
    finally:
        ctx.dpgen = real


def build_db(ctx, sql, out):
    r = subprocess.run([ctx.dpgen, "demo", "--sql", sql, "--out", out], capture_output=True, env=ctx.env, timeout=300)
    if r.returncode != 0:
        raise SystemExit("stress: cannot build %s: %s" % (out, r.stderr.decode()[:300]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dpgen", default=os.environ.get("DPGEN"))
    ap.add_argument("--source", default=os.environ.get("DP_SOURCE_DIR", os.path.dirname(os.path.dirname(HERE))))
    ap.add_argument("--quick", action="store_true", help="a short run (under a minute) for make test")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--families", default="parallel,kill,requests,catalogs,data")
    ap.add_argument("--parallel", type=int, default=None, help="runs at once in the parallel family (32)")
    ap.add_argument("--kills", type=int, default=None, help="kill -9s in the kill family (50)")
    ap.add_argument("--requests", type=int, default=None, help="hostile requests (136)")
    ap.add_argument("--catalogs", type=int, default=None, help="hostile catalogs (132)")
    ap.add_argument("--max-wall", type=float, default=30, help="seconds one run may take (x asan-factor under ASan)")
    ap.add_argument("--kill-after", type=float, default=120, help="seconds before a run counts as hung")
    ap.add_argument("--max-rss-mb", type=float, default=1024, help="peak RSS of one run (x3 under ASan)")
    ap.add_argument("--asan-factor", type=float, default=6)
    ap.add_argument("--skip", default="", help="catalog or data cases to leave out, e.g. huge,many_files")
    ap.add_argument("--report", help="write findings.json here")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    opts = ap.parse_args()
    if not opts.dpgen:
        for cand in ("build/dpgen",):
            if os.path.exists(os.path.join(opts.source, cand)):
                opts.dpgen = os.path.join(opts.source, cand)
    if not opts.dpgen or not os.access(opts.dpgen, os.X_OK):
        ap.error("no dpgen binary: --dpgen PATH or DPGEN=PATH")
    q = opts.quick
    opts.parallel = opts.parallel or (6 if q else 32)
    opts.kills = opts.kills if opts.kills is not None else (6 if q else 50)
    opts.requests = opts.requests if opts.requests is not None else (18 if q else 136)
    opts.catalogs = opts.catalogs if opts.catalogs is not None else (10 if q else 132)
    opts.skip = set(filter(None, opts.skip.split(",")))
    ctx = Ctx(opts)
    import families  # noqa: E402 (needs sys.path above)
    t0 = time.monotonic()
    r = subprocess.run([ctx.dpgen, "generate", ""], capture_output=True, env=ctx.env)
    ctx.usage = set(r.stderr.decode("utf-8", "replace").split("\n")[1:])
    ctx.family = "selftest"
    selftest(ctx)
    print("stress: %s%s, seed %d, %s mode, scratch %s" % (ctx.dpgen, " (ASan)" if ctx.asan else "", opts.seed,
                                                        "quick" if q else "full", ctx.work), flush=True)
    try:
        for fam in opts.families.split(","):
            ctx.family = fam
            t = time.monotonic()
            n0, f0 = ctx.runs, len(ctx.findings)
            families.FAMILIES[fam](ctx)
            print("stress: %-9s %4d runs, %3d findings, %.1f s" % (fam, ctx.runs - n0, len(ctx.findings) - f0,
                                                                 time.monotonic() - t), flush=True)
    finally:
        if not opts.keep:
            shutil.rmtree(ctx.work, ignore_errors=True)
    print("stress: %d runs, %d findings, peak RSS %.0f MB, slowest run %.1f s, %.1f s in all" %
          (ctx.runs, len(ctx.findings), ctx.peak_rss, ctx.slowest, time.monotonic() - t0))
    if opts.report:
        os.makedirs(opts.report, exist_ok=True)
        with open(os.path.join(opts.report, "findings.json"), "w") as f:
            json.dump(ctx.findings, f, indent=1)
    return 1 if ctx.findings else 0


if __name__ == "__main__":
    sys.exit(main())
