/**
 * A read-only directory for tests: `chmod 555`, or for root (whom permissions do not stop) the
 * immutable attribute (`chattr +i`). Each success pushes its undoing onto `undo`, to run after
 * the test; false when neither can be done here (the test skips).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';

export function makeReadOnly(dir: string, undo: (() => void)[]): boolean {
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o555);
    undo.push(() => chmodSync(dir, 0o755));
    return true;
  }
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
  } catch {
    return false;
  }
  undo.push(() => execFileSync('chattr', ['-i', dir]));
  return true;
}
