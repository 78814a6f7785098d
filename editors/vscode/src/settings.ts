/**
 * Mapping the extension's `factoryLint.*` settings to the settings the language server reads
 * (initializationOptions and workspace/configuration). No `vscode` import: unit-tested in Node.
 */

/** A rule's severity; `off` disables the rule (like adding it to `ignore`). */
export type Severity = 'error' | 'warning' | 'info' | 'off';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'off'];

/** The section of the VS Code configuration the extension owns. */
export const SECTION = 'factoryLint';

/** Settings that only the client uses; changing `path`/`interpreter` restarts the server. */
export const RESTART_SETTINGS = ['path', 'interpreter'] as const;

/** What the server understands (see docs/editors.md and the server's README section). */
export interface ServerSettings {
  select: string[];
  ignore: string[];
  severity: Record<string, Severity>;
  /** Read `.factory-lint.toml` / `[tool.factory-lint]` next to (or above) each file. */
  useConfigFile: boolean;
  /** Wait this long (ms) after the last change before linting. */
  debounceMs: number;
  /** Documents at least this long (characters) are re-linted incrementally while typing. */
  incrementalMinChars: number;
  /** Quiet time (ms) after which an incrementally linted document is linted in full. */
  fullLintDelayMs: number;
  /** Offer a "Probe this model" code lens on each custom model entry (a click uses the network). */
  probeCodeLens: boolean;
}

/** The server's limit for `debounceMs` and `fullLintDelayMs`. */
export const MAX_DELAY_MS = 10_000;

/** The server's defaults (src/factory_lint/server/settings.py). */
export const DEFAULTS = {
  debounceMs: 150,
  incrementalMinChars: 50_000,
  fullLintDelayMs: 400,
  probeCodeLens: false,
  useConfigFile: true,
} as const;

/** A reader for one configuration value, like `WorkspaceConfiguration.get`. */
export type ConfigReader = (key: string) => unknown;

export interface Mapped {
  settings: ServerSettings;
  /** Human-readable problems with the user's values (logged, the value is skipped). */
  problems: string[];
}

const CODE = /^fl\d+$/i;

function normaliseSelector(value: string): string {
  const trimmed = value.trim();
  return CODE.test(trimmed) || /^fl$/i.test(trimmed) || trimmed.toUpperCase() === 'ALL'
    ? trimmed.toUpperCase()
    : trimmed;
}

function selectors(value: unknown, key: string, problems: string[]): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) {
    problems.push(`factoryLint.${key} must be a list of rule codes or names; ignored`);
    return [];
  }
  const out: string[] = [];
  for (const item of list) {
    if (typeof item !== 'string') {
      problems.push(`factoryLint.${key}: ${JSON.stringify(item)} is not a string; skipped`);
      continue;
    }
    const selector = normaliseSelector(item);
    if (selector && !out.includes(selector)) {
      out.push(selector);
    }
  }
  return out;
}

function severities(value: unknown, problems: string[]): Record<string, Severity> {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(
      'factoryLint.severity must map rule codes to "error", "warning", "info" or "off"; ignored',
    );
    return {};
  }
  const out: Record<string, Severity> = {};
  for (const [rawKey, rawLevel] of Object.entries(value as Record<string, unknown>)) {
    const key = normaliseSelector(rawKey);
    const level = typeof rawLevel === 'string' ? rawLevel.trim().toLowerCase() : rawLevel;
    const mapped =
      level === 'information' || level === 'hint' ? 'info' : level === 'warn' ? 'warning' : level;
    if (!key || typeof mapped !== 'string' || !SEVERITIES.includes(mapped as Severity)) {
      problems.push(
        `factoryLint.severity: ${JSON.stringify(rawKey)}: ${JSON.stringify(rawLevel)} is not ` +
          '"error", "warning", "info" or "off"; skipped',
      );
      continue;
    }
    out[key] = mapped as Severity;
  }
  return out;
}

function boolean(value: unknown, key: string, fallback: boolean, problems: string[]): boolean {
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'boolean') {
    problems.push(`factoryLint.${key} must be true or false; using ${String(fallback)}`);
    return fallback;
  }
  return value;
}

function integer(
  value: unknown,
  key: string,
  fallback: number,
  max: number,
  problems: string[],
): number {
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    problems.push(
      `factoryLint.${key} must be a number from 0 to ${max}; using ${String(fallback)}`,
    );
    return fallback;
  }
  return Math.floor(value);
}

/** Read the user's settings and turn them into the server's. */
export function toServerSettings(get: ConfigReader): Mapped {
  const problems: string[] = [];
  const settings: ServerSettings = {
    select: selectors(get('select'), 'select', problems),
    ignore: selectors(get('ignore'), 'ignore', problems),
    severity: severities(get('severity'), problems),
    useConfigFile: boolean(get('useConfigFile'), 'useConfigFile', DEFAULTS.useConfigFile, problems),
    debounceMs: integer(get('debounceMs'), 'debounceMs', DEFAULTS.debounceMs, MAX_DELAY_MS, problems),
    incrementalMinChars: integer(
      get('incrementalMinChars'),
      'incrementalMinChars',
      DEFAULTS.incrementalMinChars,
      Number.MAX_SAFE_INTEGER,
      problems,
    ),
    fullLintDelayMs: integer(
      get('fullLintDelayMs'),
      'fullLintDelayMs',
      DEFAULTS.fullLintDelayMs,
      MAX_DELAY_MS,
      problems,
    ),
    probeCodeLens: boolean(get('probeCodeLens'), 'probeCodeLens', DEFAULTS.probeCodeLens, problems),
  };
  return { settings, problems };
}

/** A reader over a plain object (the shape `getConfiguration('factoryLint')` holds). */
export function objectReader(values: Record<string, unknown>): ConfigReader {
  return (key) => values[key];
}

/**
 * The answer to one `workspace/configuration` item. The server asks for the section
 * `factoryLint` (or nothing, meaning everything); anything else is not ours.
 */
export function configurationItem(
  section: string | undefined,
  settings: ServerSettings,
): unknown {
  if (section === undefined || section === '') {
    return { [SECTION]: settings };
  }
  if (section === SECTION) {
    return settings;
  }
  if (section.startsWith(`${SECTION}.`)) {
    const key = section.slice(SECTION.length + 1) as keyof ServerSettings;
    return key in settings ? settings[key] : null;
  }
  return null;
}

/** Whether a configuration change needs the server process to be started again. */
export function needsRestart(affects: (section: string) => boolean): boolean {
  return RESTART_SETTINGS.some((key) => affects(`${SECTION}.${key}`));
}
