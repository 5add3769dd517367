/**
 * Just enough Plivo XML reading to drive a simulated call: the verbs directly under <Response>, in order, with
 * their attributes. No DOM library: the relay's answers are small and machine-made.
 */

export interface Verb {
  name: string;
  attrs: Record<string, string>;
  /** Text of <Number> children (Dial) — shown in the call log, not used for routing. */
  numbers: string[];
  /** The verb's own text, e.g. the URL of <Redirect> or the words of <Speak>. */
  text: string;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return entities[e.toLowerCase()] ?? whole;
  });
}

function parseAttrs(src: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of src.matchAll(/([A-Za-z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attrs[m[1]!] = decodeEntities(m[2] ?? m[3] ?? '');
  }
  return attrs;
}

/** Top-level verbs of a <Response> document; [] when the text is not Plivo XML. */
export function parseVerbs(xml: string): Verb[] {
  const verbs: Verb[] = [];
  let depth = 0;
  let inResponse = false;
  let current: Verb | null = null;
  let numberStart = -1;
  let verbStart = -1;
  const tag = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z][\w.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    const [, closing, name = '', attrSrc = '', selfClosing] = m;
    if (!name) continue; // comment or declaration
    if (closing) {
      if (name === 'Number' && current && depth === 3 && numberStart >= 0) {
        current.numbers.push(decodeEntities(xml.slice(numberStart, m.index).trim()));
        numberStart = -1;
      }
      depth--;
      if (depth === 1 && current) {
        current.text = decodeEntities(xml.slice(verbStart, m.index).replace(/<[^>]*>/g, '').trim());
        current = null;
      }
      if (depth === 0) inResponse = false;
      continue;
    }
    if (depth === 0) {
      if (name === 'Response') inResponse = true;
    } else if (inResponse && depth === 1) {
      current = { name, attrs: parseAttrs(attrSrc), numbers: [], text: '' };
      verbs.push(current);
      verbStart = m.index + m[0].length;
    } else if (current && depth === 2 && name === 'Number' && !selfClosing) {
      numberStart = m.index + m[0].length;
    }
    if (!selfClosing) depth++;
    else if (depth === 1) current = null;
  }
  return verbs;
}
