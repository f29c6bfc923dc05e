// Starts GraphiQL with the settings the server wrote into the page (no inline script, so the page's
// Content-Security-Policy can forbid them). Requests go to the endpoint that served the page; headers typed
// into the headers editor (e.g. Authorization) are sent with every request.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var fetcher = GraphiQL.createFetcher({ url: config.url });
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
