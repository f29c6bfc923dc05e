// Opens the GraphQL IDE in headless Chromium (Debian's chromium, driven by playwright-core), types an auth header
// into the headers editor, runs a query and reads the result from the response pane; saves a screenshot; then
// runs a subscription, which the IDE sends over a WebSocket.
// Usage: node graphiql-browser.mjs <endpoint-url> <screenshot.png> <user>
// Prints one JSON line: { response, subscription, webSockets, title, consoleErrors, requests }. Exits 1 when the page fails to work.
import { chromium } from 'playwright-core';

const [url, screenshot, user] = process.argv.slice(2);
if (!url || !screenshot || !user) {
  console.error('usage: node graphiql-browser.mjs <endpoint-url> <screenshot.png> <user>');
  process.exit(2);
}

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const consoleErrors = [];
const requests = [];
const webSockets = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => requests.push({ method: r.method(), url: r.url(), headers: r.headers() }));
  page.on('websocket', (ws) => webSockets.push(ws.url()));
  page.setDefaultTimeout(20_000);

  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror');

  // The editors are CodeMirror 5 instances; set their text the way a paste would.
  const setEditor = (selector, text) => page.$eval(selector, (el, value) => el.CodeMirror.setValue(value), text);
  await setEditor('.graphiql-query-editor .CodeMirror', 'query Greeting {\n  hello(name: "regulator")\n  whoami\n}\n');

  await page.getByRole('button', { name: 'Headers' }).click();
  await page.waitForSelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
  await setEditor('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror', JSON.stringify({ 'X-Test-User': user }));

  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => {
    const cm = document.querySelector('.graphiql-response .CodeMirror');
    return cm && cm.CodeMirror.getValue().includes('"data"');
  });
  const response = JSON.parse(await page.$eval('.graphiql-response .CodeMirror', (el) => el.CodeMirror.getValue()));
  await page.screenshot({ path: screenshot, fullPage: true });

  // A subscription runs over the IDE's WebSocket; the response pane shows its latest event.
  await setEditor('.graphiql-query-editor .CodeMirror', 'subscription Ticks {\n  ticks(upTo: 3, everyMs: 50)\n}\n');
  // GraphiQL re-reads operation names after a debounce: until then it sends the previous operation's name, which
  // the server rightly cannot find. Each run starts from a cleared pane; run again until this operation is named.
  for (let attempt = 0; ; attempt++) {
    await setEditor('.graphiql-response .CodeMirror', '');
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => /"ticks": 3|OPERATION_RESOLUTION_FAILURE/.test(document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()));
    const shown = await page.$eval('.graphiql-response .CodeMirror', (el) => el.CodeMirror.getValue());
    if (shown.includes('"ticks": 3') || attempt === 20) break;
    await page.waitForTimeout(250);
  }
  const subscription = JSON.parse(await page.$eval('.graphiql-response .CodeMirror', (el) => el.CodeMirror.getValue()));
  console.log(JSON.stringify({
    response,
    subscription,
    webSockets,
    title: await page.title(),
    consoleErrors,
    requests: requests.filter((r) => r.method === 'POST').map((r) => ({ url: r.url, user: r.headers['x-test-user'] ?? null })),
  }));
} catch (error) {
  const pane = await browser.contexts()[0]?.pages()[0]?.$eval('.graphiql-response .CodeMirror', (el) => el.CodeMirror.getValue()).catch(() => null);
  console.error(`${error.stack ?? error}\nconsole errors: ${JSON.stringify(consoleErrors)}\nresponse pane: ${pane}\nweb sockets: ${JSON.stringify(webSockets)}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
