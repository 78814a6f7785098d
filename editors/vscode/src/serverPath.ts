/**
 * Finding the factory-lint language server: `factoryLint.path`, else `factoryLint.interpreter`
 * (`<python> -m factory_lint server`), else `factory-lint` on PATH. Pure apart from the injected
 * file-system probe, so it is unit-tested without VS Code.
 */
import * as path from 'node:path';

export const INSTALL_DOCS_URL =
  'https://github.com/factory-lint/factory-lint/blob/main/docs/editors.md#vs-code';

/** The server's command that probes one custom model (contributed in package.json). */
export const PROBE_COMMAND = 'factory-lint.probeModel';

/**
 * What to add to a "server not found" message in a remote window (`vscode.env.remoteName`:
 * `ssh-remote`, `wsl`, `dev-container`, code-server's …). The server runs on the remote
 * machine, and VS Code may rewrite the User settings file there at start-up, dropping
 * `factoryLint.path`: the Remote settings are the place for it.
 */
const REMOTES: Record<string, string> = {
  'ssh-remote': 'Remote-SSH',
  wsl: 'WSL',
  'dev-container': 'Dev Containers',
  'attached-container': 'Dev Containers',
  codespaces: 'Codespaces',
  tunnel: 'Remote Tunnels',
};

export function remoteHint(remoteName: string | undefined): string | undefined {
  if (!remoteName) {
    return undefined;
  }
  // code-server's remote name is its address (`127.0.0.1:8080`)
  const what = REMOTES[remoteName] ?? remoteName;
  return (
    `This is a remote window (${what}): the server must be installed on the remote ` +
    'machine, and factoryLint.path or factoryLint.interpreter belong in the Remote settings ' +
    '(Preferences: Open Remote Settings), which VS Code keeps on that machine.'
  );
}

export interface ServerLocationSettings {
  /** `factoryLint.path`: the executable, possibly with `~` or `${workspaceFolder}`. */
  path?: string | undefined;
  /** `factoryLint.interpreter`: a Python that has factory-lint installed. */
  interpreter?: string | undefined;
}

export interface ResolveEnvironment {
  /** `process.platform`. */
  platform: NodeJS.Platform;
  /** `process.env` (PATH, PATHEXT). */
  env: Record<string, string | undefined>;
  /** The user's home directory, for `~`. */
  home: string;
  /** The first workspace folder's path, for `${workspaceFolder}` (undefined when none). */
  workspaceFolder?: string | undefined;
  /** Whether a path is an existing file that can be run. */
  isExecutable: (file: string) => boolean;
}

export interface ServerCommand {
  command: string;
  args: string[];
  /** Where the command came from, for the log and error messages. */
  source: 'factoryLint.path' | 'factoryLint.interpreter' | 'PATH';
}

export type Resolution =
  | { ok: true; server: ServerCommand }
  | { ok: false; message: string; setting?: 'factoryLint.path' | 'factoryLint.interpreter' };

/** Expand `~`, `${userHome}`, `${workspaceFolder}` and `${env:NAME}` in a configured path. */
export function expandVariables(value: string, env: ResolveEnvironment): string | undefined {
  let text = value.trim();
  if (text === '~' || text.startsWith('~/') || text.startsWith('~\\')) {
    text = env.home + text.slice(1);
  }
  let unresolved = false;
  text = text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name === 'userHome') {
      return env.home;
    }
    if (name === 'workspaceFolder') {
      if (env.workspaceFolder === undefined) {
        unresolved = true;
        return whole;
      }
      return env.workspaceFolder;
    }
    if (name.startsWith('env:')) {
      return env.env[name.slice(4)] ?? '';
    }
    return whole;
  });
  return unresolved ? undefined : text;
}

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** Look a command name up on PATH the way the OS would (PATHEXT on Windows). */
export function which(name: string, env: ResolveEnvironment): string | undefined {
  const api = pathApi(env.platform);
  const windows = env.platform === 'win32';
  const pathVar = windows ? (env.env.PATH ?? env.env.Path ?? '') : (env.env.PATH ?? '');
  const extensions = windows
    ? (env.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)
    : [''];
  const candidates =
    windows && extensions.some((ext) => name.toLowerCase().endsWith(ext.toLowerCase()))
      ? ['']
      : extensions;
  if (name.includes('/') || (windows && name.includes('\\'))) {
    return candidates.map((ext) => name + ext).find((file) => env.isExecutable(file));
  }
  for (const folder of pathVar.split(windows ? ';' : ':')) {
    if (!folder) {
      continue;
    }
    for (const ext of candidates) {
      const file = api.join(folder, name + ext);
      if (env.isExecutable(file)) {
        return file;
      }
    }
  }
  return undefined;
}

function resolveConfigured(
  value: string,
  setting: 'factoryLint.path' | 'factoryLint.interpreter',
  env: ResolveEnvironment,
): { file: string } | { error: string } {
  const expanded = expandVariables(value, env);
  if (expanded === undefined) {
    return {
      error: `${setting} is "${value}", but \${workspaceFolder} cannot be expanded: no folder is open.`,
    };
  }
  const api = pathApi(env.platform);
  let file: string | undefined;
  if (api.isAbsolute(expanded)) {
    file = env.isExecutable(expanded) ? expanded : undefined;
  } else if (expanded.includes('/') || expanded.includes('\\')) {
    const base = env.workspaceFolder;
    const absolute = base !== undefined ? api.resolve(base, expanded) : undefined;
    file = absolute !== undefined && env.isExecutable(absolute) ? absolute : undefined;
  } else {
    file = which(expanded, env);
  }
  if (file === undefined) {
    return { error: `${setting} is "${value}", but no executable file was found there.` };
  }
  return { file };
}

/** Decide how to start the server. */
export function resolveServer(
  settings: ServerLocationSettings,
  env: ResolveEnvironment,
): Resolution {
  const configuredPath = settings.path?.trim();
  if (configuredPath) {
    const found = resolveConfigured(configuredPath, 'factoryLint.path', env);
    if ('error' in found) {
      return { ok: false, message: found.error, setting: 'factoryLint.path' };
    }
    return { ok: true, server: { command: found.file, args: ['server'], source: 'factoryLint.path' } };
  }
  const interpreter = settings.interpreter?.trim();
  if (interpreter) {
    const found = resolveConfigured(interpreter, 'factoryLint.interpreter', env);
    if ('error' in found) {
      return { ok: false, message: found.error, setting: 'factoryLint.interpreter' };
    }
    return {
      ok: true,
      server: {
        command: found.file,
        args: ['-m', 'factory_lint', 'server'],
        source: 'factoryLint.interpreter',
      },
    };
  }
  const onPath = which('factory-lint', env);
  if (onPath !== undefined) {
    return { ok: true, server: { command: onPath, args: ['server'], source: 'PATH' } };
  }
  return {
    ok: false,
    message:
      'The factory-lint language server was not found: `factory-lint` is not on PATH and neither ' +
      'factoryLint.path nor factoryLint.interpreter is set. Install factory-lint with its ' +
      '`server` extra (see the install instructions), or point factoryLint.path at the ' +
      'executable.',
  };
}
