#!/usr/bin/env python3
"""For Gyre's back-pressure test: n0 answers init and then never reads its STDIN again; every
other node answers echoes and, after init, sends COUNT messages of SIZE bytes to n0 from a
second thread.

Usage: stuck.py COUNT SIZE
"""
import json
import sys
import threading
import time

count, size = int(sys.argv[1]), int(sys.argv[2])
node_id = None
lock = threading.Lock()


def send(dest, body):
    with lock:
        sys.stdout.write(json.dumps({"src": node_id, "dest": dest, "body": body}) + "\n")
        sys.stdout.flush()


def flood():
    pad = "x" * size
    for i in range(count):
        send("n0", {"type": "flood", "i": i, "pad": pad})


for line in sys.stdin:
    msg = json.loads(line)
    body = msg["body"]
    if body["type"] == "init":
        node_id = body["node_id"]
        send(msg["src"], {"type": "init_ok", "in_reply_to": body["msg_id"]})
        if node_id == "n0":
            while True:
                time.sleep(60)
        threading.Thread(target=flood, daemon=True).start()
    elif body["type"] == "echo":
        send(msg["src"], {"type": "echo_ok", "echo": body["echo"], "in_reply_to": body["msg_id"]})
