// Starts GraphiQL with the settings the server wrote into the page (no inline script, so the page's
// Content-Security-Policy can forbid them). Queries and mutations go over HTTP to the endpoint that served
// the page, with the headers typed into the headers editor (e.g. Authorization); subscriptions go over a
// WebSocket (graphql-transport-ws) to the same endpoint, opened when the first one starts.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var endpoint = new URL(config.url, window.location.href);
  endpoint.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  var wsClient = graphqlWs.createClient({ url: endpoint.href, lazy: true, retryAttempts: 3 });
  var fetcher = GraphiQL.createFetcher({ url: config.url, wsClient: wsClient });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: config.defaultQuery,
    defaultHeaders: config.headers,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: config.headers ? 'headers' : false,
  }));
})();
