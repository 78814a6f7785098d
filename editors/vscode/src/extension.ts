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
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { documentSelector } from './selector';
import { INSTALL_DOCS_URL, resolveServer, type ResolveEnvironment } from './serverPath';
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
  const install = 'Install instructions';
  const settings = 'Open Settings';
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
    await vscode.commands.executeCommand('workbench.action.openSettings', setting ?? SECTION);
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
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector,
    outputChannel: log(),
    traceOutputChannel: log(),
    initializationOptions: serverSettingsFor(),
    middleware: {
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
  try {
    await created.start();
    startFailed = false;
  } catch (error) {
    startFailed = true;
    log().error(`the language server failed to start: ${String(error)}`);
    void reportMissing(
      `the language server (${server.command} ${server.args.join(' ')}) failed to start. Is ` +
        'factory-lint installed with the `server` extra (`pip install "factory-lint[server]"`)?',
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
