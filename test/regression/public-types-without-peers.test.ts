import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, TempDir } from '../helpers/temp-dir';

/** The optional peers (and their type packages) a consumer may not have installed. */
const OPTIONAL = ['ioredis', 'nodemailer', 'telegram', 'pg', 'ws', '@types/nodemailer', '@types/pg', '@types/ws'];

function tsc(cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', cwd], { cwd, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

/**
 * A consumer with none of the optional peers installed compiles against pulseguard's published
 * declarations with skipLibCheck off: no public .d.ts may name ioredis, nodemailer, telegram, pg
 * or ws types. (`pulseguard/testing` is left out: its fake data centre drives GramJS, so it needs
 * telegram at run time anyway.)
 */
describe('regression: the public types compile without the optional peers', () => {
  let dir: TempDir;
  before(() => {
    dir = new TempDir();
  });
  after(() => dir.cleanup());

  it('type-checks a consumer of every entry point with skipLibCheck false', async function () {
    this.timeout(180_000);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // pulseguard as installed: its declarations copied (a link would resolve peers from the repo's node_modules).
    const installed = join(dir.path, 'node_modules', 'pulseguard');
    cpSync(join(REPO_ROOT, 'package.json'), join(installed, 'package.json'));
    for (const folder of ['src', 'instrumentations', 'exporters']) {
      cpSync(join(REPO_ROOT, 'dist', folder), join(installed, 'dist', folder), {
        recursive: true,
        filter: (f) => !/\.(js|mjs|map)$/.test(f),
      });
    }
    // Its regular dependencies, and Node's types; nothing else.
    for (const name of [...Object.keys(pkg.dependencies), '@types/node']) dir.linkPackage(name, join(REPO_ROOT, 'node_modules', name));
    for (const name of OPTIONAL) assert.ok(!Object.keys(pkg.dependencies).includes(name), `${name} is a regular dependency`);
    dir.write('consumer.ts', [
      "import { start, type PulseguardConfigInput, type Telemetry } from 'pulseguard';",
      "import * as everything from 'pulseguard';",
      "import * as express from 'pulseguard/express';",
      "import * as fastify from 'pulseguard/fastify';",
      'export const config: PulseguardConfigInput = { service: { name: "consumer" } };',
      'export const started: Promise<Telemetry> = start(config);',
      'export const used = [everything, express, fastify];',
      '',
    ].join('\n'));
    dir.write('register.mts', "import 'pulseguard/register';\n");
    dir.write('tsconfig.json', JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false,
        noEmit: true, types: ['node'], esModuleInterop: true,
      },
      files: ['consumer.ts', 'register.mts'],
    }));
    const { code, output } = await tsc(dir.path);
    assert.equal(code, 0, `tsc failed:\n${output}`);
  });
});
