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
  // Tabs the server lists (an operation each, with its own variables and headers) open in place of the default query.
  var tabs = config.tabs || undefined;
  var hasHeaders = Boolean(config.headers) || Boolean(tabs && tabs.some(function (t) { return t.headers; }));
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: config.defaultQuery,
    defaultHeaders: config.headers,
    defaultTabs: tabs,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: hasHeaders ? 'headers' : false,
  }));
})();
