// The OVF environment document VMware passes in `guestinfo.ovfenv`: reading its properties and
// removing some of them again (after boot, so the config does not linger). A small scanner over
// the few elements involved, not a general XML parser. Pure.
export const OVF_XMLNS = 'http://schemas.dmtf.org/ovf/environment/1';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

interface Attr {
  prefix: string;
  local: string;
  value: string;
}

function attributes(text: string): Attr[] {
  const out: Attr[] = [];
  for (const m of text.matchAll(/([\w.-]+)(?::([\w.-]+))?\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    const [prefix, local] = m[2] === undefined ? ['', m[1]] : [m[1], m[2]];
    out.push({ prefix, local, value: decodeEntities(m[4] ?? m[5] ?? '') });
  }
  return out;
}

/** `<Property>` elements (any prefix) inside `<PropertySection>` elements, with their offsets. */
function propertyElements(doc: string): { start: number; end: number; prefix: string; attrs: Attr[] }[] {
  const out: { start: number; end: number; prefix: string; attrs: Attr[] }[] = [];
  for (const sec of doc.matchAll(/<(?:([\w.-]+):)?PropertySection\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?PropertySection\s*>/g)) {
    const base = (sec.index ?? 0) + sec[0].indexOf('>') + 1;
    for (const p of sec[2].matchAll(/<(?:([\w.-]+):)?Property\b([^>]*?)(\/>|>[\s\S]*?<\/(?:[\w.-]+:)?Property\s*>)/g)) {
      const start = base + (p.index ?? 0);
      out.push({ start, end: start + p[0].length, prefix: p[1] ?? '', attrs: attributes(p[2]) });
    }
  }
  return out;
}

/** Properties by key (`key` attribute in any namespace, like Go's encoding/xml). */
export function readOvfProperties(doc: string): Map<string, string> {
  if (!/<(?:[\w.-]+:)?Environment\b/.test(doc)) throw new Error('EOF');
  const props = new Map<string, string>();
  for (const el of propertyElements(doc)) {
    const key = el.attrs.find((a) => a.local === 'key');
    if (!key) continue;
    props.set(key.value, el.attrs.find((a) => a.local === 'value')?.value ?? '');
  }
  return props;
}

/** Namespace URI of each declared prefix ('' = the default namespace). */
function namespaces(doc: string): Map<string, string> {
  const ns = new Map<string, string>();
  for (const m of doc.matchAll(/\sxmlns(?::([\w.-]+))?\s*=\s*("([^"]*)"|'([^']*)')/g)) ns.set(m[1] ?? '', decodeEntities(m[3] ?? m[4] ?? ''));
  return ns;
}

/**
 * Removes the OVF-namespaced `<Property>` elements whose OVF-namespaced `key` is in `keys`.
 * Returns the document (unchanged when nothing matched) and whether anything was removed.
 */
export function deleteOvfProperties(doc: string, keys: readonly string[]): { doc: string; removed: boolean } {
  const ns = namespaces(doc);
  const inOvf = (prefix: string, isAttr: boolean) => (prefix === '' ? !isAttr && ns.get('') === OVF_XMLNS : ns.get(prefix) === OVF_XMLNS);
  const drop = propertyElements(doc).filter((el) => {
    if (!inOvf(el.prefix, false)) return false;
    const key = el.attrs.find((a) => a.local === 'key' && inOvf(a.prefix, true));
    return key !== undefined && keys.includes(key.value);
  });
  if (drop.length === 0) return { doc, removed: false };
  let out = '';
  let at = 0;
  for (const el of drop) {
    out += doc.slice(at, el.start);
    at = el.end;
  }
  return { doc: out + doc.slice(at), removed: true };
}
