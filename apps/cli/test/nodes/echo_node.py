"""The message loop of the echo test nodes (crasher.py, escape.py, verdicts.py); not a node itself.

A node imports it from beside itself (Python puts the script's directory first on its path,
whatever the working directory), after `sys.dont_write_bytecode = True`, so that no __pycache__
is left in the source tree.
"""
import json
import sys


def messages():
    """Each message read from STDIN, until STDIN closes."""
    for line in sys.stdin:
        yield json.loads(line)


def answer(msg):
    """Replies to an init with init_ok, to any other message as to an echo with echo_ok; returns
    whether it was an echo."""
    body = msg["body"]
    if body["type"] == "init":
        reply = {"type": "init_ok", "in_reply_to": body["msg_id"]}
    else:
        reply = {"type": "echo_ok", "echo": body["echo"], "in_reply_to": body["msg_id"]}
    print(json.dumps({"src": msg["dest"], "dest": msg["src"], "body": reply}), flush=True)
    return body["type"] != "init"
