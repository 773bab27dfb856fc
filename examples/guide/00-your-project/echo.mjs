#!/usr/bin/env node
// Runs echo.ts with tsx, as `node --import tsx echo.ts` would, except that tsx and echo.ts are found
// from this file's directory, not from the working directory (which Gyre sets to the node's own).
import 'tsx';

await import('./echo.ts');
