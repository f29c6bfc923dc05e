// The side-by-side corpus: documents run through graphql-js (oracle.mjs) and our engine (CorpusTests.cs).
// Each entry: [name, query, variables?, operationName?]. Names are unique and say what the case checks.
const docs = [];
const add = (name, query, variables, operationName) => docs.push({ name, query, variables: variables ?? null, operationName: operationName ?? null });

// Valid queries over the fixture.
add('valid/simple', '{ dog { name barkVolume } }');
add('valid/alias', '{ a: dog { n: name } b: dog(id: "d2") { n: name } }');
add('valid/nested-owner', '{ dog { owner { name pets { name } } } }');
add('valid/friends-default', '{ human(id: "h1") { friends { name } } }');
add('valid/friends-first', '{ human(id: "h1") { friends(first: 1) { name } } }');
add('valid/friends-zero', '{ human(id: "h1") { friends(first: 0) { name } } }');
add('valid/interface-fragment', '{ pets { __typename name ... on Dog { barkVolume } ... on Cat { lives } } }');
add('valid/union', '{ beings { __typename ... on Named { name } ... on Dog { barkVolume } ... on Alien { homePlanet } } }');
add('valid/named-fragment', 'query Q { dog { ...DogFields } } fragment DogFields on Dog { name nickname(upper: true) }');
add('valid/fragment-on-interface', '{ pets { ...PetFields } } fragment PetFields on Pet { id name owner { name } }');
add('valid/nested-fragments', '{ dog { ...A } } fragment A on Dog { ...B name } fragment B on Pet { id }');
add('valid/node-dog', '{ node(id: "d1") { id ... on Dog { name } } }');
add('valid/node-human', '{ node(id: "h2") { id ... on Named { name } ... on Human { pets { name } } } }');
add('valid/node-missing', '{ node(id: "zz") { id } }');
add('valid/typename-root', '{ __typename }');
add('valid/typename-nested', '{ catOrDog { __typename ... on Cat { furColor } } }');
add('valid/skip-true', '{ dog { name @skip(if: true) barkVolume } }');
add('valid/skip-false', '{ dog { name @skip(if: false) } }');
add('valid/include-false', '{ dog { name @include(if: false) id } }');
add('valid/include-var', 'query ($i: Boolean!) { dog { name @include(if: $i) id } }', { i: false });
add('valid/skip-var-fragment', 'query ($s: Boolean = true) { dog { ...F @skip(if: $s) id } } fragment F on Dog { name }');
add('valid/skip-inline', 'query ($s: Boolean!) { dog { ... @skip(if: $s) { name } id } }', { s: true });
add('valid/include-and-skip', '{ dog { name @include(if: true) @skip(if: true) id } }');
add('valid/commands', '{ dog { knownCommands doesKnowCommand(command: SIT) } }');
add('valid/housetrained', '{ dog { a: isHousetrained b: isHousetrained(atOtherHomes: false) } }');
add('valid/enum-output', '{ severity cat { furColor } }');
add('valid/deprecated-field', '{ deprecatedField oldArg(old: 1) human(id: "h1") { age } }');
add('valid/custom-scalars-out', '{ createdAt uuid big price meta }');
add('valid/human-birthday', '{ humans { name birthday } }');
add('valid/merge-same-field', '{ dog { name name } dog { barkVolume } }');
add('valid/merge-same-args', '{ dog { doesKnowCommand(command: SIT) doesKnowCommand(command: SIT) } }');
add('valid/merge-exclusive-parents', '{ catOrDog { ... on Cat { x: lives } ... on Dog { x: name } } }');
add('valid/multiple-operations-named', 'query A { dog { name } } query B { cat { name } }', null, 'B');
add('valid/operation-directive', 'query Q @flag { dog @flag { name } }');
add('valid/var-default', 'query ($id: ID = "d2") { dog(id: $id) { name } }');
add('valid/var-provided', 'query ($id: ID) { dog(id: $id) { name } }', { id: 'd2' });
add('valid/var-null-for-nullable', 'query ($id: ID) { dog(id: $id) { name } }', { id: null });
add('valid/var-in-list', 'query ($a: Int) { echoList(value: [1, $a, 3]) }', { a: 2 });
add('valid/var-in-object', 'query ($n: String) { echoFilter(value: { name: $n }) }', { n: 'Rex' });
add('valid/pets-filter', '{ pets(filter: { name: "Tom" }) { name } }');
add('valid/find-by-id', '{ findPet(ref: { id: "c2" }) { name } }');
add('valid/find-by-name', '{ findPet(ref: { name: "Fido" }) { id } }');
add('valid/with-default', '{ a: withDefault b: withDefault(value: "x") c: withDefault(value: null) }');
add('valid/mutation-create', 'mutation { createPet(input: { name: "Luna", kind: CAT }) { __typename name } }');
add('valid/mutation-serial', 'mutation { a: setSeverity(value: LOW) b: setSeverity(value: HIGH) c: renamePet(ref: { id: "d1" }, name: "Max") { name } }');
add('valid/mutation-var', 'mutation M($p: NewPet!) { createPet(input: $p) { name ... on Dog { knownCommands } } }', { p: { name: 'Bolt', kind: 'DOG', tags: ['a'] } });
add('valid/block-string-arg', '{ echoString(value: """\n    hello\n      world\n  """) }');
add('valid/unicode-escapes', '{ a: echoString(value: "\\u00e9\\u{1F600}\\uD83D\\uDE00") b: echoString(value: "tab\\tquote\\"slash\\/") }');
add('valid/comments-commas', '# comment\n{ ,,dog { name, # trailing\n id } }');
add('valid/subscription-executes', 'subscription { petAdded { name } }');
add('valid/introspection-typename-schema', '{ __schema { queryType { name } mutationType { name } subscriptionType { name } } }');
add('valid/introspection-type', '{ __type(name: "Dog") { name kind interfaces { name } fields { name args { name defaultValue } type { name kind ofType { name } } } } }');
add('valid/introspection-enum', '{ __type(name: "Severity") { enumValues(includeDeprecated: true) { name isDeprecated deprecationReason } } }');
add('valid/introspection-enum-default', '{ __type(name: "Severity") { enumValues { name } } }');
add('valid/introspection-input', '{ __type(name: "PetFilter") { inputFields(includeDeprecated: true) { name defaultValue isDeprecated deprecationReason type { kind name ofType { kind name } } } } }');
add('valid/introspection-oneof', '{ a: __type(name: "PetRef") { isOneOf } b: __type(name: "PetFilter") { isOneOf } c: __type(name: "Dog") { isOneOf } }');
add('valid/introspection-union', '{ __type(name: "Being") { kind possibleTypes { name } } }');
add('valid/introspection-interface-impls', '{ __type(name: "Named") { possibleTypes { name } interfaces { name } } }');
add('valid/introspection-scalar', '{ __type(name: "DateTime") { name specifiedByURL } l: __type(name: "Long") { specifiedByURL } }');
add('valid/introspection-directives', '{ __schema { directives { name isRepeatable locations args { name type { name kind } defaultValue } } } }');
add('valid/introspection-types', '{ __schema { types { name kind } } }');
add('valid/introspection-args-deprecated', '{ __schema { queryType { fields { name args(includeDeprecated: true) { name isDeprecated } } } } }');
add('valid/introspection-missing-type', '{ __type(name: "Nope") { name } }');
add('valid/introspection-descriptions', '{ __schema { description } __type(name: "PetRef") { description } }');
add('valid/introspection-field-deprecation', '{ __type(name: "Query") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }');
add('valid/async-ok', '{ errors { asyncOk ok } }');
add('valid/operation-name-selects', 'query A { dog { name } } mutation B { setSeverity(value: LOW) }', null, 'A');

// Null propagation and field errors (valid documents, data and error paths compared).
add('nulls/boom-nullable', '{ errors { ok boom } }');
add('nulls/boom-nonnull', '{ nullableHost { ok boomNonNull } }');
add('nulls/null-nonnull', '{ nullableHost { nullNonNull ok } }');
add('nulls/to-root', '{ errors { boomNonNull } dog { name } }');
add('nulls/nested-child', '{ errors { child { child { boom ok } } } }');
add('nulls/nested-nonnull-child', '{ nullableHost { nonNullChild { nonNullChild { nullNonNull } } } }');
add('nulls/list-nullable-items', '{ errors { list } }');
add('nulls/list-nonnull-items', '{ errors { nonNullItems } }');
add('nulls/hosts-list', '{ hosts { ok boom } }');
add('nulls/hosts-list-nonnull-field', '{ hosts { ok boomNonNull } }');
add('nulls/strict-hosts', '{ strictHosts { ok boomNonNull } }');
add('nulls/serialization-error', '{ errors { badInt ok } }');
add('nulls/async-boom', '{ nullableHost { asyncOk asyncBoom } }');
add('nulls/async-boom-root', '{ errors { asyncBoom } }');
add('nulls/email-null', '{ humans { name email } }');
add('nulls/email-null-single', '{ human(id: "h3") { name email } }');
add('nulls/aliases', '{ nullableHost { a: boom b: boom c: ok } }');
add('nulls/two-branches', '{ x: nullableHost { boomNonNull } y: nullableHost { ok } }');
add('nulls/fragment-merge', '{ nullableHost { ...A ...B } } fragment A on ErrorHost { ok } fragment B on ErrorHost { nullNonNull }');
add('nulls/deep-list', '{ hosts { child { nonNullItems } } }');
add('nulls/mutation-error', 'mutation { renamePet(ref: { id: "zz" }, name: "x") { name } setSeverity(value: MEDIUM) }');
add('nulls/being-null', '{ beings { ... on Named { name } } }');

// Variable coercion: request errors (no data) and successful coercions (data compared).
const varCases = [
  ['Int', '$v: Int', 'echoInt(value: $v)', [1, -5, 2147483647, 2147483648, 1.5, 1.0, '1', true, null, [1], { a: 1 }]],
  ['IntNonNull', '$v: Int!', 'echoIntNonNull(value: $v)', [3, null, 'x', 9.99]],
  ['Float', '$v: Float', 'echoFloat(value: $v)', [1, 1.25, -0.5, '1.5', false, null]],
  ['String', '$v: String', 'echoString(value: $v)', ['abc', '', 5, true, null, ['a']]],
  ['Boolean', '$v: Boolean', 'echoBoolean(value: $v)', [true, false, 0, 'true', null]],
  ['Id', '$v: ID', 'echoId(value: $v)', ['x1', 42, 4.5, true, null]],
  ['Color', '$v: Color', 'echoColor(value: $v)', ['RED', 'PURPLE', 'red', 1, null]],
  ['List', '$v: [Int]', 'echoList(value: $v)', [[1, 2], 5, [1, null], [1, 'x', 2.5], null, []]],
  ['NonNullList', '$v: [Int!]!', 'echoNonNullList(value: $v)', [[1], [1, null], null, 7, ['a', 'b']]],
  ['Nested', '$v: [[String]]', 'echoNested(value: $v)', [[['a'], ['b', null]], 'a', [['a', 1]], [null]]],
  ['Filter', '$v: PetFilter', 'echoFilter(value: $v)', [{ name: 'Rex' }, {}, { name: 1 }, { unknown: 1 }, { colors: ['RED', 'NOPE'] }, { nested: { nested: { name: 'x' } } }, 'str', { minLives: null }]],
  ['Complex', '$v: ComplexInput', 'echoComplex(value: $v)', [{ requiredField: true }, {}, { requiredField: null }, { requiredField: true, nonNullList: [1, null] }, { requiredField: true, nested: { intField: 1 } }, { requiredField: true, stringListField: 'one' }]],
  ['Ref', '$v: PetRef', 'echoRef(value: $v)', [{ id: 'd1' }, { name: 'Rex' }, {}, { id: 'd1', name: 'Rex' }, { id: null }, { id: 'd1', extra: 1 }]],
  ['Date', '$v: Date', 'echoDate(value: $v)', ['2024-02-29', '2023-02-29', '2024-1-1', 20240101, null]],
  ['DateTime', '$v: DateTime', 'echoDateTime(value: $v)', ['2024-05-01T12:30:00Z', '2024-05-01T12:30:00.123+02:00', '2024-05-01 12:30:00', '2024-05-01T12:30:00', 5]],
  ['Uuid', '$v: UUID', 'echoUuid(value: $v)', ['1B4E28BA-2FA1-11D2-883F-0016D3CCA427', 'not-a-uuid', 12, '1b4e28ba2fa111d2883f0016d3cca427']],
  ['Long', '$v: Long', 'echoLong(value: $v)', [5, -9007199254740991, 1.5, '12', null]],
  ['Decimal', '$v: Decimal', 'echoDecimal(value: $v)', [1.25, 3, 'x', true, null]],
  ['Json', '$v: JSON', 'echoJson(value: $v)', [{ a: [1, { b: null }] }, 'text', 12.5, [], null, false]],
];
for (const [field, def, selection, values] of varCases) {
  values.forEach((value, i) => add(`variables/${field}/${i}`, `query (${def}) { ${selection} }`, { v: value }));
  add(`variables/${field}/missing`, `query (${def}) { ${selection} }`, {});
}
add('variables/default-used', 'query ($v: Int = 7) { echoInt(value: $v) }', {});
add('variables/default-overridden-null', 'query ($v: Int = 7) { echoInt(value: $v) }', { v: null });
add('variables/nonnull-with-default-missing', 'query ($v: Int! = 3) { echoIntNonNull(value: $v) }', {});
add('variables/required-arg-missing-variable', 'query ($v: Int = 1) { echoIntNonNull(value: $v) }', {});
add('variables/several-errors', 'query ($a: Int!, $b: String!, $c: Color) { echoInt(value: $a) echoString(value: $b) echoColor(value: $c) }', { c: 'NOPE' });
add('variables/object-missing-required', 'mutation ($p: NewPet!) { createPet(input: $p) { name } }', { p: { name: 'x' } });
add('variables/object-bad-enum-and-extra', 'mutation ($p: NewPet!) { createPet(input: $p) { name } }', { p: { name: 'x', kind: 'BIRD', wings: 2 } });
add('variables/list-coerced-from-single', 'query ($v: [Int]) { echoList(value: $v) }', { v: 3 });
add('variables/oneof-in-argument', 'query ($r: PetRef!) { findPet(ref: $r) { name } }', { r: { name: 'Tom' } });
add('variables/oneof-two-keys', 'query ($r: PetRef!) { findPet(ref: $r) { name } }', { r: { name: 'Tom', id: 'c1' } });
add('variables/oneof-field-variable-missing', 'query ($id: ID!) { echoRef(value: { id: $id }) }', {});
add('variables/nested-field-variable-null', 'query ($n: String) { echoFilter(value: { name: $n, minLives: 2 }) }', { n: null });
add('variables/unknown-operation', 'query A { dog { name } }', null, 'B');
add('variables/operation-name-required', 'query A { dog { name } } query B { cat { name } }');

// Literal coercion: each echo field with literals that are and are not of its type.
const literalCases = [
  ['Int', ['1', '-0', '2147483647', '2147483648', '1.0', '"1"', 'true', 'RED', 'null', '[1]', '{a: 1}']],
  ['IntNonNull', ['1', 'null', '"1"']],
  ['Float', ['1', '1.5', '-1e3', '"1.5"', 'false', 'null', '[1.5]']],
  ['String', ['"a"', '"""block"""', '1', 'true', 'null', 'ENUM', '["a"]']],
  ['Boolean', ['true', 'false', '1', '"true"', 'TRUE', 'null']],
  ['Id', ['"x"', '12', '1.5', 'true', 'null']],
  ['Color', ['RED', 'PURPLE', '"RED"', '1', 'null', 'true']],
  ['List', ['[1, 2]', '1', '[1, null]', '["a"]', '[[1]]', '[]', 'null']],
  ['NonNullList', ['[1]', '[1, null]', 'null', '2', '[]']],
  ['Nested', ['[["a"], [null]]', '"a"', '["a"]', '[[1]]']],
  ['Filter', ['{ name: "Tom" }', '{ name: 1 }', '{ unknown: 1 }', '{ colors: [RED, GREEN] }', '{ colors: RED }', '{ colors: [PURPLE] }', '{ nested: { nested: { minLives: "x" } } }', '"x"', '{}', '{ minLives: null }', '{ oldField: "x" }']],
  ['Complex', ['{ requiredField: true }', '{}', '{ requiredField: null }', '{ requiredField: true, nonNullList: null }', '{ requiredField: true, nonNullList: [1, null] }', '{ requiredField: true, nested: {} }', '{ requiredField: true, enumField: BLUE, stringListField: "x" }']],
  ['Ref', ['{ id: "d1" }', '{ name: "Rex" }', '{}', '{ id: "d1", name: "Rex" }', '{ id: null }', '{ name: 5 }']],
  ['Date', ['"2024-02-29"', '"2023-02-29"', '"2024-13-01"', '20240101', '"2024-01-01T00:00:00Z"']],
  ['DateTime', ['"2024-05-01T12:30:00Z"', '"2024-05-01T12:30:00+05:30"', '"2024-05-01T12:30:00"', '"2024-05-01"', '"2024-02-30T00:00:00Z"']],
  ['Uuid', ['"1b4e28ba-2fa1-11d2-883f-0016d3cca427"', '"1B4E28BA-2FA1-11D2-883F-0016D3CCA427"', '"xyz"', '123']],
  ['Long', ['1', '9007199254740991', '9223372036854775808', '1.5', '"1"']],
  ['Decimal', ['1', '1.25', '"1.25"', 'true', '1e400']],
  ['Json', ['{ a: [1, "x", true, null, { b: B }] }', '"s"', '1.5', '[]', 'null', 'ENUMISH']],
];
for (const [field, literals] of literalCases) {
  literals.forEach((literal, i) => add(`literals/${field}/${i}`, `{ echo${field}(value: ${literal}) }`));
}

// Syntax errors: one error each, at the exact position.
const syntax = [
  '{', '}', '{ dog { name }', '{ dog(id: ) { name } }', 'query { ...}', '{ dog { ... on } }', 'query Q($) { dog { name } }',
  '{ dog { name } } }', 'fragment on on Dog { name }', 'fragment F Dog { name }', '{ echoInt(value: 01) }', '{ echoFloat(value: 1.) }',
  '{ echoFloat(value: 1.5e) }', '{ echoInt(value: 123abc) }', '{ echoString(value: "unterminated) }', '{ echoString(value: "bad \\q escape") }',
  '{ echoString(value: "\\u12") }', '{ echoString(value: "\\u{110000}") }', '{ dog { name ? } }', "{ echoString(value: 'single') }", '{ dog { na\u0007me } }',
  'query ($v: Int = $w) { echoInt(value: $v) }', '{ echoString(value: "line\nbreak") }', '', '   # only a comment', 'subscription', 'query Q { }',
  '{ dog(id: "d1" { name } }', '{ ..Frag }', 'extend', 'type', 'query Q() { dog { name } }', '{ dog { name } } "description" query Q { cat { name } }',
  '{ echoString(value: """unterminated block) }', 'query ($v: [Int) { echoList(value: $v) }', '{ echoList(value: [1, 2) }', '{ echoFilter(value: { name "x" }) }',
  'enum E { true }', 'directive @d on NOWHERE', 'extend type Dog', '{ dog @ { name } }', 'query Q($a: Int!!) { echoInt(value: $a) }',
];
syntax.forEach((q, i) => add(`syntax/${i}`, q));

// One or more documents breaking each validation rule, in several ways.
const rules = {
  'executable-definitions': [
    'type Foo { a: String } { dog { name } }',
    '{ dog { name } } schema { query: Query }',
    'extend type Dog { color: String } query { dog { name } }',
    'scalar Money directive @d on FIELD { dog { name } }',
  ],
  'unique-operation-names': [
    'query A { dog { name } } query A { cat { name } }',
    'query A { dog { name } } mutation A { setSeverity(value: LOW) }',
    'query A { dog { name } } query A { dog { id } } query A { cat { name } }',
    'query A { dog { name } } subscription A { petAdded { name } }',
  ],
  'lone-anonymous-operation': [
    '{ dog { name } } { cat { name } }',
    '{ dog { name } } query A { cat { name } }',
    'query A { dog { name } } { cat { name } } mutation { setSeverity(value: LOW) }',
    '{ dog { name } } fragment F on Dog { name } { dog { ...F } }',
  ],
  'single-field-subscriptions': [
    'subscription { petAdded { name } ticks(count: 1) }',
    'subscription S { petAdded { name } __typename }',
    'subscription { ...F } fragment F on Subscription { petAdded { name } ticks(count: 2) }',
    'subscription { __typename }',
    'subscription S { a: ticks(count: 1) b: ticks(count: 2) c: petAdded { id } }',
  ],
  'known-type-names': [
    'query ($v: Unknown) { echoInt(value: 1) }',
    '{ dog { ... on Unknown { name } } }',
    'fragment F on Unknown { name } { dog { ...F } }',
    'query ($v: [Nope!]!) { dog { name } }',
    'query ($v: Color, $w: Colour) { echoColor(value: $v) }',
  ],
  'fragments-on-composite-types': [
    '{ dog { ... on Boolean { name } } }',
    'fragment F on Color { name } { dog { ...F } }',
    '{ dog { ... on String { __typename } } }',
    'fragment F on PetFilter { name } { dog { ...F } }',
  ],
  'variables-are-input-types': [
    'query ($v: Dog) { echoInt(value: 1) }',
    'query ($v: [Pet!]) { echoInt(value: 1) }',
    'query ($v: Being!) { echoInt(value: 1) }',
    'query ($a: Dog, $b: Cat, $c: Int) { echoInt(value: $c) }',
  ],
  'scalar-leafs': [
    '{ dog }',
    '{ dog { name { x } } }',
    '{ severity { name } }',
    '{ human(id: "h1") { pets } }',
    '{ beings }',
    '{ __schema }',
  ],
  'fields-on-correct-type': [
    '{ dog { meowVolume } }',
    '{ unknownField }',
    '{ pets { barkVolume } }',
    '{ beings { name } }',
    '{ dog { __schema { types { name } } } }',
    '{ catOrDog { ... on Dog { lives } } }',
  ],
  'unique-fragment-names': [
    '{ dog { ...F } } fragment F on Dog { name } fragment F on Dog { id }',
    '{ dog { ...F } } fragment F on Dog { name } fragment F on Pet { id } fragment F on Node { id }',
    '{ dog { ...F ...G } } fragment G on Dog { name } fragment F on Dog { id } fragment G on Dog { id }',
  ],
  'known-fragment-names': [
    '{ dog { ...Missing } }',
    '{ dog { ...A ...B } } fragment A on Dog { name }',
    '{ dog { ... on Dog { ...Nope } } }',
    'query { dog { ...A } } fragment A on Dog { ...B }',
  ],
  'no-unused-fragments': [
    '{ dog { name } } fragment Unused on Dog { name }',
    '{ dog { ...A } } fragment A on Dog { name } fragment B on Dog { ...C } fragment C on Dog { id }',
    'query Q { dog { name } } fragment X on Cat { name } fragment Y on Human { name }',
  ],
  'possible-fragment-spreads': [
    '{ dog { ... on Cat { lives } } }',
    '{ dog { ...CatF } } fragment CatF on Cat { lives }',
    '{ catOrDog { ... on Human { name } } }',
    '{ human(id: "h1") { ... on Pet { name } } }',
    '{ beings { ... on Node { id } ... on PetFilter { name } } }',
    '{ cat { ...AlienF } } fragment AlienF on Alien { homePlanet }',
  ],
  'no-fragment-cycles': [
    '{ dog { ...A } } fragment A on Dog { ...A }',
    '{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { ...A }',
    '{ dog { ...A } } fragment A on Dog { ...B } fragment B on Dog { ...C } fragment C on Dog { ...A ...B }',
    '{ dog { ...A } } fragment A on Dog { owner { pets { ... on Dog { ...A } } } }',
  ],
  'unique-variable-names': [
    'query ($a: Int, $a: Int) { echoInt(value: $a) }',
    'query ($a: Int, $b: Int, $a: String, $b: Int) { echoInt(value: $a) x: echoInt(value: $b) }',
    'query ($a: Int, $a: Int, $a: Int) { echoInt(value: $a) }',
  ],
  'no-undefined-variables': [
    '{ echoInt(value: $x) }',
    'query Q { echoInt(value: $x) echoString(value: $y) }',
    'query Q($x: Int) { echoInt(value: $x) ...F } fragment F on Query { echoString(value: $y) }',
    'query A { ...F } query B($x: Int) { ...F } fragment F on Query { echoInt(value: $x) }',
    'query ($a: Int) { echoList(value: [$a, $b, $b]) }',
  ],
  'no-unused-variables': [
    'query ($x: Int) { dog { name } }',
    'query Q($x: Int, $y: Int) { echoInt(value: $y) }',
    'query A($x: Int) { ...F } query B($x: Int, $z: Int) { ...F } fragment F on Query { echoInt(value: $x) }',
    'query ($a: Int, $b: Int, $c: Int) { echoInt(value: $b) }',
  ],
  'known-directives': [
    '{ dog @unknown { name } }',
    'query Q @skip(if: true) { dog { name } }',
    '{ dog { name @deprecated } }',
    'query ($v: Int @include(if: true)) { echoInt(value: $v) }',
    'fragment F on Dog @oneOf { name } { dog { ...F } }',
    '{ dog { ...F @specifiedBy(url: "x") } } fragment F on Dog { name }',
  ],
  'unique-directives-per-location': [
    '{ dog { name @skip(if: true) @skip(if: false) } }',
    '{ dog @include(if: true) @include(if: true) @include(if: false) { name } }',
    '{ dog { ...F @flag @flag } } fragment F on Dog { name }',
    '{ dog { name @tag(name: "a") @tag(name: "b") @flag @flag } }',
  ],
  'known-argument-names': [
    '{ dog(name: "Rex") { name } }',
    '{ dog { doesKnowCommand(command: SIT, extra: 1) } }',
    '{ dog { name @skip(iff: true) } }',
    '{ dog { name @include(if: true, unless: false) } }',
    '{ __type(name: "Dog", kind: OBJECT) { name } }',
  ],
  'unique-argument-names': [
    '{ dog(id: "d1", id: "d2") { name } }',
    '{ dog { name @skip(if: true, if: false) } }',
    '{ echoInt(value: 1, value: 2, value: 3) }',
    '{ oldArg(old: 1, new: 2, old: 3, new: 4) }',
  ],
  'values-of-correct-type': [
    '{ echoInt(value: "one") }',
    '{ dog { doesKnowCommand(command: JUMP) } }',
    '{ echoNonNullList(value: [1, "2", 3.5]) }',
    '{ echoFilter(value: { name: true, colors: [RED, "BLUE"] }) }',
    '{ findPet(ref: { id: "d1", name: "Rex" }) { name } }',
    '{ findPet(ref: { id: null }) { name } }',
    'mutation { createPet(input: { kind: DOG }) { name } }',
    '{ echoComplex(value: { requiredField: true, unknown: 1, other: 2 }) }',
    '{ echoIntNonNull(value: null) }',
    'query ($v: Int = "x") { echoInt(value: $v) }',
    '{ echoDate(value: "2024-02-30") echoUuid(value: "nope") }',
  ],
  'provided-required-arguments': [
    '{ human { name } }',
    '{ dog { doesKnowCommand } }',
    '{ dog { name @include } }',
    '{ findPet { name } __type { name } }',
    'mutation { renamePet(name: "x") { name } }',
  ],
  'variables-in-allowed-position': [
    'query ($v: Int) { echoIntNonNull(value: $v) }',
    'query ($v: String) { echoInt(value: $v) }',
    'query ($v: [Int]) { echoNonNullList(value: $v) }',
    'query ($v: Boolean) { dog { name @skip(if: $v) } }',
    'query ($v: ID) { findPet(ref: { id: $v }) { name } }',
    'query ($v: Int) { ...F } fragment F on Query { echoIntNonNull(value: $v) }',
    'query ($v: Color) { echoList(value: [$v]) }',
    'query ($v: Int = 1) { echoIntNonNull(value: $v) }',
    'query ($v: [Int!]) { echoList(value: $v) }',
    'query ($v: Int) { echoComplex(value: { requiredField: true, nonNullList: [$v] }) }',
  ],
  'overlapping-fields-can-be-merged': [
    '{ dog { x: name x: barkVolume } }',
    '{ dog { doesKnowCommand(command: SIT) doesKnowCommand(command: HEEL) } }',
    '{ dog { name: nickname name } }',
    '{ pets { ... on Dog { v: barkVolume } ... on Named { v: name } } }',
    '{ catOrDog { ... on Cat { x: lives } ... on Dog { x: name } } }',
    '{ dog { owner { name } owner { n: name name: id } } }',
    '{ dog { ...A ...B } } fragment A on Dog { x: name } fragment B on Dog { x: id }',
    '{ a: dog { name } a: cat { name } }',
    '{ dog { nickname(upper: true) nickname(upper: false) nickname } }',
    'query ($a: Boolean) { dog { nickname(upper: $a) nickname(upper: true) } }',
    '{ beings { ... on Dog { k: knownCommands } ... on Cat { k: furColor } } }',
    '{ dog { owner { friends { name } } owner { friends(first: 1) { name } } } }',
    '{ x: echoInt(value: 1) x: echoFloat(value: 1) }',
    '{ human(id: "h1") { pets { name } } human(id: "h2") { pets { name } } }',
    '{ dog { ...A } dog { ...B } } fragment A on Dog { owner { x: name } } fragment B on Dog { owner { x: email } }',
  ],
  'unique-input-field-names': [
    '{ echoFilter(value: { name: "a", name: "b" }) }',
    '{ echoFilter(value: { nested: { name: "a", name: "b", name: "c" } }) }',
    '{ echoJson(value: { a: 1, a: 2 }) }',
    '{ echoComplex(value: { requiredField: true, requiredField: false, nested: { requiredField: true } }) }',
  ],
  'max-introspection-depth': [
    '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }',
    '{ __type(name: "Dog") { interfaces { interfaces { possibleTypes { name } } } } }',
    '{ __schema { types { ...T } } } fragment T on __Type { fields { type { inputFields { type { fields { name } } } } } }',
  ],
  'several-rules-at-once': [
    'query Q($v: Int, $v: Dog) { dog(name: 1) { ...Missing unknown } } fragment Unused on Cat { lives }',
    '{ dog @skip { name(x: 1) } cat { meowVolume { x } } }',
    'subscription S { petAdded { nope } ticks }',
  ],
};
for (const [rule, list] of Object.entries(rules)) {
  list.forEach((q, i) => add(`invalid/${rule}/${i}`, q));
}

// Validity-only variants: every rule-breaking query, once more inside a named operation with an unrelated valid field.
for (const [rule, list] of Object.entries(rules)) {
  list.slice(0, 2).forEach((q, i) => {
    if (q.trim().startsWith('{')) add(`invalid/${rule}/named-${i}`, 'query Named ' + q.replace(/^\s*\{/, '{ __typename '));
  });
}

export default docs;
