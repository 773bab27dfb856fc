/**
 * Human-readable descriptions of RPC schemas, and the Markdown that `gyre doc` writes, generated
 * from the schemas themselves so the documentation cannot drift from the code.
 */
import type { z } from 'zod';
import { Int } from './envelope';
import { ERRORS } from './errors';
import { Any, Num, type RpcDef } from './rpc';

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  items?: z.ZodType[];
  valueType?: z.ZodType;
  keyType?: z.ZodType;
  values?: unknown[];
  shape?: Record<string, z.ZodType>;
}

/** Describes a schema in Maelstrom's notation: `Int`, `Any`, `[Any]`, `{String Int}`, `["r" Any [Any]]`. */
export function describeSchema(s: z.ZodType): string {
  if (s === (Int as unknown)) return 'Int';
  if (s === (Any as unknown)) return 'Any';
  if (s === (Num as unknown)) return 'Number';
  const def = (s as unknown as { _zod: { def: Def } })._zod.def;
  switch (def.type) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'number':
      return 'Number';
    case 'bigint':
      return 'Int';
    case 'nullable':
      return def.innerType && (def.innerType as unknown as { _zod: { def: Def } })._zod.def.type === 'array'
        ? describeSchema(def.innerType)
        : `${describeSchema(def.innerType!)} | null`;
    case 'optional':
      return describeSchema(def.innerType!);
    case 'array':
      return `[${describeSchema(def.element!)}]`;
    case 'tuple':
      return `[${def.items!.map(describeSchema).join(' ')}]`;
    case 'record':
      return `{${describeSchema(def.keyType!)} ${describeSchema(def.valueType!)}}`;
    case 'union':
      return def.options!.map(describeSchema).join(' | ');
    case 'literal':
      return def.values!.map((v) => JSON.stringify(v)).join(' | ');
    case 'object':
      return `{${Object.entries(def.shape!).map(([k, v]) => `${k} ${describeSchema(v)}`).join(', ')}}`;
    default:
      return 'Any';
  }
}

function isOptional(s: z.ZodType): boolean {
  return (s as unknown as { _zod: { def: Def } })._zod.def.type === 'optional';
}

function fields(shape: Record<string, z.ZodType>, reserved: string[]): string {
  const rows = [...reserved.map((r) => `  ${r}`), ...Object.entries(shape).map(([k, v]) => `  "${k}": ${describeSchema(v)}${isOptional(v) ? '   (optional)' : ''}`)];
  return rows.join(',\n');
}

/** One RPC as a Markdown section. */
export function rpcMarkdown(rpc: RpcDef, level = '###'): string {
  return [
    `${level} RPC: ${rpc.name}`,
    '',
    rpc.doc,
    '',
    'Request:',
    '',
    '```',
    `{\n${fields(rpc.requestFields, [`"type": "${rpc.name}"`, '"msg_id": Int'])}\n}`,
    '```',
    '',
    'Response:',
    '',
    '```',
    `{\n${fields(rpc.responseFields, [`"type": "${rpc.name}_ok"`, '"in_reply_to": Int', '"msg_id": Int   (optional)'])}\n}`,
    '```',
    '',
    'Responses are checked against this schema exactly: a missing field, a field of the wrong type, or any field not listed makes the response malformed (the operation is then recorded as indeterminate).',
    '',
  ].join('\n');
}

/** The error table as Markdown. */
export function errorsMarkdown(): string {
  const rows = Object.entries(ERRORS).map(([name, e]) => `| ${e.code} | ${name} | ${e.definite ? 'yes' : 'no'} | ${e.doc} |`);
  return ['| code | name | definite | meaning |', '|---:|---|:---:|---|', ...rows].join('\n');
}
