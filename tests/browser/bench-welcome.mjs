// Time from page load (navigation start) to the gateway's `welcome`, in headless Chromium:
// the widget (one <script async> tag, connecting at load) against a baseline page whose inline
// script opens the same WebSocket and sends the same hello, with nothing else. Runs alternate
// between the two so both see the same machine load; the figure is the ratio of the medians.
//
//   node tests/browser/bench-welcome.mjs [runs]      (default 21 runs of each)
//   SWITCHBOARD_BIN=target/release/switchboard node tests/browser/bench-welcome.mjs
import { closeAll, launchBrowser, startGateway, startShop, customerContext, shopPage } from './harness.mjs';

const runs = Number(process.argv[2] || 21);
const [gateway, browser, shop] = await Promise.all([startGateway(), launchBrowser(), startShop()]);

const widgetPage = shopPage(gateway, { attrs: 'data-connect="load"' });
const barePage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>Northwind test shop</h1><p>Some page content.</p>
<script>
  const ws = new WebSocket(${JSON.stringify(gateway.url.replace(/^http/, 'ws') + '/v1/chat')});
  ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', locales: navigator.languages }));
  ws.onmessage = (m) => { if (JSON.parse(m.data).type === 'welcome') performance.mark('switchboard:welcome'); };
</script></body></html>`;

async function once(html) {
  // No test proxy on the WebSocket: a plain socket, as on a real page.
  const { context, shop: url } = await customerContext(browser, gateway, { locale: 'en-US', page: html, proxy: false });
  const page = await context.newPage();
  await page.goto(url);
  const ms = await page.waitForFunction(() => performance.getEntriesByName('switchboard:welcome')[0]?.startTime, null, { timeout: 30000, polling: 10 });
  const value = await ms.jsonValue();
  await context.close();
  return value;
}

const widget = [];
const bare = [];
await once(widgetPage); // warm-up: the first Chromium page and the first gateway session
await once(barePage);
for (let i = 0; i < runs; i++) {
  if (i % 2) { bare.push(await once(barePage)); widget.push(await once(widgetPage)); }
  else { widget.push(await once(widgetPage)); bare.push(await once(barePage)); }
}
await closeAll(() => browser.close(), () => gateway.stop(), () => shop.close());

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p10: q(0.1), p90: q(0.9), min: s[0], max: s[s.length - 1] };
};
const w = stats(widget);
const b = stats(bare);
const fmt = (x) => x.toFixed(1).padStart(7);
console.log(`page load → welcome, ${runs} runs each (ms since navigation start)`);
console.log(`                 median     p10     p90     min     max`);
console.log(`widget.js       ${fmt(w.median)} ${fmt(w.p10)} ${fmt(w.p90)} ${fmt(w.min)} ${fmt(w.max)}`);
console.log(`bare WebSocket  ${fmt(b.median)} ${fmt(b.p10)} ${fmt(b.p90)} ${fmt(b.min)} ${fmt(b.max)}`);
console.log(`ratio of medians (widget / bare): ${(w.median / b.median).toFixed(2)}`);
