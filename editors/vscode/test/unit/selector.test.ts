import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { minimatch } from 'minimatch';
import {
  documentSelector,
  expandBraces,
  expandedPatterns,
  FACTORY_PATTERNS,
  MARKDOWN_PATTERNS,
} from '../../src/selector';
import { DEFAULTS } from '../../src/settings';

function isFactory(file: string): boolean {
  return FACTORY_PATTERNS.some((pattern) => minimatch(file, pattern, { dot: true }));
}

describe('Factory file patterns', () => {
  const yes = [
    '/home/me/.factory/settings.json',
    '/home/me/.factory/settings.local.json',
    '/home/me/.factory/config.json',
    '/repo/.factory/settings.json',
    '/home/me/dotfiles/dot_factory/settings.json',
    '/home/me/.local/share/chezmoi/private_dot_factory/private_settings.json',
    '/home/me/.local/share/chezmoi/dot_factory/readonly_config.json',
    '/home/me/dotfiles/factory/settings.local.json',
    '/repo/.factory/mcp.json',
    '/home/me/.factory/hooks.json',
    '/repo/.factory/hooks/hooks.json',
    '/home/me/dotfiles/dot_factory/private_mcp.json',
  ];
  const no = [
    '/repo/.vscode/settings.json',
    '/repo/settings.json',
    '/repo/.factory/droids/reviewer.json',
    '/repo/.factory/settings.json.bak',
    '/repo/factory/package.json',
    '/repo/.vscode/mcp.json',
    '/repo/.cursor/mcp.json',
    '/repo/.factory/hooks/hooks.migrated.json',
  ];
  for (const file of yes) {
    it(`matches ${file}`, () => assert.ok(isFactory(file)));
  }
  for (const file of no) {
    it(`does not match ${file}`, () => assert.ok(!isFactory(file)));
  }
});

describe('Markdown kinds (droids, skills, commands, output styles)', () => {
  const isMarkdown = (file: string): boolean =>
    MARKDOWN_PATTERNS.some((pattern) => minimatch(file, pattern, { dot: true }));
  const yes = [
    '/repo/.factory/droids/reviewer.md',
    '/repo/.factory/droids/nested/reviewer.md',
    '/home/me/.factory/skills/notes/SKILL.md',
    '/repo/.agents/skills/group/notes/SKILL.md',
    '/repo/.factory/skills/notes/skill.md',
    '/repo/.factory/commands/review.md',
    '/repo/.agent/commands/sub/fix.md',
    '/repo/.factory/output-styles/terse.md',
  ];
  const no = [
    '/repo/README.md',
    '/repo/docs/droids/reviewer.md',
    '/repo/.claude/commands/review.md',
    '/repo/.agents/droids/reviewer.md',
  ];
  for (const file of yes) {
    it(`matches ${file}`, () => assert.ok(isMarkdown(file)));
  }
  for (const file of no) {
    it(`does not match ${file}`, () => assert.ok(!isMarkdown(file)));
  }
});

describe('documentSelector', () => {
  it('covers json and jsonc Factory files and the Markdown kinds, files on disk only', () => {
    const filters = documentSelector();
    assert.deepEqual([...new Set(filters.map((f) => f.language))].sort(), [
      'json',
      'jsonc',
      'markdown',
    ]);
    assert.ok(filters.every((f) => f.scheme === 'file'));
    assert.equal(filters.length, FACTORY_PATTERNS.length * 2 + MARKDOWN_PATTERNS.length);
  });
});

describe('package.json', () => {
  const manifest = JSON.parse(
    readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
  ) as {
    activationEvents: string[];
    contributes: {
      languages: { id: string; filenamePatterns: string[] }[];
      jsonValidation?: { fileMatch: string[]; url: string }[];
      configuration: { properties: Record<string, { default?: unknown }> };
      commands: { command: string }[];
    };
  };

  it('activates for every language of the document selector', () => {
    const languages = [...new Set(documentSelector().map((filter) => filter.language))].sort();
    assert.deepEqual(
      manifest.activationEvents.map((event) => event.replace(/^onLanguage:/, '')).sort(),
      languages,
    );
  });

  it('associates exactly the Factory files with jsonc', () => {
    const [language] = manifest.contributes.languages;
    assert.equal(language?.id, 'jsonc');
    assert.deepEqual(language?.filenamePatterns, FACTORY_PATTERNS);
    // every literal spelling is covered (VS Code globs expand the brace groups the same way)
    assert.ok(expandedPatterns().includes('**/private_dot_factory/private_settings.json'));
  });

  it("tells VS Code's JSON language to allow comments and trailing commas, nothing more", () => {
    // FL002 reports a trailing comma; without this VS Code's own JSONC check reports it again.
    // The schema has no constraints: the server reports schema problems itself.
    const [validation, ...more] = manifest.contributes.jsonValidation ?? [];
    assert.deepEqual(more, []);
    assert.deepEqual(validation?.fileMatch, FACTORY_PATTERNS);
    const schema = JSON.parse(
      readFileSync(path.join(__dirname, '..', '..', '..', validation?.url ?? ''), 'utf8'),
    ) as Record<string, unknown>;
    assert.deepEqual(Object.keys(schema).sort(), [
      'allowComments',
      'allowTrailingCommas',
      'description',
      'title',
    ]);
    assert.equal(schema.allowTrailingCommas, true);
    assert.equal(schema.allowComments, true);
  });

  it('ships the jsonValidation schema in the .vsix', () => {
    const ignore = readFileSync(path.join(__dirname, '..', '..', '..', '.vscodeignore'), 'utf8');
    const url = manifest.contributes.jsonValidation?.[0]?.url.replace(/^\.\//, '');
    assert.ok(ignore.split('\n').includes(`!${url}`), `${url} is not in .vscodeignore`);
  });

  it('has the settings the extension reads', () => {
    assert.deepEqual(Object.keys(manifest.contributes.configuration.properties).sort(), [
      'factoryLint.debounceMs',
      'factoryLint.fullLintDelayMs',
      'factoryLint.ignore',
      'factoryLint.incrementalMinChars',
      'factoryLint.interpreter',
      'factoryLint.path',
      'factoryLint.probeCodeLens',
      'factoryLint.select',
      'factoryLint.severity',
      'factoryLint.trace.server',
      'factoryLint.useConfigFile',
    ]);
  });

  it("gives every server setting the server's default", () => {
    const properties = manifest.contributes.configuration.properties;
    for (const [key, value] of Object.entries(DEFAULTS)) {
      assert.deepEqual(properties[`factoryLint.${key}`]?.default, value, key);
    }
  });

  it("contributes the server's probe command", () => {
    const ids = manifest.contributes.commands.map((c) => c.command);
    assert.ok(ids.includes('factory-lint.probeModel'));
  });
});

describe('expandBraces', () => {
  it('expands every group', () => {
    assert.deepEqual(expandBraces('a/{b,c}/{d,e}.json'), [
      'a/b/d.json',
      'a/b/e.json',
      'a/c/d.json',
      'a/c/e.json',
    ]);
  });
});
