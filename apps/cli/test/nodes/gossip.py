#!/usr/bin/env python3
"""A simple broadcast node for Gyre's load test: it answers broadcast and read at once, and every
250 ms tells each topology neighbour, in one gossip message, the values it has not yet sent it or
heard from it. No acknowledgements: it assumes the network does not lose messages.
"""
import json
import sys
import threading

lock = threading.Lock()
node_id = None
neighbours = []
seen = set()
known_by = {}  # neighbour -> values it is known to have
out = sys.stdout


def send(dest, body):
    out.write(json.dumps({"src": node_id, "dest": dest, "body": body}, separators=(",", ":")) + "\n")


def gossip():
    with lock:
        for n in neighbours:
            k = known_by[n]
            new = seen - k
            if new:
                k |= new
                send(n, {"type": "gossip", "messages": list(new)})
        out.flush()
    threading.Timer(0.25, gossip).start()


for line in sys.stdin:
    msg = json.loads(line)
    body = msg["body"]
    t = body["type"]
    with lock:
        reply = None
        if t == "init":
            node_id = body["node_id"]
            reply = {"type": "init_ok"}
        elif t == "topology":
            neighbours = body["topology"].get(node_id, [])
            known_by = {n: set() for n in neighbours}
            reply = {"type": "topology_ok"}
            threading.Timer(0.25, gossip).start()
        elif t == "broadcast":
            seen.add(body["message"])
            reply = {"type": "broadcast_ok"}
        elif t == "read":
            reply = {"type": "read_ok", "messages": list(seen)}
        elif t == "gossip":
            vals = body["messages"]
            seen.update(vals)
            k = known_by.get(msg["src"])
            if k is not None:
                k.update(vals)
        if reply is not None:
            reply["in_reply_to"] = body["msg_id"]
            send(msg["src"], reply)
            out.flush()
