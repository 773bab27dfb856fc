/**
 * Whether the kernel can run a `--bin` file, checked before anything starts.
 *
 * `execve` runs two kinds of files: binaries in a format it knows (ELF, and whatever binfmt_misc
 * registers) and scripts whose first two bytes are `#!`. A text file without `#!` fails with
 * ENOEXEC, "exec format error", which is what Maelstrom reports; but Node's `spawn` (through libc's
 * `execvp`) then quietly runs the file with `/bin/sh`, so a Python or Ruby node without its `#!`
 * line would run as a shell script and fail in strange ways. So: a file that looks like text (no
 * NUL byte in its first 4 KiB, as git and grep decide) must start with `#!`. Binaries are left to
 * the kernel, which knows more formats than a list here would.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** How many leading bytes decide whether a file is text. */
const SNIFF = 4096;

/**
 * Why the kernel would refuse to run the file at `path` as a program, or undefined when it can
 * (it starts with `#!`, or it is a binary). `name` is how the user wrote it, for the message.
 */
export function shebangProblem(path: string, name: string): string | undefined {
  const head = Buffer.alloc(SNIFF);
  let n: number;
  try {
    const fd = openSync(path, 'r');
    try {
      n = readSync(fd, head, 0, SNIFF, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined; // executable but not readable (a binary with mode 0111): the kernel decides
  }
  const bytes = head.subarray(0, n);
  if (bytes[0] === 0x23 && bytes[1] === 0x21) {
    const line = firstLine(bytes, Infinity);
    if (line.endsWith('\r')) {
      return `--bin ${name}: its #! line ends with a carriage return (Windows line endings), so the program it names is looked up as ${JSON.stringify(line.slice(2).split(/[ \t]+/).pop())}. Save the file with Unix line endings (\\n).`;
    }
    return undefined;
  }
  if (bytes.includes(0)) return undefined; // a binary: the kernel decides
  const why =
    n === 0
      ? 'the file is empty'
      : bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf && bytes[3] === 0x23 && bytes[4] === 0x21
        ? 'it starts with a byte-order mark before the #!, so the kernel does not see the #!; save it as UTF-8 without a BOM'
        : `its first line is ${JSON.stringify(firstLine(bytes))}`;
  return (
    `--bin ${name}: not executable: no #! line (${why}). The kernel runs a text file only when it starts with #! naming its interpreter ` +
    '(Maelstrom fails here with "exec format error"). Make the first line, for example, #!/usr/bin/env python3, #!/usr/bin/env ruby or #!/usr/bin/env node.'
  );
}

function firstLine(bytes: Buffer, max = 60): string {
  const nl = bytes.indexOf(0x0a);
  const line = bytes.subarray(0, nl < 0 ? bytes.length : nl).toString('utf8');
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}
