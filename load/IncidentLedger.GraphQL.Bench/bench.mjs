// graphql-js side of the benchmark: same schema (schema.graphql), data and queries (queries.json) as Program.cs.
// Usage: node --expose-gc --max-semi-space-size=256 bench.mjs [seconds per scenario, default 5]
// graphql-js is resolved from tests/js/node_modules (run `npm ci` in tests/js first).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

const require = createRequire(new URL('../../tests/js/package.json', import.meta.url));
const { buildSchema, execute, graphql, parse, version } = require('graphql');

const seconds = Number(process.argv[2] ?? 5);
const here = new URL('.', import.meta.url);
const schema = buildSchema(readFileSync(new URL('schema.graphql', here), 'utf8'));
const queries = JSON.parse(readFileSync(new URL('queries.json', here), 'utf8'));

const owners = Array.from({ length: 10 }, (_, j) => ({ id: `o${j}`, name: `Owner ${j}`, email: `owner${j}@example.org` }));
const items = Array.from({ length: 1000 }, (_, k) => {
  const i = k + 1;
  return { id: String(i), name: `Item ${i}`, price: i * 1.25, inStock: i % 3 !== 0, tags: [`t${i % 5}`, `t${i % 7}`], owner: owners[i % 10] };
});
const rootValue = {
  hello: ({ name }) => `Hello, ${name}!`,
  item: ({ id }) => items.find((i) => i.id === id) ?? null,
  items: ({ first }) => items.slice(0, Math.max(0, Math.min(first, items.length))),
};

async function once(mode, source, document) {
  const result = mode === 'full'
    ? await graphql({ schema, source, rootValue })
    : await execute({ schema, document, rootValue });
  if (result.errors) throw new Error(result.errors[0].message);
  return Buffer.byteLength(JSON.stringify(result));
}

async function measure(mode, source, document, ms) {
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < ms) {
    await once(mode, source, document);
    count++;
  }
  return count / ((performance.now() - start) / 1000);
}

// Bytes allocated per request, estimated as heap growth over a batch that fits in the young generation
// (needs --expose-gc and a large --max-semi-space-size so no collection runs inside the batch).
async function allocation(mode, source, document) {
  if (typeof globalThis.gc !== 'function') return NaN;
  const batch = mode === 'full' && source.length > 1000 ? 20 : 50;
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < batch; i++) await once(mode, source, document);
  return (process.memoryUsage().heapUsed - before) / batch;
}

const fmt = (b) => (Number.isNaN(b) ? 'n/a' : b >= 1048576 ? `${(b / 1048576).toFixed(1)} MB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KB` : `${b.toFixed(0)} B`);
console.log(`graphql-js ${version} on Node ${process.version}, ${os.cpus().length} cores, ${seconds} s per scenario`);
console.log(`${'scenario'.padEnd(28)} ${'req/s'.padStart(10)} ${'alloc/req'.padStart(12)} ${'response'.padStart(10)}`);
for (const [name, source] of Object.entries(queries)) {
  const document = parse(source);
  for (const mode of ['full', 'pre-parsed']) {
    const size = await once(mode, source, document);
    await measure(mode, source, document, 1000);
    const alloc = await allocation(mode, source, document);
    const rate = await measure(mode, source, document, seconds * 1000);
    console.log(`${`${name} (${mode})`.padEnd(28)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} ${fmt(alloc).padStart(12)} ${fmt(size).padStart(10)}`);
  }
}
