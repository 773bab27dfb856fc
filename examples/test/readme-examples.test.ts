/**
 * The packages' README examples run. Each program under examples/readme/ is run as a reader runs
 * it, with Node and tsx (here on the workspace's TypeScript sources, through the `@gyre/source`
 * condition, so nothing needs building), and must print exactly its `.out.txt`. The READMEs show
 * both through include markers (scripts/guide.mjs), which guide-docs.test.ts keeps equal to the files.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseSpec, processGuide, root } from '../../scripts/guide.mjs';

const dir = join(root, 'examples/readme');
const programs = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('README examples', () => {
  it('cover history, protocol and workloads', () => {
    expect(programs).toEqual(expect.arrayContaining(['history.ts', 'protocol.ts', 'workloads.ts']));
  });

  it.each(programs)('%s prints what its README says', async (program) => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@gyre/source', '--import', 'tsx', join(dir, program)], { cwd: root, timeout: 120_000 });
    expect(stdout).toBe(readFileSync(join(dir, program.replace(/\.ts$/, '.out.txt')), 'utf8'));
  }, 150_000);

  it('are each shown in a README, with their output', () => {
    const included = new Set(processGuide().flatMap((r) => r.includes.map((s) => parseSpec(s).path)));
    for (const program of programs) {
      expect(included, program).toContain(`examples/readme/${program}`);
      expect(included, program).toContain(`examples/readme/${program.replace(/\.ts$/, '.out.txt')}`);
    }
  });
});
