// Run compiled test suites with Node's test runner: `node scripts/test.mjs unit smoke e2e`.
// The files are named explicitly: `node --test out/test/unit/` (a folder) works on Node 20
// only, and glob arguments only from Node 21 on.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const suites = process.argv.slice(2);
if (suites.length === 0) {
  console.error('usage: node scripts/test.mjs SUITE... (unit, smoke, e2e: folders of out/test)');
  process.exit(2);
}

function testFiles(folder) {
  const found = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      found.push(...testFiles(file));
    } else if (/\.test\.js$/.test(entry.name)) {
      found.push(file);
    }
  }
  return found.sort();
}

const files = suites.flatMap((suite) => {
  const found = testFiles(path.join(root, 'out', 'test', suite));
  if (found.length === 0) {
    console.error(`no *.test.js in out/test/${suite}: run \`npm run compile-tests\` first`);
    process.exit(2);
  }
  return found;
});
const reporter = process.env.NODE_TEST_REPORTER ?? 'spec';
const run = spawnSync(
  process.execPath,
  ['--test', `--test-reporter=${reporter}`, ...files.map((f) => path.relative(root, f))],
  { cwd: root, stdio: 'inherit' },
);
process.exit(run.status ?? 1);
