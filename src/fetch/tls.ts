// Trust store for HTTPS fetches: Ignition adds security.tls.certificateAuthorities *to* the system
// pool, while Node's `ca` option *replaces* its default store, so we concatenate.
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { FetchError } from './errors.js';

const PEM_CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Splits a PEM bundle into single certificates; a bundle without one is Ignition's PEM error. */
export function splitPemBundle(bundle: string): string[] {
  const certs = bundle.match(PEM_CERT_RE) ?? [];
  if (certs.length === 0) throw new FetchError('invalid', 'unable to decode PEM block');
  for (const pem of certs) {
    try {
      new X509Certificate(pem);
    } catch (e) {
      throw new FetchError('invalid', `unable to parse CA certificate: ${(e as Error).message}`);
    }
  }
  return certs.map((c) => `${c}\n`);
}

/** Node's default roots plus every certificate of every extra bundle; null when there are none. */
export function caList(bundles: readonly string[] | null | undefined): string[] | null {
  if (!bundles || bundles.length === 0) return null;
  return [...tls.rootCertificates, ...bundles.flatMap(splitPemBundle)];
}

/** Subject CN of each certificate, for the "Adding ... to list of CAs" log line. */
export function caNames(bundles: readonly string[]): string[] {
  return bundles.flatMap(splitPemBundle).map((pem) => {
    const subject = new X509Certificate(pem).subject;
    return /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? subject;
  });
}
