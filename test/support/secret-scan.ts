// What counts as a leaked secret in a test's output (issue 13 §5). Two sources: the secret values
// planted in the configs a test writes or pipes to a process (harvested here from the config
// itself: password hashes, HTTP header values, URL credentials and signed-URL tokens, LUKS key file
// contents), and shapes that are secret wherever they appear (a crypt(3) hash, a URL whose userinfo
// or token is not masked, a private key). Pure functions; test/support/leak-guard.ts applies them.
import { parse as parseYaml } from 'yaml';
import { decodeDataUrl } from '../../src/fetch/dataurl.js';
import { isSecretParam } from '../../src/fetch/redact.js';

/** Values shorter than this are too common to tell a leak from a coincidence. */
const MIN_SECRET = 6;
const MASKS = new Set(['REDACTED', '<redacted>', '*', '!', 'x']);

function keep(out: Set<string>, v: unknown): void {
  if (typeof v !== 'string') return;
  const s = v.trim();
  if (s.length >= MIN_SECRET && !MASKS.has(s)) out.add(s);
}

/** The secret parts of a URL: the userinfo password and the values of token-like query parameters. */
export function urlSecrets(url: string): string[] {
  const out = new Set<string>();
  if (/^data:/i.test(url)) {
    try {
      keep(out, decodeDataUrl(url).data.toString('utf8'));
    } catch {
      // not a data URL after all
    }
    return [...out];
  }
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@]*)@/i.exec(url);
  if (m && m[1].includes(':')) {
    const pw = m[1].slice(m[1].indexOf(':') + 1);
    keep(out, pw);
    try {
      keep(out, decodeURIComponent(pw));
    } catch {
      // keep the raw form only
    }
  }
  const q = url.indexOf('?');
  if (q >= 0) {
    for (const kv of url
      .slice(q + 1)
      .split('#')[0]
      .split('&')) {
      const eq = kv.indexOf('=');
      if (eq > 0 && isSecretParam(kv.slice(0, eq))) keep(out, kv.slice(eq + 1));
    }
  }
  return [...out];
}

const KEYED: Record<string, 'value' | 'url'> = {
  passwordHash: 'value',
  password_hash: 'value',
  value: 'value', // httpHeaders[].value / http_headers[].value: checked for its parent below
  source: 'url',
  inline: 'value', // key_file.inline (Butane)
};

/** Secret values in one parsed config (Ignition JSON or Butane YAML, any version). */
export function configSecrets(config: unknown): string[] {
  const out = new Set<string>();
  // parentKey: the key this object is the value of (array elements take the array's key). A stack,
  // not recursion: hostile test inputs nest 100,000 deep.
  const stack: [unknown, string][] = [[config, '']];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, parentKey] = top;
    if (Array.isArray(node)) {
      for (const n of node) stack.push([n, parentKey]);
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      const kind = KEYED[k];
      if (kind === 'url' && typeof v === 'string') {
        // a key file's data: URL holds the key; other data: URLs are ordinary file contents
        if (/^data:/i.test(v)) {
          if (/^key_?[fF]ile$/.test(parentKey)) for (const s of urlSecrets(v)) out.add(s);
        } else for (const s of urlSecrets(v)) out.add(s);
      } else if (kind === 'value' && typeof v === 'string') {
        if (k === 'value' && !/^http_?[hH]eaders$/.test(parentKey)) continue;
        if (k === 'inline' && !/^key_?[fF]ile$/.test(parentKey)) continue;
        keep(out, v);
      } else {
        stack.push([v, k]);
      }
    }
  }
  return [...out];
}

/** Secret values in text that may be a config (JSON or YAML); none when it is not one. */
export function harvest(text: string): string[] {
  if (text.length > 4 * 1024 * 1024) return [];
  if (!/ignition|variant/.test(text)) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    try {
      doc = parseYaml(text, { maxAliasCount: 100 });
    } catch {
      return [];
    }
  }
  if (doc === null || typeof doc !== 'object') return [];
  const o = doc as Record<string, unknown>;
  if (!('ignition' in o) && !('variant' in o)) return [];
  return configSecrets(doc);
}

export interface Leak {
  /** What leaked: a planted value (shown masked) or the kind of shape found. */
  what: string;
  /** A little of the text around it, the secret masked. */
  context: string;
}

// Shapes that are secrets wherever they show up.
const SHAPES: { what: string; re: RegExp; ok?: (m: RegExpExecArray) => boolean }[] = [
  { what: 'a crypt(3) password hash', re: /\$(?:1|2[abxy]|5|6|y|gy|7)\$[./0-9A-Za-z$=,]{20,}/g },
  {
    what: 'URL credentials',
    re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:"'<>]+:([^\s/?#@"'<>]+)@/gi,
    ok: (m) => MASKS.has(m[1]),
  },
  {
    what: 'a signed-URL token',
    re: /[?&]([A-Za-z0-9_.-]+)=([^\s&#"'<>]+)/g,
    ok: (m) => {
      const value = m[2].replace(/[.,:;)\]]+$/, ''); // punctuation after a URL in a sentence
      return !isSecretParam(m[1]) || MASKS.has(value) || value.length < MIN_SECRET;
    },
  },
  { what: 'an Authorization header value', re: /\bauthorization["']?\s*[:=]\s*["']?(?:Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{8,}/gi },
  { what: 'a private key', re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/g },
];

const mask = (s: string) => (s.length <= 4 ? '****' : `${s.slice(0, 2)}…${s.slice(-2)} (${s.length} chars)`);

function around(text: string, at: number, len: number): string {
  const from = Math.max(0, at - 40);
  return (text.slice(from, at) + '<SECRET>' + text.slice(at + len, at + len + 40)).replace(/\s+/g, ' ');
}

/** Every leak in `text`: planted values (also percent- and base64-encoded) and secret shapes. */
export function findLeaks(text: string, planted: Iterable<string>): Leak[] {
  const leaks: Leak[] = [];
  for (const s of planted) {
    for (const form of new Set([s, encodeURIComponent(s), Buffer.from(s).toString('base64')])) {
      const at = text.indexOf(form);
      if (at >= 0) {
        leaks.push({ what: `the planted secret ${mask(s)}${form === s ? '' : ' (encoded)'}`, context: around(text, at, form.length) });
        break;
      }
    }
  }
  for (const shape of SHAPES) {
    shape.re.lastIndex = 0;
    for (let m; (m = shape.re.exec(text));) {
      if (shape.ok?.(m)) continue;
      leaks.push({ what: shape.what, context: around(text, m.index, m[0].length) });
      break;
    }
  }
  return leaks;
}
