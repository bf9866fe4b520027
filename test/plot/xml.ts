// A strict little XML reader for the plot tests: it throws on anything that is not
// well-formed (unbalanced or mismatched tags, unquoted or repeated attributes, a bare `<` or
// `&`, unknown entities, text outside the one root) and returns the element tree.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded. */
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`xml: '<' in text or attribute near offset ${where}`);
  return raw.replace(/&([^;]*);?/g, (m, name: string) => {
    if (!m.endsWith(';')) throw new Error(`xml: bare '&' near offset ${where}`);
    if (name in ENTITIES) return ENTITIES[name];
    const code = /^#x([0-9a-f]+)$/i.exec(name) ? parseInt(name.slice(2), 16) : /^#\d+$/.test(name) ? parseInt(name.slice(1), 10) : NaN;
    if (Number.isNaN(code)) throw new Error(`xml: unknown entity '&${name};' near offset ${where}`);
    return String.fromCodePoint(code);
  });
}

/** Parses a whole document (an optional `<?xml …?>` declaration, then one root element). */
export function parseXml(src: string): XmlElement {
  let i = 0;
  const skipSpace = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  if (src.startsWith('<?xml')) {
    const end = src.indexOf('?>');
    if (end < 0) throw new Error('xml: unterminated declaration');
    i = end + 2;
  }
  skipSpace();
  const element = (): XmlElement => {
    if (src[i] !== '<') throw new Error(`xml: expected '<' at offset ${i}`);
    i++;
    const name = NAME.exec(src.slice(i))?.[0];
    if (!name) throw new Error(`xml: bad tag name at offset ${i}`);
    i += name.length;
    const el: XmlElement = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      skipSpace();
      if (src.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (i === before) throw new Error(`xml: expected whitespace before an attribute at offset ${i} in <${name}>`);
      const attr = NAME.exec(src.slice(i))?.[0];
      if (!attr) throw new Error(`xml: bad attribute at offset ${i} in <${name}>`);
      i += attr.length;
      if (src[i] !== '=' || (src[i + 1] !== '"' && src[i + 1] !== "'")) throw new Error(`xml: attribute '${attr}' of <${name}> is not name="value" (offset ${i})`);
      const q = src[i + 1];
      const end = src.indexOf(q, i + 2);
      if (end < 0) throw new Error(`xml: unterminated attribute '${attr}' of <${name}>`);
      if (attr in el.attrs) throw new Error(`xml: attribute '${attr}' repeated in <${name}>`);
      el.attrs[attr] = decode(src.slice(i + 2, end), i);
      i = end + 1;
    }
    for (;;) {
      const lt = src.indexOf('<', i);
      if (lt < 0) throw new Error(`xml: <${name}> is not closed`);
      el.text += decode(src.slice(i, lt), i);
      i = lt;
      if (src.startsWith('</', i)) {
        const close = NAME.exec(src.slice(i + 2))?.[0];
        if (close !== name) throw new Error(`xml: </${close}> closes <${name}> at offset ${i}`);
        i += 2 + close.length;
        skipSpace();
        if (src[i] !== '>') throw new Error(`xml: bad closing tag at offset ${i}`);
        i++;
        return el;
      }
      if (src.startsWith('<!', i) || src.startsWith('<?', i)) throw new Error(`xml: unexpected markup at offset ${i}`);
      el.children.push(element());
    }
  };
  const root = element();
  skipSpace();
  if (i !== src.length) throw new Error(`xml: content after the root element at offset ${i}`);
  return root;
}

/** Every element below `root` (itself included) that passes `test`, in document order. */
export function findAll(root: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    if (test(e)) out.push(e);
    e.children.forEach(walk);
  };
  walk(root);
  return out;
}
