// Checks the side-by-side corpus itself: big enough, and breaking every graphql-js validation rule several times,
// so agreement with graphql-js (tests/IncidentLedger.GraphQL.Tests/SideBySide) means something for each rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, specifiedRules, validate } from 'graphql';
import corpus from './corpus.mjs';
import { createSchema } from './resolvers.mjs';

const schema = createSchema();

test('the corpus has at least 400 uniquely named documents', () => {
  assert.ok(corpus.length >= 400, `only ${corpus.length} documents`);
  assert.equal(new Set(corpus.map((d) => d.name)).size, corpus.length);
});

test('every specified validation rule is broken by at least three corpus documents', () => {
  const parsed = corpus.flatMap((d) => {
    try {
      return [parse(d.query)];
    } catch {
      return [];
    }
  });
  for (const rule of specifiedRules) {
    const breaking = parsed.filter((doc) => validate(schema, doc, [rule]).length > 0).length;
    assert.ok(breaking >= 3, `${rule.name} is broken by only ${breaking} documents`);
  }
});

test('the corpus has syntax errors, variable-coercion and null-propagation cases', () => {
  const count = (prefix) => corpus.filter((d) => d.name.startsWith(prefix)).length;
  assert.ok(count('syntax/') >= 30);
  assert.ok(count('variables/') >= 60);
  assert.ok(count('nulls/') >= 20);
  assert.ok(count('valid/') >= 50);
});
