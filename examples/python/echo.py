#!/usr/bin/env python3
"""An echo node for Gyre (and Maelstrom) in plain Python 3, standard library only.

Reads one JSON message per line on STDIN, answers init with init_ok and echo with echo_ok,
answers any other request with error 10 (not supported), and logs to STDERR.
"""
import json
import sys

node_id = None
next_msg_id = 1


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def send(dest, body):
    global next_msg_id
    body = dict(body, msg_id=next_msg_id)
    next_msg_id += 1
    sys.stdout.write(json.dumps({"src": node_id, "dest": dest, "body": body}) + "\n")
    sys.stdout.flush()


def reply(request, body):
    in_reply_to = request["body"].get("msg_id")
    if in_reply_to is not None:
        body = dict(body, in_reply_to=in_reply_to)
    send(request["src"], body)


for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    try:
        msg = json.loads(line)
        body = msg["body"]
        kind = body["type"]
    except (ValueError, KeyError, TypeError) as e:
        log("skipping malformed line:", e)
        continue
    if kind == "init":
        node_id = body["node_id"]
        log("initialised as", node_id)
        reply(msg, {"type": "init_ok"})
    elif kind == "echo":
        reply(msg, {"type": "echo_ok", "echo": body.get("echo")})
    elif "in_reply_to" not in body and body.get("msg_id") is not None:
        reply(msg, {"type": "error", "code": 10, "text": "not supported: " + str(kind)})
