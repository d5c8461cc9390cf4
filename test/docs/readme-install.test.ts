import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/temp-dir';

/** The README's install table: what to add for each feature, as package.json declares it. */
describe('README install section', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('\n## ', readme.indexOf('## Install') + 1));
  // "| feature | `name` (`range`) | notes |": the second cell of each row, pipes in ranges escaped.
  const rows = install.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| to use') && !l.startsWith('|---'));
  const added = rows.map((l) => l.split(/(?<!\\)\|/)[2].trim()).filter((cell) => cell !== 'nothing');

  it('names every optional peer with its range from package.json, and nothing else', () => {
    const expected = Object.entries(pkg.peerDependencies).map(([name, range]) => `\`${name}\` (\`${range.replace(/\|/g, '\\|')}\`)`);
    assert.deepEqual([...added].sort(), expected.sort());
  });
});
