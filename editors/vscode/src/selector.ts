/**
 * Which documents are Factory Droid files: the same folders and names the server (and the
 * `factory-lint` CLI) recognise. Pure data, no `vscode` import, so it can be unit-tested.
 */

/** Folders Droid's files live in: the real one and the dotfile-manager layouts. */
export const FACTORY_DIRS = ['.factory', 'dot_factory', 'private_dot_factory', 'factory'] as const;

/** The JSON file names Droid reads (settings, local overrides, the legacy config, MCP servers, hooks). */
export const FACTORY_FILES = ['settings', 'settings.local', 'config', 'mcp', 'hooks'] as const;

/** chezmoi attribute prefixes a file in `dot_factory/` may carry (`private_settings.json`). */
export const CHEZMOI_FILE_PREFIXES = ['private_', 'readonly_', 'private_readonly_'] as const;

/** The languages VS Code may give these files: `json`, or `jsonc` (which we associate them with). */
export const LANGUAGES = ['json', 'jsonc'] as const;

const files = `{${FACTORY_FILES.join(',')}}.json`;

/** Glob patterns (VS Code / minimatch syntax) for every Factory file. */
export const FACTORY_PATTERNS: readonly string[] = [
  `**/{${FACTORY_DIRS.join(',')}}/${files}`,
  ...CHEZMOI_FILE_PREFIXES.map((prefix) => `**/{dot_factory,private_dot_factory}/${prefix}${files}`),
  `**/{${FACTORY_DIRS.join(',')}}/hooks/hooks.json`,
];

/**
 * Markdown files of Droid's other kinds: custom droids, skills, custom commands and output
 * styles (the `*.md` below a `.factory` folder, and skills/commands below `.agents`/`.agent`).
 * Nested and misnamed files are included on purpose: the server says when Droid skips them.
 */
export const MARKDOWN_PATTERNS: readonly string[] = [
  '**/{.factory,dot_factory,private_dot_factory}/{droids,output-styles}/**/*.md',
  '**/{.factory,dot_factory,private_dot_factory,.agents,.agent}/{skills,commands}/**/*.md',
];

export interface DocumentFilterData {
  language: string;
  scheme: string;
  pattern: string;
}

/**
 * The language client's document selector: every pattern in both JSON languages, files on disk
 * only (the server resolves per-file settings from the path).
 */
export function documentSelector(): DocumentFilterData[] {
  return [
    ...LANGUAGES.flatMap((language) =>
      FACTORY_PATTERNS.map((pattern) => ({ language, scheme: 'file', pattern })),
    ),
    ...MARKDOWN_PATTERNS.map((pattern) => ({ language: 'markdown', scheme: 'file', pattern })),
  ];
}

/** Every literal file pattern, without brace groups (for `contributes.languages` in package.json). */
export function expandedPatterns(): string[] {
  const out: string[] = [];
  for (const pattern of FACTORY_PATTERNS) {
    out.push(...expandBraces(pattern));
  }
  return [...new Set(out)];
}

/** Expand `{a,b}` groups (not nested) into every combination. */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) {
    return [pattern];
  }
  const close = pattern.indexOf('}', open);
  if (close < 0) {
    return [pattern];
  }
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  return pattern
    .slice(open + 1, close)
    .split(',')
    .flatMap((choice) => expandBraces(head + choice + tail));
}
