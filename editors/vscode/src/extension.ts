/**
 * The factory-lint VS Code extension: starts `factory-lint server` for Factory Droid files
 * (`.factory/settings.json` and friends) and wires up its settings and commands.
 *
 * The extension is activated for any JSON document (VS Code cannot activate on a path
 * pattern), but the server is only started once a Factory file is open, and only Factory files
 * are sent to it (the document selector).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  type ErrorHandler,
  ErrorAction,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { documentSelector } from './selector';
import { StderrLog } from './serverLog';
import {
  INSTALL_DOCS_URL,
  PROBE_COMMAND,
  remoteHint,
  resolveServer,
  type ResolveEnvironment,
} from './serverPath';
import {
  configurationItem,
  needsRestart,
  SECTION,
  type ServerSettings,
  toServerSettings,
} from './settings';

const CLIENT_ID = 'factoryLint'; // the client reads `factoryLint.trace.server` by this id
const CLIENT_NAME = 'factory-lint';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;
/** Set after a failed start, so the error is shown once rather than for every file opened. */
let startFailed = false;
let starting: Promise<void> | undefined;
/** Set while the server runs: the Command Palette shows the probe command then. */
const RUNNING_CONTEXT = 'factoryLint.serverRunning';

function log(): vscode.LogOutputChannel {
  output ??= vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  return output;
}

function isExecutable(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) {
      return false;
    }
    if (process.platform === 'win32') {
      return true;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function serverSettingsFor(scope?: vscode.Uri): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope ?? null);
  const { settings, problems } = toServerSettings((key) => config.get(key));
  for (const problem of problems) {
    log().warn(problem);
  }
  return settings;
}

const selector = documentSelector();

function isFactoryDocument(document: vscode.TextDocument): boolean {
  return vscode.languages.match(selector, document) > 0;
}

async function reportMissing(message: string, setting?: string): Promise<void> {
  log().error(message);
  const hint = remoteHint(vscode.env.remoteName);
  if (hint !== undefined) {
    message = `${message}${/[.!?]$/.test(message) ? '' : '.'} ${hint}`;
  }
  const install = 'Install instructions';
  const remote = vscode.env.remoteName !== undefined;
  const settings = remote ? 'Open Remote Settings' : 'Open Settings';
  const show = 'Show Output';
  const choice = await vscode.window.showErrorMessage(
    `factory-lint: ${message}`,
    install,
    settings,
    show,
  );
  if (choice === install) {
    await vscode.env.openExternal(vscode.Uri.parse(INSTALL_DOCS_URL));
  } else if (choice === settings) {
    // In a remote window, the Remote settings are the ones VS Code keeps on that machine.
    const command = remote ? 'workbench.action.openRemoteSettings' : 'workbench.action.openSettings';
    await vscode.commands.executeCommand(command, setting ?? SECTION);
  } else if (choice === show) {
    log().show();
  }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const env: ResolveEnvironment = {
    platform: process.platform,
    env: process.env,
    home: os.homedir(),
    workspaceFolder: folder,
    isExecutable,
  };
  const resolution = resolveServer(
    { path: config.get<string>('path'), interpreter: config.get<string>('interpreter') },
    env,
  );
  if (!resolution.ok) {
    startFailed = true;
    void reportMissing(resolution.message, resolution.setting);
    return;
  }
  const { server } = resolution;
  log().info(`starting ${server.command} ${server.args.join(' ')} (from ${server.source})`);

  const serverOptions: ServerOptions = {
    command: server.command,
    args: server.args,
    transport: TransportKind.stdio,
    options: folder !== undefined ? { cwd: folder } : {},
  };
  // stderr: what the server says before the protocol is up (a missing `server` extra, a
  // crash), at its level, and kept for the error message if the start fails.
  const stderr = new StderrLog();
  let stderrClosed: Promise<void> = Promise.resolve();
  const stdioOptions: LanguageClientOptions['stdioOptions'] = {
    stdout: (input: Readable, channel: vscode.LogOutputChannel) => {
      readline
        .createInterface({ input, crlfDelay: Infinity, terminal: false })
        .on('line', (line) => channel.info(line));
    },
    stderr: (input: Readable, channel: vscode.LogOutputChannel) => {
      const lines = readline.createInterface({ input, crlfDelay: Infinity, terminal: false });
      stderrClosed = new Promise((resolve) => lines.on('close', () => resolve()));
      lines.on('line', (raw) => {
        const { level, text } = stderr.line(raw);
        channel[level](text);
      });
    },
  };
  // A server that stops before it has answered `initialize` (no `server` extra, a broken
  // install) is not restarted four times with a notification each: one message says why.
  // Once it runs, the client's default handling (restart after a crash) applies.
  let running = false;
  let fallback: ErrorHandler | undefined;
  const defaults = (): ErrorHandler => (fallback ??= created.createDefaultErrorHandler());
  const errorHandler: ErrorHandler = {
    error: (error, message, count) =>
      running
        ? defaults().error(error, message, count)
        : { action: ErrorAction.Shutdown, handled: true },
    closed: () =>
      running ? defaults().closed() : { action: CloseAction.DoNotRestart, handled: true },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector,
    errorHandler,
    initializationFailedHandler: () => false,
    outputChannel: log(),
    traceOutputChannel: log(),
    stdioOptions,
    initializationOptions: serverSettingsFor(),
    middleware: {
      executeCommand: (command, args, next): Promise<unknown> => {
        // From the Command Palette the probe command has no arguments: probe the custom
        // model at the cursor (the server finds the entry around the position).
        if (command === PROBE_COMMAND && args.length === 0) {
          const editor = vscode.window.activeTextEditor;
          if (editor === undefined || !isFactoryDocument(editor.document)) {
            void vscode.window.showWarningMessage(
              'factory-lint: open a Droid settings file and put the cursor in a custom model.',
            );
            return Promise.resolve(undefined);
          }
          const { line, character } = editor.selection.active;
          return Promise.resolve<unknown>(next(command, [
            editor.document.uri.toString(),
            { line, character },
            editor.document.version,
          ]));
        }
        return Promise.resolve<unknown>(next(command, args));
      },
      workspace: {
        // Answer the server's workspace/configuration requests with the mapped settings, per
        // file, rather than the raw `factoryLint` section (which also holds client-only keys).
        configuration: (params) =>
          params.items.map((item) =>
            configurationItem(
              item.section,
              serverSettingsFor(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined),
            ),
          ),
      },
    },
  };
  const created = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = created;
  context.subscriptions.push(
    created.onDidChangeState((event) => {
      void vscode.commands.executeCommand(
        'setContext',
        RUNNING_CONTEXT,
        event.newState === State.Running,
      );
    }),
  );
  try {
    await created.start();
    running = true;
    startFailed = false;
  } catch (error) {
    startFailed = true;
    log().error(`the language server failed to start: ${String(error)}`);
    // the process has exited: wait (briefly) for the rest of its stderr
    await Promise.race([stderrClosed, new Promise((resolve) => setTimeout(resolve, 1000))]);
    const said = stderr.summary();
    const command = `${server.command} ${server.args.join(' ')}`;
    void reportMissing(
      said !== undefined
        ? `the language server (${command}, from ${server.source}) stopped: ${said}`
        : `the language server (${command}, from ${server.source}) failed to start. Is ` +
            'factory-lint installed with the `server` extra?',
      server.source === 'PATH' ? undefined : server.source,
    );
  }
  context.subscriptions.push(created);
}

async function ensureStarted(context: vscode.ExtensionContext): Promise<void> {
  if (client !== undefined || startFailed) {
    return;
  }
  starting ??= startClient(context).finally(() => {
    starting = undefined;
  });
  await starting;
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined && running.state !== State.Stopped) {
    try {
      await running.stop();
    } catch (error) {
      log().warn(`stopping the server: ${String(error)}`);
    }
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await starting;
  await stopClient();
  startFailed = false;
  await startClient(context);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('factoryLint.restartServer', () => restart(context)),
    vscode.commands.registerCommand('factoryLint.showOutput', () => log().show()),
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (isFactoryDocument(document)) {
        void ensureStarted(context);
      }
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration(SECTION)) {
        return;
      }
      if (needsRestart((section) => event.affectsConfiguration(section))) {
        if (client !== undefined || startFailed) {
          log().info('factoryLint.path or factoryLint.interpreter changed: restarting the server');
          await restart(context);
        }
        return;
      }
      if (client?.state === State.Running) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { [SECTION]: serverSettingsFor() },
        });
      }
    }),
  );
  if (vscode.workspace.textDocuments.some(isFactoryDocument)) {
    await ensureStarted(context);
  }
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
