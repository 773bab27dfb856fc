import { valueKey } from '@gyre/history';

/** Murmur3's 32-bit finaliser: a bijective mix of a 32-bit integer. */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x | 0;
}

/** The i-th pseudo-random 32-bit word of a fixed stream (Zobrist keys); deterministic. */
export function zobrist(i: number, salt: number): number {
  return fmix32((Math.imul(i + 1, 0x9e3779b9) ^ salt) + 0x632be59b);
}

/** FNV-1a over UTF-16 code units, finalised. */
export function hashString(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return fmix32(h);
}

/** Default state hash, consistent with `valuesEqual`. */
export function hashValue(v: unknown): number {
  if (v === null || v === undefined) return 0x5bd1e995;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return fmix32((v | 0) ^ Math.imul((v / 4294967296) | 0, 0x27d4eb2d));
  if (typeof v === 'bigint' && v >= -9007199254740991n && v <= 9007199254740991n) return hashValue(Number(v));
  if (typeof v === 'string') return hashString(v) ^ 0x1b873593;
  return hashString(valueKey(v));
}
