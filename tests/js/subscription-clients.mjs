// Real subscription clients against a running server: graphql-ws (over the ws package) and
// graphql-sse (distinct connections). Each subscribes, takes a few events, disconnects, resumes
// after the last event it saw, and sends a bad document on the same client (graphql-ws reconnects
// lazily after the finished subscription closed its socket). Prints what each saw as JSON.
import { createClient as createWsClient } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import WebSocket from 'ws';

const url = process.argv[2];
if (!url) {
  console.error('usage: node subscription-clients.mjs <graphql endpoint URL>');
  process.exit(2);
}

const query = 'subscription Ticks($after: Int) { ticks(upTo: 6, after: $after, everyMs: 20) }';

async function take(client, variables, count) {
  const seen = [];
  for await (const result of client.iterate({ query, variables })) {
    seen.push(result.data.ticks);
    if (seen.length === count) break; // leaving the loop unsubscribes
  }
  return seen;
}

async function badDocument(client) {
  try {
    for await (const _ of client.iterate({ query: 'subscription { nope }' })) {
      return 'no error';
    }
    return 'completed without error';
  } catch (error) {
    const first = Array.isArray(error) ? error[0] : error;
    return first?.extensions?.code ?? first?.message ?? `closed ${first?.code} ${first?.reason}`;
  }
}

async function run(makeClient) {
  const first = makeClient();
  const seen = await take(first, {}, 3);
  await first.dispose(); // the connection drops
  const again = makeClient();
  const resumed = await take(again, { after: seen[seen.length - 1] }, 100);
  const bad = await badDocument(again);
  await again.dispose();
  return { first: seen, resumed, bad };
}

const output = {
  ws: await run(() => createWsClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true })),
  sse: await run(() => createSseClient({ url, retryAttempts: 0 })),
};
console.log(JSON.stringify(output));
