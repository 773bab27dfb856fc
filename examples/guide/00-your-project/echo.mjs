#!/usr/bin/env node
// Runs echo.ts through tsx. Both are found from this file's own directory, not from the working
// directory, which Gyre sets to the node's own (a fresh one per node, outside your project).
import { register } from 'tsx/esm/api';

register();
await import('./echo.ts');
