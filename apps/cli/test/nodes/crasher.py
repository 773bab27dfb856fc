#!/usr/bin/env python3
"""An echo node that dies after answering AFTER echoes, for Gyre's crash tests.

Usage: crasher.py MODE AFTER [PIDFILE]

MODE is `exit` (exits with code 3), `segv` (kills itself with SIGSEGV), or `wait` (writes its pid
to PIDFILE and keeps answering, for a test to kill it from outside). Before dying it writes 40
numbered lines on STDERR and one line on STDOUT that is not a message.
"""
import os
import signal
import sys

sys.dont_write_bytecode = True
from echo_node import answer, messages  # noqa: E402

mode, after = sys.argv[1], int(sys.argv[2])
if mode == "wait":
    with open(sys.argv[3], "w") as f:
        f.write(str(os.getpid()))
count = 0
for msg in messages():
    if answer(msg):
        count += 1
    if mode != "wait" and count == after:
        for i in range(40):
            print(f"stderr line {i}", file=sys.stderr)
        sys.stderr.flush()
        print("last words on stdout", flush=True)
        if mode == "exit":
            sys.exit(3)
        os.kill(os.getpid(), signal.SIGSEGV)
