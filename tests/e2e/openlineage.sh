#!/usr/bin/env bash
# --openlineage-url: the run event goes to a lineage server as it is in the
# --out tree (same bytes), as application/json with the API key from
# DPGEN_OPENLINEAGE_API_KEY as a Bearer token (never printed); a server
# that refuses, or one that cannot be reached, is a clear error (exit 1)
# and the --out tree is still complete. The server is a small Python one on
# 127.0.0.1 that records what it is sent. When Python has jsonschema with
# referencing, the event is cross-checked against schemas/openlineage too.
. "$(dirname "$0")/lib.inc"
"$DPGEN" demo --scale 0.05 --out "$WORK/demo.duckdb" 2>/dev/null || bad "build demo"
export DPGEN_DEMO_DB="$WORK/demo.duckdb"
unset DPGEN_OPENLINEAGE_API_KEY DPGEN_OPENLINEAGE_NAMESPACE DPGEN_OPENLINEAGE_DATASET_NAMESPACE OPENLINEAGE_NAMESPACE
SEED="Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign."
NAME=weekly_marketing_performance_by_campaign
KEY="s3cret-$$-key"

mkdir -p "$WORK/srv"
# records each POST (body, headers, path); /refuse answers 400; stops by
# itself after 120 s or 20 requests
python3 - "$WORK/srv" <<'PY' &
import http.server, json, os, sys, time
out = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        i = len([f for f in os.listdir(out) if f.endswith(".body")])
        open(f"{out}/{i}.meta", "w").write(json.dumps({"path": self.path, "headers": dict(self.headers)}))
        open(f"{out}/{i}.body", "wb").write(body)
        refuse = self.path.split("?")[0].endswith("/refuse")
        self.send_response(400 if refuse else 201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": "event refused by the test server"}' if refuse else b"{}")
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
s.timeout = 1
open(f"{out}/port.tmp", "w").write(str(s.server_address[1]))
os.rename(f"{out}/port.tmp", f"{out}/port")
deadline, n = time.time() + 120, 0
while time.time() < deadline and n < 20:
    s.handle_request()
    n = len([f for f in os.listdir(out) if f.endswith(".body")])
PY
SRV=$!
HUNG_PID=
trap 'kill $SRV $HUNG_PID 2>/dev/null; rm -rf "$WORK" "$DPGEN_STATE_DIR"' EXIT
for _ in $(seq 50); do [ -s "$WORK/srv/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/srv/port" 2>/dev/null)
[ -n "$PORT" ] || { bad "test server did not start"; finish; exit 1; }
URL="http://127.0.0.1:$PORT/api/v1/lineage"

tree() { (cd "$1" && find . -type f | sort); }

# 1. posted: the same bytes as the file, the headers set, the key never shown
DPGEN_OPENLINEAGE_API_KEY="$KEY" expect_rc 0 "post to a lineage server" -- "$DPGEN" generate --as-of 2025-07-16 --out "$WORK/ok" --openlineage-url "$URL" "$SEED"
EVENT="$WORK/ok/openlineage/${NAME}_run_event.json"
[ -s "$EVENT" ] && ok "the event file is written" || bad "no $EVENT"
cmp -s "$WORK/srv/0.body" "$EVENT" && ok "the body posted is the event file" || bad "the body posted differs from $EVENT"
grep -q "sent the OpenLineage run event" "$WORK/err" && ok "the post is reported" || bad "no report of the post"
grep -q "$KEY" "$WORK/out" "$WORK/err" && bad "the API key is printed" || ok "the API key is not printed"
python3 - "$WORK/srv/0.meta" "$KEY" <<'PY' && ok "path, Content-Type and Bearer key" || bad "path or headers wrong"
import json, sys
m = json.load(open(sys.argv[1]))
h = {k.lower(): v for k, v in m["headers"].items()}
assert m["path"] == "/api/v1/lineage", m
assert h["content-type"] == "application/json", h
assert h["authorization"] == "Bearer " + sys.argv[2], h
PY
python3 - "$WORK/srv/0.body" "$WORK/ok/spec.json" <<'PY' && ok "the event is the run's" || bad "the event does not match the spec"
import json, sys
e, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert e["eventType"] == "COMPLETE"
assert e["run"]["runId"] == s["execution"]["run_id"]
assert e["job"]["name"] == s["metadata"]["name"]
assert e["job"]["facets"]["sql"]["query"] == s["transformation"]["sql"]
assert set(e["outputs"][0]["facets"]["columnLineage"]["fields"]) == {c["name"] for c in s["data_model"]["columns"]}
PY

# 2. no key: no Authorization header
expect_rc 0 "post without a key" -- "$DPGEN" generate --as-of 2025-07-16 --no-record --openlineage-url "$URL" "$SEED"
python3 -c "import json,sys; h={k.lower() for k in json.load(open(sys.argv[1]))['headers']}; sys.exit('authorization' in h)" \
  "$WORK/srv/1.meta" && ok "no Authorization without DPGEN_OPENLINEAGE_API_KEY" || bad "Authorization sent without a key"

# 3. the server refuses: exit 1 with its answer, the --out tree complete
DPGEN_OPENLINEAGE_API_KEY="$KEY" expect_rc 1 "a server that refuses" -- "$DPGEN" generate --as-of 2025-07-16 --out "$WORK/refused" --openlineage-url "http://user:pw-$$@127.0.0.1:$PORT/api/v1/refuse?api_key=q-$$" "$SEED"
grep -q "refused the event: HTTP 400: .*event refused by the test server" "$WORK/err" && ok "the refusal says the status and the answer" || bad "refusal message: $(cat "$WORK/err")"
grep -q "pw-$$\|q-$$\|$KEY" "$WORK/err" "$WORK/out" && bad "a credential is printed" || ok "no credential in the message"
grep -q "lineage server http://127.0.0.1:$PORT/api/v1/refuse refused" "$WORK/err" && ok "the message names the server" || bad "server not named: $(cat "$WORK/err")"
grep -q "the exports in $WORK/refused are complete" "$WORK/err" && ok "says the exports are complete" || bad "no word on the exports"
[ "$(tree "$WORK/ok")" = "$(tree "$WORK/refused")" ] && ok "refused: the --out tree is complete" || bad "refused: the --out tree differs"

# 4. nothing listens: exit 1, the --out tree complete
CLOSED=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1]); s.close()")
expect_rc 1 "a server that cannot be reached" -- "$DPGEN" generate --as-of 2025-07-16 --out "$WORK/closed" --openlineage-url "http://127.0.0.1:$CLOSED/api/v1/lineage" "$SEED"
grep -q "lineage server http://127.0.0.1:$CLOSED/api/v1/lineage could not be reached" "$WORK/err" && ok "unreachable: clear message" || bad "unreachable message: $(cat "$WORK/err")"
[ "$(tree "$WORK/ok")" = "$(tree "$WORK/closed")" ] && ok "unreachable: the --out tree is complete" || bad "unreachable: the --out tree differs"
[ -s "$WORK/closed/openlineage/${NAME}_run_event.json" ] && ok "unreachable: the event file is there" || bad "unreachable: no event file"

# 5. a server that accepts and never answers: the timeout ends the wait
python3 - "$WORK/hung" <<'PY' &
import os, socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(30)  # connections wait in the backlog, unanswered; stops by itself
PY
HUNG_PID=$!
for _ in $(seq 50); do [ -s "$WORK/hung" ] && break; sleep 0.1; done
start=$(date +%s)
DPGEN_OPENLINEAGE_TIMEOUT=2 expect_rc 1 "a server that never answers" -- "$DPGEN" generate --as-of 2025-07-16 --no-record --openlineage-url "http://127.0.0.1:$(cat "$WORK/hung")/api/v1/lineage" "$SEED"
took=$(( $(date +%s) - start ))
grep -q "could not be reached: Timeout was reached" "$WORK/err" && ok "hung: says it timed out" || bad "hung message: $(cat "$WORK/err")"
[ "$took" -lt 20 ] && ok "hung: gave up after the timeout (${took}s)" || bad "hung: took ${took}s"
kill $HUNG_PID 2>/dev/null
DPGEN_OPENLINEAGE_TIMEOUT=0 expect_rc 1 "a timeout of 0 s is refused" -- "$DPGEN" generate --as-of 2025-07-16 --no-record --openlineage-url "$URL" "$SEED"
grep -q "DPGEN_OPENLINEAGE_TIMEOUT is seconds from 1 to 300" "$WORK/err" && ok "bad timeout: says why" || bad "bad timeout message: $(cat "$WORK/err")"

# 6. not an http(s) URL: usage, nothing run
expect_rc 2 "an ftp:// URL is a usage error" -- "$DPGEN" generate --no-record --openlineage-url "ftp://127.0.0.1/x" "$SEED"

# cross-check with Python's validator (2020-12, with the $id of every file)
if python3 -c "import jsonschema, referencing" 2>/dev/null; then
  python3 - "$DP_SOURCE_DIR/schemas/openlineage" "$EVENT" <<'PY' && ok "python jsonschema agrees" || bad "python jsonschema disagrees"
import glob, json, sys, jsonschema
from referencing import Registry, Resource
d = sys.argv[1]
docs = [json.load(open(f)) for f in [f"{d}/OpenLineage.json"] + sorted(glob.glob(f"{d}/facets/*.json"))]
reg = Registry().with_resources([(x["$id"], Resource.from_contents(x)) for x in docs])
ev = json.load(open(sys.argv[2]))
v = jsonschema.Draft202012Validator({"$ref": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"},
                                    registry=reg, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
errs = list(v.iter_errors(ev))
for e in errs[:5]:
    print(e.json_path, e.message[:200])
sys.exit(1 if errs else 0)
PY
else
  echo "skip python cross-check (no jsonschema with referencing)"
fi
finish
