"""Families (a) parallel runs on one state folder and (b) kill -9 at random
moments of every command that writes the state or an --out tree."""
import json
import os
import shutil
import signal
import threading
import time

from stress import compare_digest, state_intact, tree_digest

AS_OF = "2025-07-16"
ANSWERED = [
    "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign.",
    "Daily sales by region and product category",
    "Show me the CTR on mobile in the US, week by week",
    "Top 5 campaigns by revenue",
    "Revenue per day by customer region for the app channel in June 2025",
    "weekly clicks by campaign",
]
REFUSED = ["weekly zorblax by campaign", "cumulative frobnication by planet"]


def demo(ctx):
    """A small demo database and its catalog, built once per harness run."""
    if not getattr(ctx, "demo_db", None):
        ctx.demo_db = ctx.path("demo", "demo.duckdb")
        r = ctx.run(["demo", "--scale", "0.05", "--out", ctx.demo_db], expect=(0,))
        if r.rc != 0:
            raise SystemExit("stress: cannot build the demo database")
        ctx.demo_models = os.path.join(ctx.src, "catalog", "demo", "semantic_models.yml")
    return ["--db", ctx.demo_db, "--models", ctx.demo_models]


def base(ctx):
    return demo(ctx) + ["--as-of", AS_OF, "--timeout", "20"]


def names(path):
    if not os.path.isdir(path):
        return None
    out = []
    for root, dirs, files in os.walk(path):
        for n in dirs + files:
            out.append(os.path.relpath(os.path.join(root, n), path))
    return sorted(out)


def leftovers(out):
    d, b = os.path.dirname(out), os.path.basename(out)
    return [n for n in os.listdir(d) if n.startswith(b + ".tmp-")] if os.path.isdir(d) else []


def parallel(ctx):
    b = base(ctx)
    state = ctx.dir("par", "state")
    outdir = ctx.path("par", "out", "shared")
    before = tree_digest(ctx.demo_db)
    jobs = []
    pool = [
        lambda i: (["generate"] + b + [ctx.rng.choice(ANSWERED)], (0,)),
        lambda i: (["generate"] + b + ["--format", "json", ctx.rng.choice(ANSWERED)], (0,)),
        lambda i: (["generate"] + b + [ctx.rng.choice(REFUSED)], (3,)),
        lambda i: (["generate"] + b + ["--choose", "quux=clicks", "weekly quux by campaign"], (0,)),
        lambda i: (["generate"] + b + ["--out", ctx.path("par", "out", "o%d" % i), ctx.rng.choice(ANSWERED)], (0,)),
        lambda i: (["generate"] + b + ["--out", outdir, ANSWERED[i % 2]], (0,)),
        lambda i: (["catalog", "learn", "phrase number %d" % i, "clicks"] + b, (0,)),
        lambda i: (["catalog", "profile"] + b, (0,)),
        lambda i: (["runs", "--limit", "50"], (0,)),
        lambda i: (["catalog", "list"] + b, (0,)),
    ]
    for i in range(ctx.opts.parallel):
        jobs.append(pool[i % len(pool)](i) if i < len(pool) else ctx.rng.choice(pool)(i))
    spawned = [ctx.spawn(argv, state) + (argv, expect) for argv, expect in jobs]
    results = [None] * len(spawned)

    def reap(k):
        p, fo, fe, cwd, t0, argv, expect = spawned[k]
        results[k] = (ctx.reap(argv, p, fo, fe, t0), expect, cwd)
    threads = [threading.Thread(target=reap, args=(k,)) for k in range(len(spawned))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    recorded = 0
    for res, expect, cwd in results:
        ctx.check(res, expect, state, cwd=cwd)
        if res.argv[0] == "generate" and res.rc in (0, 3):
            recorded += 1
    state_intact(ctx, state, "%d parallel runs" % len(jobs))
    r = ctx.run(["runs", "--limit", "1000"], state=state, expect=(0,))
    if r.rc == 0:
        got = len(json.loads(r.out))
        if got != recorded:
            ctx.finding(ctx.cmdline(["runs", "--limit", "1000"], state), "%d runs recorded (every generate that exited 0 or 3)" % recorded,
                        "%d" % got)
    if names(outdir) is not None and "spec.json" not in names(outdir):
        ctx.finding("(%d concurrent exports to one --out)" % sum(1 for a, _ in jobs if outdir in a), "a whole tree", str(names(outdir))[:200])
    compare_digest(ctx, "the demo database", before, tree_digest(ctx.demo_db))


def kill_targets(ctx, b):
    out = ctx.path("kill", "out", "tree")
    return [
        ("generate --out", lambda i: ["generate"] + b + ["--out", out, ANSWERED[i % 2]], out),
        ("catalog learn", lambda i: ["catalog", "learn", "killed phrase %d" % i, "spend"] + b, None),
        ("catalog forget", lambda i: ["catalog", "forget", "killed phrase %d" % (i - 1)] + b, None),
        ("catalog profile", lambda i: ["catalog", "profile"] + b, None),
        ("generate --choose", lambda i: ["generate"] + b + ["--choose", "blorp=clicks", "weekly blorp by campaign"], None),
        ("generate", lambda i: ["generate"] + b + [ANSWERED[i % len(ANSWERED)]], None),
    ]


def kill(ctx):
    b = base(ctx)
    state = ctx.dir("kill", "state")
    before = tree_digest(ctx.demo_db)
    targets = kill_targets(ctx, b)
    out = targets[0][2]
    # a reference tree of each request and each target's time unkilled
    ref = {}
    for i in (0, 1):
        o = ctx.path("kill", "ref%d" % i, "tree")
        ctx.run(["generate"] + b + ["--out", o, ANSWERED[i]], state=state, expect=(0,))
        ref[i] = names(o)
    span = {}
    for name, argv, _ in targets:
        t = time.monotonic()
        ctx.run(argv(1), state=state)
        span[name] = time.monotonic() - t + 0.05
    ctx.run(targets[0][1](0), state=state, expect=(0,))
    mid = 0
    for i in range(ctx.opts.kills):
        name, argv, o = targets[i % len(targets)] if i < len(targets) else ctx.rng.choice(targets)
        fresh = i % 7 == 6
        st = ctx.dir("kill", "fresh%d" % i) if fresh else state
        a = argv(i)
        delay = ctx.rng.uniform(0, span[name] * (3 if fresh else 1))
        if o and i % 2:
            # the files are written at the end of a run: aim there half the time
            delay = ctx.rng.uniform(0.6 * span[name], span[name])
        p, fo, fe, cwd, t0 = ctx.spawn(a, st)
        time.sleep(delay)
        try:
            os.kill(p.pid, signal.SIGKILL)
        except OSError:
            pass
        res = ctx.reap(a, p, fo, fe, t0)
        ctx.check(res, (0, 1, 2, 3), st, killed=res.rc == -9)
        shutil.rmtree(cwd, ignore_errors=True)
        what = "kill -9 of '%s' after %d ms%s" % (name, delay * 1000, " (fresh state)" if fresh else "")
        state_intact(ctx, st, what)
        if o:
            now = names(o)
            if leftovers(o):
                mid += 1
            if now not in (ref[0], ref[1]):
                ctx.finding(what, "--out is the old tree or the new one whole", "files: %s" % str(now)[:200])
            else:
                try:
                    json.load(open(os.path.join(o, "spec.json")))
                except ValueError as e:
                    ctx.finding(what, "--out spec.json parses", str(e))
    r = ctx.run(targets[0][1](0), state=state, expect=(0,))
    if r.rc == 0 and (names(out) != ref[0] or leftovers(out)):
        ctx.finding(ctx.cmdline(targets[0][1](0), state) + "  (after the kills)", "the whole tree, no temporary folder left",
                    "files %s, left %s" % (str(names(out))[:100], leftovers(out)))
    print("stress: kill: %d kills landed while an export was written" % mid, flush=True)
    compare_digest(ctx, "the demo database", before, tree_digest(ctx.demo_db))
