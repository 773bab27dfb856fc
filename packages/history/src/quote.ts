/**
 * Input quoted in messages. A history file, a node's output or a value in either can hold
 * terminal escape sequences (`ESC [2J` clears the screen, `ESC ]0;…BEL` retitles the window), 8-bit
 * controls (U+009B is CSI to some terminals) and bidirectional overrides that reorder what the
 * reader sees. Every message that quotes input goes through this module, so that none of them
 * reaches a terminal raw.
 */

/** C0 controls, DEL, C1 controls, the bidirectional marks, embeddings, overrides and isolates, and the line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  return SHORT[c] ?? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

/**
 * Input made safe to print on one line: every control character (see above) written as a JSON
 * escape (`\n`, `\t`, `\u001b`), everything else as it is. Use it for input shown unquoted, such as
 * a line of a history file.
 */
export function escapeControls(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS, escapeOne) : text;
}

/** Input shown unquoted (see {@link escapeControls}), cut to its first `max` characters and `…` when longer. */
export function showInput(text: string, max = 120): string {
  return escapeControls(text.length <= max ? text : text.slice(0, max) + '…');
}

/**
 * Input quoted as a JSON string (so quotes and backslashes are escaped too), with every control
 * character escaped, cut to its first `max` characters followed by `… (N characters)` when longer.
 */
export function quoteInput(text: string, max = 200): string {
  if (text.length <= max) return escapeControls(JSON.stringify(text));
  return `${escapeControls(JSON.stringify(text.slice(0, max)))}… (${text.length} characters)`;
}
