"""A scripted MCP client for `dpgen mcp`: the handshake, version
negotiation, every tool, the protocol's errors, and no server path in any
answer.  usage: mcp_client.py DPGEN SOURCE_DIR WORK [catalog options...]"""
import json
import os
import subprocess
import sys

DPGEN, SRC, WORK = sys.argv[1:4]
EXTRA = sys.argv[4:]
fails = passes = 0
SEED = "Create a weekly marketing performance report with CTR, CVR, CPA, and ROAS for each campaign."


def check(cond, msg, detail=""):
    global fails, passes
    if cond:
        passes += 1
        print("ok   " + msg)
    else:
        fails += 1
        print("FAIL " + msg + (": " + str(detail)[:400] if detail else ""))


class Client:
    def __init__(self, *opts):
        self.p = subprocess.Popen([DPGEN, "mcp", *opts], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=open(os.path.join(WORK, "mcp.err"), "a"), text=True, bufsize=1)
        self.next_id = 0
        self.seen = []

    def send(self, obj):
        self.p.stdin.write((obj if isinstance(obj, str) else json.dumps(obj)) + "\n")
        self.p.stdin.flush()

    def read(self):
        line = self.p.stdout.readline()
        self.seen.append(line)
        return json.loads(line)

    def request(self, method, params=None):
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        r = self.read()
        check(r.get("id") == self.next_id, "the answer to %s carries its id" % method, r)
        return r

    def call(self, name, args):
        return self.request("tools/call", {"name": name, "arguments": args})

    def close(self):
        self.p.stdin.close()
        return self.p.wait(30)


c = Client(*EXTRA)
r = c.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                             "clientInfo": {"name": "test", "version": "1"}})
res = r["result"]
check(res["protocolVersion"] == "2025-06-18", "a version the server speaks is kept", res["protocolVersion"])
check(res["capabilities"].get("tools") is not None and res["serverInfo"]["name"] == "dpgen",
      "initialize says tools and the server's name")
c.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
r = c.request("ping")
check(r.get("result") == {}, "ping answers {} (and the notification had no answer)", r)
tools = c.request("tools/list")["result"]["tools"]
names = sorted(t["name"] for t in tools)
check(names == ["describe_dataset", "generate_data_product", "list_metrics", "search_catalog"], "four tools", names)
check(all(t["inputSchema"]["type"] == "object" and t["description"] for t in tools), "each with an input schema")

r = c.call("generate_data_product", {"request": SEED, "as_of": "2025-07-16"})["result"]
sc = r.get("structuredContent", {})
check(not r["isError"] and sc.get("status") == "ok"
      and sc["data_product_spec"]["metadata"]["name"] == "weekly_marketing_performance_by_campaign",
      "generate_data_product answers the seed with the spec", r.get("content", [{}])[0].get("text", "")[:300])
check(r["content"][0]["type"] == "text" and r["content"][0]["text"].startswith("spec_version"),
      "its text is the spec as YAML")
check("SELECT" in json.dumps(sc.get("data_product_spec", {}).get("transformation", {})), "with the SQL that ran")

r = c.call("generate_data_product", {"request": "weekly zorblax by campaign"})["result"]
sc = r.get("structuredContent", {})
check(not r["isError"] and sc.get("status") == "clarify"
      and any(u["phrase"] == "zorblax" for u in sc["clarification"]["unplaced"]),
      "an unknown word is a clarification naming it", r)
metrics = c.call("list_metrics", {})["result"]
ms = metrics["structuredContent"]["metrics"]
check(not metrics["isError"] and ms and all("name" in m and "type" in m for m in ms), "list_metrics lists them")
m0 = ms[0]["name"]
r = c.call("generate_data_product", {"request": "weekly zorblax by campaign", "as_of": "2025-07-16",
                                     "choose": ["zorblax=" + m0]})["result"]
check(not r["isError"] and r["structuredContent"]["status"] == "ok", "choose answers the clarification", r)

r = c.call("search_catalog", {"query": m0, "limit": 3})["result"]
res_ = r["structuredContent"]["results"]
check(not r["isError"] and res_ and res_[0]["name"] == m0 and len(res_) <= 3, "search_catalog finds a metric", r)
ds = [x for x in c.call("search_catalog", {"query": "events"})["result"]["structuredContent"]["results"]
      if x["kind"] == "dataset"]
check(ds, "search_catalog finds datasets too")
if ds:
    r = c.call("describe_dataset", {"name": ds[0]["name"]})["result"]
    check(not r["isError"] and r["structuredContent"]["dataset"] == ds[0]["name"], "describe_dataset", r)
r = c.call("describe_dataset", {"name": m0})["result"]
check(r["isError"] and "not a dataset" in r["content"][0]["text"], "a metric's name is not a dataset", r)
r = c.call("describe_dataset", {"name": "zzz_none"})["result"]
check(r["isError"], "an unknown dataset is a tool error", r)
r = c.call("generate_data_product", {"request": ""})["result"]
check(r["isError"] and "structuredContent" not in r, "an empty request is a tool error", r)
r = c.call("search_catalog", {})["result"]
check(r["isError"], "a missing argument is a tool error", r)

# protocol errors
r = c.call("no_such_tool", {})
check(r.get("error", {}).get("code") == -32602, "an unknown tool is -32602", r)
r = c.request("resources/list")
check(r.get("error", {}).get("code") == -32601, "an unknown method is -32601", r)
c.send("this is not json")
r = c.read()
check(r.get("error", {}).get("code") == -32700 and r.get("id") is None, "a line that is not JSON is -32700", r)
c.send({"jsonrpc": "1.0", "id": 99, "method": "ping"})
r = c.read()
check(r.get("error", {}).get("code") == -32600 and r.get("id") == 99, "a message that is not JSON-RPC 2.0 is -32600", r)
c.send("x" * (1024 * 1024 + 10))
r = c.read()
check(r.get("error", {}).get("code") == -32700, "a message over 1 MiB is -32700", r)
r = c.request("ping")
check(r.get("result") == {}, "the server still answers after them")
rc = c.close()
check(rc == 0, "end of input ends the server with 0", rc)
leaks = [s for s in (SRC, WORK, os.environ.get("DPGEN_STATE_DIR", "/nonexistent")) if any(s in x for x in c.seen)]
check(not leaks, "no answer shows a path of the machine (%d answers)" % len(c.seen), leaks)

# another version: the server answers with its newest
c2 = Client(*EXTRA)
r = c2.request("initialize", {"protocolVersion": "1999-01-01", "capabilities": {},
                              "clientInfo": {"name": "old", "version": "1"}})
check(r["result"]["protocolVersion"] >= "2025-06-18", "an unknown version gets the server's newest",
      r["result"]["protocolVersion"])
c2.close()

# a catalog that does not open: the protocol works, the tools say why
c3 = Client("--db", os.path.join(WORK, "missing.duckdb"), "--models", os.path.join(SRC, "catalog/demo"))
c3.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}})
r = c3.call("list_metrics", {})["result"]
check(r["isError"] and "did not open" in r["content"][0]["text"], "a catalog that did not open: tools say why", r)
c3.close()

print("%d passed, %d failed" % (passes, fails))
sys.exit(1 if fails else 0)
