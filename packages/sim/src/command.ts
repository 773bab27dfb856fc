/**
 * The command line that reproduces a simulated run.
 */
import { defaultWorkloadOptions } from '@gyre/workloads';
import type { SimSpec } from './spec';

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** `gyre sim -w … --node … --seed …` with every option that differs from `gyre test`'s defaults. */
export function simCommandLine(spec: SimSpec, seed: string): string {
  const o = spec.options;
  const d = defaultWorkloadOptions();
  const args = ['gyre', 'sim', '-w', spec.workload, '--node', spec.node, '--seed', seed];
  const nodesDefault = o.nodes.every((n, i) => n === `n${i}`);
  args.push(...(nodesDefault ? ['--node-count', String(o.nodes.length)] : ['--nodes', o.nodes.join(',')]));
  args.push('--concurrency', String(o.concurrency), '--rate', String(o.rate), '--time-limit', String(o.timeLimit));
  if (o.latency !== d.latency) args.push('--latency', String(o.latency));
  if (spec.latencyDist !== 'constant') args.push('--latency-dist', spec.latencyDist);
  if (o.nemesis.length) args.push('--nemesis', o.nemesis.join(','), '--nemesis-interval', String(spec.nemesisInterval));
  if (spec.nemesisTargets && spec.nemesisTargets.join(',') !== 'one,minority,majority,all') args.push('--nemesis-targets', spec.nemesisTargets.join(','));
  if (spec.recoveryTime !== 10) args.push('--recovery-time', String(spec.recoveryTime));
  if (o.topology !== d.topology) args.push('--topology', o.topology);
  if (o.keyCount !== d.keyCount) args.push('--key-count', String(o.keyCount));
  if (o.maxTxnLength !== d.maxTxnLength) args.push('--max-txn-length', String(o.maxTxnLength));
  if (o.maxWritesPerKey !== d.maxWritesPerKey) args.push('--max-writes-per-key', String(o.maxWritesPerKey));
  if (o.availability !== d.availability) args.push('--availability', String(o.availability));
  if (o.consistencyModels.join(',') !== d.consistencyModels.join(',')) args.push('--consistency-models', o.consistencyModels.join(','));
  if (spec.maxOps !== undefined) args.push('--max-ops', String(spec.maxOps));
  if (spec.maxLineBytes !== undefined) args.push('--max-line-mib', String(spec.maxLineBytes / (1024 * 1024)));
  if (spec.nodeArgs.length) args.push('--', ...spec.nodeArgs);
  return args.map(quote).join(' ');
}
