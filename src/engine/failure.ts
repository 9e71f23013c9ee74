// The failure report of a boot stage: one JSON document in /run/kindling/failure.json that the
// emergency shell prints, with everything a person needs to fix the config and nothing secret
// (Ignition prints the whole config on failure, data: URLs of keys included; we never do).
import { formatPath, type ConfigPath, type SourceSpan } from '../diag/diagnostic.js';
import { FetchError } from '../fetch/errors.js';
import { redactUrl } from '../fetch/redact.js';
import { describeOp } from '../stages/files/plan/describe.js';
import { REDACTED, redactArgv } from '../host/host.js';
import { OpError } from '../stages/files/errors.js';
import { AcquireError } from './acquire.js';
import { RenderError } from './render.js';

export interface FailureReport {
  stage: string;
  message: string;
  operation?: string;
  configPath?: string;
  /** `file:line:column` of the Butane YAML the failing entry came from. */
  yaml?: string;
  url?: string;
  command?: string;
  exitStatus?: number;
  stderr?: string;
  hint?: string;
  time: string;
}

/** Masks URL credentials and signed-URL tokens anywhere in a text. */
export function scrub(text: string): string {
  return text
    .replace(/\b(?:https?|tftp|s3|gs|arn|data):[^\s"'<>]+/gi, (u) => redactUrl(u))
    .replace(/("(?:--password|-p)" )"(?:[^"\\]|\\.)*"/g, `$1"${REDACTED}"`);
}

// Ignition's command error text: exit status N: Cmd: "a" "b" Stdout: "…" Stderr: "…"
const COMMAND_TEXT = /exit status (\d+): Cmd: (.*?) Stdout: ("(?:[^"\\]|\\.)*") Stderr: ("(?:[^"\\]|\\.)*")/s;

function fromCommandText(msg: string): Pick<FailureReport, 'command' | 'exitStatus' | 'stderr'> {
  const m = COMMAND_TEXT.exec(msg);
  if (!m) return {};
  const argv = [...m[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => JSON.parse(`"${x[1]}"`) as string);
  return { command: redactArgv(argv).join(' '), exitStatus: Number(m[1]), stderr: (JSON.parse(m[4]) as string).trim() };
}

const FETCH_HINTS: Record<string, string> = {
  'hash-mismatch': 'the fetched data does not match verification.hash: fix the hash or the source',
  'not-found': 'the server answered 404: check the URL',
  timeout: 'the source did not answer in time: check the network, or raise ignition.timeouts.httpTotal / --fetch-timeout',
};

export function describeFailure(
  stage: string,
  e: unknown,
  sourceOf?: (path: ConfigPath) => SourceSpan | undefined,
  now: () => Date = () => new Date(),
): FailureReport {
  const message = scrub(e instanceof Error ? e.message : String(e));
  const r: FailureReport = { stage, message, time: now().toISOString() };
  Object.assign(r, fromCommandText(message));
  if (e instanceof OpError) {
    const d = e.details;
    if (d.op) {
      r.operation = describeOp(d.op);
      // A failed download names its (redacted) source on its own line.
      if ((d.op.kind === 'write' || d.op.kind === 'append') && 'resource' in d.op.contents && d.op.contents.resource.source)
        r.url = redactUrl(d.op.contents.resource.source);
    }
    if (d.configPath) {
      r.configPath = formatPath(d.configPath);
      const s = sourceOf?.(d.configPath);
      if (s) r.yaml = `${s.file ?? '<stdin>'}:${s.line}:${s.column}`;
    }
    if (d.command) {
      r.command = d.command.argv.join(' ');
      r.exitStatus = d.command.code;
      r.stderr = scrub(d.command.stderr.trim());
    }
    if (d.hint) r.hint = d.hint;
  }
  if ((e instanceof AcquireError || e instanceof RenderError) && e.url) r.url = e.url;
  const code = e instanceof FetchError ? e.code : (e as { cause?: { code?: string } })?.cause?.code;
  if (!r.hint && code && FETCH_HINTS[code]) r.hint = FETCH_HINTS[code];
  if (!r.hint && /config is not valid|unsupported config version/.test(message))
    r.hint = 'run `kindling validate` on the config to see every problem with its line and column';
  return r;
}

/** The few lines the console shows (the emergency hook prints the same from the JSON). */
export function summarize(r: FailureReport): string {
  const lines = [`Kindling failed in stage ${r.stage}: ${r.message}`];
  const add = (k: string, v: string | number | undefined) => v !== undefined && v !== '' && lines.push(`  ${k.padEnd(10)} ${v}`);
  add('operation', r.operation);
  add('config', r.configPath && (r.yaml ? `${r.configPath} (${r.yaml})` : r.configPath));
  add('url', r.url);
  add('command', r.command);
  add('exit', r.exitStatus);
  add('stderr', r.stderr?.split('\n').join('\n             '));
  add('hint', r.hint);
  return lines.join('\n');
}
