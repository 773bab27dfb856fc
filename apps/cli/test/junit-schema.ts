/**
 * For tests of JUnit reports: validation against the common JUnit schema (fixtures/junit-common.xsd)
 * with libxml2 (xmllint compiled to WebAssembly), and parsing with junit2json, a JUnit parser of
 * the kind CI systems use (on xml2js).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'junit2json';
import { validateXML } from 'xmllint-wasm';

const XSD = readFileSync(join(import.meta.dirname, 'fixtures/junit-common.xsd'), 'utf8');

/** Validates a JUnit document against the common schema; the errors are libxml2's messages. */
export async function validateJUnit(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const r = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: XSD }], maxMemoryPages: 16384 });
  return { valid: r.valid, errors: r.errors.map((e) => e.rawMessage) };
}

/** A parsed JUnit document, as junit2json gives it. */
export interface ParsedJUnit {
  testsuite: {
    name: string;
    tests: number;
    failures: number;
    errors: number;
    time: number;
    timestamp: string;
    properties: { name: string; value: string }[];
    testcase: { name: string; classname: string; time: number; failure?: { type: string; message: string; inner: string }[] }[];
    'system-out': string[];
  }[];
}

/** Parses a JUnit document with junit2json. */
export async function parseJUnit(xml: string): Promise<ParsedJUnit> {
  return (await parse(xml)) as unknown as ParsedJUnit;
}
