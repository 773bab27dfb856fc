import { project } from '../../scripts/vitest.shared.ts';

export default project('sim', { testTimeout: 120_000 });
