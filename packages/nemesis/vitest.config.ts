import { project } from '../../scripts/vitest.shared.ts';

export default project('nemesis');
