/**
 * examples/nodes/echo-wrong.ts, for `gyre sim`, spoiling the report of the run it is recorded in:
 * when its directory is in a run directory (`RUN/node-dirs/NODE`, with `--keep-node-dirs`), it puts
 * a directory where report.html goes, so that the report pages cannot be written. The seeds of a
 * sweep, whose node directories are temporary, run as echo-wrong does.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { echoWrongNode } from '../../../../examples/nodes/echo-wrong';

type Node = NonNullable<Parameters<typeof echoWrongNode>[0]>;

export default (node: Node): void => {
  const run = join(node.dir, '..', '..');
  if (existsSync(join(run, 'test.json'))) mkdirSync(join(run, 'report.html'), { recursive: true });
  echoWrongNode(node);
};
