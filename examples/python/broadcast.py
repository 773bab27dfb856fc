#!/usr/bin/env python3
"""A broadcast node for Gyre (and Maelstrom) in plain Python 3, standard library only.

    gyre test -w broadcast --bin examples/python/broadcast.py --node-count 5 --time-limit 20 --rate 10 --nemesis partition

The node that receives a value from a client owns its delivery: it sends the value straight to
every other node and keeps sending it, in one batch per peer every 200 ms, until that peer
acknowledges it. Values therefore cross partitions once they heal. The suggested topology is
ignored. A reader thread handles messages; a gossip thread sends the batches; a lock guards
the state and STDOUT.
"""
import json
import sys
import threading
import time

GOSSIP_INTERVAL = 0.2

lock = threading.Lock()
node_id = None
node_ids = []
next_msg_id = 1
seen = {}          # json text of a value -> the value, in arrival order
unacked = {}       # peer -> {json text: value} not yet acknowledged by that peer
in_flight = {}     # msg_id of a gossip batch -> (peer, [json texts])


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def write(dest, body):
    """Writes one message to STDOUT; the caller holds the lock."""
    sys.stdout.write(json.dumps({"src": node_id, "dest": dest, "body": body}) + "\n")
    sys.stdout.flush()


def request(dest, body):
    """Sends a request with a fresh msg_id and returns that id; the caller holds the lock."""
    global next_msg_id
    msg_id = next_msg_id
    next_msg_id += 1
    write(dest, dict(body, msg_id=msg_id))
    return msg_id


def reply(req, body):
    in_reply_to = req["body"].get("msg_id")
    if in_reply_to is not None:
        write(req["src"], dict(body, in_reply_to=in_reply_to))


def learn(values, owner):
    """Records values; if this node owns their delivery, queues them for every peer."""
    for v in values:
        key = json.dumps(v, sort_keys=True)
        if key in seen:
            continue
        seen[key] = v
        if owner:
            for peer in node_ids:
                if peer != node_id:
                    unacked.setdefault(peer, {})[key] = v


def gossip_loop():
    while True:
        time.sleep(GOSSIP_INTERVAL)
        with lock:
            if node_id is None:
                continue
            for peer, pending in unacked.items():
                if not pending:
                    continue
                msg_id = request(peer, {"type": "gossip", "messages": list(pending.values())})
                in_flight[msg_id] = (peer, list(pending.keys()))
            # Forget batches nobody answered after a while; their values are still unacked.
            for mid in [m for m in in_flight if m < next_msg_id - 10000]:
                del in_flight[mid]


def handle(msg):
    global node_id, node_ids
    body = msg["body"]
    kind = body.get("type")
    if kind == "init":
        node_id = body["node_id"]
        node_ids = list(body["node_ids"])
        log("initialised as", node_id)
        reply(msg, {"type": "init_ok"})
    elif kind == "topology":
        reply(msg, {"type": "topology_ok"})
    elif kind == "broadcast":
        learn([body.get("message")], owner=True)
        reply(msg, {"type": "broadcast_ok"})
    elif kind == "read":
        reply(msg, {"type": "read_ok", "messages": list(seen.values())})
    elif kind == "gossip":
        learn(body.get("messages") or [], owner=False)
        reply(msg, {"type": "gossip_ok"})
    elif kind == "gossip_ok":
        batch = in_flight.pop(body.get("in_reply_to"), None)
        if batch is not None:
            peer, keys = batch
            pending = unacked.get(peer, {})
            for key in keys:
                pending.pop(key, None)
    elif "in_reply_to" not in body and body.get("msg_id") is not None:
        reply(msg, {"type": "error", "code": 10, "text": "not supported: " + str(kind)})


def main():
    threading.Thread(target=gossip_loop, daemon=True).start()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
        except ValueError as e:
            log("skipping malformed line:", e)
            continue
        with lock:
            handle(msg)


main()
