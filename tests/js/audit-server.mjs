// Runs the graphql-http audit suite (GraphQL over HTTP conformance) against a server URL and
// prints the results as JSON: [{ id, name, status: "ok" | "warn" | "error", reason? }].
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit-server.mjs <graphql endpoint URL>');
  process.exit(2);
}

const results = await auditServer({ url });
console.log(JSON.stringify(results.map(r => ({ id: r.id, name: r.name, status: r.status, reason: r.reason }))));
