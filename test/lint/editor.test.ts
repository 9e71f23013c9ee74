// The generated Butane schemas in a real editor backend: yaml-language-server (what the VS Code YAML
// extension, Neovim and others run) over LSP stdio, given a .bu file that names its schema with a
// modeline, as the README tells users to. No network: the schema store is off, the schema is a file.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient } from '../support/lsp.js';

const require = createRequire(import.meta.url);
const SERVER = path.join(path.dirname(require.resolve('yaml-language-server/package.json')), 'bin', 'yaml-language-server');
const SCHEMA = path.resolve('schema/butane/fcos-1.6.0.json');
const URI = pathToFileURL(path.resolve('test/lint/editor-example.bu')).href;

const TEXT = [
  `# yaml-language-server: $schema=${pathToFileURL(SCHEMA).href}`, // 0
  'variant: fcos', // 1
  'version: 1.6.0', // 2
  'storage:', // 3
  '  files:', // 4
  '    - path: /etc/motd', // 5
  '      mode: "0644"', // 6: a string where an integer goes
  '      contnets:', // 7: unknown key
  '        inline: Welcome', // 8
  '      ', // 9: where completion is asked
  '',
].join('\n');

interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
}

let lsp: LspClient;
let diagnostics: Diag[];

beforeAll(async () => {
  lsp = new LspClient(process.execPath, [SERVER, '--stdio']);
  await lsp.request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(path.resolve('.')).href,
    capabilities: {
      textDocument: {
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: {},
      },
    },
  });
  lsp.notify('initialized', {});
  lsp.notify('workspace/didChangeConfiguration', {
    settings: { yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false }, format: { enable: false } } },
  });
  lsp.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'yaml', version: 1, text: TEXT } });
  const m = await lsp.waitFor(
    (x) =>
      x.method === 'textDocument/publishDiagnostics' &&
      (x.params as { uri: string; diagnostics: unknown[] }).uri === URI &&
      (x.params as { diagnostics: unknown[] }).diagnostics.length > 0,
  );
  diagnostics = (m.params as { diagnostics: Diag[] }).diagnostics;
}, 60_000);
afterAll(async () => lsp?.close());

describe('yaml-language-server with the generated Butane schema', () => {
  it('reports the wrong type and the unknown key at their positions', () => {
    const at = (line: number) => diagnostics.filter((d) => d.range.start.line === line);
    expect(
      at(6)
        .map((d) => d.message)
        .join(' '),
    ).toMatch(/Incorrect type\. Expected "integer"/);
    expect(at(6)[0].range.start.character).toBe(12);
    expect(
      at(7)
        .map((d) => d.message)
        .join(' '),
    ).toMatch(/Property contnets is not allowed/);
    expect(at(7)[0].range.start.character).toBe(6);
    expect(diagnostics.every((d) => d.range.start.line === 6 || d.range.start.line === 7)).toBe(true);
  });

  it('completes the keys of a file entry', async () => {
    const r = await lsp.request<{ items: { label: string }[] }>('textDocument/completion', { textDocument: { uri: URI }, position: { line: 9, character: 6 } });
    const labels = r.items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['contents', 'overwrite', 'user']));
    expect(labels).not.toContain('path'); // already written
  });

  it('shows the field description on hover', async () => {
    const r = await lsp.request<{ contents: { kind: string; value: string } }>('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: 6, character: 7 },
    });
    expect(r.contents.value).toContain('**mode** (`integer`, default `0644`)');
    expect(r.contents.value).toContain('Permission bits');
  });

  it('offers the file snippet when a new entry is started', async () => {
    const text = TEXT.replace('    - path: /etc/motd', '    - \n    - path: /etc/motd');
    lsp.notify('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: [{ text }] });
    const r = await lsp.request<{ items: { label: string; insertText?: string }[] }>('textDocument/completion', {
      textDocument: { uri: URI },
      position: { line: 5, character: 6 },
    });
    const snippet = r.items.find((i) => i.label === 'file with inline contents');
    expect(snippet?.insertText).toContain('mode: ${2:0644}');
  });
});

describe('kindling lsp', () => {
  it('publishes the full lint diagnostics (rules and checks, not only the schema) and follows changes', async () => {
    const { CLI } = await import('../cli/helpers.js');
    const ours = new LspClient(process.execPath, [CLI, 'lsp']);
    try {
      const init = await ours.request<{ capabilities: { textDocumentSync: number } }>('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
      });
      expect(init.capabilities.textDocumentSync).toBe(1);
      ours.notify('initialized', {});
      const uri = pathToFileURL(path.resolve('test/lint/lsp-example.bu')).href;
      const text =
        'variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n    - path: etc/motd\n    - path: /opt/tool\n      contents:\n        source: http://example.com/tool\n';
      ours.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      const first = await ours.waitFor((m) => m.method === 'textDocument/publishDiagnostics');
      const ds = (first.params as { uri: string; diagnostics: { code: string; severity: number; range: { start: { line: number; character: number } } }[] })
        .diagnostics;
      expect((first.params as { uri: string }).uri).toBe(uri);
      // The checks of the generated Ignition config wait until the config has no error.
      expect(ds.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character])).toEqual([['node-path', 1, 4, 12]]);
      const change = async (version: number, t: string) => {
        ours.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: t }] });
        const m = await ours.waitFor((x) => x.method === 'textDocument/publishDiagnostics');
        return (m.params as { diagnostics: { code: string; severity: number; range: { start: { line: number; character: number } } }[] }).diagnostics.map(
          (d) => [d.code, d.severity, d.range.start.line, d.range.start.character],
        );
      };
      const fixed = text.replace('etc/motd', '/etc/motd.d/a');
      expect(await change(2, fixed)).toEqual([['http-unverified', 2, 7, 16]]);
      expect(await change(3, fixed.replace('http:', 'https:'))).toEqual([['remote-no-hash', 2, 7, 16]]);
    } finally {
      await ours.close();
    }
  });
});
