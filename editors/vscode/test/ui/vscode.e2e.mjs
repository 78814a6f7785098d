// The extension in a real VS Code (code-server 4.139.1 = VS Code 1.139.1) in headless Chromium:
// install the .vsix, open a broken .factory/settings.json, and check what a user sees: the
// Problems panel, a hover, model-id completions, a quick fix that clears its error, one report
// of a trailing comma (not two), and a server without its `server` extra explained in a
// notification. Screenshots go to FACTORY_LINT_E2E_SCREENSHOTS. Run by run.sh, which installs
// everything and sets CODE_SERVER, VSIX and FACTORY_LINT_PATH.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const { CODE_SERVER, VSIX, FACTORY_LINT_PATH } = process.env;
const SCREENSHOTS = process.env.FACTORY_LINT_E2E_SCREENSHOTS;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// A broken Droid settings file: a deprecated model, a misspelt provider, a trailing comma
// (FL002, with a safe fix), an unknown provider (FL201) and an unknown key.
const BROKEN = `{
  // Two custom models for Droid; both have problems factory-lint finds.
  "customModels": [
    {
      "model": "claude-sonnet-4-5",
      "displayName": "Sonnet", "provider": "Anthropic",
      "baseUrl": "https://api.anthropic.com",
      "apiKey": "\${ANTHROPIC_API_KEY}",
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
// A custom model served by a provider on this machine (the probe test).
const PROBED = (port) => `{
  "customModels": [
    {
      "model": "local-model",
      "displayName": "Local",
      "provider": "generic-chat-completion-api",
      "baseUrl": "http://127.0.0.1:${port}/v1",
      "apiKey": "dummy-not-used"
    }
  ]
}
`;
// Not a Droid file: VS Code's own JSONC check reports its trailing comma (the control).
const CONTROL = '{\n  // not a Droid file\n  "a": 1,\n}\n';

/** 1-based line and column of the `nth` occurrence of `needle` (+ `shift` columns). */
function where(text, needle, shift = 0) {
  const index = text.indexOf(needle);
  assert.notEqual(index, -1, needle);
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return `${line}:${index - before.lastIndexOf('\n') + shift}`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function until(what, check, timeout = 60_000, every = 250) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await sleep(every);
  }
}

describe('the extension in VS Code (code-server)', { timeout: 400_000 }, () => {
  let root;
  let workspace;
  let userData;
  let settingsFile;
  let codeServer;
  let serverLog = '';
  let provider;
  let providerPort;
  const providerRequests = [];
  let context;
  let page;
  const shots = [];

  async function shot(name) {
    if (!SCREENSHOTS) {
      return;
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, `vscode-${name}.png`);
    await page.screenshot({ path: file });
    shots.push(file);
  }

  async function goTo(lineColumn) {
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await page.keyboard.type(lineColumn);
    await page.keyboard.press('Enter');
    await sleep(300);
  }

  async function openFile(relative) {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relative);
    // the row of that file (its folder is the row's description): recently opened files with
    // the same name come first
    const folder = path.dirname(relative);
    const exact = folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const row = page
      .locator('.quick-input-list .monaco-list-row', { hasText: path.basename(relative) })
      .filter(
        folder === '.'
          ? {}
          : { has: page.locator('.label-description', { hasText: new RegExp(`^${exact}$`) }) },
      )
      .first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    await page.locator(`.tab[data-resource-name="${path.basename(relative)}"]`).first().waitFor();
    await page
      .locator('.breadcrumbs-control')
      .filter({ hasText: folder === '.' ? path.basename(relative) : path.basename(folder) })
      .first()
      .waitFor();
  }

  /** The rows of the Problems panel (file rows and marker rows): message, source and code. */
  async function problems() {
    return page
      .locator('.markers-panel .monaco-list-row')
      .evaluateAll((rows) => rows.map((row) => row.textContent ?? ''));
  }

  before(async () => {
    assert.ok(CODE_SERVER && VSIX && FACTORY_LINT_PATH, 'run through test/ui/run.sh');
    root = mkdtempSync(path.join(tmpdir(), 'factory-lint-vscode-'));
    workspace = path.join(root, 'project');
    userData = path.join(root, 'user-data');
    const extensions = path.join(root, 'extensions');
    mkdirSync(path.join(workspace, '.factory'), { recursive: true });
    mkdirSync(path.join(workspace, '.git'));
    settingsFile = path.join(workspace, '.factory', 'settings.json');
    writeFileSync(settingsFile, BROKEN);
    writeFileSync(path.join(workspace, 'control.jsonc'), CONTROL);
    // the provider the probe asks (loopback only): lists one model, not the one configured
    provider = createHttpServer((request, response) => {
      providerRequests.push(`${request.method} ${request.url}`);
      const body = JSON.stringify({ object: 'list', data: [{ id: 'other-model', object: 'model' }] });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    });
    await new Promise((resolve) => provider.listen(0, '127.0.0.1', resolve));
    providerPort = provider.address().port;
    mkdirSync(path.join(workspace, 'probe', '.factory'), { recursive: true });
    writeFileSync(path.join(workspace, 'probe', '.factory', 'settings.json'), PROBED(providerPort));
    // factoryLint.path in the Machine settings (the Remote settings of a code-server window)
    mkdirSync(path.join(userData, 'Machine'), { recursive: true });
    writeFileSync(
      path.join(userData, 'Machine', 'settings.json'),
      JSON.stringify({ 'factoryLint.path': FACTORY_LINT_PATH }, null, 2),
    );
    mkdirSync(path.join(userData, 'User'), { recursive: true });
    writeFileSync(
      path.join(userData, 'User', 'settings.json'),
      JSON.stringify(
        {
          'workbench.startupEditor': 'none',
          'workbench.tips.enabled': false,
          'workbench.enableExperiments': false,
          'workbench.secondarySideBar.defaultVisibility': 'hidden',
          'chat.disableAIFeatures': true,
          'telemetry.telemetryLevel': 'off',
          'extensions.autoCheckUpdates': false,
          'extensions.autoUpdate': false,
          'update.mode': 'none',
          'security.workspace.trust.enabled': false,
          'editor.minimap.enabled': false,
          'window.commandCenter': false,
          'git.enabled': false,
        },
        null,
        2,
      ),
    );
    const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
    const install = spawnSync(CODE_SERVER, [...common, '--install-extension', VSIX], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(install.status, 0, `installing ${VSIX}: ${install.stdout}${install.stderr}`);
    assert.match(install.stdout, /factory-lint.*was successfully installed/);

    const port = await freePort();
    codeServer = spawn(
      CODE_SERVER,
      [
        ...common,
        '--config',
        path.join(root, 'config.yaml'),
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        workspace,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: root } },
    );
    codeServer.stdout.on('data', (chunk) => (serverLog += chunk));
    codeServer.stderr.on('data', (chunk) => (serverLog += chunk));
    await until('code-server to listen', () => /HTTP server listening/.test(serverLog), 90_000);

    context = await chromium.launchPersistentContext(path.join(root, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await page.locator('.explorer-folders-view').waitFor({ timeout: 90_000 });
  });

  afterEach(async (t) => {
    // a failed test leaves what the screen showed, and the Problems panel's rows, for a look
    const failures = process.env.FACTORY_LINT_E2E_FAILURES ?? tmpdir();
    if (page && t.passed === false) {
      const name = t.name.replace(/\W+/g, '-').slice(0, 40);
      const file = path.join(failures, `factory-lint-vscode-failed-${name}.png`);
      await page.screenshot({ path: file }).catch(() => undefined);
      const rows = await problems().catch(() => []);
      console.log(`failed: ${t.name}: screenshot ${file}; Problems panel:\n${rows.join('\n')}`);
    }
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    codeServer?.kill();
    provider?.close();
    if (root) {
      rmSync(root, { recursive: true, force: true });
    }
    if (shots.length) {
      console.log(`screenshots: ${shots.join(', ')}`);
    }
  });

  it('shows the findings in the Problems panel, a trailing comma once', async () => {
    await openFile('control.jsonc');
    await openFile('.factory/settings.json');
    await page.keyboard.press('Control+Shift+M');
    const rows = await until(
      'the findings and VS Code\'s own trailing comma warning on control.jsonc',
      async () => {
        const found = await problems();
        const text = found.join('\n');
        return /FL201/.test(text) && /FL002/.test(text) && /control\.jsonc/.test(text)
          ? found
          : undefined;
      },
      90_000,
    );
    const text = rows.join('\n');
    for (const code of ['FL002', 'FL104', 'FL201', 'FL202', 'FL601', 'FL606']) {
      assert.match(text, new RegExp(code), `${code} in the Problems panel:\n${text}`);
    }
    // The control proves VS Code's JSON language checks trailing commas here; in the Factory
    // file the jsonValidation schema (allowTrailingCommas) leaves the comma to FL002.
    const trailing = rows.filter((row) => /trailing comma/i.test(row));
    assert.equal(
      trailing.filter((row) => !/FL002/.test(row)).length,
      1,
      `only control.jsonc's comma is VS Code's:\n${trailing.join('\n')}`,
    );
    assert.equal(trailing.filter((row) => /FL002/.test(row)).length, 1);
    await openFile('.factory/settings.json');
    await shot('problems');
  });

  it('logs the server at its level in the output channel', async () => {
    // the channel's file: <user data>/logs/<session>/exthost1/factory-lint.factory-lint/
    const logs = path.join(userData, 'logs');
    const file = await until('the factory-lint output channel', () =>
      readdirSync(logs, { recursive: true })
        .map((entry) => path.join(logs, String(entry)))
        .find((entry) => /factory-lint\.factory-lint[/\\]factory-lint\.log$/.test(entry)),
    );
    const text = await until('the server start-up line', () => {
      const value = readFileSync(file, 'utf8');
      return /encoding utf-16/.test(value) ? value : undefined;
    });
    assert.match(text, /\[info\] .*factory-lint [\d.]+\S*: encoding utf-16/);
    const errors = text.split('\n').filter((line) => /\[error\]/.test(line));
    assert.deepEqual(errors, [], 'no line of a server that runs well is an error');
  });

  it('probes the model at the cursor from the Command Palette', async () => {
    // a provider on this machine that lists another model: the probe reports FL805
    await openFile('probe/.factory/settings.json');
    await goTo(where(PROBED(providerPort), '"local-model"', 2));
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>factory-lint: Probe the Model at the Cursor');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Probe the Model at the Cursor' })
      .first()
      .waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.press('Enter');
    await until('the request to the provider', () => providerRequests.includes('GET /v1/models'));
    // the Problems panel only renders the rows it shows: filter it down to the probe's finding
    const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
    await filter.fill('FL805');
    const rows = await until(
      'the probe finding in the Problems panel',
      async () => {
        const found = await problems();
        return found.some((row) => /FL805/.test(row)) ? found : undefined;
      },
      60_000,
    );
    const row = rows.find((r) => /FL805/.test(r)) ?? '';
    assert.match(row, /"local-model" is not in the model list/);
    assert.match(row, /factory-lint probe/);
    await shot('probe');
    await filter.fill('');
    await openFile('.factory/settings.json');
  });

  it('shows a hover with the rule and what Droid does', async () => {
    await goTo(where(BROKEN, '"claude"', 2));
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:not(.hidden)').first();
    await hover.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await until('the hover text', async () => {
      const value = await hover.innerText();
      // the diagnostic, and the server's own hover for the value under it
      return /not a provider:/.test(value) && /is not a provider Droid supports/.test(value)
        ? value
        : undefined;
    });
    assert.match(text, /FL201/);
    assert.match(text, /claude\s+is not a provider Droid supports/);
    await shot('hover');
    await page.keyboard.press('Escape');
  });

  it('completes model IDs of the entry\'s endpoint', async () => {
    await goTo(where(BROKEN, '"claude-sonnet-4-5"', 1));
    await page.keyboard.press('Control+Space');
    const rows = page.locator('.suggest-widget.visible .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
    const labels = await rows.evaluateAll((items) =>
      items.map((item) => item.getAttribute('aria-label') ?? item.textContent ?? ''),
    );
    assert.ok(labels.length >= 3, labels.join('\n'));
    assert.ok(
      labels.every((label) => /claude/.test(label)),
      `api.anthropic.com models only:\n${labels.join('\n')}`,
    );
    await shot('completion');
    await page.keyboard.press('Escape');
  });

  it('applies a quick fix that clears its error', async () => {
    await goTo(where(BROKEN, '}",\n', 2));
    await page.keyboard.press('Control+.');
    const action = page.locator('.action-widget .monaco-list-row', { hasText: /comma/i }).first();
    await action.waitFor({ state: 'visible', timeout: 20_000 });
    await shot('quick-fix');
    await action.click();
    await until(
      'FL002 to leave the Problems panel',
      async () => {
        const text = (await problems()).join('\n');
        return /FL201/.test(text) && !/FL002/.test(text);
      },
      30_000,
    );
    await page.keyboard.press('Control+S');
    await until('the fixed file on disk', () => !readFileSync(settingsFile, 'utf8').includes('}",\n    }'));
    assert.match(readFileSync(settingsFile, 'utf8'), /"\$\{ANTHROPIC_API_KEY\}"\n {4}\}/);
  });

  it('names the missing `server` extra when the server cannot start', async (t) => {
    // factory-lint as installed without the `server` extra: the real one, with pygls hidden
    const shebang = readFileSync(FACTORY_LINT_PATH, 'utf8').split('\n', 1)[0] ?? '';
    const python = shebang.startsWith('#!') ? shebang.slice(2).trim() : '';
    if (!/python/.test(python) || /\s/.test(python)) {
      t.skip(`${FACTORY_LINT_PATH} is not a Python console script`);
      return;
    }
    const fake = path.join(root, 'factory-lint-without-extra');
    writeFileSync(
      fake,
      `#!/bin/sh\nexec ${python} -c "import sys; sys.modules['pygls'] = None; ` +
        `from factory_lint.cli import main; sys.exit(main())" "$@"\n`,
    );
    chmodSync(fake, 0o755);
    const alone = spawnSync(fake, ['server'], { encoding: 'utf8', input: '', timeout: 60_000 });
    assert.equal(alone.status, 2, alone.stderr);
    const line = alone.stderr.trim();
    assert.equal(line.split('\n').length, 1, `one line: ${line}`);
    assert.match(line, /pygls/);
    writeFileSync(
      path.join(userData, 'Machine', 'settings.json'),
      JSON.stringify({ 'factoryLint.path': fake }, null, 2),
    );
    const toasts = page.locator('.notification-toast');
    const toast = toasts.filter({ hasText: 'pygls' }).first();
    await toast.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await toast.innerText();
    // the server's own line, whole
    assert.ok(text.replace(/\s+/g, ' ').includes(`stopped: ${line.replace(/\s+/g, ' ')}`), text);
    assert.match(text, /Install instructions/);
    // code-server's window is remote: the message points at the Remote settings
    assert.match(text, /remote window .*Remote settings/);
    assert.match(text, /Open Remote Settings/);
    await sleep(2000);
    // no restarts: besides ours, at most the client's own "couldn't create connection" (which
    // it always shows), not one per restart and "crashed 5 times"
    const all = await toasts.allInnerTexts();
    assert.ok(all.length <= 2, all.join('\n---\n'));
    assert.ok(!all.some((x) => /crashed|Restarting server failed/.test(x)), all.join('\n---\n'));
    await shot('server-extra-missing');
  });
});
