/**
 * scripts/check-boundaries.mjs (DEVELOPERS.md's import rules, run by `npm test`): it passes on
 * this repository, and on a small made-up workspace it names each broken rule with the file, the
 * line and the import.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBoundaries } from '../../scripts/check-boundaries.mjs';
import { root } from '../../scripts/guide.mjs';

const fake = mkdtempSync(join(tmpdir(), 'gyre-boundaries-'));
afterAll(() => rmSync(fake, { recursive: true, force: true }));

function put(path: string, text: string): void {
  mkdirSync(dirname(join(fake, path)), { recursive: true });
  writeFileSync(join(fake, path), text);
}

describe('the package boundary check', () => {
  it('passes on this repository, every package and app included', () => {
    const { workspace, problems } = checkBoundaries(root);
    expect(problems).toEqual([]);
    expect(workspace).toEqual(expect.arrayContaining(['packages/checker', 'packages/report', 'packages/runner', 'packages/sim', 'apps/cli', 'examples']));
  });

  it('names the file, the line, the import and the rule of each violation', () => {
    const manifest = (exports: Record<string, string>) =>
      JSON.stringify({ exports: Object.fromEntries(Object.entries(exports).map(([k, v]) => [k, { '@gyre/source': v, default: v }])) });
    put('packages/history/package.json', manifest({ '.': './src/index.ts' }));
    put('packages/history/src/index.ts', "// import 'node:fs' in a comment is fine\nconst text = \"import 'node:fs'; Buffer\";\n");
    put('packages/checker/package.json', manifest({ '.': './src/index.ts' }));
    put('packages/checker/src/index.ts', "import { z } from 'zod';\nexport { readFileSync } from 'fs';\nexport * from '@gyre/history';\n");
    put('packages/checker/src/index.test.ts', "import { readFileSync } from 'node:fs';\n");
    put('packages/report/package.json', manifest({ '.': './src/index.ts', './node': './src/node.ts' }));
    put('packages/report/src/index.ts', "export { draw } from './draw';\n");
    put('packages/report/src/draw.ts', "import type { Writable } from 'node:stream';\n\nexport const draw = (s: string) => Buffer.from(s).toString('base64');\n");
    put('packages/report/src/node.ts', "import { writeFile } from 'node:fs/promises';\nexport const b: Buffer = Buffer.alloc(1);\n");
    put('packages/runner/package.json', manifest({ '.': './src/index.ts' }));
    put('packages/runner/src/index.ts', "import { spawn } from 'node:child_process';\nimport { runSim } from '@gyre/sim';\n");
    put('apps/cli/package.json', manifest({ '.': './src/cli.ts' }));
    put('apps/cli/src/cli.ts', "import { runSim } from '@gyre/sim';\nconst m = await import('left-pad');\n");
    put('packages/newcomer/package.json', '{}');

    expect(checkBoundaries(fake).problems.sort()).toEqual(
      [
        "apps/cli/src/cli.ts:2: imports 'left-pad', but apps/cli may import only any @gyre package (DEVELOPERS.md's package table)",
        "packages/checker/src/index.ts:1: imports 'zod', but @gyre/checker is pure: no zod (DEVELOPERS.md)",
        "packages/checker/src/index.ts:2: imports 'fs', but @gyre/checker is pure: no Node built-ins (DEVELOPERS.md)",
        "packages/newcomer: has no row in scripts/check-boundaries.mjs; add its row of DEVELOPERS.md's package table there",
        "packages/report/src/draw.ts:1: imports 'node:stream', but @gyre/report's '.' entry is pure: no Node built-ins (DEVELOPERS.md)",
        "packages/report/src/draw.ts:3: uses 'Buffer', but @gyre/report's '.' entry is pure: use Uint8Array (DEVELOPERS.md)",
        "packages/runner/src/index.ts:2: imports '@gyre/sim', but packages/runner may import only history, checker, generator, protocol, net, nemesis, services, workloads (DEVELOPERS.md's package table)",
      ].sort(),
    );
  });
});
