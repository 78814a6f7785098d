import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  configurationItem,
  needsRestart,
  objectReader,
  toServerSettings,
} from '../../src/settings';

describe('toServerSettings', () => {
  it('maps defaults to empty settings', () => {
    assert.deepEqual(toServerSettings(objectReader({})), {
      settings: {
        select: [],
        ignore: [],
        severity: {},
        useConfigFile: true,
        debounceMs: 150,
        incrementalMinChars: 50000,
        fullLintDelayMs: 400,
        probeCodeLens: false,
      },
      problems: [],
    });
  });

  it('passes select, ignore and severity through, normalising code case', () => {
    const { settings, problems } = toServerSettings(
      objectReader({
        select: ['fl2', 'FL301', ' unknown-provider ', 'all'],
        ignore: ['fl104', 'FL104', 'legacy-key'],
        severity: { fl104: 'error', 'unknown-key': 'Warning', FL105: 'information', FL3: 'off' },
        useConfigFile: false,
        debounceMs: 300.7,
        incrementalMinChars: 0,
        fullLintDelayMs: 1000,
        probeCodeLens: true,
        // client-only settings are not sent to the server
        path: '/x/factory-lint',
        interpreter: 'python3',
        trace: { server: 'verbose' },
      }),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      select: ['FL2', 'FL301', 'unknown-provider', 'ALL'],
      ignore: ['FL104', 'legacy-key'],
      severity: { FL104: 'error', 'unknown-key': 'warning', FL105: 'info', FL3: 'off' },
      useConfigFile: false,
      debounceMs: 300,
      incrementalMinChars: 0,
      fullLintDelayMs: 1000,
      probeCodeLens: true,
    });
  });

  it('accepts a single string where a list is expected', () => {
    const { settings } = toServerSettings(objectReader({ ignore: 'FL1' }));
    assert.deepEqual(settings.ignore, ['FL1']);
  });

  it('skips invalid values and says why', () => {
    const { settings, problems } = toServerSettings(
      objectReader({
        select: 42,
        ignore: ['FL104', 7, ''],
        severity: { FL201: 'fatal', FL202: 'warning' },
        useConfigFile: 'no',
        debounceMs: 20_000,
        incrementalMinChars: -1,
        fullLintDelayMs: '400',
        probeCodeLens: 'yes',
      }),
    );
    assert.deepEqual(settings, {
      select: [],
      ignore: ['FL104'],
      severity: { FL202: 'warning' },
      useConfigFile: true,
      debounceMs: 150, incrementalMinChars: 50000, fullLintDelayMs: 400, probeCodeLens: false,
    });
    assert.equal(problems.length, 8);
    assert.match(problems[0] ?? '', /factoryLint\.select must be a list/);
    assert.match(problems[1] ?? '', /7 is not a string/);
    assert.match(problems[2] ?? '', /"fatal" is not "error", "warning", "info" or "off"/);
    assert.match(problems[3] ?? '', /useConfigFile must be true or false/);
    assert.match(problems[4] ?? '', /debounceMs must be a number from 0 to 10000; using 150/);
    assert.match(problems[5] ?? '', /incrementalMinChars must be a number from 0 to/);
    assert.match(problems[6] ?? '', /fullLintDelayMs must be a number from 0 to 10000; using 400/);
    assert.match(problems[7] ?? '', /probeCodeLens must be true or false; using false/);
  });

  it('rejects a severity that is not an object', () => {
    const { settings, problems } = toServerSettings(objectReader({ severity: ['FL104'] }));
    assert.deepEqual(settings.severity, {});
    assert.equal(problems.length, 1);
  });
});

describe('configurationItem', () => {
  const settings = {
    select: ['FL2'],
    ignore: [],
    severity: { FL104: 'error' as const },
    useConfigFile: true,
    debounceMs: 150, incrementalMinChars: 50000, fullLintDelayMs: 400, probeCodeLens: false,
  };
  it('answers the factoryLint section with the server settings', () => {
    assert.deepEqual(configurationItem('factoryLint', settings), settings);
  });
  it('answers a sub-key', () => {
    assert.deepEqual(configurationItem('factoryLint.select', settings), ['FL2']);
    assert.equal(configurationItem('factoryLint.path', settings), null);
  });
  it('wraps the whole configuration when no section is asked for', () => {
    assert.deepEqual(configurationItem(undefined, settings), { factoryLint: settings });
  });
  it('knows nothing of other sections', () => {
    assert.equal(configurationItem('json', settings), null);
  });
});

describe('needsRestart', () => {
  it('restarts for path and interpreter changes only', () => {
    assert.equal(needsRestart((s) => s === 'factoryLint.path'), true);
    assert.equal(needsRestart((s) => s === 'factoryLint.interpreter'), true);
    assert.equal(needsRestart((s) => s === 'factoryLint.select'), false);
  });
});
