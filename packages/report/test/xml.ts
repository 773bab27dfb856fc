/**
 * Just enough XML for structural tests of the SVG output: a well-formedness check and element
 * lookup by tag and class, returning attributes and text.
 */

export interface El {
  tag: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
  parent: El | undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

function unescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_, e: string) => ENTITIES[e]!);
}

/** Parses XML (no DTDs); throws on mismatched or unclosed tags. */
export function parseXml(text: string): El {
  const root: El = { tag: '#root', attrs: {}, children: [], text: '', parent: undefined };
  let cur = root;
  const re = /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const [, cdata, close, tag, attrText, selfClose, chars, stray] = m;
    if (stray) throw new Error(`stray < at ${m.index}`);
    if (cdata !== undefined) cur.text += cdata;
    else if (chars !== undefined) cur.text += unescape(chars);
    else if (tag) {
      if (close) {
        if (cur.tag !== tag) throw new Error(`</${tag}> closes <${cur.tag}> at ${m.index}`);
        cur = cur.parent!;
      } else {
        const attrs: Record<string, string> = {};
        for (const a of (attrText ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]!] = unescape(a[2] ?? a[3] ?? '');
        const el: El = { tag, attrs, children: [], text: '', parent: cur };
        cur.children.push(el);
        if (!selfClose) cur = el;
      }
    }
  }
  if (cur !== root) throw new Error(`<${cur.tag}> is never closed`);
  return root;
}

/** Every element below `el` (depth first). */
function* walk(el: El): Generator<El> {
  for (const c of el.children) {
    yield c;
    yield* walk(c);
  }
}

/** Elements with this tag (or any tag for `*`) and, when given, this class. */
export function find(el: El, tag: string, cls?: string): El[] {
  const out: El[] = [];
  for (const e of walk(el)) {
    if (tag !== '*' && e.tag !== tag) continue;
    if (cls && !(e.attrs['class'] ?? '').split(/\s+/).includes(cls)) continue;
    out.push(e);
  }
  return out;
}

/** All text below an element. */
export function textOf(el: El): string {
  return el.text + el.children.map(textOf).join('');
}
