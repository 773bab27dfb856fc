import { project } from '../../scripts/vitest.shared.ts';

export default project('cli', { testTimeout: 120_000 });
