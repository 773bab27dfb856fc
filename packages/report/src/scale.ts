/**
 * Scales and ticks for the SVG plots: linear and logarithmic, with "nice" tick values.
 */

/** Maps a data value to a pixel coordinate. */
export interface Scale {
  (v: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  /** Tick values with labels, in data units. */
  ticks(): { value: number; label: string; major: boolean }[];
}

/** A step of 1, 2 or 5 times a power of ten, at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function label(v: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const s = v.toFixed(Math.min(decimals, 6));
  return s === '-0' ? '0' : s;
}

/** A linear scale whose domain is widened to whole ticks (`count` ticks, roughly). */
export function linearScale(domain: [number, number], range: [number, number], count = 6): Scale {
  let [d0, d1] = domain;
  if (!Number.isFinite(d0) || !Number.isFinite(d1)) [d0, d1] = [0, 1];
  if (d1 <= d0) d1 = d0 + 1;
  const step = niceStep((d1 - d0) / count);
  d0 = Math.floor(d0 / step + 1e-9) * step;
  d1 = Math.ceil(d1 / step - 1e-9) * step;
  const [r0, r1] = range;
  const f = ((v: number) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0)) as Scale;
  Object.assign(f, {
    domain: [d0, d1] as const,
    range: [r0, r1] as const,
    ticks() {
      const out: { value: number; label: string; major: boolean }[] = [];
      for (let i = 0, v = d0; v <= d1 + step / 2 && i < 1000; i++, v = d0 + i * step) {
        out.push({ value: v, label: label(v, step), major: true });
      }
      return out;
    },
  });
  return f;
}

/** A base-10 logarithmic scale over whole decades containing the domain (values clamp at its floor). */
export function logScale(domain: [number, number], range: [number, number]): Scale {
  let [d0, d1] = domain;
  if (!(d0 > 0) || !Number.isFinite(d0)) d0 = 1;
  if (!(d1 > 0) || !Number.isFinite(d1) || d1 <= d0) d1 = d0 * 10;
  const e0 = Math.floor(Math.log10(d0) + 1e-9);
  const e1 = Math.max(e0 + 1, Math.ceil(Math.log10(d1) - 1e-9));
  const [r0, r1] = range;
  const f = ((v: number) => {
    const l = Math.log10(Math.max(v, Math.pow(10, e0)));
    return r0 + ((l - e0) / (e1 - e0)) * (r1 - r0);
  }) as Scale;
  Object.assign(f, {
    domain: [Math.pow(10, e0), Math.pow(10, e1)] as const,
    range: [r0, r1] as const,
    ticks() {
      const out: { value: number; label: string; major: boolean }[] = [];
      const few = e1 - e0 <= 3;
      for (let e = e0; e <= e1; e++) {
        const p = Math.pow(10, e);
        out.push({ value: p, label: logLabel(p), major: true });
        if (e === e1) break;
        for (const m of [2, 5]) out.push({ value: m * p, label: few ? logLabel(m * p) : '', major: false });
      }
      return out;
    },
  });
  return f;
}

function logLabel(v: number): string {
  if (v >= 1e6 || v < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}
