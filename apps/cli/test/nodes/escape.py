#!/usr/bin/env python3
"""An echo node that leaves processes behind, for Gyre's cleanup tests.

Usage: escape.py MODES PIDFILE

MODES, comma-separated:
  setsid       double-forks a grandchild into its own session (out of the process group)
               that ignores SIGTERM and runs forever
  ignore-term  the node itself ignores SIGTERM, and so does a forked child
  stopped      forks a child that stops itself with SIGSTOP
  self-stop    the node stops itself with SIGSTOP after answering 5 echoes
  wrapper-exit the node forks, and the parent exits at once with code 0 (a wrapper script
               that started the real node in the background); the child answers
  clearenv     like setsid, but the grandchild then replaces itself with a program started with
               an empty environment (so without Gyre's marker)
  daemon       like clearenv, and the grandchild also moves to / first (a classic daemon)
  write-file   writes hello.txt in the node's working directory
Every process started, and the node itself, appends its pid to PIDFILE, one per line.
"""
import os
import signal
import sys
import time

sys.dont_write_bytecode = True
from echo_node import answer, messages  # noqa: E402

modes = sys.argv[1].split(",")
pid_file = sys.argv[2]


def record(pid):
    with open(pid_file, "a") as f:
        f.write(f"{pid}\n")


def forever():
    while True:
        time.sleep(0.05)


record(os.getpid())
if "setsid" in modes:
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            record(os.getpid())
            forever()
        os._exit(0)
for mode in ("clearenv", "daemon"):
    if mode in modes:
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                if mode == "daemon":
                    os.chdir("/")
                record(os.getpid())
                loop = "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True: time.sleep(0.05)"
                os.execve(sys.executable, [sys.executable, "-c", loop], {})
            os._exit(0)
if "write-file" in modes:
    with open("hello.txt", "w") as f:
        f.write("hello from the node\n")
if "ignore-term" in modes:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if os.fork() == 0:
        record(os.getpid())
        forever()
if "stopped" in modes:
    if os.fork() == 0:
        record(os.getpid())
        os.kill(os.getpid(), signal.SIGSTOP)
        forever()
if "wrapper-exit" in modes:
    if os.fork() != 0:
        os._exit(0)
    record(os.getpid())

count = 0
for msg in messages():
    if answer(msg):
        count += 1
    if "self-stop" in modes and count == 5:
        os.kill(os.getpid(), signal.SIGSTOP)
