// Enforces DEVELOPERS.md's import table: each package imports only what it may.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './pnpm.mjs';

const allowed = {
  history: [],
  checker: ['history'],
  generator: ['history'],
  protocol: ['history', 'zod'],
  net: ['protocol', 'history'],
  nemesis: ['history', 'generator'],
  services: ['protocol', 'history'],
  workloads: ['history', 'protocol', 'generator', 'checker'],
  node: ['protocol', 'history'],
  report: ['history', 'checker'],
  sim: ['history', 'checker', 'generator', 'protocol', 'net', 'nemesis', 'services', 'workloads', 'runner', 'node', 'report', 'tsx', 'esbuild'],
};
const pure = new Set(['history', 'checker', 'generator']);

function* files(dir) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.ts$/.test(e) && !/\.test\.ts$/.test(e)) yield p;
  }
}

const problems = [];
for (const [pkg, may] of Object.entries(allowed)) {
  const src = join(root, 'packages', pkg, 'src');
  if (!existsSync(src)) continue;
  for (const f of files(src)) {
    const text = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const specs = [
      ...[...text.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]),
      ...[...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]),
      ...[...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]),
    ];
    for (const spec of specs) {
      if (spec.startsWith('.')) continue;
      const rel = f.slice(root.length + 1);
      if (spec.startsWith('node:') || ['fs', 'path', 'child_process', 'os', 'crypto'].includes(spec)) {
        if (pure.has(pkg)) problems.push(`${rel}: imports ${spec}, but ${pkg} must not do I/O`);
        continue;
      }
      const name = spec.startsWith('@gyre/') ? spec.slice(6).split('/')[0] : spec.split('/')[0];
      if (!may.includes(name)) problems.push(`${rel}: imports ${spec}; ${pkg} may import only ${may.join(', ') || 'nothing'}`);
    }
  }
}
if (problems.length) {
  console.error('Package boundary violations (see DEVELOPERS.md):\n' + problems.map((p) => '  ' + p).join('\n'));
  process.exit(1);
}
console.log('package boundaries: ok');
