#!/usr/bin/env python3
"""The nodes of Maelstrom's tutorial, chapter by chapter, step by step, in Python (the tutorial's
are in Ruby). The step comes from the environment, so that the test runs the tutorial's own command
lines: GYRE_TUTORIAL=<step>.

echo chapter (doc/02-echo):
  echo-received   logs every line it receives, answers nothing (not even init)
  echo-init       answers init, logs "Initialized node n1", answers no echo
  echo-same-body  answers echo with the request's own body (type "echo": a malformed reply)
  echo            answers echo with echo_ok
  echo-not-right  answers echo with echo_ok, echo "not-right"

broadcast chapter (doc/03-broadcast/01-broadcast):
  broadcast-no-topology  has no handler for topology: raises, and the process exits
  broadcast-topology     answers topology, logs "My neighbors are [...]"
  broadcast-local        answers broadcast and read from its own set: nodes never talk
  broadcast-gossip       gossips each new message to its neighbours, once
"""
import json
import os
import sys

STEP = os.environ.get("GYRE_TUTORIAL", "echo")
node_id = None
next_msg_id = 0
neighbors = []
messages = []
seen = set()


def log(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def send(dest, body):
    msg = {"src": node_id, "dest": dest, "body": body}
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def reply(req, body):
    global next_msg_id
    next_msg_id += 1
    send(req["src"], dict(body, msg_id=next_msg_id, in_reply_to=req["body"]["msg_id"]))


for line in sys.stdin:
    if STEP == "echo-received":
        log("Received " + json.dumps(line))
        continue
    req = json.loads(line)
    log("Received " + json.dumps(req))
    body = req["body"]
    kind = body["type"]
    if kind == "init":
        node_id = body["node_id"]
        log("Initialized node " + node_id)
        reply(req, {"type": "init_ok"})
    elif kind == "echo" and STEP == "echo-same-body":
        reply(req, body)
    elif kind == "echo" and STEP == "echo":
        reply(req, dict(body, type="echo_ok"))
    elif kind == "echo" and STEP == "echo-not-right":
        reply(req, dict(body, type="echo_ok", echo="not-right"))
    elif kind == "topology" and STEP != "broadcast-no-topology":
        neighbors = body["topology"].get(node_id, [])
        log("My neighbors are " + json.dumps(neighbors))
        reply(req, {"type": "topology_ok"})
    elif kind == "broadcast" and STEP in ("broadcast-local", "broadcast-gossip"):
        m = body["message"]
        if m not in seen:
            seen.add(m)
            messages.append(m)
            if STEP == "broadcast-gossip":
                for n in neighbors:
                    send(n, {"type": "broadcast", "message": m})
        if "msg_id" in body:
            reply(req, {"type": "broadcast_ok"})
    elif kind == "read" and STEP in ("broadcast-local", "broadcast-gossip"):
        reply(req, {"type": "read_ok", "messages": messages})
    elif STEP.startswith("broadcast") or kind != "echo":
        raise RuntimeError("No handler for " + json.dumps(req))
