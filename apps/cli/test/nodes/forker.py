#!/usr/bin/env python3
# An echo node that forks a child which ignores SIGTERM and records its pid.
import json, os, signal, sys, time

pid_file = sys.argv[1]
child = os.fork()
if child == 0:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        time.sleep(0.05)
with open(pid_file, 'w') as f:
    f.write(str(child))
signal.signal(signal.SIGTERM, signal.SIG_IGN)
for line in sys.stdin:
    msg = json.loads(line)
    body = msg['body']
    if body['type'] == 'init':
        reply = {'type': 'init_ok'}
    elif body['type'] == 'echo':
        reply = {'type': 'echo_ok', 'echo': body['echo']}
    else:
        continue
    reply['in_reply_to'] = body['msg_id']
    print(json.dumps({'src': msg['dest'], 'dest': msg['src'], 'body': reply}), flush=True)
