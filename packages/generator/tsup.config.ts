import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/tsup.shared.ts';

// Two entries (`.` and `./testing`) share the interpreter core: split it into a common chunk so
// that `VirtualClock` is one class whichever entry it is imported from.
export default defineConfig(packageConfig(import.meta.dirname, { splitting: true }));
