#!/usr/bin/env python3
"""A unique-ids node whose ids are integers above 2**53, where a double cannot tell neighbours
apart: node i of N hands out BASE + i + N*k for k = 0, 1, 2, ... (BASE = 2**53 + 1), so every id
is distinct as an integer while most pairs of neighbours are equal as doubles. With --collide
every node uses i = 0, so the nodes hand out the same ids. Python's int and json keep every digit.
"""
import json
import sys

BASE = 2**53 + 1
collide = "--collide" in sys.argv[1:]
node_id = None
index = 0
count = 1
k = 0
for line in sys.stdin:
    msg = json.loads(line)
    body = msg["body"]
    if body["type"] == "init":
        node_id = body["node_id"]
        ids = body["node_ids"]
        index = 0 if collide else ids.index(node_id)
        count = len(ids)
        reply = {"type": "init_ok"}
    elif body["type"] == "generate":
        reply = {"type": "generate_ok", "id": BASE + index + count * k}
        k += 1
    else:
        reply = {"type": "error", "code": 10, "text": "unsupported: " + body["type"]}
    reply["in_reply_to"] = body["msg_id"]
    sys.stdout.write(json.dumps({"src": node_id, "dest": msg["src"], "body": reply}) + "\n")
    sys.stdout.flush()
