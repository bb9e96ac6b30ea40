"""dpgen serve end to end: every route and status code, the limits (body,
request text, runs at once), SIGHUP reload under load, SIGTERM drain, no
server path in any body, and every response valid against the OpenAPI
document (tests/api/validate.mjs).

usage: serve.py DPGEN SOURCE_DIR WORK   (DPGEN_DEMO_DB, DPGEN_STATE_DIR set)
"""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

DPGEN, SRC, WORK = sys.argv[1:4]
fails = 0
passes = 0
log = open(os.path.join(WORK, "responses.jsonl"), "w")
log_lock = threading.Lock()
bodies = []  # every body text, for the path scan
SEED = "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign."


def ok(msg):
    global passes
    passes += 1
    print("ok   " + msg)


def bad(msg):
    global fails
    fails += 1
    print("FAIL " + msg)


def check(cond, msg, detail=""):
    ok(msg) if cond else bad(msg + (": " + str(detail)[:400] if detail else ""))


def start(*extra):
    p = subprocess.Popen([DPGEN, "serve", "--listen", "127.0.0.1:0", *extra], stdout=subprocess.PIPE,
                         stderr=open(os.path.join(WORK, "server.log"), "a"), text=True)
    line = p.stdout.readline()
    m = re.search(r":(\d+)\s*$", line)
    if not m:
        bad("server printed no port: %r" % line)
        p.kill()
        sys.exit(1)
    return p, int(m.group(1))


def call(port, method, path, body=None, route=None, headers=None, raw=None, timeout=120):
    """One request; returns (status, headers, parsed body or text). Recorded
    for the OpenAPI check under route (the path template)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    h = {"Content-Type": "application/json"} if data is not None else {}
    h.update(headers or {})
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    text = r.read().decode("utf-8", "replace")
    c.close()
    ctype = r.getheader("Content-Type", "")
    parsed = json.loads(text) if ctype.startswith("application/json") and text else text
    with log_lock:
        bodies.append(text)
        log.write(json.dumps({"method": method, "route": route or path.split("?")[0], "status": r.status,
                              "body": parsed}) + "\n")
    return r.status, r, parsed


def wait_ready(port, gen=1, secs=120):
    end = time.time() + secs
    while time.time() < end:
        st, _, b = call(port, "GET", "/readyz")
        if st == 200 and b.get("catalog_generation", 0) >= gen:
            return b
        time.sleep(0.1)
    return None


p, port = start("--max-runs", "1", "--max-body", "8192", "--timeout", "60")

# --- health, readiness, documents
st, _, b = call(port, "GET", "/healthz")
check(st == 200 and b == {"status": "alive"}, "GET /healthz is 200 alive", b)
ready = wait_ready(port)
check(ready is not None and ready["status"] == "ready", "GET /readyz turns 200 once the catalog is loaded", ready)
st, r, b = call(port, "GET", "/openapi.json")
check(st == 200 and b.get("openapi", "").startswith("3.1"), "GET /openapi.json is the OpenAPI 3.1 document")
with open(os.path.join(WORK, "openapi.json"), "w") as f:
    json.dump(b, f)
repo_doc = json.load(open(os.path.join(SRC, "src/server/assets/openapi.json")))
check(b == repo_doc, "the served document is the one kept in the repo")

# --- the seed request
st, r, b = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16"}})
check(st == 200, "POST the seed request is 200", b if st != 200 else "")
if st == 200:
    stages = [x["stage"] for x in b["agent_logs"]]
    check(stages == ["intent", "discovery", "modeling", "transformation", "quality", "packaging"],
          "agent_logs has the six stages in order", stages)
    check(b["data_product_spec"]["metadata"]["name"] == "weekly_marketing_performance_by_campaign",
          "data_product_spec is the nested spec", b["data_product_spec"]["metadata"])
    check(b["yaml_output"].startswith("spec_version") and "weekly_marketing_performance_by_campaign" in b["yaml_output"],
          "yaml_output is the spec as YAML")
    check(b["execution_time_ms"] > 0 and re.match(r"^[0-9a-f-]{36}$", b["run_id"]), "execution_time_ms and run_id")
    sql = b["data_product_spec"]["transformation"]
    check("SELECT" in json.dumps(sql), "the spec carries the SQL that ran")
seed_run = b.get("run_id") if isinstance(b, dict) else None
seed_body = b if isinstance(b, dict) else {}

# --- the same POST as an event stream: a stage event as each stage ends, then the result
def stream(body):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request("POST", "/v1/data-products", body=json.dumps(body).encode(),
              headers={"Content-Type": "application/json", "Accept": "text/event-stream"})
    r = c.getresponse()
    events, ev, when = [], None, []
    t0 = time.time()
    for raw in r:  # line by line as they arrive
        line = raw.decode().rstrip("\n")
        if line.startswith("event: "):
            ev = line[7:]
        elif line.startswith("data: "):
            events.append((ev, json.loads(line[6:])))
            when.append(time.time() - t0)
    c.close()
    return r.status, r.getheader("Content-Type"), events, when


st, ctype, events, when = stream({"request": SEED, "options": {"as_of": "2025-07-16", "fresh": True}})
names = [e for e, _ in events]
check(st == 200 and ctype == "text/event-stream", "Accept: text/event-stream answers a stream", (st, ctype))
check(names == ["stage"] * 6 + ["result"], "six stage events, then the result", names)
check([d["stage"] for e, d in events if e == "stage"] == ["intent", "discovery", "modeling", "transformation",
                                                          "quality", "packaging"], "the stages in order")
check(events and events[-1][1].get("data_product_spec", {}).get("metadata", {}).get("name") ==
      "weekly_marketing_performance_by_campaign", "the result event is the plain POST's body")
check(all(isinstance(d.get("ms"), (int, float)) and "decisions" in d for e, d in events if e == "stage"),
      "each stage event has its time and decisions")
latest = events[-1][1] if events else {}  # the newest run of the seed request
st, ctype, events2, _ = stream({"request": SEED, "options": {"as_of": "2025-07-16"}})
check([e for e, _ in events2] == ["stage"] * 6 + ["result"] and events2[-1][1]["cached"] is True
      and [d["stage"] for e, d in events2 if e == "stage"] == [d["stage"] for e, d in events if e == "stage"],
      "a repeat's stream replays the stored stages, then the cached result", [e for e, _ in events2])
st, ctype, events, _ = stream({"request": "weekly zorblax by campaign"})
check([e for e, _ in events][-1:] == ["clarification"] and events[0][1]["stage"] == "intent"
      and events[0][1]["status"] == "failed", "a refused request streams the intent stage, then the clarification",
      [e for e, _ in events])
st, ctype, events, _ = stream({"request": ""})
check(st == 400 and ctype.startswith("application/json"), "a bad body is a plain 400, not a stream", (st, ctype))

# --- repeats: the same request and options answer from the run store, said so
st, _, b1 = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16"}})
check(st == 200 and b1["cached"] is True and b1["run_id"] == latest.get("run_id")
      and b1["data_product_spec"] == latest.get("data_product_spec") and b1["yaml_output"] == latest.get("yaml_output"),
      "a repeat is the newest stored run's answer, marked cached", (st, b1.get("cached"), b1.get("run_id")))
st, _, b2 = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16", "fresh": True}})
check(st == 200 and b2["cached"] is False and b2["run_id"] != seed_run, "fresh: true runs it again", b2.get("cached"))
st, _, b3 = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-15"}})
check(st == 200 and b3["cached"] is False, "another as-of day is another request", b3.get("cached"))
st, _, b4 = call(port, "POST", "/v1/data-products", {"request": SEED + " ", "options": {"as_of": "2025-07-15",
                                                                                         "columns": "asked"}})
check(st == 200 and b4["cached"] is False, "other options are another request", b4.get("cached"))

# --- the run store: what a run answered, found again by its links
st, _, b = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16"}})
links = b.get("links", {}) if isinstance(b, dict) else {}
check(st == 200 and links.get("run") == "/v1/runs/" + b["run_id"] and links.get("spec.yaml"),
      "a stored run's answer links to it", links)
if links:
    st2, _, rec = call(port, "GET", links["run"], route="/v1/runs/{id}")
    check(st2 == 200 and rec["status"] == "ok" and rec["data_product_spec"] == b["data_product_spec"]
          and rec["trace"]["run_id"] == b["run_id"], "GET /v1/runs/{id}: the stored spec and trace", st2)
    st2, r2, text = call(port, "GET", links["spec.yaml"], route="/v1/runs/{id}/spec.yaml")
    check(st2 == 200 and text == b["yaml_output"] and r2.getheader("Content-Type") == "application/yaml",
          "spec.yaml is the YAML the run answered")
    st2, _, doc = call(port, "GET", links["spec.json"], route="/v1/runs/{id}/spec.json")
    check(st2 == 200 and doc == b["data_product_spec"], "spec.json is the spec")
    st2, r2, text = call(port, "GET", links["README.md"], route="/v1/runs/{id}/README.md")
    check(st2 == 200 and text.startswith("#") and r2.getheader("Content-Type").startswith("text/markdown"),
          "README.md is the Markdown")
    st2, _, _ = call(port, "GET", links["run"] + "/nope.txt", route="/no/such/route")
    check(st2 == 404, "an unknown document is 404")
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request("GET", links["run"] + "/exports.zip")
    rz = c.getresponse()
    data = rz.read()
    c.close()
    import io
    import zipfile
    zf = zipfile.ZipFile(io.BytesIO(data)) if rz.status == 200 else None
    check(rz.status == 200 and rz.getheader("Content-Type") == "application/zip" and zf.testzip() is None,
          "exports.zip is a sound zip archive", rz.status)
    if zf:
        names = set(zf.namelist())
        out_dir = os.path.join(WORK, "out_tree")
        subprocess.run([DPGEN, "generate", "--as-of", "2025-07-16", "--no-record", "--out", out_dir, SEED],
                       capture_output=True)
        tree = {os.path.relpath(os.path.join(d, f), out_dir) for d, _, fs in os.walk(out_dir) for f in fs}
        check(names == tree and len(names) > 15, "it holds the files --out writes (%d)" % len(names),
              sorted(names ^ tree)[:10])
        stored_yaml = call(port, "GET", links["spec.yaml"], route="/v1/runs/{id}/spec.yaml")[2]
        check(zf.read("spec.yaml").decode() == stored_yaml, "its spec.yaml is the run's")
        check(any(n.startswith("data/") and n.endswith(".parquet") for n in names), "with the contract's data")
st, _, b = call(port, "POST", "/v1/data-products", {"request": "weekly blorptax by campaign"})
cl_run = b.get("links", {}).get("run") if isinstance(b, dict) else None
check(st == 422 and cl_run and "spec.yaml" not in b["links"], "a refused run links to its record only", b.get("links"))
if cl_run:
    st2, _, rec = call(port, "GET", cl_run, route="/v1/runs/{id}")
    check(st2 == 200 and rec["status"] == "clarify" and rec["data_product_spec"] is None
          and any(u["phrase"] == "blorptax" for u in rec["clarification"]["unplaced"]),
          "a refused run is stored with its clarification", rec)
    st2, _, e = call(port, "GET", cl_run + "/spec.yaml", route="/v1/runs/{id}/spec.yaml")
    check(st2 == 404, "a refused run has no spec.yaml", e)
st, _, _ = call(port, "GET", "/v1/runs/00000000-0000-0000-0000-000000000000", route="/v1/runs/{id}")
check(st == 404, "an unknown run is 404")
st, _, _ = call(port, "GET", "/v1/runs/..%2F..%2Fetc", route="/v1/runs/{id}")
check(st == 404, "a run id that is not one is 404")

# --- a clarification
st, _, b = call(port, "POST", "/v1/data-products", {"request": "weekly zorblax by campaign"})
check(st == 422 and any(u["phrase"] == "zorblax" for u in b["clarification"]["unplaced"]),
      "an unknown word is 422 with the clarification naming it", b)

# --- bad bodies and options
cases = [
    (b"{not json", "invalid", "a body that is not JSON"),
    (b"[1,2]", "invalid", "a body that is not an object"),
    (json.dumps({}).encode(), "empty_request", "no request"),
    (json.dumps({"request": "   "}).encode(), "empty_request", "a blank request"),
    (json.dumps({"request": 5}).encode(), "invalid", "a request that is not a string"),
    (json.dumps({"request": "x", "options": {"bogus": 1}}).encode(), "invalid", "an unknown option"),
    (json.dumps({"request": "x", "options": {"dialect": 1}}).encode(), "invalid", "an option of the wrong type"),
    (json.dumps({"request": "x", "options": {"choose": "a=b"}}).encode(), "invalid", "choose not a list"),
    (b'{"request": "a", "request": "b"}', "invalid", "a duplicate key"),
]
for raw, code, what in cases:
    st, _, b = call(port, "POST", "/v1/data-products", raw=raw)
    check(st == 400 and b["error"]["code"] == code, "%s is 400 %s" % (what, code), (st, b))
st, _, b = call(port, "POST", "/v1/data-products", {"request": "weekly zorblax by campaign",
                                                      "options": {"choose": ["zorblax=no_such_metric"]}})
check(st == 400 and b["error"]["code"] == "unknown_name", "a choice naming nothing is 400 unknown_name", (st, b))
st, _, b = call(port, "POST", "/v1/data-products", {"request": "x", "options": {"dialect": "oracle"}})
check(st == 400, "an unknown dialect is 400", (st, b))

# --- limits
st, _, b = call(port, "POST", "/v1/data-products", raw=json.dumps({"request": "a" * 9000}).encode())
check(st == 413 and b["error"]["code"] == "too_large", "a body over --max-body is 413", (st, b))
st, _, b = call(port, "POST", "/v1/data-products", raw=json.dumps({"request": "clicks " * 700}).encode())
check(st == 413 and "4000" in b["error"]["message"], "a request text over 4000 bytes is 413", (st, b))
# a chunked body (no Content-Length) over the limit is cut off too
c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
c.putrequest("POST", "/v1/data-products")
c.putheader("Transfer-Encoding", "chunked")
c.putheader("Content-Type", "application/json")
c.endheaders()
try:  # the server answers as soon as the limit is passed and may close before the end
    for _ in range(10):
        c.send(b"400\r\n" + b"x" * 1024 + b"\r\n")
    c.send(b"0\r\n\r\n")
except OSError:
    pass
resp = c.getresponse()
body = json.loads(resp.read())
check(resp.status == 413, "a chunked body over the limit is 413", (resp.status, body))
with log_lock:
    log.write(json.dumps({"method": "POST", "route": "/v1/data-products", "status": resp.status, "body": body}) + "\n")

# --- routing
st, r, b = call(port, "GET", "/v1/data-products")
check(st == 405 and r.getheader("Allow") == "POST", "GET on the POST route is 405 with Allow: POST", (st, b))
st, _, b = call(port, "GET", "/no/such/route", route="/no/such/route")
check(st == 404 and b["error"]["code"] == "not_found", "an unknown route is 404", (st, b))
st, _, b = call(port, "HEAD", "/healthz", route="/healthz")
check(st == 200, "HEAD /healthz is 200")

# --- the catalog
st, _, cat = call(port, "GET", "/v1/catalog")
check(st == 200 and cat["datasets"] and cat["metrics"], "GET /v1/catalog lists datasets and metrics")
ds, me = cat["datasets"][0]["name"], cat["metrics"][0]["name"]
st, _, b = call(port, "GET", "/v1/catalog/datasets/" + ds, route="/v1/catalog/datasets/{name}")
check(st == 200 and b["dataset"] == ds, "GET /v1/catalog/datasets/{name}", (st, b))
st, _, b = call(port, "GET", "/v1/catalog/metrics/" + me, route="/v1/catalog/metrics/{name}")
check(st == 200 and b["metric"] == me, "GET /v1/catalog/metrics/{name}", (st, b))
st, _, b = call(port, "GET", "/v1/catalog/metrics/" + ds, route="/v1/catalog/metrics/{name}")
check(st == 404, "a dataset's name under metrics/ is 404", (st, b))
st, _, b = call(port, "GET", "/v1/catalog/datasets/zzz_none", route="/v1/catalog/datasets/{name}")
check(st == 404, "an unknown dataset is 404", (st, b))
st, _, b = call(port, "GET", "/v1/catalog/search?q=" + me + "&limit=3")
check(st == 200 and b["results"] and b["results"][0]["name"] == me and len(b["results"]) <= 3,
      "search finds a metric by its name, at most limit results", b)
st, _, b = call(port, "GET", "/v1/catalog/search")
check(st == 400, "search without q is 400", (st, b))

# --- learning a synonym makes the clarified request answer
st, _, b = call(port, "POST", "/v1/catalog/synonyms", {"phrase": "zorblax", "name": "no_such_metric"})
check(st == 400 and b["error"]["code"] == "unknown_name", "learning a name the catalog lacks is 400", (st, b))
st, _, b = call(port, "POST", "/v1/catalog/synonyms", {"phrase": "zorblax", "name": me})
check(st == 201 and b["learned"] is True, "POST /v1/catalog/synonyms learns a phrase (201)", (st, b))
st, _, b = call(port, "POST", "/v1/data-products", {"request": "weekly zorblax by campaign",
                                                      "options": {"as_of": "2025-07-16"}})
check(st == 200, "the learned phrase now answers", (st, b.get("error") if isinstance(b, dict) else b))

# --- history
st, _, b = call(port, "GET", "/v1/runs?limit=50")
reqs = [x["request"] for x in b["runs"]]
check(st == 200 and SEED in reqs and reqs.index("weekly zorblax by campaign") < reqs.index(SEED),
      "GET /v1/runs lists the runs, newest first", reqs[:5])
st, _, b = call(port, "GET", "/v1/runs?q=ZORBLAX")
check(st == 200 and b["runs"] and all("zorblax" in x["request"] for x in b["runs"]), "?q= filters by request text")
st, _, b = call(port, "GET", "/v1/runs?limit=0")
check(st == 400, "limit=0 is 400", (st, b))

# --- capacity: --max-runs 1 with no queue, six at once
p.terminate()
p.wait(60)
p, port = start("--max-runs", "1", "--queue", "0", "--timeout", "60")
wait_ready(port)
results = []


def fire():
    try:
        st, r, b = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16",
                                                                                          "fresh": True}})
        results.append((st, r.getheader("Retry-After")))
    except Exception as e:  # noqa
        results.append(("exc", str(e)))


ts = [threading.Thread(target=fire) for _ in range(6)]
[t.start() for t in ts]
[t.join() for t in ts]
codes = sorted(str(s) for s, _ in results)
check(all(s in (200, 429) for s, _ in results) and any(s == 429 for s, _ in results)
      and any(s == 200 for s, _ in results), "six at once with --max-runs 1: 200s and 429s only", codes)
check(all(ra == "1" for s, ra in results if s == 429), "429 carries Retry-After")
# a repeat is answered from the run store without a run slot: while the one slot runs (and the queue
# holds none) it is 200 and cached, where a run would be 429
st, _, b = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16"}})
check(st == 200, "the repeat to come is stored", (st, b))
during = None
for attempt in range(8):
    done = []
    th = threading.Thread(target=lambda: done.append(call(port, "POST", "/v1/data-products", {
        "request": SEED, "options": {"as_of": "2025-07-16", "fresh": True}})[0]))
    th.start()
    deadline = time.time() + 10
    while time.time() < deadline and "dpgen_runs_in_flight 1" not in call(port, "GET", "/metrics")[2]:
        time.sleep(0.002)
    st, _, b = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16"}})
    sst, _, sev, _ = stream({"request": SEED, "options": {"as_of": "2025-07-16"}})
    busy = th.is_alive()  # the fresh run still held the slot when both repeats were answered
    th.join(60)
    if busy:
        during = (st, b.get("cached") if isinstance(b, dict) else b, done, sst,
                  sev[-1][0] if sev else None, sev[-1][1].get("cached") if sev else None)
        break
check(during is not None and during[0] == 200 and during[1] is True and during[2] == [200],
      "a repeat while the only slot runs: 200 from the store, not 429", during)
check(during is not None and during[3:] == (200, "result", True), "and its event stream too", during)
p.terminate()
p.wait(60)

# --- the bounded queue: one run at a time, one may wait; four at once: two answered (the second
# after waiting), the others 429 at once because the queue is full
p, port = start("--max-runs", "1", "--queue", "1", "--queue-wait", "120", "--timeout", "60")
wait_ready(port)
results = []


def fire_q():
    try:
        st, r, b = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16",
                                                                                          "fresh": True}})
        results.append((st, b["error"]["message"] if st == 429 else ""))
    except Exception as e:  # noqa
        results.append(("exc", str(e)))


ts = [threading.Thread(target=fire_q) for _ in range(4)]
[t.start() for t in ts]
[t.join() for t in ts]
codes = sorted(str(s) for s, _ in results)
check(all(s in (200, 429) for s, _ in results) and sum(s == 200 for s, _ in results) >= 2
      and any(s == 429 and "waiting" in m for s, m in results),
      "four at once, one slot and a queue of one: the queued one is answered, the rest 429 (queue full)", results)
st, _, mt = call(port, "GET", "/metrics")
check("dpgen_runs_queued 0" in mt, "/metrics has the queue's length")

# --- 16 clients at once, a bounded mix (under ASan in make test-asan: no leak, no race report), while
# the engine is opened again every 5 runs (runs in flight finish on the old one)
p16, port16 = start("--max-runs", "16", "--engine-recycle", "5")
wait_ready(port16)
mix = [{"request": SEED, "options": {"as_of": "2025-07-16", "fresh": True}},
       {"request": SEED, "options": {"as_of": "2025-07-16"}},
       {"request": "weekly zorblax by campaign"},
       {"request": "monthly spend by channel", "options": {"as_of": "2025-07-16", "fresh": True}}]
got = []


def client(k):
    for j in range(4):
        try:
            got.append(call(port16, "POST", "/v1/data-products", mix[(k + j) % len(mix)])[0])
        except Exception as e:  # noqa
            got.append(str(e))


ts = [threading.Thread(target=client, args=(k,)) for k in range(16)]
[t.start() for t in ts]
[t.join() for t in ts]
check(len(got) == 64 and all(g in (200, 422) for g in got), "16 clients, 64 requests: only 200 and 422",
      sorted(set(map(str, got))))
_, _, mt16 = call(port16, "GET", "/metrics")
rec = re.search(r"^dpgen_engine_recycles_total (\d+)$", mt16, re.M)
check(rec and int(rec.group(1)) >= 2, "the engine was opened again while they ran", rec and rec.group(0))
deadline = time.time() + 30
while time.time() < deadline and "dpgen_engines_retiring 0" not in mt16:
    time.sleep(0.1)  # the last recycle may still be opening; its old engine closes once nothing uses it
    _, _, mt16 = call(port16, "GET", "/metrics")
check("dpgen_engines_retiring 0" in mt16, "and every old engine was closed once its runs were done")
st, _, b = call(port16, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16", "fresh": True}})
check(st == 200 and b["data_product_spec"]["metadata"]["name"] == seed_body["data_product_spec"]["metadata"]["name"],
      "a run after the recycles answers as before", st)
p16.terminate()
check(p16.wait(60) == 0, "that server drains and exits 0 too")

# --- metrics
st, r, text = call(port, "GET", "/metrics")
check(st == 200 and r.getheader("Content-Type", "").startswith("text/plain"), "GET /metrics is text/plain")
check(re.search(r'dpgen_http_requests_total\{route="/v1/data-products",code="2xx"\} [1-9]', text),
      "requests are counted by route and status class")
check(re.search(r'dpgen_http_requests_total\{route="/v1/data-products",code="4xx"\} [1-9]', text), "4xx counted")
check(re.search(r'dpgen_stage_duration_seconds_bucket\{stage="quality",le="\+Inf"\} [1-9]', text)
      and 'dpgen_stage_duration_seconds_count{stage="total"}' in text, "stage latency histograms")
check("dpgen_runs_in_flight 0" in text and "dpgen_catalog_generation 1" in text, "in-flight gauge and generation")
# memory: the process's RSS as /proc tells it, the C heap, and DuckDB's own account (runs happened: its engine is open)
rss = re.search(r"^process_resident_memory_bytes (\d+)$", text, re.M)
heap = re.search(r'^dpgen_heap_bytes\{state="in_use"\} (\d+)$', text, re.M)
eng = re.search(r"^dpgen_engine_memory_bytes (\d+)$", text, re.M)
proc_kb = int(re.search(r"VmRSS:\s+(\d+) kB", open("/proc/%d/status" % p.pid).read()).group(1))
check(rss and abs(int(rss.group(1)) / 1024 - proc_kb) < 0.5 * proc_kb, "/metrics has the server's RSS", (rss, proc_kb))
# (absent when the heap is not glibc's: under ASan)
check("dpgen_heap_bytes" not in text or (heap and 0 < int(heap.group(1)) < int(rss.group(1)) * 4),
      "and its C heap in use", heap)
check(eng and int(eng.group(1)) > 0, "and DuckDB's memory", eng)

# --- SIGHUP reloads the catalog while requests go on
stop = threading.Event()
during = []


def load():
    while not stop.is_set():
        try:
            st, _, _ = call(port, "GET", "/v1/catalog/search?q=" + me)
            during.append(st)
        except Exception as e:  # noqa
            during.append(str(e))


t = threading.Thread(target=load)
t.start()
time.sleep(0.2)
p.send_signal(signal.SIGHUP)
gen2 = wait_ready(port, gen=2, secs=120)
time.sleep(0.2)
stop.set()
t.join()
check(gen2 is not None, "SIGHUP reloads the catalog (generation 2)", gen2)
check(during and all(s == 200 for s in during), "no request failed during the reload (%d requests)" % len(during),
      [s for s in during if s != 200][:5])

# --- SIGTERM drains the run in flight, then the server exits
result = []
th = threading.Thread(target=lambda: result.append(call(port, "POST", "/v1/data-products", {
    "request": SEED, "options": {"as_of": "2025-07-16", "fresh": True}})[0]))
th.start()
deadline = time.time() + 10
while time.time() < deadline:  # the run is in flight once the gauge says so
    _, _, text = call(port, "GET", "/metrics")
    if "dpgen_runs_in_flight 1" in text:
        break
    time.sleep(0.005)
p.send_signal(signal.SIGTERM)
th.join(120)
try:
    rc = p.wait(60)
except subprocess.TimeoutExpired:
    p.kill()
    rc = "hung"
check(result == [200], "the run in flight at SIGTERM finishes with 200", result)
check(rc == 0, "the server exits 0 after draining", rc)
try:
    call(port, "GET", "/healthz")
    bad("the port still answers after the exit")
except OSError:
    ok("the port is closed after the exit")

# --- kill -9 during a run: the store stays whole and the run is recorded as interrupted
import sqlite3  # noqa: E402
p, port = start("--max-runs", "4")
wait_ready(port)
killed = None
for attempt in range(5):
    out = []
    def doomed():
        try:
            out.append(call(port, "POST", "/v1/data-products", {"request": SEED,
                                                                "options": {"as_of": "2025-07-16", "fresh": True}}))
        except OSError:
            pass  # the server is killed under it
    th = threading.Thread(target=doomed)
    th.daemon = True
    th.start()
    deadline = time.time() + 10
    while time.time() < deadline and "dpgen_runs_in_flight 1" not in call(port, "GET", "/metrics")[2]:
        time.sleep(0.002)
    # the run's live row, once it is written (a loaded machine may take a while), while it runs
    live, until = [], time.time() + 5
    while not live and th.is_alive() and time.time() < until:
        live = sqlite3.connect(os.path.join(os.environ["DPGEN_STATE_DIR"], "state.db")).execute(
            "SELECT run_id FROM run_live").fetchall()
        if not live:
            time.sleep(0.002)
    if live:
        killed = live[0][0]
        p.kill()
        p.wait()
        break
    th.join(60)
check(killed is not None, "a run was killed mid-way (kill -9)")
db = sqlite3.connect(os.path.join(os.environ["DPGEN_STATE_DIR"], "state.db"))
check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "the state is intact after kill -9")
db.close()
p, port = start("--keep-days", "365")
wait_ready(port)
st, _, b = call(port, "GET", "/v1/runs?limit=100")
rec = [x for x in b["runs"] if x["run_id"] == killed]
check(rec and rec[0]["status"] == "failed" and "interrupted" in (rec[0]["message"] or ""),
      "the next start records the killed run as failed: interrupted", rec)

# --- retention by age (--keep-days 365): a run dated 400 days back goes with the next run
db = sqlite3.connect(os.path.join(os.environ["DPGEN_STATE_DIR"], "state.db"))
db.execute("UPDATE runs SET created_at = '2000-01-01T00:00:00Z' WHERE run_id = ?", (killed,))
db.commit()
db.close()
st, _, b = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16", "fresh": True}})
check(st == 200, "a run with --keep-days", st)
st, _, b = call(port, "GET", "/v1/runs/" + killed, route="/v1/runs/{id}")
check(st == 404, "the run older than --keep-days is removed", st)
st, _, b = call(port, "GET", "/v1/runs?limit=5")
check(st == 200 and b["runs"], "newer runs stay")
p.terminate()
p.wait(60)

# --- exports of a run on data that changed since: 409, never files that do not match it
import shutil  # noqa: E402
copy = os.path.join(WORK, "copy.duckdb")
shutil.copy(os.environ["DPGEN_DEMO_DB"], copy)
models_copy = os.path.join(WORK, "models_copy")
shutil.copytree(os.path.join(SRC, "catalog/demo"), models_copy)
p, port = start("--db", copy, "--models", models_copy)
wait_ready(port)
st, _, b = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16", "fresh": True}})
rid = b.get("run_id")
st1, _, _ = call(port, "GET", "/v1/runs/%s/exports.zip" % rid, route="/v1/runs/{id}/exports.zip")
subprocess.run([DPGEN, "demo", "--scale", "0.06", "--out", copy], capture_output=True)
check(wait_ready(port, gen=2, secs=60) is not None, "the server sees the changed data and reloads by itself")
st2, _, e = call(port, "GET", "/v1/runs/%s/exports.zip" % rid, route="/v1/runs/{id}/exports.zip")
check(st1 == 200 and st2 == 409 and e["error"]["code"] == "stale",
      "exports.zip on changed data is 409 stale (before the change: 200)", (st1, st2, e))
st, _, b = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16"}})
check(st == 200 and b["cached"] is False, "and the same request on the changed data is run again, not a repeat",
      b.get("cached"))
st, _, b = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16"}})
check(st == 200 and b["cached"] is True, "then it is a repeat again", b.get("cached"))
# a catalog file edited (one description), reloaded: answers may differ, so no repeat
yml = [os.path.join(d, f) for d, _, fs in os.walk(models_copy) for f in fs if f.endswith(".yml")][0]
text = open(yml).read()
open(yml, "w").write(text.replace("description:", "description: (edited)", 1))
p.send_signal(signal.SIGHUP)
wait_ready(port, gen=3)
st, _, b = call(port, "POST", "/v1/data-products", {"request": SEED, "options": {"as_of": "2025-07-16"}})
check(st == 200 and b["cached"] is False, "an edited catalog file: the request is run again, not a repeat",
      b.get("cached"))
p.terminate()
p.wait(60)

# --- no path of this machine in any body
secret = [SRC, WORK, os.environ.get("DPGEN_STATE_DIR", "/nonexistent"), os.environ.get("DPGEN_DEMO_DB", "/nonexistent")]
leaks = [s for s in secret if any(s in body for body in bodies)]
check(not leaks, "no body shows a path of the server machine (%d bodies)" % len(bodies), leaks)

# --- every response against the OpenAPI document
log.close()
mods = os.path.join(SRC, "tests/api/node_modules")
if not os.path.isdir(mods):
    bad("tests/api/node_modules is missing: run scripts/deps.sh (make test does)")
else:
    # the deliberately unknown route's 404, a wrong method's 405 and HEAD
    # (GET's answer without a body) have no operation in the document
    def documented(rec):
        return rec["route"] != "/no/such/route" and rec["method"] != "HEAD" and rec["status"] != 405
    lines = [x for x in open(os.path.join(WORK, "responses.jsonl")) if documented(json.loads(x))]
    open(os.path.join(WORK, "checked.jsonl"), "w").writelines(lines)
    v = subprocess.run(["node", os.path.join(SRC, "tests/api/validate.mjs"), os.path.join(WORK, "openapi.json"),
                        os.path.join(WORK, "checked.jsonl")], capture_output=True, text=True)
    print(v.stdout.strip())
    check(v.returncode == 0, "the document is valid OpenAPI 3.1 and every response matches it", v.stderr[-600:])

print("%d passed, %d failed" % (passes, fails))
sys.exit(1 if fails else 0)
