import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  expandVariables,
  INSTALL_DOCS_URL,
  remoteHint,
  resolveServer,
  type ResolveEnvironment,
  which,
} from '../../src/serverPath';

function posixEnv(files: string[], extra: Partial<ResolveEnvironment> = {}): ResolveEnvironment {
  const set = new Set(files);
  return {
    platform: 'linux',
    env: { PATH: '/usr/local/bin:/usr/bin' },
    home: '/home/me',
    workspaceFolder: '/work/project',
    isExecutable: (file) => set.has(file),
    ...extra,
  };
}

describe('resolveServer', () => {
  it('uses factory-lint from PATH when nothing is configured', () => {
    const result = resolveServer({}, posixEnv(['/usr/bin/factory-lint']));
    assert.deepEqual(result, {
      ok: true,
      server: { command: '/usr/bin/factory-lint', args: ['server'], source: 'PATH' },
    });
  });

  it('takes the first PATH entry that has it', () => {
    const result = resolveServer(
      {},
      posixEnv(['/usr/bin/factory-lint', '/usr/local/bin/factory-lint']),
    );
    assert.ok(result.ok);
    assert.equal(result.server.command, '/usr/local/bin/factory-lint');
  });

  it('prefers factoryLint.path over the interpreter and PATH', () => {
    const result = resolveServer(
      { path: '/opt/fl/bin/factory-lint', interpreter: '/usr/bin/python3' },
      posixEnv(['/opt/fl/bin/factory-lint', '/usr/bin/python3', '/usr/bin/factory-lint']),
    );
    assert.deepEqual(result, {
      ok: true,
      server: { command: '/opt/fl/bin/factory-lint', args: ['server'], source: 'factoryLint.path' },
    });
  });

  it('expands ~ and ${workspaceFolder} in factoryLint.path', () => {
    const env = posixEnv(['/home/me/.local/bin/factory-lint', '/work/project/.venv/bin/factory-lint']);
    const home = resolveServer({ path: '~/.local/bin/factory-lint' }, env);
    assert.ok(home.ok);
    assert.equal(home.server.command, '/home/me/.local/bin/factory-lint');
    const folder = resolveServer({ path: '${workspaceFolder}/.venv/bin/factory-lint' }, env);
    assert.ok(folder.ok);
    assert.equal(folder.server.command, '/work/project/.venv/bin/factory-lint');
  });

  it('resolves a relative factoryLint.path against the workspace folder', () => {
    const env = posixEnv(['/work/project/.venv/bin/factory-lint']);
    const result = resolveServer({ path: '.venv/bin/factory-lint' }, env);
    assert.ok(result.ok);
    assert.equal(result.server.command, '/work/project/.venv/bin/factory-lint');
  });

  it('looks a bare factoryLint.path name up on PATH', () => {
    const result = resolveServer({ path: 'factory-lint' }, posixEnv(['/usr/bin/factory-lint']));
    assert.ok(result.ok);
    assert.equal(result.server.command, '/usr/bin/factory-lint');
    assert.equal(result.server.source, 'factoryLint.path');
  });

  it('fails clearly when factoryLint.path does not exist, without falling back', () => {
    const result = resolveServer(
      { path: '/nope/factory-lint' },
      posixEnv(['/usr/bin/factory-lint']),
    );
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.setting, 'factoryLint.path');
    assert.match(result.message, /factoryLint\.path is "\/nope\/factory-lint"/);
  });

  it('fails when ${workspaceFolder} is used with no folder open', () => {
    const result = resolveServer(
      { path: '${workspaceFolder}/.venv/bin/factory-lint' },
      posixEnv(['/work/project/.venv/bin/factory-lint'], { workspaceFolder: undefined }),
    );
    assert.ok(!result.ok);
    assert.match(result.message, /no folder is open/);
  });

  it('runs the configured interpreter with -m factory_lint server', () => {
    const result = resolveServer(
      { path: '  ', interpreter: '${workspaceFolder}/.venv/bin/python' },
      posixEnv(['/work/project/.venv/bin/python']),
    );
    assert.deepEqual(result, {
      ok: true,
      server: {
        command: '/work/project/.venv/bin/python',
        args: ['-m', 'factory_lint', 'server'],
        source: 'factoryLint.interpreter',
      },
    });
  });

  it('finds a bare interpreter name (python3) on PATH', () => {
    const result = resolveServer({ interpreter: 'python3' }, posixEnv(['/usr/bin/python3']));
    assert.ok(result.ok);
    assert.equal(result.server.command, '/usr/bin/python3');
  });

  it('reports a missing interpreter under its own setting', () => {
    const result = resolveServer({ interpreter: '/usr/bin/python9' }, posixEnv([]));
    assert.ok(!result.ok);
    assert.equal(result.setting, 'factoryLint.interpreter');
  });

  it('explains how to install when nothing is found', () => {
    const result = resolveServer({}, posixEnv([]));
    assert.ok(!result.ok);
    assert.equal(result.setting, undefined);
    assert.match(result.message, /not on PATH/);
    assert.match(result.message, /with its `server` extra/);
    assert.match(INSTALL_DOCS_URL, /^https:\/\/.*docs\/editors\.md#vs-code$/);
  });
});

describe('remoteHint', () => {
  it('says nothing in a local window', () => {
    assert.equal(remoteHint(undefined), undefined);
    assert.equal(remoteHint(''), undefined);
  });

  it('points a remote window at the Remote settings', () => {
    for (const [name, shown] of [
      ['ssh-remote', 'Remote-SSH'],
      ['wsl', 'WSL'],
      ['dev-container', 'Dev Containers'],
      ['127.0.0.1:8080', '127.0.0.1:8080'], // code-server
    ]) {
      const hint = remoteHint(name) ?? '';
      assert.match(hint, new RegExp(`remote window \\(${shown}\\)`));
      assert.match(hint, /installed on the remote machine/);
      assert.match(hint, /Remote settings \(Preferences: Open Remote Settings\)/);
    }
  });
});

describe('which on Windows', () => {
  const env: ResolveEnvironment = {
    platform: 'win32',
    env: { Path: 'C:\\Python312\\Scripts;C:\\Windows', PATHEXT: '.COM;.EXE;.BAT' },
    home: 'C:\\Users\\me',
    workspaceFolder: 'C:\\work',
    isExecutable: (file) => file === 'C:\\Python312\\Scripts\\factory-lint.EXE',
  };

  it('uses Path and PATHEXT', () => {
    assert.equal(which('factory-lint', env), 'C:\\Python312\\Scripts\\factory-lint.EXE');
  });

  it('resolves factoryLint.path with a Windows absolute path', () => {
    const result = resolveServer(
      { path: 'C:\\Python312\\Scripts\\factory-lint.EXE' },
      env,
    );
    assert.ok(result.ok);
    assert.equal(result.server.command, 'C:\\Python312\\Scripts\\factory-lint.EXE');
  });
});

describe('expandVariables', () => {
  const env = posixEnv([], { env: { PATH: '', VENV: '/venvs/fl' } });
  it('expands ${env:NAME} and ${userHome}', () => {
    assert.equal(expandVariables('${env:VENV}/bin/python', env), '/venvs/fl/bin/python');
    assert.equal(expandVariables('${userHome}/bin/x', env), '/home/me/bin/x');
  });
  it('leaves unknown variables alone', () => {
    assert.equal(expandVariables('${config:x}/y', env), '${config:x}/y');
  });
});
