// Instance metadata services (EC2 IMDSv2 for S3 credentials and region, GCE for a GCS token).
// They are optional: off-cloud the lookups fail fast and the fetch goes on anonymously.
import { directConnector, request } from './client.js';
import type { Logger } from '../host/host.js';
import type { AwsCredentials } from './sigv4.js';

export const DEFAULT_AWS_METADATA = 'http://169.254.169.254';
export const DEFAULT_GCP_METADATA = 'http://169.254.169.254';
const METADATA_TIMEOUT_MS = 2000; // link-local answers in ms or not at all

interface SmallResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One small request straight to the metadata server (never via a proxy); null on transport error. */
async function metaRequest(url: string, method: 'GET' | 'PUT', headers: Record<string, string>, signal?: AbortSignal): Promise<SmallResponse | null> {
  const connector = directConnector({ connectTimeoutMs: METADATA_TIMEOUT_MS });
  try {
    const sig = signal ? AbortSignal.any([signal, AbortSignal.timeout(METADATA_TIMEOUT_MS * 2)]) : AbortSignal.timeout(METADATA_TIMEOUT_MS * 2);
    const res = await request(url, connector, { method, headers, signal: sig, headersTimeoutMs: METADATA_TIMEOUT_MS });
    let text = '';
    res.body.setEncoding('utf8');
    for await (const chunk of res.body) text += chunk as string;
    return { status: res.statusCode, headers: res.headers, text };
  } catch {
    return null;
  } finally {
    void connector.destroy();
  }
}

export interface Ec2Identity {
  credentials: AwsCredentials | null;
  region: string | null;
}

/** IMDSv2 (token PUT, then GETs); falls back to IMDSv1 when the token PUT is refused. */
export async function ec2Identity(base: string, log: Logger, signal?: AbortSignal): Promise<Ec2Identity> {
  const root = base.replace(/\/+$/, '');
  const tok = await metaRequest(`${root}/latest/api/token`, 'PUT', { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' }, signal);
  if (!tok) {
    log.debug('EC2 metadata service not reachable; using anonymous S3 access');
    return { credentials: null, region: null };
  }
  const hdr: Record<string, string> = tok.status === 200 ? { 'x-aws-ec2-metadata-token': tok.text.trim() } : {};
  const get = async (path: string) => {
    const r = await metaRequest(`${root}/latest/meta-data/${path}`, 'GET', hdr, signal);
    return r && r.status === 200 ? r.text : null;
  };
  const region = (await get('placement/region'))?.trim() || null;
  const roles = await get('iam/security-credentials/');
  const role = roles
    ?.split('\n')
    .map((s) => s.trim())
    .find(Boolean);
  if (!role) {
    log.debug('no IAM role attached to the instance; using anonymous S3 access');
    return { credentials: null, region };
  }
  const raw = await get(`iam/security-credentials/${encodeURIComponent(role)}`);
  try {
    const j = JSON.parse(raw ?? '') as { AccessKeyId?: string; SecretAccessKey?: string; Token?: string };
    if (j.AccessKeyId && j.SecretAccessKey) {
      log.debug(`using credentials of IAM role ${role}`);
      return { credentials: { accessKeyId: j.AccessKeyId, secretAccessKey: j.SecretAccessKey, sessionToken: j.Token ?? null }, region };
    }
  } catch {
    // fall through to anonymous
  }
  log.warn(`could not read credentials of IAM role ${role}; using anonymous S3 access`);
  return { credentials: null, region };
}

/** OAuth token of the instance's default service account, or null when not on GCE. */
export async function gceToken(base: string, log: Logger, signal?: AbortSignal): Promise<string | null> {
  const root = base.replace(/\/+$/, '');
  const r = await metaRequest(`${root}/computeMetadata/v1/instance/service-accounts/default/token`, 'GET', { 'metadata-flavor': 'Google' }, signal);
  if (!r || r.status !== 200 || r.headers['metadata-flavor'] !== 'Google') {
    log.debug('GCE metadata server not available; using anonymous GCS access');
    return null;
  }
  try {
    const tok = (JSON.parse(r.text) as { access_token?: string }).access_token;
    return tok || null;
  } catch {
    return null;
  }
}
