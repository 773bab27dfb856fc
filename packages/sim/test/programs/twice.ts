import { createNode } from '@gyre/node';

createNode();
createNode();
