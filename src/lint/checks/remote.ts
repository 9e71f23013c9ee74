// Checks of resources Ignition fetches at boot: pinned by a hash, and not over plain text.
import type { LintCheck } from '../check.js';
import { hasHash, resources, schemeOf } from '../config-walk.js';

/** Schemes without transport security: anyone on the path can change what Ignition receives. */
const PLAIN = new Set(['http', 'tftp']);
const REMOTE = new Set(['https', 's3', 'arn', 'gs']);

const HASH_HINT = 'add `verification: {hash: sha512-...}` (`sha512sum FILE`), so the content the config was written for is the one Ignition accepts';

export const remoteNoHash: LintCheck = {
  code: 'remote-no-hash',
  severity: 'warning',
  summary: 'a remote source (https, s3, arn, gs) without a verification hash: its content is not pinned',
  run(t, r) {
    if (!t.config) return;
    for (const { res, path } of resources(t.config)) {
      if (!REMOTE.has(schemeOf(res)) || hasHash(res)) continue;
      r.report({
        message: `the ${schemeOf(res)} source has no verification hash, so whatever it serves at boot is accepted`,
        hint: HASH_HINT,
        path: [...path, 'source'],
      });
    }
  },
};

export const httpUnverified: LintCheck = {
  code: 'http-unverified',
  severity: 'warning',
  summary: 'a source fetched over plain http or tftp without a verification hash',
  run(t, r) {
    if (!t.config) return;
    for (const { res, path } of resources(t.config)) {
      const scheme = schemeOf(res);
      if (!PLAIN.has(scheme) || hasHash(res)) continue;
      r.report({
        message: `${scheme}:// is neither encrypted nor authenticated and the source has no verification hash: anyone on the network path can change what Ignition applies`,
        hint: `use https, or ${HASH_HINT}`,
        path: [...path, 'source'],
      });
    }
  },
};
