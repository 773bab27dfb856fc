import { JsonFloat, parseJson } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { clojureStr, javaDouble, prStr } from './clojure';

describe('prStr (Clojure pr-str of decoded JSON)', () => {
  it('prints scalars as Clojure does', () => {
    expect(prStr(null)).toBe('nil');
    expect(prStr(true)).toBe('true');
    expect(prStr(42)).toBe('42');
    expect(prStr(-7)).toBe('-7');
    expect(prStr('a "b" \\ \n\t\r')).toBe('"a \\"b\\" \\\\ \\n\\t\\r"');
    expect(prStr('é ☃')).toBe('"é ☃"');
  });

  it('prints integers beyond a long as BigInteger (suffix BIGINT) and longs plainly', () => {
    expect(prStr(9007199254740993n)).toBe('9007199254740993');
    expect(prStr(2n ** 63n - 1n)).toBe('9223372036854775807');
    expect(prStr(-(2n ** 63n))).toBe('-9223372036854775808');
    expect(prStr(2n ** 63n)).toBe('9223372036854775808BIGINT');
    expect(prStr(-(2n ** 63n) - 1n)).toBe('-9223372036854775809BIGINT');
  });

  it('prints floats with Double.toString', () => {
    expect(prStr(new JsonFloat(1))).toBe('1.0');
    expect(prStr(parseJson('2.50'))).toBe('2.5');
    expect(javaDouble(0.001)).toBe('0.001');
    expect(javaDouble(0.0001)).toBe('1.0E-4');
    expect(javaDouble(1234567.5)).toBe('1234567.5');
    expect(javaDouble(1e7)).toBe('1.0E7');
    expect(javaDouble(12345678.9)).toBe('1.23456789E7');
    expect(javaDouble(-1.5e-10)).toBe('-1.5E-10');
    expect(javaDouble(1e21)).toBe('1.0E21');
    expect(javaDouble(100)).toBe('100.0');
    expect(javaDouble(0)).toBe('0.0');
    expect(javaDouble(-0)).toBe('-0.0');
    expect(javaDouble(0.1 + 0.2)).toBe('0.30000000000000004');
  });

  it('prints vectors with spaces and maps (string keys) with commas', () => {
    expect(prStr(parseJson('[1, "a", null, [true], {}]'))).toBe('[1 "a" nil [true] {}]');
    expect(prStr(parseJson('{"a": 1, "b": [2.0]}'))).toBe('{"a" 1, "b" [2.0]}');
    expect(prStr([])).toBe('[]');
  });
});

describe('clojureStr (Clojure str)', () => {
  it('prints strings bare, nil as nothing, big integers without suffix, collections as pr-str', () => {
    expect(clojureStr('abc')).toBe('abc');
    expect(clojureStr(null)).toBe('');
    expect(clojureStr(5)).toBe('5');
    expect(clojureStr(new JsonFloat(5))).toBe('5.0');
    expect(clojureStr(2n ** 70n)).toBe('1180591620717411303424');
    expect(clojureStr(['x', null])).toBe('["x" nil]');
  });
});
