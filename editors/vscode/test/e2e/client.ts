/**
 * A minimal LSP client for the end-to-end tests: it talks to the real `factory-lint server`
 * over stdio with vscode-languageserver-protocol, the protocol layer vscode-languageclient (and
 * so VS Code) uses, and behaves as VS Code's client does where it matters: it answers
 * workspace/configuration from the extension's settings mapping, accepts dynamic registrations,
 * pulls diagnostics when the server offers them and collects pushed ones otherwise.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import {
  ApplyWorkspaceEditRequest,
  type ClientCapabilities,
  CodeActionRequest,
  CodeActionResolveRequest,
  type CodeAction,
  type Command,
  CompletionRequest,
  type CompletionItem,
  type CompletionList,
  ConfigurationRequest,
  createProtocolConnection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  type InitializeResult,
  LogMessageNotification,
  type CodeLens,
  CodeLensRequest,
  type Position,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type Range,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  UnregistrationRequest,
  WorkDoneProgressCreateRequest,
  type WorkspaceEdit,
  DiagnosticRefreshRequest,
  ShowMessageNotification,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { configurationItem, type ServerSettings } from '../../src/settings';

export interface ServerCommand {
  command: string;
  args: string[];
}

/** `FACTORY_LINT_SERVER="python -m factory_lint server"` overrides `factory-lint server`. */
export function serverCommand(): ServerCommand {
  const configured = process.env.FACTORY_LINT_SERVER?.trim();
  if (configured) {
    const [command, ...args] = configured.split(/\s+/);
    return { command: command ?? 'factory-lint', args };
  }
  return { command: 'factory-lint', args: ['server'] };
}

interface Published {
  version: number | undefined;
  diagnostics: Diagnostic[];
}

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcessWithoutNullStreams;
  /** What the server wrote to stderr and window/logMessage (shown when a test fails). */
  readonly log: string[] = [];
  /** Every publishDiagnostics notification, in order. */
  readonly published = new Map<string, Published[]>();
  /** Methods the server registered dynamically. */
  readonly registrations = new Map<string, unknown>();
  /** Every workspace/configuration item the server asked for. */
  readonly configurationRequests: { section?: string; scopeUri?: string }[] = [];
  settings: ServerSettings;
  result: InitializeResult | undefined;
  private readonly documents = new Map<string, TextDocument>();
  private readonly waiters: (() => void)[] = [];
  exitCode: Promise<number | null>;

  constructor(server: ServerCommand, settings: ServerSettings, cwd?: string) {
    this.settings = settings;
    this.process = spawn(server.command, server.args, { cwd, stdio: 'pipe' });
    this.exitCode = new Promise((resolve) => {
      this.process.on('exit', (code) => resolve(code));
      this.process.on('error', (error) => {
        this.log.push(`cannot start ${server.command}: ${String(error)}\n`);
        resolve(null);
      });
    });
    this.process.stderr.on('data', (chunk: Buffer) => this.log.push(chunk.toString('utf8')));
    this.connection = createProtocolConnection(
      new StreamMessageReader(this.process.stdout),
      new StreamMessageWriter(this.process.stdin),
    );
    const c = this.connection;
    c.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const list = this.published.get(params.uri) ?? [];
      list.push({ version: params.version, diagnostics: params.diagnostics });
      this.published.set(params.uri, list);
      this.wake();
    });
    c.onNotification(LogMessageNotification.type, (params) => {
      this.log.push(`log: ${params.message}\n`);
    });
    c.onNotification(ShowMessageNotification.type, (params) => {
      this.log.push(`showMessage: ${params.message}\n`);
    });
    c.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => {
        this.configurationRequests.push(item);
        return configurationItem(item.section, this.settings);
      }),
    );
    c.onRequest(RegistrationRequest.type, (params) => {
      for (const registration of params.registrations) {
        this.registrations.set(registration.method, registration.registerOptions);
      }
    });
    c.onRequest(UnregistrationRequest.type, (params) => {
      for (const registration of params.unregisterations) {
        this.registrations.delete(registration.method);
      }
    });
    c.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    c.onRequest(DiagnosticRefreshRequest.type, () => {
      this.wake();
    });
    c.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
      this.applyEdit(params.edit);
      return { applied: true };
    });
    c.onError(([error]) => {
      this.log.push(`connection error: ${String(error)}\n`);
    });
    c.listen();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) {
      waiter();
    }
  }

  /** Resolve when `check` returns a value (re-checked on every server message), or time out. */
  async waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) {
        return value;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out waiting for ${what}\nserver log:\n${this.log.join('')}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** `promise`, or an error with the server's log if the server exits first. */
  guard<T>(promise: Promise<T>): Promise<T> {
    const died = this.exitCode.then((code): never => {
      throw new Error(`the server exited (code ${String(code)})\nserver log:\n${this.log.join('')}`);
    });
    return Promise.race([promise, died]);
  }

  async initialize(
    capabilities: ClientCapabilities,
    rootPath: string,
    initializationOptions: unknown,
  ): Promise<InitializeResult> {
    const rootUri = `file://${rootPath}`;
    this.result = await this.guard(this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      clientInfo: { name: 'Visual Studio Code', version: '1.99.0' },
      locale: 'en',
      rootPath,
      rootUri,
      capabilities,
      initializationOptions,
      trace: 'off',
      workspaceFolders: [{ uri: rootUri, name: 'project' }],
    }));
    await this.connection.sendNotification(InitializedNotification.type, {});
    return this.result;
  }

  /** Whether diagnostics are pulled (the server offers textDocument/diagnostic). */
  get pulls(): boolean {
    return (
      this.result?.capabilities.diagnosticProvider !== undefined ||
      this.registrations.has(DocumentDiagnosticRequest.method)
    );
  }

  document(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (document === undefined) {
      throw new Error(`${uri} is not open`);
    }
    return document;
  }

  async open(uri: string, text: string, languageId = 'jsonc'): Promise<void> {
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  /** Apply edits locally and send them as VS Code does: incremental changes, new version. */
  async edit(uri: string, edits: TextEdit[]): Promise<void> {
    const before = this.document(uri);
    // Last edit first, so that each change's range is still valid when it is applied.
    const ordered = [...edits].sort(
      (a, b) => before.offsetAt(b.range.start) - before.offsetAt(a.range.start),
    );
    const changes: TextDocumentContentChangeEvent[] = ordered.map((e) => ({
      range: e.range,
      text: e.newText,
    }));
    const after = TextDocument.update(before, changes, before.version + 1);
    this.documents.set(uri, after);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: after.version },
      contentChanges: changes,
    });
  }

  applyEdit(edit: WorkspaceEdit): TextEdit[] {
    const edits: TextEdit[] = [];
    for (const [uri, list] of Object.entries(edit.changes ?? {})) {
      edits.push(...list);
      void this.edit(uri, list);
    }
    for (const change of edit.documentChanges ?? []) {
      if ('textDocument' in change) {
        const list = change.edits.filter((e): e is TextEdit => 'range' in e);
        edits.push(...list);
        void this.edit(change.textDocument.uri, list);
      }
    }
    return edits;
  }

  /**
   * The diagnostics for the current version of a document, as VS Code gets them: pulled with
   * textDocument/diagnostic when the server offers it, else the last publishDiagnostics for
   * this version.
   */
  async diagnostics(uri: string, accept: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    const version = this.document(uri).version;
    if (this.pulls) {
      return this.waitForAsync(`pulled diagnostics for ${uri}`, async () => {
        const report = await this.guard(
          this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }),
        );
        if (report.kind === DocumentDiagnosticReportKind.Full && accept(report.items)) {
          return report.items;
        }
        return undefined;
      });
    }
    return this.waitFor(`published diagnostics for ${uri} v${version}`, () => {
      const list = this.published.get(uri) ?? [];
      const last = list[list.length - 1];
      if (last === undefined) {
        return undefined;
      }
      if (last.version !== undefined && last.version !== this.document(uri).version) {
        return undefined;
      }
      return accept(last.diagnostics) ? last.diagnostics : undefined;
    });
  }

  private async waitForAsync<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const value = await check();
      if (value !== undefined) {
        return value;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}\nserver log:\n${this.log.join('')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const result = await this.guard(
      this.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range,
        context: { diagnostics, only: undefined, triggerKind: 1 },
      }),
    );
    const actions: CodeAction[] = [];
    for (const item of result ?? []) {
      if (!isCommand(item)) {
        actions.push(item);
      }
    }
    return actions;
  }

  /** VS Code resolves a code action's edit lazily when the server supports codeAction/resolve. */
  async resolve(action: CodeAction): Promise<CodeAction> {
    if (action.edit !== undefined) {
      return action;
    }
    return this.guard(this.connection.sendRequest(CodeActionResolveRequest.type, action));
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result: CompletionList | CompletionItem[] | null = await this.guard(
      this.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri },
        position,
        context: { triggerKind: 1 },
      }),
    );
    if (result === null) {
      return [];
    }
    return Array.isArray(result) ? result : result.items;
  }

  async codeLenses(uri: string): Promise<CodeLens[]> {
    const result: CodeLens[] | null = await this.guard(
      this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }),
    );
    return result ?? [];
  }

  async changeSettings(settings: ServerSettings): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { factoryLint: settings },
    });
  }

  async shutdown(): Promise<number | null> {
    await this.guard(this.connection.sendRequest(ShutdownRequest.type));
    await this.connection.sendNotification(ExitNotification.type);
    const code = await Promise.race([
      this.exitCode,
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000)),
    ]);
    if (code === 'timeout') {
      this.process.kill();
      throw new Error('the server did not exit within 5 s of the exit notification');
    }
    this.connection.dispose();
    return code;
  }

  kill(): void {
    if (this.process.exitCode === null) {
      this.process.kill();
    }
    this.connection.dispose();
  }
}

function isCommand(item: Command | CodeAction): item is Command {
  return typeof (item as Command).command === 'string';
}
