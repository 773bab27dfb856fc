/**
 * Workload plugins (`-w ./file.js`, `-w package-name`): loaded by path and from node_modules, with
 * `check` / `checker` and `final` / `finalPhase`, and a clear error (exit 254, before any node
 * starts) for each way loading can fail.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { example, gyre, repo } from './helpers';

const dist = (pkg: string) => pathToFileURL(join(repo, 'packages', pkg, 'dist/index.js')).href;
const queueWorkload = join(repo, 'examples/dist/guide/09-plugins/queue-workload.js');
const queueNode = join(repo, 'examples/dist/guide/09-plugins/queue.js');

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'gyre-plugin-project-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'someone-elses-project', private: true, type: 'module' }));
  // An installed package: the guide's queue workload, published as `gyre-queue-workload`.
  const pkg = join(project, 'node_modules', 'gyre-queue-workload');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'gyre-queue-workload', version: '1.0.0', type: 'module', exports: './index.js' }));
  copyFileSync(queueWorkload, join(pkg, 'index.js'));
  // A plugin in plain JavaScript that names its checker `checker` and its final phase `finalPhase`.
  writeFileSync(
    join(project, 'echo-final.mjs'),
    `import { once } from ${JSON.stringify(dist('generator'))};
import { WORKLOAD_RPCS } from ${JSON.stringify(dist('protocol'))};
import { defineWorkload } from ${JSON.stringify(dist('workloads'))};
const [echo] = WORKLOAD_RPCS.echo;
let n = 0;
export default defineWorkload({
  name: 'echo-final',
  doc: 'Echo, then one last echo after the recovery wait.',
  rpcs: [echo],
  generator: () => () => ({ f: 'echo', value: 'main ' + n++ }),
  finalPhase: () => once({ f: 'echo', value: 'final' }),
  client: {
    async invoke(op, conn) {
      const reply = await conn.call(echo, { echo: op.value });
      return { type: reply.echo === op.value ? 'ok' : 'fail', value: reply.echo };
    },
  },
  checker: (history) => {
    const ok = history.filter((o) => o.type === 'ok');
    return { 'valid?': ok.some((o) => o.value === 'final') && ok.every((o) => o.f === 'echo'), 'ok-count': ok.length, 'final-ok': ok.filter((o) => o.value === 'final').length };
  },
});
`,
  );
  writeFileSync(join(project, 'throws.mjs'), `throw new Error('the plugin broke while loading');\n`);
  writeFileSync(join(project, 'no-default.mjs'), `export const something = 1;\n`);
  writeFileSync(join(project, 'no-client.mjs'), `export default { name: 'half', doc: '', rpcs: [], generator: () => null, check: () => ({ 'valid?': true }) };\n`);
});

describe('workload plugins', () => {
  it('loads an installed package by name, resolved from the current directory', async () => {
    const r = await gyre(['test', '-w', 'gyre-queue-workload', '--bin', queueNode, '--node-count', '1', '--time-limit', '3', '--rate', '20'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    expect((r.results()['workload'] as Record<string, unknown>)['op-count']).toBeGreaterThan(10);
  });

  it('loads a plain JavaScript file by path, with the deprecated checker, finalPhase and a result in the old shape, and runs the final phase after the recovery wait', async () => {
    const r = await gyre(['test', '-w', './echo-final.mjs', '--bin', example('echo'), '--node-count', '1', '--time-limit', '2', '--rate', '10', '--recovery-time', '0'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr + r.stdout).toMatch(/Waiting for recovery/);
    // A checker that returns { 'valid?': ... } still works, written as it was, with a deprecation warning.
    const w = r.results()['workload'] as Record<string, unknown>;
    expect(Object.keys(w)).toEqual(['valid?', 'ok-count', 'final-ok']);
    expect(w['valid?']).toBe(true);
    expect(w['final-ok']).toBe(1);
    expect(w['ok-count']).toBeGreaterThan(5);
    expect(r.stderr).toMatch(/DeprecationWarning: a workload checker returned \{ 'valid\?': \.\.\. \}/);
  });

  it.each([
    ['./missing.mjs', /Workload plugin \.\/missing\.mjs: no such file \(looked for .*missing\.mjs\)/],
    ['no-such-workload-package', /Unknown workload "no-such-workload-package"\. Expected one of: .*broadcast.*; or a plugin/],
    ['./throws.mjs', /Workload plugin \.\/throws\.mjs could not be loaded: the plugin broke while loading/],
    ['./no-default.mjs', /must export a workload as its default export/],
    ['./no-client.mjs', /Workload plugin \.\/no-client\.mjs: Invalid workload definition "half": "client\.invoke" must be a function/],
  ])('-w %s: a clear error, exit 254, no node started', async (w, message) => {
    const r = await gyre(['test', '-w', w, '--bin', example('echo'), '--node-count', '1', '--time-limit', '1'], { cwd: project });
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/Running .* test with seed/);
  });
});
