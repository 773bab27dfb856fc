import { project } from '../scripts/vitest.shared.ts';

export default project('examples', { include: ['test/**/*.test.ts'] });
