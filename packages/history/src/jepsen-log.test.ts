import { describe, expect, it } from 'vitest';
import { HistoryFormatError } from './format';
import { ednToPlain, parseEdn } from './edn';
import { parseJepsenLog, parseJepsenLogLines, parseKvTrace } from './jepsen-log';

describe('parseJepsenLog', () => {
  const log = [
    '2014-11-27 12:00:00,000{GMT}\tINFO\t[jepsen node n1] jepsen.os: setting up',
    'INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]',
    'INFO  jepsen.util - 0   :invoke :read   nil',
    'INFO  jepsen.util - 0\t:ok\t:read\t2',
    'INFO  jepsen.util - 1\t:invoke\t:write\t4',
    'INFO  jepsen.util - 3\t:fail\t:cas\t[1 4]',
    'INFO  jepsen.util - 1\t:info\t:write\t:timed-out',
    'INFO  jepsen.util - 2\t:invoke\t:read\tnil',
    'INFO  jepsen.util - 2\t:fail\t:read\t:timed-out',
    'INFO  jepsen.util - 0\t:invoke\t:read\tnil',
    'INFO  jepsen.util - 0\t:ok\t:read\tnil',
    'some other line',
    '',
  ].join('\n');
  const ops = parseJepsenLog(log);

  it('reads every event line, tabs or spaces, and skips the noise', () => {
    expect(ops).toHaveLength(10);
    expect(ops.map((o) => o.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(ops[0]).toEqual({ index: 0, time: 0, type: 'invoke', process: 3, f: 'cas', value: [1, 4] });
    expect(ops[1]).toEqual({ index: 1, time: 0, type: 'invoke', process: 0, f: 'read', value: null });
    expect(ops[2]).toMatchObject({ type: 'ok', process: 0, f: 'read', value: 2 });
    expect(ops[9]).toMatchObject({ type: 'ok', f: 'read', value: null });
  });

  it('keeps fail and info, with the invocation value and the keyword as error', () => {
    expect(ops[4]).toMatchObject({ type: 'fail', f: 'cas', value: [1, 4] });
    expect(ops[5]).toEqual({ index: 5, time: 0, type: 'info', process: 1, f: 'write', value: 4, error: 'timed-out' });
    expect(ops[7]).toMatchObject({ type: 'fail', f: 'read', value: null, error: 'timed-out' });
  });

  it('reads an empty file as an empty history', () => {
    expect(parseJepsenLog('')).toEqual([]);
  });

  it('names the line of a bad value', () => {
    expect(() => parseJepsenLog('noise\nINFO  jepsen.util - 1\t:invoke\t:write\t[1 2')).toThrow(HistoryFormatError);
    expect(() => parseJepsenLog('noise\nINFO  jepsen.util - 1\t:invoke\t:write\t[1 2')).toThrow(/line 2/);
  });
});

describe('parseKvTrace', () => {
  it('reads EDN maps with a key', () => {
    const ops = parseKvTrace('{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}\n\n{:process 0, :type :ok, :f :get, :key "7", :value ""}\n');
    expect(ops).toEqual([
      { index: 0, time: 0, type: 'invoke', process: 0, f: 'append', key: '0', value: 'x 0 0 y' },
      { index: 1, time: 0, type: 'ok', process: 0, f: 'get', key: '7', value: '' },
    ]);
  });
  it('rejects an op without a string key', () => {
    expect(() => parseKvTrace('{:process 0, :type :invoke, :f :get, :value nil}')).toThrow(/no string :key/);
  });
});

describe('parseJepsenLogLines', () => {
  it('gives the line of each op, and in strict mode refuses a line that starts like an event but is not one', () => {
    const log = ['noise', 'INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]', '', 'INFO  jepsen.util - 3\t:ok\t:cas\t[1 4]', 'INFO  jepsen.util - 4\t:invoke\t:read'].join('\n');
    expect(parseJepsenLogLines(log).lines).toEqual([2, 4]);
    expect(() => parseJepsenLogLines(log, true)).toThrow(/^line 5: malformed log line \(expected PROCESS :TYPE :F VALUE\): INFO {2}jepsen\.util - 4\t:invoke\t:read$/);
  });

  it('reads every value as the EDN reader does, short cuts included', () => {
    const values = ['nil', '0', '-0', '7', '-12', '007', '123456789012345', '1234567890123456', '9007199254740993', '[1 4]', '[nil 3]', '[1,2]', '[1\t2]', '[1  2]', '[-0 5]', '[1 2 3]', '"str"', '1.5', '{:a 1}', '#{1 2}', '+5'];
    const log = values.map((v, i) => `INFO  jepsen.util - ${i}\t:invoke\t:write\t${v}`).join('\n');
    const ops = parseJepsenLog(log);
    expect(ops).toHaveLength(values.length);
    ops.forEach((op, i) => {
      const expected = ednToPlain(parseEdn(values[i]!));
      expect([values[i], op.value]).toEqual([values[i], expected]);
      if (typeof expected === 'number') expect(Object.is(op.value, expected)).toBe(true);
      if (Array.isArray(expected)) expect((op.value as unknown[]).every((x, j) => Object.is(x, expected[j]))).toBe(true);
    });
  });
});
