import { describe, expect, it } from 'vitest';
import { didYouMean, helpText, OptionError, parseOptions, type CommandSpec } from './args';

interface Toy {
  count: number;
  name: string;
  tags: string[];
  loud: boolean;
  words: string[];
  after: string[] | undefined;
}

const toy: CommandSpec<Toy> = {
  command: 'gyre toy',
  usage: 'Usage: gyre toy [OPTIONS ...] WORD ...',
  sections: [
    {
      title: 'Toy options',
      rows: [
        {
          long: 'count',
          short: 'c',
          arg: 'N',
          def: '3',
          desc: 'How many.',
          set: (d, v) => {
            if (!/^-?\d+$/.test(v)) throw new OptionError(`--count must be an integer, got ${JSON.stringify(v)}`);
            d.count = Number(v);
          },
        },
        { long: 'name', arg: 'NAME', def: 'toy', gyre: true, desc: 'Its name.', set: (d, v) => (d.name = v) },
        { long: 'tag', short: 't', arg: 'TAG', aliases: ['label'], desc: 'A tag; may be repeated.', set: (d, v) => d.tags.push(v) },
        { long: 'loud', desc: 'Shout.', set: (d) => (d.loud = true) },
        { long: 'secret', hidden: true, desc: 'Not in the help.', set: null },
      ],
    },
    // A later row with a long name seen before is overridden: neither parsed nor shown.
    { title: 'Shared options', rows: [{ long: 'count', arg: 'X', def: '99', desc: 'OVERRIDDEN', set: () => {} }, { long: 'limit', arg: 'S', defText: 'none', desc: 'A limit.', set: null }] },
  ],
  footer: 'Exit codes: 0, 254.',
  draft: () => ({ count: 0, name: '', tags: [], loud: false, words: [], after: undefined }),
  positional: (d, w) => d.words.push(w),
  afterDashes: (d, ws) => (d.after = ws),
};

const parse = (...argv: string[]) => parseOptions(toy, argv);
const problem = (...argv: string[]) => {
  try {
    parse(...argv);
  } catch (e) {
    expect(e).toBeInstanceOf(OptionError);
    return (e as Error).message;
  }
  throw new Error(`${argv.join(' ')} parsed`);
};

describe('parseOptions: one table gives the parse', () => {
  it('applies the defaults through the rows before the command line', () => {
    const p = parse();
    expect(p.draft).toEqual({ count: 3, name: 'toy', tags: [], loud: false, words: [], after: undefined });
    expect(p.help).toBe(false);
    expect(p.version).toBe(false);
    expect([...p.given]).toEqual([]);
  });

  it('reads --x=v, --x v, -x v and -xv alike, and aliases', () => {
    for (const argv of [['--count=7'], ['--count', '7'], ['-c', '7'], ['-c7']]) expect(parse(...argv).draft.count).toBe(7);
    expect(parse('--tag', 'a', '-t', 'b', '--label=c', '-td').draft.tags).toEqual(['a', 'b', 'c', 'd']);
    expect([...parse('--label', 'x').given]).toEqual(['tag']);
  });

  it('applies repeated options in order, the last value winning where a row keeps one', () => {
    expect(parse('--count', '1', '--count', '2').draft.count).toBe(2);
  });

  it('takes a negative number as a value, and as a word', () => {
    expect(parse('--count', '-5').draft.count).toBe(-5);
    expect(parse('-5', 'x').draft.words).toEqual(['-5', 'x']);
  });

  it('passes words to the command, and everything after -- as it is', () => {
    const p = parse('a', '--loud', 'b', '--', '--count', 'x', '--');
    expect(p.draft.words).toEqual(['a', 'b']);
    expect(p.draft.loud).toBe(true);
    expect(p.draft.count).toBe(3);
    expect(p.draft.after).toEqual(['--count', 'x', '--']);
  });

  it('recognises --help, -h and --version in every command', () => {
    expect(parse('--help').help).toBe(true);
    expect(parse('-h').help).toBe(true);
    expect(parse('--version').version).toBe(true);
  });

  it('rejects an unknown option with the nearest name', () => {
    expect(problem('--cuont', '3')).toBe('Unknown option: "--cuont"; did you mean "--count"?');
    expect(problem('--lable=x')).toBe('Unknown option: "--lable"; did you mean "--label"?');
    expect(problem('--frobnicate')).toBe('Unknown option: "--frobnicate"');
    expect(problem('-x')).toBe('Unknown option: "-x"');
  });

  it('does not suggest a hidden option, but accepts it', () => {
    expect(problem('--secrte')).toBe('Unknown option: "--secrte"');
    expect(parse('--secret').given.has('secret')).toBe(true);
  });

  it('rejects a missing value, at the end or when the next word is an option', () => {
    expect(problem('--count')).toBe('Missing argument for "--count" (N)');
    expect(problem('-c')).toBe('Missing argument for "-c" (N)');
    expect(problem('--name', '--loud')).toBe('Missing argument for "--name" (NAME)');
    expect(problem('--name', '-c', '2')).toMatch(/^Missing argument for "--name"/);
    expect(parse('--name=--loud').draft.name).toBe('--loud');
    expect(parse('--name', '').draft.name).toBe('');
  });

  it('rejects a value given to a flag, and a bad value with the row\'s message', () => {
    expect(problem('--loud=yes')).toBe('"--loud" takes no value');
    expect(problem('--count', 'many')).toBe('--count must be an integer, got "many"');
  });

  it('reports every problem at once', () => {
    expect(problem('--cuont', '--count', 'x', '--loud=1').split('\n')).toEqual(['Unknown option: "--cuont"; did you mean "--count"?', '--count must be an integer, got "x"', '"--loud" takes no value']);
  });

  it('refuses words in a command that takes none, suggesting the option they look like', () => {
    const bare: CommandSpec<Toy> = { ...toy, positional: undefined };
    expect(() => parseOptions(bare, ['loud'])).toThrow('Unexpected argument "loud" (gyre toy takes only options); did you mean "--loud"?');
  });
});

describe('helpText: the help comes from the same table', () => {
  const help = helpText(toy);

  it('lists every shown option with its default, and marks Gyre\'s own', () => {
    expect(help).toContain('  -c, --count N                      How many. [default: 3]\n');
    expect(help).toContain('      --name NAME                    (Gyre) Its name. [default: toy]\n');
    expect(help).toContain('      --limit S                      A limit. [default: none]\n');
    expect(help).toContain('  -t, --tag TAG');
    expect(help).toContain('      --version ');
    expect(help).toContain('  -h, --help ');
    expect(help).not.toContain('--secret');
    expect(help).not.toContain('OVERRIDDEN');
  });

  it('puts usage, sections and footer in order', () => {
    const at = (s: string) => help.indexOf(s);
    expect(at('Usage: gyre toy')).toBe(0);
    expect(at('Usage')).toBeLessThan(at('Toy options:'));
    expect(at('Toy options:')).toBeLessThan(at('Shared options:'));
    expect(at('Shared options:')).toBeLessThan(at('Exit codes: 0, 254.'));
  });

  it('wraps long descriptions under the description column, never splitting a default', () => {
    const long: CommandSpec<Toy> = { ...toy, sections: [{ title: 'O', rows: [{ long: 'x', arg: 'V', def: 'a default with spaces', desc: 'word '.repeat(30).trim(), set: null }] }] };
    const lines = helpText(long).split('\n').filter((l) => l.includes('word') || l.includes('default'));
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
    for (const l of lines.slice(1)) expect(l.startsWith(' '.repeat(37))).toBe(true);
    expect(helpText(long)).toContain('[default: a default with spaces]');
  });
});

describe('didYouMean', () => {
  it('suggests the nearest name: swapped, missing, extra or wrong letters, any case', () => {
    const commands = ['analyze', 'check', 'demo', 'doc', 'replay', 'serve', 'sim', 'test'];
    expect(didYouMean('tset', commands)).toBe('; did you mean "test"?');
    expect(didYouMean('chek', commands)).toBe('; did you mean "check"?');
    expect(didYouMean('Serve', commands)).toBe('; did you mean "serve"?');
    expect(didYouMean('analyse', commands)).toBe('; did you mean "analyze"?');
    expect(didYouMean('broadcats', ['broadcast', 'echo'])).toBe('; did you mean "broadcast"?');
  });

  it('suggests nothing when nothing is close', () => {
    expect(didYouMean('frobnicate', ['test', 'check'])).toBe('');
    expect(didYouMean('x', ['sim', 'doc'])).toBe('');
    expect(didYouMean('srv', ['sim', 'doc'])).toBe('');
  });
});
