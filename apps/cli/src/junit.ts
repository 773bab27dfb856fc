/**
 * JUnit XML for CI systems (`--junit FILE` on `gyre test`, `gyre sim --seeds` and `gyre check`):
 * one test suite per command, one test case per run, per seed or per checked file.
 *
 * There is no single JUnit standard; CI systems read what Ant's and Maven Surefire's reports look
 * like. The file is written to be valid under the strictest of the schemas in common use, Ant's
 * (every suite with `properties`, `system-out` and `system-err`, each case with `name`, `classname`
 * and `time` and at most one `failure`, whose `message` and `type` are given; a `timestamp`
 * without a time zone; `package` and `id` on a suite inside `testsuites`; no attributes on
 * `testsuites`), and under Jenkins' and Surefire's (times with at most three decimals). Every
 * verdict other than valid is a `failure`, its `type` saying which (`invalid`, `unknown`,
 * `crashed`, `unreadable`): Jenkins' schema names its error element differently from Surefire's,
 * so `error` is never written.
 */
import { hostname } from 'node:os';
import { outputFileProblem, writeOutputFile } from './paths';

/** A case that did not pass. */
export interface JUnitFailure {
  /** `invalid`, `unknown`, `crashed` (the run broke), `unreadable` (a file `gyre check` could not read). */
  type: 'invalid' | 'unknown' | 'crashed' | 'unreadable';
  /** One line: what failed. */
  message: string;
  /** The details: the anomaly summary, and where the report is. */
  text: string;
}

/** One test case: a run, a seed or a checked file. */
export interface JUnitCase {
  /** Stable across builds (no random seeds in it), so that CI systems can follow a case's history. */
  name: string;
  /** Dotted, as CI systems group cases: `gyre.test.echo`. */
  classname: string;
  seconds: number;
  failure?: JUnitFailure;
}

/** The suite of one command. */
export interface JUnitSuite {
  /** `gyre test echo`, `gyre sim broadcast`, `gyre check list-append`. */
  name: string;
  /** When the command started. */
  timestamp: Date;
  hostname: string;
  /** Seconds the whole command took. */
  seconds: number;
  /** Facts about the run: the command line, the seeds. */
  properties: readonly (readonly [string, string])[];
  cases: readonly JUnitCase[];
  /** Where to look: run directories, report pages. */
  out?: string;
}

/** Characters XML 1.0 cannot carry at all, even escaped: most C0 controls, lone surrogates, U+FFFE/U+FFFF. */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** ANSI escape sequences (colours) that reached a message. */
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function clean(s: string): string {
  return s.replace(ANSI, '').replace(NOT_XML, '\ufffd');
}

function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** Seconds as every schema takes them: a decimal with at most three places. */
function secs(s: number): string {
  return (Number.isFinite(s) && s > 0 ? s : 0).toFixed(3);
}

/** Local time without a zone, as Ant writes it: `2026-01-31T14:05:09`. */
function timestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The JUnit XML text of a suite. */
export function junitXml(suite: JUnitSuite): string {
  const failures = suite.cases.filter((c) => c.failure).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites>',
    `  <testsuite name="${attr(suite.name)}" package="gyre" id="0" timestamp="${timestamp(suite.timestamp)}" hostname="${attr(suite.hostname || 'localhost')}" tests="${suite.cases.length}" failures="${failures}" errors="0" time="${secs(suite.seconds)}">`,
    '    <properties>',
    ...suite.properties.map(([k, v]) => `      <property name="${attr(k)}" value="${attr(v)}"/>`),
    '    </properties>',
  ];
  for (const c of suite.cases) {
    const open = `    <testcase name="${attr(c.name)}" classname="${attr(c.classname)}" time="${secs(c.seconds)}"`;
    if (!c.failure) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`, `      <failure type="${c.failure.type}" message="${attr(c.failure.message)}">${text(c.failure.text)}</failure>`, '    </testcase>');
  }
  lines.push(`    <system-out>${text(suite.out ?? '')}</system-out>`, '    <system-err></system-err>', '  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/**
 * The failure of a run or a seed from its verdict and exit code: invalid (1), unknown (2) or
 * crashed (255); none when it passed.
 */
export function verdictFailure(exitCode: number, message: string, details: string): JUnitFailure | undefined {
  if (exitCode === 0) return undefined;
  return { type: exitCode === 1 ? 'invalid' : exitCode === 2 ? 'unknown' : 'crashed', message, text: details };
}

/** The first line of an anomaly summary that says what failed, for a failure's message. */
export function summaryMessage(summary: string, fallback: string): string {
  const lines = summary.split('\n');
  const anomaly = lines.find((l) => /^ {2}anomalies {4}/.test(l));
  const head = lines[0]?.trim() ?? '';
  return anomaly ? `${head}: ${anomaly.replace(/^ {2}anomalies {4}/, '')}` : head || fallback;
}

/**
 * A JUnit file that grows as a command goes: every {@link add} rewrites it whole, so the file is
 * complete (and valid) after each run, whatever ends the command later. A file that cannot be
 * written never ends the command: {@link add} says why, and the run's verdict and files stand.
 */
export class JUnitFile {
  private readonly cases: JUnitCase[] = [];
  private readonly started: number;
  private readonly properties: [string, string][];
  /** Why the last write failed, if it did: said once, until a write succeeds again. */
  private failed: string | undefined;

  /**
   * @param path where to write (its directory is created)
   * @param name the suite's name (`gyre test echo`)
   * @param command the command line, recorded as a property
   * @param out lines for the suite's system-out
   * @param started when the command started @defaultValue now
   */
  constructor(
    readonly path: string,
    private readonly name: string,
    command: readonly string[],
    private readonly out: string[] = [],
    started: Date = new Date(),
  ) {
    this.started = started.getTime();
    this.properties = [['command', ['gyre', ...command].join(' ')]];
  }

  /**
   * Adds cases (and lines for the suite's system-out) and rewrites the file. Returns why the file
   * could not be written (one line naming it and the system's reason), the first time it cannot
   * be; otherwise undefined. Never throws.
   */
  add(cases: JUnitCase | readonly JUnitCase[], ...out: string[]): string | undefined {
    this.cases.push(...(Array.isArray(cases) ? cases : [cases as JUnitCase]));
    this.out.push(...out);
    const problem = this.write();
    const news = problem !== undefined && this.failed === undefined;
    this.failed = problem;
    return news ? problem : undefined;
  }

  /** Records a property (a seed, the seed range). */
  property(name: string, value: string): void {
    this.properties.push([name, value]);
  }

  private write(): string | undefined {
    return writeOutputFile(
      'the JUnit report',
      this.path,
      junitXml({ name: this.name, timestamp: new Date(this.started), hostname: hostname(), seconds: (Date.now() - this.started) / 1000, properties: this.properties, cases: this.cases, out: this.out.join('\n') }),
    );
  }
}

/**
 * Why `--junit VALUE` (relative to `cwd`) cannot be written, in one line naming the path and the
 * reason, or undefined: checked before a command starts, so that a bad path is a usage error
 * (254) and not a surprise at the end. Creates nothing. A directory on the way that does not
 * exist yet is made when the report is written, so the nearest one that does must take files.
 */
export function junitProblem(value: string, cwd: string): string | undefined {
  return outputFileProblem('--junit', value, cwd);
}

/**
 * The case of one run of `gyre test` or `gyre sim`: its verdict from the exit code, the anomaly
 * summary (which names report.html, or results.json when the pages could not be written) and the
 * seed in the failure, or why the run crashed.
 */
export function runCase(c: { name: string; classname: string; seconds: number; exitCode: number; summary: string; seed: string; crash?: string | undefined; reproduce?: string }): JUnitCase {
  const details = [c.summary, c.crash ? `\nWhy it crashed:\n${c.crash}` : '', `\nseed: ${c.seed}`, c.reproduce ? `reproduce: ${c.reproduce}` : ''].filter((s) => s !== '').join('\n');
  const message = c.crash ? `crashed: ${c.crash.split('\n')[0]}` : summaryMessage(c.summary, c.exitCode === 1 ? 'invalid' : 'unknown');
  const failure = verdictFailure(c.exitCode, message, details);
  return { name: c.name, classname: c.classname, seconds: c.seconds, ...(failure ? { failure } : {}) };
}
