import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

/**
 * Per-package vitest project: tests run on TypeScript sources of every workspace package through
 * the `@gyre/source` export condition, so a unit test never needs a build.
 */
export function project(name: string, extra: { testTimeout?: number; include?: string[] } = {}) {
  const conditions = ['@gyre/source', 'module', 'node', 'import', 'default'];
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@gyre/source'] } },
    test: {
      name,
      include: extra.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: extra.testTimeout ?? 20_000,
      // Fixed fast-check seed under CI (see vitest.setup.ts).
      setupFiles: [fileURLToPath(new URL('./vitest.setup.ts', import.meta.url))],
      // Scratch directories go to one directory per run, removed at the end (vitest.tmpdir.ts).
      globalSetup: [fileURLToPath(new URL('./vitest.tmpdir.ts', import.meta.url))],
    },
  });
}
