// Reads an introspection result (JSON) on stdin and prints the schema it describes, as graphql-js's
// buildClientSchema + printSchema see it (types sorted, so order does not matter).
import { buildClientSchema, lexicographicSortSchema, printSchema } from 'graphql';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const result = JSON.parse(input);
process.stdout.write(printSchema(lexicographicSortSchema(buildClientSchema(result.data ?? result))));
