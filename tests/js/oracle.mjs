// Runs every corpus document through graphql-js and prints the outcomes as JSON: the reference our engine is
// compared with (tests/IncidentLedger.GraphQL.Tests/SideBySide). Also prints the introspection query and the
// schema as graphql-js prints it, for the introspection round-trip test.
import { execute, getIntrospectionQuery, lexicographicSortSchema, parse, printSchema, specifiedRules, validate, buildSchema } from 'graphql';
import corpus from './corpus.mjs';
import { createSchema, sdl } from './resolvers.mjs';

const schema = createSchema();
const plainErrors = (errors) => errors.map((e) => ({ message: e.message, locations: e.locations ?? null, path: e.path ?? null }));

async function run({ name, query, variables, operationName }) {
  let document;
  try {
    document = parse(query);
  } catch (e) {
    return { name, query, variables, operationName, stage: 'parse', errors: plainErrors([e]) };
  }
  const validationErrors = validate(schema, document, specifiedRules);
  if (validationErrors.length > 0) {
    return { name, query, variables, operationName, stage: 'validate', errors: plainErrors(validationErrors) };
  }
  const result = await execute({ schema, document, variableValues: variables ?? undefined, operationName: operationName ?? undefined });
  return {
    name, query, variables, operationName,
    stage: 'execute',
    hasData: 'data' in result,
    data: result.data ?? null,
    errors: plainErrors(result.errors ?? []),
  };
}

const names = new Set();
for (const d of corpus) {
  if (names.has(d.name)) throw new Error(`duplicate corpus name ${d.name}`);
  names.add(d.name);
}

const results = [];
for (const doc of corpus) results.push(await run(doc));
const introspectionQuery = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true });
process.stdout.write(JSON.stringify({
  graphqlVersion: (await import('graphql')).version,
  introspectionQuery,
  expectedSdl: printSchema(lexicographicSortSchema(buildSchema(sdl))),
  results,
}));
