#!/usr/bin/env python3
"""An echo node that misbehaves on purpose, for Gyre's reliability tests.

Usage: misbehave.py ACTIONS [START]

ACTIONS is a comma-separated list; action i is done while answering echo number START + i
(START defaults to 3). Except for `malformed-reply` and `late-reply`, the node writes its bad
output and then answers the echo correctly, so every echo should still succeed.

"""
import json
import os
import signal
import sys
import threading

actions = [a for a in sys.argv[1].split(",") if a] if len(sys.argv) > 1 else []
start = int(sys.argv[2]) if len(sys.argv) > 2 else 3
# Re-entrant: the SIGTERM handler runs on the main thread and writes too; with a plain Lock, a
# SIGTERM arriving while the main thread is inside write() would deadlock the node.
lock = threading.RLock()
node_id = None
echo_count = 0
silent = False
out = sys.stdout.buffer


def write(data: bytes, newline=True):
    with lock:
        out.write(data + (b"\n" if newline else b""))
        out.flush()


def send(dest, body, src=None):
    write(json.dumps({"src": src or node_id, "dest": dest, "body": body}).encode())


def bye(_signum, _frame):
    if "last-line-without-newline" in actions:
        write(b"bye-without-newline", newline=False)
    os._exit(0)


signal.signal(signal.SIGTERM, bye)


def misbehave(action, msg):
    body = msg["body"]
    echo = {"type": "echo_ok", "echo": body["echo"], "in_reply_to": body["msg_id"]}
    if action == "not-json":
        write(b"this is not JSON {")
    elif action == "blank":
        write(b"")
        write(b"   \t")
    elif action == "not-an-object":
        write(b"[1, 2, 3]")
    elif action == "extra-key":
        write(json.dumps({"src": node_id, "dest": "n0", "body": {"type": "x"}, "extra": 1}).encode())
    elif action == "missing-src":
        write(json.dumps({"dest": "n0", "body": {"type": "x"}}).encode())
    elif action == "missing-dest":
        write(json.dumps({"src": node_id, "body": {"type": "x"}}).encode())
    elif action == "unknown-src":
        send("n0", {"type": "x"}, src="n77")
    elif action == "unknown-dest":
        send("n42", {"type": "x"})
    elif action == "invalid-utf8":
        write(b'{"src":"n0","dest":"n0","body":{"type":"\xff\xfe"}}')
    elif action == "deep-reply":
        # A 10 kB reply nested 5,000 arrays deep (written by hand: Python's json recurses).
        deep = b"[" * 5000 + b"]" * 5000
        write(b'{"src":"%s","dest":"%s","body":{"type":"echo_ok","echo":%s,"in_reply_to":%d}}' % (node_id.encode(), msg["src"].encode(), deep, body["msg_id"]))
    elif action == "escapes":
        # Terminal escapes: clear screen, retitle, bell, 8-bit CSI, a bidi override; in a line that
        # is not JSON, and in the dest of a message (JSON-escaped there, so decoded to the real thing).
        write(b"\x1b[2J\x1b]0;pwned\x07 not json \xc2\x9b31m \xe2\x80\xae")
        write(b'{"src":"%s","dest":"\\u001b[2J\\u009b31m","body":{"type":"x"}}' % node_id.encode())
    elif action == "die-with-escapes":
        write(b"\x1b[2J\x1b]0;pwned\x07 last words \xc2\x9b31m")
        sys.stderr.buffer.write(b"\x1b[2J\x1b]0;pwned\x07 on stderr \xc2\x9b31m\n")
        sys.stderr.flush()
        os._exit(3)
    elif action == "giant-line":
        # 600 MiB without a newline, then the newline: past V8's longest string (512 MiB).
        piece = b"g" * (1024 * 1024)
        with lock:
            for _ in range(600):
                out.write(piece)
            out.write(b"\n")
            out.flush()
    elif action == "huge-stderr-line":
        sys.stderr.buffer.write(b"e" * (3 * 1024 * 1024) + b"\n")
        sys.stderr.flush()
    elif action == "huge-line":
        write(b"x" * (50 * 1024 * 1024))
    elif action == "malformed-reply":
        echo["extra"] = "not allowed in echo_ok"
        send(msg["src"], echo)
        return
    elif action == "unterminated-then-silent":
        # The node's last output, with no newline; it answers nothing more (every later reply
        # would join this line), so the line is still unterminated when Gyre stops the node.
        global silent
        silent = True
        write(b"bye-without-newline", newline=False)
        return
    elif action == "late-reply":
        threading.Timer(6.0, lambda: send(msg["src"], echo)).start()
        return
    send(msg["src"], echo)


for line in sys.stdin:
    msg = json.loads(line)
    body = msg["body"]
    if body["type"] == "init":
        node_id = body["node_id"]
        send(msg["src"], {"type": "init_ok", "in_reply_to": body["msg_id"]})
    elif body["type"] == "echo":
        if silent:
            continue
        echo_count += 1
        i = echo_count - start
        if 0 <= i < len(actions):
            sys.stderr.write(f"echo {echo_count}: {actions[i]}\n")
            sys.stderr.flush()
            misbehave(actions[i], msg)
        else:
            send(msg["src"], {"type": "echo_ok", "echo": body["echo"], "in_reply_to": body["msg_id"]})
