"""dpgen serve's guards: API keys (plain and sha256: lines, Bearer and
X-API-Key, probes open), per-client rate limits, CORS, HTTPS, and the
access log's request texts only with --log-requests.
usage: serve_guard.py DPGEN WORK   (DPGEN_DEMO_DB and DPGEN_STATE_DIR set)"""
import hashlib
import http.client
import json
import os
import re
import ssl
import subprocess
import sys
import time

DPGEN, WORK = sys.argv[1:3]
fails = passes = 0


def check(cond, msg, detail=""):
    global fails, passes
    if cond:
        passes += 1
        print("ok   " + msg)
    else:
        fails += 1
        print("FAIL " + msg + (": " + str(detail)[:400] if detail else ""))


def start(*extra, log="guard.log"):
    p = subprocess.Popen([DPGEN, "serve", "--listen", "127.0.0.1:0", *extra], stdout=subprocess.PIPE,
                         stderr=open(os.path.join(WORK, log), "w"), text=True)
    line = p.stdout.readline()
    m = re.search(r"(https?)://127.0.0.1:(\d+)", line)
    if not m:
        p.wait(10)
        return p, None
    return p, int(m.group(2))


def call(port, method, path, headers=None, body=None, tls=None):
    c = (http.client.HTTPSConnection("127.0.0.1", port, timeout=60, context=tls) if tls
         else http.client.HTTPConnection("127.0.0.1", port, timeout=60))
    h = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    text = r.read().decode()
    c.close()
    return r.status, r, text


def wait_ready(port, headers=None, tls=None):
    for _ in range(1200):
        st, _, _ = call(port, "GET", "/readyz", headers, tls=tls)
        if st == 200:
            return True
        time.sleep(0.1)
    return False


KEY1 = "k1-" + "a" * 30
KEY2 = "k2-" + "b" * 30
keys = os.path.join(WORK, "keys")
with open(keys, "w") as f:
    f.write("# plain and hashed\n%s\n\nsha256:%s\n" % (KEY1, hashlib.sha256(KEY2.encode()).hexdigest()))

# --- a bad keys file: refused at start, the key not echoed
bad_keys = os.path.join(WORK, "bad_keys")
with open(bad_keys, "w") as f:
    f.write("short-secret\n")
p, port = start("--api-keys", bad_keys, log="bad.log")
err = open(os.path.join(WORK, "bad.log")).read()
check(port is None and p.returncode == 2 and "line 1" in err and "short-secret" not in err,
      "a key under 16 characters is refused at start, naming the line, not the key", err)

p, port = start("--api-keys", keys, "--rate", "1", "--burst", "3", "--cors", "http://app.example", "--log-requests")
check(port is not None, "the server starts with keys, a rate limit and CORS")
check(wait_ready(port), "the probes need no key")
st, r, _ = call(port, "GET", "/openapi.json")
check(st == 200, "nor does the OpenAPI document")
st, r, body = call(port, "GET", "/v1/catalog")
check(st == 401 and r.getheader("WWW-Authenticate", "").startswith("Bearer")
      and json.loads(body)["error"]["code"] == "unauthorized", "no key is 401 with WWW-Authenticate", (st, body))
st, _, _ = call(port, "GET", "/v1/catalog", {"Authorization": "Bearer wrong-" + KEY1})
check(st == 401, "a wrong key is 401")
st, _, _ = call(port, "GET", "/v1/catalog", {"Authorization": "Bearer " + KEY1})
check(st == 200, "a listed key (Bearer) is let in", st)
st, _, _ = call(port, "GET", "/v1/catalog", {"X-API-Key": KEY2})
check(st == 200, "a key listed by its sha256 (X-API-Key) is let in", st)

# rate: burst 3 then 1 a second, per key (the bucket is full again after 3 s)
time.sleep(3.1)
codes = [call(port, "GET", "/v1/catalog/search?q=a", {"Authorization": "Bearer " + KEY1})[0] for _ in range(3)]
st, r, body = call(port, "GET", "/v1/catalog/search?q=a", {"Authorization": "Bearer " + KEY1})
check(st == 429 and int(r.getheader("Retry-After", "0")) >= 1 and json.loads(body)["error"]["code"] == "rate_limited",
      "past the burst a client is 429 with Retry-After", (codes, st, body))
st, _, _ = call(port, "GET", "/v1/catalog/search?q=a", {"X-API-Key": KEY2})
check(codes == [200, 200, 200] and st == 200, "the burst is 3, and another key has its own bucket", (codes, st))
time.sleep(1.1)
st, _, _ = call(port, "GET", "/v1/catalog/search?q=a", {"Authorization": "Bearer " + KEY1})
check(st == 200, "a second later the client has a token again", st)

# CORS
st, r, _ = call(port, "OPTIONS", "/v1/data-products", {"Origin": "http://app.example",
                                                       "Access-Control-Request-Method": "POST"})
check(st == 204 and r.getheader("Access-Control-Allow-Origin") == "http://app.example"
      and "POST" in r.getheader("Access-Control-Allow-Methods", ""), "a preflight from the origin is 204 with CORS", st)
st, r, _ = call(port, "GET", "/healthz", {"Origin": "http://app.example"})
check(r.getheader("Access-Control-Allow-Origin") == "http://app.example", "answers to the origin carry CORS")
st, r, _ = call(port, "GET", "/healthz", {"Origin": "http://evil.example"})
check(r.getheader("Access-Control-Allow-Origin") is None, "another origin gets no CORS header")

# --log-requests
time.sleep(1.1)
st, _, _ = call(port, "POST", "/v1/data-products", {"X-API-Key": KEY2}, {"request": "weekly wumpus by campaign"})
check(st == 422, "a run with a key", st)
p.terminate()
p.wait(60)
log = open(os.path.join(WORK, "guard.log")).read()
lines = [json.loads(x) for x in log.splitlines() if x.startswith("{")]
check(any(x.get("request") == "weekly wumpus by campaign" for x in lines), "--log-requests logs the request text")
check(KEY1 not in log and KEY2 not in log, "no key reaches the log")

# --- without --cors: no CORS, OPTIONS is 405; without --log-requests: no request text
p, port = start(log="plain.log")
wait_ready(port)
st, r, _ = call(port, "OPTIONS", "/v1/data-products", {"Origin": "http://app.example"})
check(st == 405 and r.getheader("Access-Control-Allow-Origin") is None, "without --cors there is no CORS", st)
st, _, _ = call(port, "POST", "/v1/data-products", None, {"request": "weekly wumpus by campaign"})
p.terminate()
p.wait(60)
check("wumpus" not in open(os.path.join(WORK, "plain.log")).read(), "the log has no request text by default")

# --- HTTPS
cert, key = os.path.join(WORK, "cert.pem"), os.path.join(WORK, "key.pem")
o = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2", "-keyout", key, "-out", cert],
                   capture_output=True)
if o.returncode:
    check(False, "openssl made a certificate", o.stderr[-300:])
else:
    p, port = start("--tls-cert", cert, "--tls-key", key, log="tls.log")
    ctx = ssl.create_default_context(cafile=cert)
    check(port is not None and wait_ready(port, tls=ctx), "--tls-cert/--tls-key serve HTTPS")
    st, _, body = call(port, "GET", "/healthz", tls=ctx)
    check(st == 200, "a request over TLS is answered", st)
    try:
        call(port, "GET", "/healthz")
        check(False, "plain HTTP to the TLS port is refused")
    except Exception:  # noqa
        check(True, "plain HTTP to the TLS port is refused")
    p.terminate()
    p.wait(60)
p, port = start("--tls-cert", cert, log="tls2.log")
check(port is None and p.returncode == 2, "--tls-cert without --tls-key is refused")

print("%d passed, %d failed" % (passes, fails))
sys.exit(1 if fails else 0)
