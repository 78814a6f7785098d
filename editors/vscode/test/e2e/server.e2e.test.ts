/**
 * End-to-end: the real `factory-lint server` (Python, over stdio) driven by
 * vscode-languageserver-protocol with VS Code's client capabilities, as the extension would:
 * diagnostics with codes and UTF-16 ranges, a quick fix applied, model completions, settings.
 *
 * The server command is `factory-lint server` from PATH (CI activates the venv), or
 * FACTORY_LINT_SERVER="python -m factory_lint server".
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  type Diagnostic,
  DiagnosticSeverity,
  type Position,
  type Range,
  type TextEdit,
  TextDocumentSyncKind,
} from 'vscode-languageserver-protocol/node';
import { objectReader, toServerSettings } from '../../src/settings';
import { serverCommand, TestClient } from './client';
import { vscodeCapabilities } from './vscodeCapabilities';

export const BROKEN = `{
  // Two custom models for Droid; both have problems factory-lint finds.
  "customModels": [
    {
      "model": "claude-sonnet-4-5",
      "displayName": "Sonnet 🚀", "provider": "Anthropic",
      "baseUrl": "https://api.anthropic.com",
      "apiKey": "\${ANTHROPIC_API_KEY}"
    },
    {
      "model": "claude-opus-4-1",
      "displayName": "Opus",
      "baseUrl": "https://openrouter.ai/api/v1",
      "apiKey": "\${OPENROUTER_API_KEY}",
      "provider": "claude",
      "maxTokens": 8192
    }
  ]
}
`;

/** The range of the `nth` occurrence of `needle`, in UTF-16 code units (JS string indices). */
function rangeOf(text: string, needle: string, nth = 0): Range {
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = text.indexOf(needle, index + 1);
    assert.notEqual(index, -1, `${needle} not in the text`);
  }
  return { start: positionAt(text, index), end: positionAt(text, index + needle.length) };
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

function messageText(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function byCode(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.find((d) => d.code === code);
  assert.ok(found, `no ${code} in ${JSON.stringify(diagnostics.map((d) => d.code))}`);
  return found;
}


// Findings and completions that depend on the date (retired models) stay as written.
process.env.FACTORY_LINT_TODAY ??= '2026-12-08';

describe('factory-lint server with VS Code client capabilities', () => {
  let dir: string;
  let uri: string;
  let client: TestClient;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-lint-e2e-'));
    mkdirSync(path.join(dir, '.factory'));
    mkdirSync(path.join(dir, '.git')); // a project: the file is in a work tree
    const file = path.join(dir, '.factory', 'settings.json');
    writeFileSync(file, BROKEN);
    uri = pathToFileURL(file).href;
    const { settings } = toServerSettings(objectReader({}));
    client = new TestClient(serverCommand(), settings, dir);
    await client.initialize(vscodeCapabilities, dir, settings);
  });

  after(async () => {
    try {
      if (client.process.exitCode === null) {
        const code = await client.shutdown();
        assert.equal(code, 0, 'the server exits with 0 after shutdown + exit');
      }
    } finally {
      client.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('announces the features the extension relies on, in UTF-16', () => {
    const capabilities = client.result?.capabilities;
    assert.ok(capabilities);
    const encoding = capabilities.positionEncoding ?? 'utf-16';
    assert.equal(encoding, 'utf-16', 'VS Code only offers UTF-16');
    const sync = capabilities.textDocumentSync;
    const change = typeof sync === 'number' ? sync : sync?.change;
    assert.ok(
      change === TextDocumentSyncKind.Incremental || change === TextDocumentSyncKind.Full,
      'the server syncs documents',
    );
    assert.ok(capabilities.codeActionProvider, 'code actions');
    assert.ok(capabilities.completionProvider, 'completions');
    // the language client registers the server's commands; package.json must contribute each
    // one so that it has a title in the Command Palette
    const commands = capabilities.executeCommandProvider?.commands ?? [];
    assert.ok(commands.includes('factory-lint.probeModel'), JSON.stringify(commands));
    const manifest = JSON.parse(
      readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
    ) as { contributes: { commands: { command: string }[] } };
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.deepEqual(
      commands.filter((c) => !contributed.includes(c)),
      [],
      'server commands missing from package.json',
    );
  });

  it('reports the broken file with rule codes, severities, links and UTF-16 ranges', async (t) => {
    await client.open(uri, BROKEN);
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
    t.diagnostic(
      `${client.pulls ? 'pulled' : 'pushed'}: ${diagnostics.map((d) => `${String(d.code)}@${d.range.start.line + 1}`).join(' ')}`,
    );
    for (const diagnostic of diagnostics) {
      assert.equal(diagnostic.source, 'factory-lint');
      assert.match(String(diagnostic.code), /^FL\d{3}$/);
      assert.match(diagnostic.codeDescription?.href ?? '', /^https:\/\/.*#fl\d{3}-/);
    }
    const spelling = byCode(diagnostics, 'FL202');
    // after an emoji (two UTF-16 code units) on the same line: the column must count UTF-16
    assert.deepEqual(spelling.range, rangeOf(BROKEN, '"Anthropic"'));
    assert.equal(spelling.severity, DiagnosticSeverity.Warning);
    const unknown = byCode(diagnostics, 'FL201');
    assert.deepEqual(unknown.range, rangeOf(BROKEN, '"claude"'));
    assert.equal(unknown.severity, DiagnosticSeverity.Error);
    assert.match(messageText(unknown), /did you mean "anthropic"/);
    const key = byCode(diagnostics, 'FL104');
    assert.equal(key.range.start.line, rangeOf(BROKEN, '"maxTokens"').start.line);
  });

  it('does not both push and serve pulls (VS Code would show every problem twice)', () => {
    if (!client.pulls) {
      return;
    }
    const pushed = (client.published.get(uri) ?? []).filter((p) => p.diagnostics.length > 0);
    assert.deepEqual(pushed, [], 'the server pushed diagnostics to a client that pulls them');
  });

  it('offers the safe quick fix for "Anthropic" and applying it removes the warning', async () => {
    const before = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'FL202'));
    const spelling = byCode(before, 'FL202');
    const actions = await client.codeActions(uri, spelling.range, [spelling]);
    const fix = actions.find((a) => a.kind?.startsWith('quickfix') && /anthropic/.test(a.title));
    assert.ok(fix, `no quick fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.isPreferred, true, 'a safe fix is the preferred one (Ctrl+. / auto-fix)');
    const resolved = await client.resolve(fix);
    assert.ok(resolved.edit, 'the action carries (or resolves to) a workspace edit');
    const edits = client.applyEdit(resolved.edit);
    assert.equal(edits.length, 1);
    await client.waitFor('the edit to be applied', () =>
      client.document(uri).getText().includes('"provider": "anthropic",') ? true : undefined,
    );
    const text = client.document(uri).getText();
    assert.equal(text, BROKEN.replace('"provider": "Anthropic"', '"provider": "anthropic"'));
    const after = await client.diagnostics(uri, (d) => !d.some((x) => x.code === 'FL202'));
    assert.ok(after.some((d) => d.code === 'FL201'), 'the other problems remain');
  });

  it('offers the unsafe fix "claude" → "anthropic" as a quick fix that is not preferred', async () => {
    const diagnostics = await client.diagnostics(uri, (d) => d.some((x) => x.code === 'FL201'));
    const unknown = byCode(diagnostics, 'FL201');
    const actions = await client.codeActions(uri, unknown.range, [unknown]);
    const fix = actions.find((a) => a.kind?.startsWith('quickfix') && /anthropic/.test(a.title));
    assert.ok(fix, `no fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.notEqual(fix.isPreferred, true, 'an unsafe fix must not be applied automatically');
    const resolved = await client.resolve(fix);
    const edit = resolved.edit;
    assert.ok(edit);
    const edits = [
      ...Object.values(edit.changes ?? {}).flat(),
      ...(edit.documentChanges ?? []).flatMap((c) => ('edits' in c ? c.edits : [])),
    ].filter((e): e is TextEdit => 'newText' in e);
    assert.deepEqual(
      edits.map((e) => ({ range: e.range, newText: e.newText })),
      [{ range: unknown.range, newText: '"anthropic"' }],
    );
  });

  it('completes the model IDs of the entry endpoint inside a "model" value', async (t) => {
    const text = client.document(uri).getText();
    // just after the opening quote of "claude-sonnet-4-5" (api.anthropic.com)
    const anthropic = rangeOf(text, '"claude-sonnet-4-5"').start;
    const items = await client.completion(uri, { ...anthropic, character: anthropic.character + 1 });
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('claude-sonnet-4-6'), `labels: ${labels.join(', ')}`);
    // claude-sonnet-4-5 was retired on 2026-11-30: completions never offer retired models
    assert.ok(!labels.includes('claude-sonnet-4-5'), 'a retired model was offered');
    assert.ok(labels.includes('claude-opus-4-1'));
    assert.ok(!labels.some((l) => l.startsWith('gpt-')), 'no OpenAI models for api.anthropic.com');
    t.diagnostic(`${labels.length} items for api.anthropic.com, e.g. ${labels.slice(0, 3).join(', ')}`);

    // the second entry points at OpenRouter: vendor/model IDs
    const openrouter = rangeOf(text, '"claude-opus-4-1"').start;
    const routed = await client.completion(uri, { ...openrouter, character: openrouter.character + 1 });
    const routedLabels = routed.map((i) => i.label);
    assert.ok(routedLabels.length > 0, 'OpenRouter models are completed');
    assert.ok(
      routedLabels.every((l) => l.includes('/')),
      `OpenRouter IDs are vendor/model: ${routedLabels.slice(0, 5).join(', ')}`,
    );
    t.diagnostic(`${routedLabels.length} items for OpenRouter, e.g. ${routedLabels.slice(0, 3).join(', ')}`);
  });

  it('offers each model ID once', async () => {
    const text = client.document(uri).getText();
    const start = rangeOf(text, '"claude-sonnet-4-5"').start;
    const items = await client.completion(uri, { ...start, character: start.character + 1 });
    const labels = items.map((i) => i.label);
    const twice = labels.filter((l, i) => labels.indexOf(l) !== i);
    assert.deepEqual(twice, [], 'duplicate completion items');
  });

  it('applies select/ignore/severity from workspace/configuration', async (t) => {
    const { settings } = toServerSettings(
      objectReader({ ignore: ['FL104'], severity: { FL201: 'warning' } }),
    );
    await client.changeSettings(settings);
    const diagnostics = await client.diagnostics(
      uri,
      (d) =>
        !d.some((x) => x.code === 'FL104') &&
        d.some((x) => x.code === 'FL201' && x.severity === DiagnosticSeverity.Warning),
    );
    assert.ok(diagnostics.length > 0);

    t.diagnostic(
      `configuration requested: ${JSON.stringify([...new Set(client.configurationRequests.map((i) => i.section ?? '(all)'))])}`,
    );
    const reset = toServerSettings(objectReader({})).settings;
    await client.changeSettings(reset);
    await client.diagnostics(uri, (d) => d.some((x) => x.code === 'FL104'));
  });

  it('accepts every setting the extension sends, and offers probe lenses when asked', async () => {
    // every factoryLint.* setting with a value other than its default: the server must know all
    const { settings, problems } = toServerSettings(
      objectReader({
        select: ['ALL'],
        ignore: ['FL104'],
        severity: { FL201: 'info', FL105: 'off' },
        useConfigFile: false,
        debounceMs: 50,
        incrementalMinChars: 1000,
        fullLintDelayMs: 200,
        probeCodeLens: true,
      }),
    );
    assert.deepEqual(problems, []);
    const logged = client.log.length;
    await client.changeSettings(settings);
    await client.diagnostics(uri, (d) => !d.some((x) => x.code === 'FL104'));
    const lenses = await client.codeLenses(uri);
    assert.equal(lenses.length, 2, 'one "Probe this model" lens per custom model');
    assert.deepEqual(
      lenses.map((l): unknown[] => [l.command?.title, l.command?.command, l.command?.arguments?.[1]]),
      [
        ['Probe this model', 'factory-lint.probeModel', 0],
        ['Probe this model', 'factory-lint.probeModel', 1],
      ],
    );
    const complaints = client.log.slice(logged).filter((line) => /setting|must be/i.test(line));
    assert.deepEqual(complaints, [], 'the server ignored a setting the extension sent');

    await client.changeSettings(toServerSettings(objectReader({})).settings);
    assert.deepEqual(await client.codeLenses(uri), [], 'no lenses by default (no network)');
    await client.diagnostics(uri, (d) => d.some((x) => x.code === 'FL104'));
  });

  it('leaves JSON files that are not Factory files alone', async () => {
    const other = pathToFileURL(path.join(dir, 'package.json')).href;
    await client.open(other, '{ "name": "x", "provider": "claude" }\n', 'json');
    if (client.pulls) {
      const diagnostics = await client.diagnostics(other);
      assert.deepEqual(diagnostics, []);
    } else {
      // nothing, or an empty list, is published for it
      await new Promise((resolve) => setTimeout(resolve, 500));
      const published = client.published.get(other) ?? [];
      assert.ok(published.every((p) => p.diagnostics.length === 0));
    }
  });
});
