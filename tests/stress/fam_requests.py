"""Family (c): hostile requests and options, generated from a seeded RNG out
of fragment pools (injections, control bytes, binary, unicode, numbers,
impossible dates, stop words, length, repetition) spliced into requests the
demo answers."""
import json
import os
import re

from fam_state import ANSWERED, base
from stress import compare_digest, state_intact, tree_digest

# the request's documented limits are exit 1 ("any other error") with this message
LIMIT_MSG = re.compile(rb"dpgen: request is (\d+ bytes; the limit is \d+|not UTF-8 text)")
INJECT = ["'; DROP TABLE x; --", "\"; DROP TABLE bronze.marketing_events; --", "' OR '1'='1", "1); DELETE FROM x; --",
          "$$ || current_setting('threads') || $$", "') UNION SELECT * FROM duckdb_settings() --",
          "{{ run_query('DROP TABLE x') }}", "{% raw %}", "%s%s%n%x%p", "/* comment", "`id`", "$(touch /tmp/x)",
          "\\'", "E'\\x41'", "read_csv('/etc/passwd')", "campaign = 'x' OR 1=1", "--", "\\N", "NULL", "0x41",
          "US'; ATTACH '/tmp/x.db' AS x; --", "mobile\" OR \"1\"=\"1", "';COPY (SELECT 1) TO '/tmp/x.csv';--"]
CONTROL = ["\x1b[2J", "\x1b]0;title\x07", "\r", "\x08\x08\x08", "\x1b[31m", "\x7f", "\x01\x02\x03", "\x0b\x0c", "\x9b31m"]
UNICODE = ["\u202e", "\u200b", "ＣＴＲ", "🎯", "e\u0301", "İstanbul", "straße", "\ufeff", "Ω", "１２３", "\u0000"[:0] + "\u2028",
           "ﬁ", "ǅ", "\U0001F468\u200D\U0001F469"]
BINARY = [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\x80", b"\xe2\x82"]
NUMBERS = ["1e308", "-0", "NaN", "inf", "99999999999999999999999", "top 0", "top -5", "top 99999999999999999999",
           "above 1e400", "0.0000001%", "1,000,000,000,000,000", "below -9223372036854775809", "top 2147483648"]
DATES = ["in 1066", "in 99999", "on 2025-02-30", "between 2025-12-31 and 2025-01-01", "last 100000 years",
         "since 0001-01-01", "in Q5 2025", "week 54 of 2025", "on 31/31/2025", "next 10 years", "in the year -44",
         "from 9999-12-31 to 10000-01-01", "last 0 days", "in 2025-13", "before 1900", "since 1 January 294277"]
STOP = ["the of and for with by to in on a an", "by by by by", "top", "and", "?", "...", " ", "\t", "of the",
        "please", "a report", "weekly", "each"]
METRICS = ["clicks", "CTR", "CVR", "CPA", "ROAS", "spend", "revenue", "impressions", "conversions", "orders"]
DIMS = ["campaign", "channel", "country", "device", "region", "product category", "customer region"]
BAD_OPTIONS = [["--as-of", "9999-12-31"], ["--as-of", "0000-01-01"], ["--as-of", "2025-02-30"], ["--as-of", "-1"],
               ["--timeout", "0"], ["--timeout", "-1"], ["--timeout", "1e99"], ["--timeout", "abc"],
               ["--timeout", "99999999999999999999"], ["--memory-limit", "0"], ["--memory-limit", "-1GB"],
               ["--memory-limit", "1PB"], ["--memory-limit", "abc'; --"], ["--format", "json"],
               ["--format", "markdown"], ["--dialect", "postgres"], ["--columns", "asked"],
               ["--choose", "=clicks"], ["--choose", "clicks="], ["--choose", "x=y=z"], ["--owner", "'; DROP --"],
               ["--owner", "\x1b[2J"], ["--timeout", "\x1b[2J"], ["--memory-limit", "1\x9bGB"], ["--as-of", "\x1b]0;x\x07"],
               ["--columns", "\x9b"], ["--dialect", "\x1b[2J"], ["--saved-query", "x' OR 1=1"], ["--schema", "main; DROP TABLE x"]]


def splice(rng, req, frag):
    words = req.split(" ")
    k = rng.randrange(len(words) + 1)
    return " ".join(words[:k] + [frag] + words[k:])


def to_arg(parts):
    """A request from str and bytes parts: bytes (invalid UTF-8) when any
    part is bytes."""
    if any(isinstance(p, bytes) for p in parts):
        return b"".join(p if isinstance(p, bytes) else p.encode() for p in parts)
    return "".join(parts)


def hostile(rng, i):
    kind = ["inject", "control", "unicode", "binary", "numbers", "dates", "stop", "long", "repeat", "groupings",
            "empty", "mixed"][i % 12]
    req = rng.choice(ANSWERED)
    if kind == "inject":
        return kind, splice(rng, req, rng.choice(INJECT))
    if kind == "control":
        return kind, splice(rng, req, rng.choice(CONTROL) + rng.choice(["x", "", "clicks"]))
    if kind == "unicode":
        return kind, splice(rng, req, rng.choice(UNICODE))
    if kind == "binary":
        words = req.split(" ")
        k = rng.randrange(len(words) + 1)
        return kind, to_arg([" ".join(words[:k]), " ", rng.choice(BINARY), " ", " ".join(words[k:])])
    if kind == "numbers":
        return kind, "clicks by campaign " + rng.choice(NUMBERS)
    if kind == "dates":
        return kind, "weekly %s by %s %s" % (rng.choice(METRICS), rng.choice(DIMS), rng.choice(DATES))
    if kind == "stop":
        return kind, " ".join(rng.choice(STOP) for _ in range(rng.randint(1, 6)))
    if kind == "long":
        n = rng.choice([3999, 4000, 4001, 20000, 120000])
        s = (req + " ") * (n // (len(req) + 1) + 1)
        return kind, s[:n]
    if kind == "repeat":
        m = rng.choice(METRICS)
        k = rng.choice([50, 200, 600])
        return kind, ", ".join([m] * k) + " by campaign"
    if kind == "groupings":
        return kind, "clicks by " + " by ".join(rng.choice(DIMS) for _ in range(rng.choice([10, 60, 300])))
    if kind == "empty":
        return kind, rng.choice(["", " ", "\t", "\n", "--", "-", "'", "\"", "\\"])
    parts = [rng.choice(INJECT), rng.choice(CONTROL), rng.choice(UNICODE), rng.choice(BINARY), rng.choice(DATES)]
    rng.shuffle(parts)
    return kind, to_arg([req, " "] + [p if isinstance(p, bytes) else p + " " for p in parts[:3]])


def requests(ctx):
    b = base(ctx)
    state = ctx.dir("req", "state")
    before = tree_digest(ctx.demo_db)
    kinds = {}
    for i in range(ctx.opts.requests):
        kind, req = hostile(ctx.rng, i)
        opts = []
        if i % 4 == 3:
            opts = list(ctx.rng.choice(BAD_OPTIONS))
        fmt = ["--format", "json"] if i % 3 == 0 and "--format" not in opts else []
        argv = ["generate"] + b + opts + fmt + ["--", req]
        res = ctx.run(argv, state=state, expect=(0, 1, 2, 3))
        if res.rc == 1 and not LIMIT_MSG.match(res.err):
            ctx.finding(ctx.cmdline(argv, state), "exit 0|2|3 (exit 1 only for the request's own limits: length, UTF-8)",
                        "exit 1: %s" % res.msg())
        kinds[kind] = kinds.get(kind, 0) + 1
        if (fmt or opts[:2] == ["--format", "json"]) and res.rc in (0, 3):
            try:
                json.loads(res.out)
            except ValueError as e:
                ctx.finding(ctx.cmdline(argv, state), "stdout is JSON (--format json, exit %d)" % res.rc, str(e)[:200])
        if res.rc == 0 and b"root:x:0:0" in res.out:
            ctx.finding(ctx.cmdline(argv, state), "no file content in the spec", "/etc/passwd in stdout")
    state_intact(ctx, state, "%d hostile requests" % ctx.opts.requests)
    size = sum(os.path.getsize(os.path.join(state, f)) for f in os.listdir(state))
    if size > 16 << 20:
        ctx.finding("(the state after %d hostile requests)" % ctx.opts.requests, "at most 16 MB", "%d bytes" % size)
    compare_digest(ctx, "the demo database", before, tree_digest(ctx.demo_db))
    print("stress: requests: %s" % ", ".join("%s %d" % kv for kv in sorted(kinds.items())), flush=True)
