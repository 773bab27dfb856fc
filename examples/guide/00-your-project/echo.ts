#!/usr/bin/env node
/**
 * The echo node, in a project of your own (chapter 0). The first line makes the compiled file,
 * dist/echo.js, executable by itself; tsx ignores it.
 */
import { createNode } from '@gyre/node';

const node = createNode();

node.on('echo', (req) => ({ type: 'echo_ok', echo: req.body.echo }));

await node.run();
