// Checks of the files a config writes: what NetworkManager, the image and other readers do with
// them once Ignition is done.
import type { LintCheck } from '../check.js';
import { inlineBytes } from '../../config/dataurl.js';
import { effectiveMode, entries, isObj, ownedByRoot, resources } from '../config-walk.js';
import { shippedBy } from '../data/shipped.js';

const NM_DIRS = ['/etc/NetworkManager/system-connections/', '/usr/lib/NetworkManager/system-connections/', '/run/NetworkManager/system-connections/'];
const octal = (m: number) => '0' + m.toString(8).padStart(3, '0');

export const nmKeyfileMode: LintCheck = {
  code: 'nm-keyfile-mode',
  severity: 'warning',
  summary: 'a NetworkManager keyfile that NetworkManager will ignore (group/other access, or not owned by root)',
  run(t, r) {
    if (!t.config) return;
    for (const e of entries(t.config)) {
      const path = e.node.path;
      if (
        e.kind !== 'files' ||
        typeof path !== 'string' ||
        !NM_DIRS.some((d) => path.startsWith(d) && path.length > d.length && !path.slice(d.length).includes('/'))
      )
        continue;
      const mode = effectiveMode(e);
      const given = typeof e.node.mode === 'number';
      if (mode & 0o077) {
        r.report({
          message: `NetworkManager ignores the keyfile ${path}: its mode ${octal(mode)}${given ? '' : ' (the default)'} lets group or others read it`,
          hint: 'set `mode: 0600`; NetworkManager loads only keyfiles that only their owner can access',
          path: given ? [...e.path, 'mode'] : [...e.path, 'path'],
        });
      } else if (!ownedByRoot(e.node)) {
        r.report({
          message: `NetworkManager ignores the keyfile ${path}: it is not owned by root`,
          hint: 'remove the `user` of the file (root owns it by default)',
          path: [...e.path, 'user'],
        });
      }
    }
  },
};

export const overwriteFalseShipped: LintCheck = {
  code: 'overwrite-false-shipped',
  severity: 'warning',
  summary: 'a file or link the OS image already ships, written without `overwrite: true` (Ignition fails the boot)',
  run(t, r) {
    const variant = t.spec?.variant;
    if (!t.config || !variant) return;
    for (const e of entries(t.config)) {
      if (e.kind === 'directories' || typeof e.node.path !== 'string' || e.node.overwrite === true) continue;
      const pkg = shippedBy(variant, e.kind, e.node.path);
      if (!pkg) continue;
      // A file without contents only changes the attributes of what exists: no failure.
      if (e.kind === 'files' && !(isObj(e.node.contents) && typeof e.node.contents.source === 'string')) continue;
      const given = e.node.overwrite === false;
      r.report({
        message: `the ${variant} image already has ${e.node.path} (from ${pkg}); with overwrite ${given ? 'false' : 'unset (false)'} Ignition refuses to replace it and the first boot fails`,
        hint: 'add `overwrite: true` to replace it, or write a drop-in file if the program reads a .d directory',
        path: given ? [...e.path, 'overwrite'] : [...e.path, 'path'],
      });
    }
  },
};

const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
const SECRET_LINE = /^\s*(?:export\s+)?[A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|private[_-]?key)[A-Za-z0-9_.-]*\s*[=:]\s*["']?[^\s"'$]{4,}/im;
const SECRET_NAME = /(?:^|\/)(?:id_(?:rsa|dsa|ecdsa|ed25519)|ssh_host_[a-z0-9]+_key|[^/]+\.key)$/;

// Every name SECRET_LINE looks for holds one of these words (in lower case). Most files hold none
// and are not run through the expression: compiling it is most of what the check costs a config.
const SECRET_WORDS = ['passw', 'secret', 'token', 'key'];

/** What makes the contents look secret, never the value itself. */
function secretKind(path: string, data: Buffer | undefined): string | undefined {
  const text = data?.toString('utf8');
  if (text && text.includes('PRIVATE KEY') && PRIVATE_KEY.test(text)) return 'a private key';
  if (SECRET_NAME.test(path) && text && text.trim() !== '') return 'a key file';
  if (text) {
    const lower = text.toLowerCase();
    const m = SECRET_WORDS.some((w) => lower.includes(w)) ? SECRET_LINE.exec(text) : null;
    if (m) return `a setting that looks like a credential (${m[0].trim().split(/\s*[=:]/)[0]})`;
  }
  return undefined;
}

export const secretWorldReadable: LintCheck = {
  code: 'secret-world-readable',
  severity: 'warning',
  summary: 'a file that holds a private key or a credential, readable by every user',
  run(t, r) {
    if (!t.config) return;
    for (const e of entries(t.config)) {
      const path = e.node.path;
      if (e.kind !== 'files' || typeof path !== 'string' || NM_DIRS.some((d) => path.startsWith(d))) continue;
      const mode = effectiveMode(e);
      if (!(mode & 0o004)) continue;
      const parts = [e.node.contents, ...(Array.isArray(e.node.append) ? e.node.append : [])].filter(isObj);
      const kind = parts.map((p) => secretKind(path, inlineBytes(p))).find(Boolean);
      if (!kind) continue;
      const given = typeof e.node.mode === 'number';
      r.report({
        message: `${path} holds ${kind} but every user can read it (mode ${octal(mode)}${given ? '' : ', the default'})`,
        hint: 'set `mode: 0600` (or 0640 with a group that needs it)',
        path: given ? [...e.path, 'mode'] : [...e.path, 'path'],
      });
    }
  },
};

export const compressionDeclaredGzip: LintCheck = {
  code: 'compression-declared-gzip',
  severity: 'warning',
  summary: '`compression: gzip` on inline data that is not gzip (Ignition fails to decompress it at boot)',
  run(t, r) {
    if (!t.config) return;
    for (const { res, path } of resources(t.config)) {
      if (res.compression !== 'gzip' || typeof res.source !== 'string' || !res.source.startsWith('data:')) continue;
      const raw = inlineBytes({ source: res.source });
      if (!raw || (raw[0] === 0x1f && raw[1] === 0x8b)) continue;
      r.report({
        message: 'the data is declared gzip-compressed but is not gzip; Ignition fails to decompress it at boot',
        hint: 'remove `compression: gzip` (Butane compresses inline data itself when that helps), or give gzip data',
        path: [...path, 'source'],
      });
    }
  },
};
