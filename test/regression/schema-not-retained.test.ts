import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { ChildApp, cleanEnv } from '../helpers/child-app';
import { REPO_ROOT } from '../helpers/temp-dir';

const INDEX = join(REPO_ROOT, 'dist', 'src', 'index.js');

/**
 * Issue #17: the config schema (zod 3 objects, ~24 bound methods each: ~1.3 MB for the whole
 * schema) is needed to validate the config at start, not afterwards. A running process must not
 * keep any of it. The child starts pulseguard with the default configuration, collects garbage and
 * counts the heap snapshot's objects whose constructor name starts with "Zod" (zod's own class
 * prototypes aside).
 */
describe('regression: no config schema object is retained after start()', () => {
  it('has no Zod* object on the heap while pulseguard runs', async () => {
    const script = `
      const v8 = require('node:v8');
      const { start } = require(${JSON.stringify(INDEX)});
      start({ service: { name: 'schema-not-retained' }, exporters: { prometheus: { port: 0 } }, logging: { level: 'warn' } }).then(async (t) => {
        global.gc();
        const chunks = [];
        for await (const chunk of v8.getHeapSnapshot()) chunks.push(chunk);
        const snap = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const { node_fields: fields, edge_fields: edgeFields, node_types: nodeTypes, edge_types: edgeTypes } = snap.snapshot.meta;
        const typeAt = fields.indexOf('type'), nameAt = fields.indexOf('name');
        const edgeTypeAt = edgeFields.indexOf('type'), edgeNameAt = edgeFields.indexOf('name_or_index'), toAt = edgeFields.indexOf('to_node');
        // zod's classes' prototypes (one per class, named after the base class) live as long as zod is loaded: not schema.
        const prototypes = new Set();
        for (let e = 0; e < snap.edges.length; e += edgeFields.length) {
          if (edgeTypes[0][snap.edges[e + edgeTypeAt]] === 'property' && snap.strings[snap.edges[e + edgeNameAt]] === 'prototype') prototypes.add(snap.edges[e + toAt]);
        }
        const counts = {};
        for (let i = 0; i < snap.nodes.length; i += fields.length) {
          if (nodeTypes[0][snap.nodes[i + typeAt]] !== 'object' || prototypes.has(i)) continue;
          const name = snap.strings[snap.nodes[i + nameAt]];
          if (name.startsWith('Zod')) counts[name] = (counts[name] || 0) + 1;
        }
        console.log('ZOD ' + JSON.stringify(counts));
        await t.shutdown();
        process.exit(0);
      }, (err) => { console.error(err); process.exit(1); });`;
    const child = new ChildApp(['--expose-gc', '-e', script], { cwd: REPO_ROOT, env: cleanEnv() });
    const counts = (await child.waitForLine('ZOD')) as Record<string, number>;
    assert.deepEqual(counts, {}, `Zod objects retained after start(): ${JSON.stringify(counts)}`);
  });
});
