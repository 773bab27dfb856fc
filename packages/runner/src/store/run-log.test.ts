import { describe, expect, it } from 'vitest';
import { formatRunLogLine, type RunLogEntry } from './run-log';

const entry: RunLogEntry = { time: '2026-12-07 14:02:33,321', level: 'INFO', thread: 'worker 0', message: '0\t:invoke\t:echo\t"Please echo 35"' };

describe('formatRunLogLine', () => {
  it('text: Jepsen\'s columns, time, level, [thread] message', () => {
    expect(formatRunLogLine(entry, 'text')).toBe('2026-12-07 14:02:33,321\tINFO\t[worker 0] 0\t:invoke\t:echo\t"Please echo 35"\n');
  });

  it('json: one object per line with time, level, thread and message, the same information as the text line', () => {
    const line = formatRunLogLine(entry, 'json');
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(entry);
    expect(Object.keys(JSON.parse(line))).toEqual(['time', 'level', 'thread', 'message']);
  });

  it('json: a multi-line message (a stack trace) stays on one line, whole', () => {
    const stack = { ...entry, level: 'ERROR', thread: 'gyre', message: 'Error: a bug in a timer\n    at Timeout._onTimeout (file.ts:1:2)' } as const;
    const line = formatRunLogLine(stack, 'json');
    expect(line.split('\n')).toHaveLength(2);
    expect(JSON.parse(line).message).toBe(stack.message);
    // The text form runs on over the following lines, as Jepsen's does.
    expect(formatRunLogLine(stack, 'text')).toBe('2026-12-07 14:02:33,321\tERROR\t[gyre] Error: a bug in a timer\n    at Timeout._onTimeout (file.ts:1:2)\n');
  });

  it('json: quotes, control characters and lone surrogates come back as written', () => {
    const odd = { ...entry, thread: 'gyre', message: 'a "quoted" \\ tab\t, bell\u0007, lone \ud800 end' };
    expect(JSON.parse(formatRunLogLine(odd, 'json'))).toEqual(odd);
  });
});
