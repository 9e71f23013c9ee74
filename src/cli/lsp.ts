// `kindling lsp`: a small Language Server over stdio that publishes `kindling lint`'s diagnostics
// (Butane's and Ignition's rules and the lint checks, not only the schema) for every Butane or
// Ignition document an editor opens or changes. It speaks just enough LSP for that: initialize,
// full text sync, publishDiagnostics, shutdown and exit.
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diag/diagnostic.js';
import { lintSource } from '../lint/lint.js';
import { readCommandLine, type CommandSpec } from './args.js';

const SPEC = {
  name: 'lsp',
  operands: '',
  summary:
    "Run a Language Server on stdin/stdout that publishes kindling lint's diagnostics for the Butane\nand Ignition documents an editor opens (full document sync).",
  maxOperands: 0,
  flags: {
    'files-dir': { short: 'd', value: 'DIR', help: 'directory that local file references are relative to' },
  },
} as const satisfies CommandSpec;

interface Message {
  id?: number | string;
  method?: string;
  params?: Record<string, unknown>;
}

const SEVERITY = { error: 1, warning: 2, info: 3 } as const;

/** LSP diagnostics (0-based lines and UTF-16 columns) of one document. */
export function lspDiagnostics(uri: string, text: string, filesDir?: string): object[] {
  const file = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  const r = lintSource(file, text, { filesDir });
  return r.diagnostics
    .filter((d) => !d.source?.file || d.source.file === file)
    .map((d: Diagnostic) => {
      const s = d.source ?? { line: 1, column: 1 };
      const start = { line: s.line - 1, character: s.column - 1 };
      const end =
        s.endLine !== undefined && s.endColumn !== undefined
          ? { line: s.endLine - 1, character: s.endColumn - 1 }
          : { line: start.line, character: start.character + 1 };
      return {
        range: { start, end },
        severity: SEVERITY[d.severity],
        code: d.code,
        source: 'kindling',
        message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
      };
    });
}

export async function main(argv: string[]): Promise<number> {
  const cl = readCommandLine(SPEC, argv);
  if (typeof cl === 'number') return cl;
  const filesDir = cl.values['files-dir'];
  const send = (m: object) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m }), 'utf8');
    process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
    process.stdout.write(body);
  };
  const publish = (uri: string, text: string) =>
    send({ method: 'textDocument/publishDiagnostics', params: { uri, diagnostics: lspDiagnostics(uri, text, filesDir) } });
  let shutdown = false;
  return new Promise<number>((resolve) => {
    const handle = (m: Message) => {
      const p = m.params ?? {};
      const doc = p.textDocument as { uri: string; text?: string } | undefined;
      switch (m.method) {
        case 'initialize':
          return send({ id: m.id, result: { capabilities: { textDocumentSync: 1 }, serverInfo: { name: 'kindling' } } });
        case 'textDocument/didOpen':
          return doc && publish(doc.uri, doc.text ?? '');
        case 'textDocument/didChange': {
          const changes = p.contentChanges as { text: string }[] | undefined;
          return doc && changes?.length && publish(doc.uri, changes[changes.length - 1].text);
        }
        case 'textDocument/didClose':
          return doc && send({ method: 'textDocument/publishDiagnostics', params: { uri: doc.uri, diagnostics: [] } });
        case 'shutdown':
          shutdown = true;
          return send({ id: m.id, result: null });
        case 'exit':
          return resolve(shutdown ? 0 : 1);
        default:
          // Requests this server does not know get an error; notifications are ignored.
          if (m.id !== undefined) send({ id: m.id, error: { code: -32601, message: `unsupported method ${m.method}` } });
      }
    };
    let buffer = Buffer.alloc(0);
    process.stdin.on('data', (d: Buffer) => {
      buffer = Buffer.concat([buffer, d]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: *(\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1] ?? NaN);
        if (!Number.isFinite(length)) {
          buffer = buffer.subarray(headerEnd + 4);
          continue;
        }
        if (buffer.length < headerEnd + 4 + length) return;
        const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
        buffer = buffer.subarray(headerEnd + 4 + length);
        try {
          handle(JSON.parse(body) as Message);
        } catch (e) {
          process.stderr.write(`kindling lsp: ${(e as Error).message}\n`);
        }
      }
    });
    process.stdin.on('end', () => resolve(shutdown ? 0 : 1));
  });
}
