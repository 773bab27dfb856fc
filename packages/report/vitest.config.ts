import { project } from '../../scripts/vitest.shared.ts';

export default project('report', { testTimeout: 120_000 });
