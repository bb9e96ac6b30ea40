#!/usr/bin/env python3
"""A scripted OpenAI-compatible chat completions server for the tests
(tests/e2e/llm.sh): it replays the fixtures of tests/data/llm/fixtures.json,
picked by the request's "model" (the scenario), call by call, and writes
every request it got (headers and body) to a log, one JSON line each.

usage: llm_server.py FIXTURES LOG   (prints the port it listens on)
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FIXTURES = json.load(open(sys.argv[1]))
LOG = open(sys.argv[2], "a")
lock = threading.Lock()
calls = {}  # scenario -> calls so far


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):  # quiet
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        scenario = (body or {}).get("model", "")
        with lock:
            k = calls.get(scenario, 0)
            calls[scenario] = k + 1
            LOG.write(json.dumps({"path": self.path, "auth": self.headers.get("Authorization"),
                                  "scenario": scenario, "call": k, "body": body}) + "\n")
            LOG.flush()
        steps = FIXTURES.get(scenario) or [{"status": 404, "content": "no such scenario"}]
        step = steps[min(k, len(steps) - 1)]
        if step.get("if_structured") and body and "response_format" in body:
            step = step["if_structured"]
        if step.get("sleep"):
            time.sleep(step["sleep"])
        status = step.get("status", 200)
        if status != 200:
            out = json.dumps({"error": {"message": step.get("content", "error")}}).encode()
        else:
            out = json.dumps({
                "id": "fixture", "object": "chat.completion", "model": scenario,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": step["content"]}}],
                "usage": {"prompt_tokens": step.get("prompt_tokens", 120),
                          "completion_tokens": step.get("completion_tokens", 12),
                          "total_tokens": step.get("prompt_tokens", 120) + step.get("completion_tokens", 12)},
            }).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            if "retry_after" in step:
                self.send_header("Retry-After", str(step["retry_after"]))
            self.end_headers()
            self.wfile.write(out)
        except OSError:
            pass  # the client gave up (a timeout)


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
