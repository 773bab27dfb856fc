import { describe, expect, it } from 'vitest';
import { parseEdn, parseEdnAll } from './edn';
import { parseHistoryJsonl } from './format';
import { parseJepsenLog } from './jepsen-log';
import { parseJson } from './json';
import { escapeControls, quoteInput, showInput } from './quote';

/** Any character a terminal might act on, other than the newline between lines. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = 'a\u001b[2J\u001b]0;pwned\u0007b\u009b31m\u202eevil\u2066\r\n\t\u0000\u007f';

describe('escapeControls and quoteInput', () => {
  it('escape every control character as JSON does, and nothing else', () => {
    expect(escapeControls(HOSTILE)).toBe('a\\u001b[2J\\u001b]0;pwned\\u0007b\\u009b31m\\u202eevil\\u2066\\r\\n\\t\\u0000\\u007f');
    expect(escapeControls('plain "text" with \\ and é, 😀, 中文')).toBe('plain "text" with \\ and é, 😀, 中文');
    expect(quoteInput(HOSTILE)).toBe(JSON.stringify(HOSTILE).replace(/\u009b/, '\\u009b').replace(/\u202e/, '\\u202e').replace(/\u2066/, '\\u2066').replace(/\u007f/, '\\u007f'));
    expect(JSON.parse(quoteInput(HOSTILE))).toBe(HOSTILE);
  });

  it('cut long input, saying how long it was', () => {
    expect(quoteInput('x'.repeat(300))).toBe(`"${'x'.repeat(200)}"… (300 characters)`);
    expect(quoteInput('\u001b'.repeat(5), 2)).toBe('"\\u001b\\u001b"… (5 characters)');
    expect(showInput('a"\u001b' + 'x'.repeat(200), 5)).toBe('a"\\u001bxx…');
  });

  it('the readers quote bad input escaped in their errors', () => {
    const errors: string[] = [];
    const attempt = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        errors.push((e as Error).message);
      }
    };
    attempt(() => parseJson('[1, \u009b31m]'));
    attempt(() => parseEdn('[1 \u001b[2J]'));
    attempt(() => parseEdn('12\u001b[2J'));
    attempt(() => parseEdn('\\ab\u001b'));
    attempt(() => parseEdnAll('{:a 1}\n{:a 2 \u0007'));
    attempt(() => parseHistoryJsonl('{"type":"ok","f":"\u001b[2J"}\n{"type":"nope\u009b"}'));
    attempt(() => parseJepsenLog('INFO  jepsen.util - 3\t:invoke\t:read\t[1 \u001b[2J'));
    expect(errors).toHaveLength(7);
    for (const m of errors) expect(m, JSON.stringify(m)).not.toMatch(RAW_CONTROL);
  });
});
