/**
 * Smoke test of the bundled extension (dist/extension.js, what the .vsix ships) in Node, with a
 * stub of the `vscode` module: it loads, activate() registers the commands package.json
 * declares, a non-Factory JSON file starts nothing, and opening a Factory file with a broken
 * factoryLint.path shows the error with the install-instructions link. (Starting the real
 * client needs VS Code; the server side is covered by test/e2e.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { minimatch } from 'minimatch';

const root = path.join(__dirname, '..', '..', '..');

interface Doc {
  uri: { fsPath: string; scheme: string };
  languageId: string;
}
interface Filter {
  language: string;
  scheme: string;
  pattern: string;
}

const commands = new Map<string, () => unknown>();
const openListeners: ((doc: Doc) => void)[] = [];
const errors: { message: string; items: string[] }[] = [];
const opened: string[] = [];
const config: Record<string, unknown> = { path: '/nonexistent/factory-lint', interpreter: '' };
let answer: string | undefined = 'Install instructions';

const disposable = { dispose: () => undefined };
class Stub {}
const vscodeStub = {
  CompletionItem: Stub,
  CodeLens: Stub,
  DocumentLink: Stub,
  CodeAction: Stub,
  Diagnostic: Stub,
  CallHierarchyItem: Stub,
  TypeHierarchyItem: Stub,
  SymbolInformation: Stub,
  InlayHint: Stub,
  CancellationError: Error,
  Uri: { parse: (value: string) => ({ toString: () => value }) },
  env: {
    remoteName: undefined as string | undefined,
    openExternal: (uri: { toString(): string }) => {
      opened.push(uri.toString());
      return Promise.resolve(true);
    },
  },
  window: {
    createOutputChannel: () => ({
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
      show: () => undefined,
      dispose: () => undefined,
    }),
    showErrorMessage: (message: string, ...items: string[]) => {
      errors.push({ message, items });
      return Promise.resolve(answer);
    },
  },
  commands: {
    registerCommand: (id: string, fn: () => unknown) => {
      commands.set(id, fn);
      return disposable;
    },
    executeCommand: () => Promise.resolve(undefined),
  },
  workspace: {
    textDocuments: [] as Doc[],
    workspaceFolders: undefined,
    onDidOpenTextDocument: (fn: (doc: Doc) => void) => {
      openListeners.push(fn);
      return disposable;
    },
    onDidChangeConfiguration: () => disposable,
    getConfiguration: () => ({ get: (key: string) => config[key] }),
  },
  languages: {
    match: (selector: Filter[], doc: Doc) =>
      selector.some(
        (f) =>
          f.language === doc.languageId &&
          f.scheme === doc.uri.scheme &&
          minimatch(doc.uri.fsPath, f.pattern, { dot: true }),
      )
        ? 10
        : 0,
  },
};

// Resolve `require('vscode')` to the stub.
const moduleApi = Module as unknown as {
  _resolveFilename: (request: string, ...rest: unknown[]) => string;
};
const resolve = moduleApi._resolveFilename;
moduleApi._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeStub } as NodeJS.Module;

function doc(fsPath: string, languageId = 'jsonc'): Doc {
  return { uri: { fsPath, scheme: 'file' }, languageId };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setImmediate(r));
  }
}

describe('the bundled extension', () => {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    main: string;
    contributes: { commands: { command: string }[] };
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(path.join(root, manifest.main)) as {
    activate: (context: { subscriptions: unknown[] }) => Promise<void>;
  };

  it('activates and registers every command package.json declares', async () => {
    await extension.activate({ subscriptions: [] });
    // `factory-lint.*` are the server's commands: the language client registers them once the
    // server runs (tested against the server in test/e2e)
    assert.deepEqual(
      [...commands.keys()].sort(),
      manifest.contributes.commands
        .map((c) => c.command)
        .filter((c) => !c.startsWith('factory-lint.'))
        .sort(),
    );
  });

  it('starts nothing for a JSON file that is not a Factory file', async () => {
    for (const listener of openListeners) {
      listener(doc('/repo/.vscode/settings.json'));
    }
    await settle();
    assert.deepEqual(errors, []);
  });

  it('reports a broken factoryLint.path once, with a link to the install docs', async () => {
    for (const listener of openListeners) {
      listener(doc('/home/me/.factory/settings.json'));
      listener(doc('/home/me/.factory/config.json', 'json'));
    }
    await settle();
    assert.equal(errors.length, 1, 'one error, not one per file');
    assert.match(errors[0]?.message ?? '', /factoryLint\.path is "\/nonexistent\/factory-lint"/);
    assert.deepEqual(errors[0]?.items, ['Install instructions', 'Open Settings', 'Show Output']);
    assert.deepEqual(opened, [
      'https://github.com/factory-lint/factory-lint/blob/main/docs/editors.md#vs-code',
    ]);
  });

  it('tries again on "Restart Server"', async () => {
    answer = undefined;
    config.path = '';
    const before = errors.length;
    const restart = commands.get('factoryLint.restartServer');
    assert.ok(restart);
    // no factory-lint on this PATH: the not-found message
    const savedPath = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await restart();
      await settle();
    } finally {
      process.env.PATH = savedPath;
    }
    assert.equal(errors.length, before + 1);
    assert.match(errors[errors.length - 1]?.message ?? '', /not on PATH/);
    assert.doesNotMatch(errors[errors.length - 1]?.message ?? '', /remote/);
  });

  it('points a remote window at the Remote settings', async () => {
    vscodeStub.env.remoteName = 'ssh-remote';
    config.path = '~/.local/bin/factory-lint-missing';
    const before = errors.length;
    try {
      await commands.get('factoryLint.restartServer')?.();
      await settle();
    } finally {
      vscodeStub.env.remoteName = undefined;
    }
    assert.equal(errors.length, before + 1);
    const message = errors[errors.length - 1]?.message ?? '';
    assert.match(message, /factoryLint\.path is "~\/\.local\/bin\/factory-lint-missing"/);
    assert.match(message, /remote window \(Remote-SSH\).*Remote settings/);
    assert.deepEqual(errors[errors.length - 1]?.items, [
      'Install instructions',
      'Open Remote Settings',
      'Show Output',
    ]);
  });
});
