#!/usr/bin/env python3
"""An echo node for Gyre's verdict tests (apps/cli/test/verdicts.test.ts).

Usage: verdicts.py MODE [N]

MODE is one of:
- `hang-after`: answers init and the first N echoes, then reads and ignores everything (the
  operations after that stay in flight until their clients time out);
- `stdout-log`: before answering each echo, prints a log line to STDOUT by mistake
  ("got echo ..."), the commonest beginner's bug;
- `stderr-flood`: after init, writes N KiB of log lines to STDERR, then answers echoes.

It exits when its STDIN closes.
"""
import sys

sys.dont_write_bytecode = True
from echo_node import answer, messages  # noqa: E402

mode = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 0
echoes = 0
for msg in messages():
    body = msg["body"]
    if body["type"] == "init":
        answer(msg)
        if mode == "stderr-flood":
            chunk = ("a log line that fills the disk " * 32 + "\n") * 1024  # about 1 MiB
            for _ in range(max(1, n // 1024)):
                try:
                    sys.stderr.write(chunk)
                    sys.stderr.flush()
                except BrokenPipeError:
                    break
        continue
    if body["type"] != "echo":
        continue
    echoes += 1
    if mode == "hang-after" and echoes > n:
        continue
    if mode == "stdout-log":
        print(f"got echo {body['echo']}", flush=True)
    answer(msg)
