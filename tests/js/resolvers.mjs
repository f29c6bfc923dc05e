// graphql-js side of the side-by-side fixture: the same resolvers and custom scalars as the C# test schema
// (tests/IncidentLedger.GraphQL.Tests/TestSchema.cs), over the same data (fixture/data.json).
import { readFileSync } from 'node:fs';
import { GraphQLError, GraphQLScalarType, Kind, buildSchema, valueFromASTUntyped } from 'graphql';

const here = new URL('.', import.meta.url);
export const sdl = readFileSync(new URL('fixture/schema.graphql', here), 'utf8');
export const data = JSON.parse(readFileSync(new URL('fixture/data.json', here), 'utf8'));

const all = [...data.dogs, ...data.cats, ...data.humans, ...data.aliens];
const byId = (id) => all.find((x) => x.id === id) ?? null;
const pets = () => [...data.dogs, ...data.cats];

const dateTimeRe = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const dateRe = /^\d{4}-\d{2}-\d{2}$/;
const uuidRe = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function validDate(s) {
  if (typeof s !== 'string' || !dateRe.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return y >= 1 && dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}
function validDateTime(s) {
  return typeof s === 'string' && dateTimeRe.test(s) && validDate(s.slice(0, 10)) && !Number.isNaN(Date.parse(s.replace(/t/, 'T').replace(/z$/, 'Z')));
}
const fail = (name, v) => { throw new TypeError(`${name} cannot represent value: ${JSON.stringify(v)}`); };

const scalars = {
  DateTime: {
    serialize: (v) => (validDateTime(v) ? new Date(v.replace(/t/, 'T').replace(/z$/, 'Z')).toISOString() : fail('DateTime', v)),
    parseValue: (v) => (validDateTime(v) ? v : fail('DateTime', v)),
    parseLiteral: (n) => (n.kind === Kind.STRING && validDateTime(n.value) ? n.value : fail('DateTime', n.value)),
  },
  Date: {
    serialize: (v) => (validDate(v) ? v : fail('Date', v)),
    parseValue: (v) => (validDate(v) ? v : fail('Date', v)),
    parseLiteral: (n) => (n.kind === Kind.STRING && validDate(n.value) ? n.value : fail('Date', n.value)),
  },
  UUID: {
    serialize: (v) => (typeof v === 'string' && uuidRe.test(v) ? v.toLowerCase() : fail('UUID', v)),
    parseValue: (v) => (typeof v === 'string' && uuidRe.test(v) ? v.toLowerCase() : fail('UUID', v)),
    parseLiteral: (n) => (n.kind === Kind.STRING && uuidRe.test(n.value) ? n.value.toLowerCase() : fail('UUID', n.value)),
  },
  Long: {
    serialize: (v) => (Number.isInteger(v) ? v : fail('Long', v)),
    parseValue: (v) => (Number.isSafeInteger(v) ? v : fail('Long', v)),
    parseLiteral: (n) => {
      if (n.kind !== Kind.INT) fail('Long', n.value);
      const b = BigInt(n.value);
      if (b < -(2n ** 63n) || b > 2n ** 63n - 1n) fail('Long', n.value);
      return Number(b);
    },
  },
  Decimal: {
    serialize: (v) => (typeof v === 'number' && Number.isFinite(v) ? v : fail('Decimal', v)),
    parseValue: (v) => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 7.9e28 ? v : fail('Decimal', v)),
    parseLiteral: (n) => {
      if ((n.kind !== Kind.INT && n.kind !== Kind.FLOAT) || !(Math.abs(Number(n.value)) < 7.9e28)) fail('Decimal', n.value);
      return Number(n.value);
    },
  },
  JSON: {
    serialize: (v) => v,
    parseValue: (v) => v,
    parseLiteral: (n, vars) => valueFromASTUntyped(n, vars),
  },
};

const host = {};
const resolvers = {
  Query: {
    node: (_, { id }) => byId(id),
    dog: (_, { id }) => data.dogs.find((d) => d.id === id) ?? null,
    cat: () => data.cats[0],
    human: (_, { id }) => data.humans.find((h) => h.id === id) ?? null,
    humans: () => data.humans,
    pets: (_, { filter }) => pets().filter((p) => !filter || filter.name == null || p.name === filter.name),
    beings: () => [data.dogs[0], data.cats[0], data.humans[0], data.aliens[0], null],
    catOrDog: () => data.cats[0],
    findPet: (_, { ref }) => pets().find((p) => (ref.id != null ? p.id === ref.id : p.name === ref.name)) ?? null,
    withDefault: (_, { value }) => value,
    severity: () => 'HIGH',
    deprecatedField: () => 'old',
    oldArg: (_, a) => a.new ?? a.old ?? null,
    errors: () => host,
    nullableHost: () => host,
    hosts: () => [host, null, host],
    strictHosts: () => [host, host],
    createdAt: () => '2024-05-01T12:30:00Z',
    uuid: () => '1B4E28BA-2FA1-11D2-883F-0016D3CCA427',
    big: () => 9007199254740991,
    price: () => 12.5,
    meta: () => ({ a: [1, 'x', true, null], b: { c: 2.5 } }),
  },
  Dog: {
    owner: (d) => byId(d.owner),
    nickname: (d, { upper }) => (upper ? d.name.toUpperCase() : d.nickname),
    isHousetrained: (d, { atOtherHomes }) => (atOtherHomes === false ? false : d.housetrained),
    doesKnowCommand: (d, { command }) => d.knownCommands.includes(command),
  },
  Cat: {
    owner: (c) => byId(c.owner),
    nickname: (c, { upper }) => (upper ? c.name.toUpperCase() : c.nickname),
  },
  Human: {
    pets: (h) => h.pets.map(byId),
    friends: (h, { first }) => h.friends.slice(0, Math.max(first ?? 0, 0)).map(byId),
  },
  ErrorHost: {
    ok: () => 'ok',
    boom: () => { throw new Error('boom'); },
    boomNonNull: () => { throw new Error('boom'); },
    nullNonNull: () => null,
    child: () => host,
    nonNullChild: () => host,
    list: () => ['a', null, 'c'],
    nonNullItems: () => ['a', null, 'c'],
    badInt: () => 'abc',
    asyncOk: async () => 'ok',
    asyncBoom: async () => { throw new Error('async boom'); },
  },
  Mutation: {
    createPet: (_, { input }) => ({ __typename: input.kind === 'DOG' ? 'Dog' : 'Cat', id: 'new', name: input.name, nickname: null, owner: null, knownCommands: [], lives: 9, housetrained: false }),
    renamePet: (_, { ref, name }) => {
      const p = pets().find((x) => (ref.id != null ? x.id === ref.id : x.name === ref.name));
      return p ? { ...p, name } : null;
    },
    setSeverity: (_, { value }) => value,
  },
};

for (const name of ['Int', 'IntNonNull', 'Float', 'String', 'Boolean', 'Id', 'Color', 'List', 'NonNullList', 'Nested', 'Filter', 'Complex', 'Ref', 'Date', 'DateTime', 'Uuid', 'Long', 'Decimal', 'Json']) {
  resolvers.Query[`echo${name}`] = (_, { value }) => value;
}

export function createSchema() {
  const schema = buildSchema(sdl);
  for (const [name, impl] of Object.entries(scalars)) {
    Object.assign(schema.getType(name), impl);
  }
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    for (const [fieldName, resolve] of Object.entries(fields)) {
      type.getFields()[fieldName].resolve = resolve;
    }
  }
  return schema;
}

export { GraphQLError, GraphQLScalarType };
