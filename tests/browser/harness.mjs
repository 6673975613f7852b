// Shared set-up of the browser tests: the real gateway binary on a free port, Debian's
// Chromium driven by playwright-core, host pages on a made-up origin, and a WebSocket proxy
// that can cut the customer's network.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = process.env.SWITCHBOARD_BROWSER_ARTIFACTS || join(ROOT, 'target', 'browser-artifacts');
/** The shop's origin: another origin than the gateway's (a real server on loopback, so
 * Chromium's local-network rules treat both alike, as two public sites would be). */
export let SHOP = '';
export const AGENT_TOKEN = 'tok-ana-8d1f';
export const AGENT_NAME = 'Ana';
/** How long a test waits for something the page must show. */
export const WAIT = Number(process.env.SWITCHBOARD_BROWSER_WAIT_MS || 15000);

mkdirSync(ARTIFACTS, { recursive: true });

function binary() {
  const candidates = [
    process.env.SWITCHBOARD_BIN,
    join(ROOT, 'target', 'debug', 'switchboard'),
    join(ROOT, 'target', 'release', 'switchboard'),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`no switchboard binary (looked at ${candidates.join(', ')}): run \`cargo build\` first, or set SWITCHBOARD_BIN`);
  }
  return found;
}

/** Every gateway this process started and has not seen exit. */
const running = new Set();
/** A gateway still running when this process exits was never stopped by its test file: kill it
 * (it would outlive the run, holding a port and memory) and fail the file. */
process.on('exit', () => {
  for (const child of running) {
    child.kill('SIGKILL');
    console.error(`a gateway (pid ${child.pid}) outlived its test file: killed; stop() it in an after() hook`);
    process.exitCode = 1;
  }
});
/** How long `stop()` lets a gateway drain after SIGTERM before it kills it and fails. */
const STOP_MS = 20000;

/** Starts `switchboard serve` on 127.0.0.1:0 and resolves once it listens. */
export async function startGateway(env = {}) {
  const bin = binary();
  const child = spawn(bin, ['serve'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SWITCHBOARD_LISTEN: '127.0.0.1:0',
      SWITCHBOARD_CONTENT: ROOT,
      SWITCHBOARD_LOG_FORMAT: 'json',
      SWITCHBOARD_LOG: 'info',
      SWITCHBOARD_AGENTS: `${AGENT_NAME}:${AGENT_TOKEN}`,
      SWITCHBOARD_WATCH_CONTENT: 'false',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let log = '';
  const addr = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the gateway did not start in 120 s:\n${log}`)), 120000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      for (const line of chunk.split('\n')) {
        if (!line.includes('switchboard listening')) continue;
        const m = line.match(/"addr":"([^"]+)"/);
        if (m) { clearTimeout(timer); ok(m[1]); }
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`the gateway exited (${code}):\n${log}`)); });
  });
  child.stderr.on('data', () => {}); // keep draining
  // A gateway alone does not keep this process alive: a test file that forgets to stop it
  // ends anyway, and the exit handler above kills it and fails the file.
  child.unref();
  child.stderr.unref();
  const url = `http://${addr}`;
  return {
    url,
    log: () => log,
    /** SIGTERM, then waits for the graceful shutdown; a gateway that has not exited after
     * STOP_MS is killed and the test fails (a shutdown that hangs is a bug). */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      let timer;
      const late = new Promise((ok) => { timer = setTimeout(() => ok('late'), STOP_MS); });
      const outcome = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (outcome === 'late') {
        child.kill('SIGKILL');
        await exited;
        throw new Error(`the gateway did not exit within ${STOP_MS} ms of SIGTERM:\n${log.slice(-4000)}`);
      }
    },
  };
}

/** Runs every closer (those given as null are skipped) even when an earlier one throws, then
 * throws the first error: a browser that fails to close must not leave the gateway running. */
export async function closeAll(...closers) {
  let first;
  for (const close of closers) {
    if (!close) continue;
    try { await close(); } catch (e) { first ??= e; }
  }
  if (first) throw first;
}

/** Debian's Chromium, headless; Playwright gives every launch a fresh, empty profile. */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Serves the shop's pages: `pages` maps a path to HTML; any other path gets `fallback()`. */
const shopPages = new Map();
let shopFallback = () => '<!doctype html><p>no page</p>';
export async function startShop() {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const key = [...shopPages.keys()].find((k) => path.startsWith(k));
    const body = key ? shopPages.get(key) : shopFallback(path);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  // localhost, not 127.0.0.1: a different host name than the gateway's, as on the web.
  SHOP = `http://localhost:${server.address().port}`;
  return { close: () => new Promise((ok) => server.close(ok)) };
}

/** A page of the shop that embeds the widget of `gateway` (plus `head` and `attrs`). */
export function shopPage(gateway, { head = '', attrs = '', body = '' } = {}) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>${head}</head>
<body><h1>Northwind test shop</h1><p>Some page content.</p>${body}
<script src="${gateway.url}/widget.js" async ${attrs}></script></body></html>`;
}

/**
 * A browser context for a customer on the shop (`shop` is its URL), whose chat WebSocket goes through a
 * proxy the test controls: `net.cut()` drops what is in flight and closes the socket, and keeps
 * new connections from reaching the gateway until `net.restore()`. `isMobile` and `hasTouch`
 * make it a phone (with `viewport: { width: 375, height: 740 }`).
 */
let contexts = 0;
export async function customerContext(browser, gateway, { locale = 'en-US', page: html, viewport, proxy = true, isMobile = false, hasTouch = false } = {}) {
  const context = await browser.newContext({ locale, viewport: viewport || { width: 1100, height: 800 }, isMobile, hasTouch });
  // Each context gets its own path prefix on the shop server, so pages can differ per test.
  const prefix = `/c${++contexts}/`;
  shopPages.set(prefix, html ?? shopPage(gateway));
  const shop = SHOP + prefix;
  const net = {
    down: false,
    sockets: [],
    toPage: [], // every frame the gateway sent, as delivered
    fromPage: [], // every frame the page sent that reached the gateway
    connections: 0,
    cut() {
      this.down = true;
      for (const s of this.sockets) s.page.close({ code: 4999, reason: 'network cut by the test' }).catch(() => {});
      this.sockets = [];
    },
    restore() { this.down = false; },
    /** Delivers `frame` to the live page socket once more (a duplicate on the wire). */
    duplicate(frame) { for (const s of this.sockets) s.page.send(frame); },
  };
  if (proxy) await context.routeWebSocket(/\/v1\/chat$/, (ws) => {
    if (net.down) { ws.close({ code: 4999, reason: 'offline' }).catch(() => {}); return; }
    net.connections += 1;
    const server = ws.connectToServer();
    const entry = { page: ws, server };
    net.sockets.push(entry);
    ws.onMessage((m) => {
      if (net.down) return;
      net.fromPage.push(m);
      server.send(m);
    });
    server.onMessage((m) => {
      if (net.down) return; // lost in flight
      net.toPage.push(m);
      ws.send(m);
    });
    ws.onClose(() => { server.close().catch(() => {}); net.sockets = net.sockets.filter((s) => s !== entry); });
    server.onClose((code, reason) => { ws.close({ code, reason }).catch(() => {}); });
  });
  return { context, net, shop };
}

/** The widget's shadow root helpers, evaluated in the page. */
export const W = {
  /** Texts of the conversation rows, in DOM order: "from|text". */
  rows: (page) => page.evaluate(() => {
    const root = document.querySelector('switchboard-chat').shadowRoot;
    return Array.from(root.querySelectorAll('.log .row')).map((r) => {
      const kind = r.classList.contains('sys') ? 'sys' : r.classList.contains('me') ? 'me' : r.classList.contains('agent') ? 'agent' : 'bot';
      const text = (r.querySelector('.bubble') || r.querySelector('.note')).textContent;
      return { kind, text, seq: r.dataset.seq ? Number(r.dataset.seq) : null, pending: !!r.dataset.pending };
    });
  }),
};

/** Waits until `fn(arg)` is truthy in the page (no fixed sleeps). */
export function until(page, fn, arg, what) {
  return page.waitForFunction(fn, arg, { timeout: WAIT, polling: 50 }).catch((e) => {
    throw new Error(`timed out waiting for ${what || fn.toString()}: ${e.message}`);
  });
}

export const shot = (page, name) => page.screenshot({ path: join(ARTIFACTS, name) });

/** A screenshot of a documented state: in the artifacts folder, and with
 * SWITCHBOARD_DOCS_SCREENSHOTS=1 also in docs/screenshots (look at them before committing). */
export async function screenshot(page, name) {
  await shot(page, name);
  if (process.env.SWITCHBOARD_DOCS_SCREENSHOTS !== '1') return;
  const docs = join(ROOT, 'docs', 'screenshots');
  mkdirSync(docs, { recursive: true });
  copyFileSync(join(ARTIFACTS, name), join(docs, name));
}

/** The agent console in its own context, signed in and online for `languages`. */
export async function openConsole(browser, gateway, languages, { capacity = 3 } = {}) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 820 } });
  const page = await context.newPage();
  await page.goto(`${gateway.url}/agent`);
  await page.fill('#token', AGENT_TOKEN);
  await page.click('#signin-button');
  await page.waitForSelector('#app:not([hidden])', { timeout: WAIT });
  await page.waitForSelector('#languages input', { state: 'attached', timeout: WAIT });
  await page.click('#langs-summary');
  for (const l of languages) await page.check(`#languages input[value="${l}"]`);
  await page.fill('#capacity', String(capacity));
  await page.click('#ready-button');
  await page.waitForSelector('#conn.on', { timeout: WAIT });
  return { context, page };
}

/** Opens the widget on the shop page and waits until its strings are in. */
export async function openWidget({ context, shop }) {
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.goto(shop);
  await page.locator('switchboard-chat .launcher').click();
  await until(page, () => {
    const r = document.querySelector('switchboard-chat')?.shadowRoot;
    return r && r.querySelector('textarea').placeholder !== '' && document.querySelector('switchboard-chat').dataset.status === 'live';
  }, null, 'the widget to open with its strings and a live connection');
  return { page, dialogs };
}

export async function say(page, text) {
  const box = page.locator('switchboard-chat textarea');
  await box.fill(text);
  await box.press('Enter');
}

/** Waits for a row of `kind` whose text includes `part`; returns the rows. */
export async function rowWith(page, kind, part) {
  await until(page, ([k, p]) => Array.from(document.querySelector('switchboard-chat').shadowRoot.querySelectorAll('.log .row'))
    .some((r) => (k === 'sys' ? r.classList.contains('sys') : k === 'me' ? r.classList.contains('me') : k === 'agent' ? r.classList.contains('agent') : r.classList.contains('them') && !r.classList.contains('agent'))
      && r.textContent.includes(p)), [kind, part], `a ${kind} message with "${part}"`);
  return W.rows(page);
}


/** axe-core's source (from npm, tests/browser/package-lock.json), injected into pages. */
const AXE_SOURCE = readFileSync(join(ROOT, 'tests', 'browser', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now — the widget's open
 * shadow root included — and fails with every serious or critical violation, named by rule and
 * element. `what` says which state of the page was checked.
 */
export async function accessible(page, what) {
  // Evaluated through the DevTools protocol, so the page's content security policy allows it.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  // Colours are judged as they settle: mid-animation (a panel fading in) text is paler than it is.
  await page.evaluate(() => {
    const roots = [document, ...Array.from(document.querySelectorAll('*'), (e) => e.shadowRoot).filter(Boolean)];
    return Promise.all(roots.flatMap((r) => r.getAnimations())
      .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
      .map((a) => a.finished.catch(() => {})));
  });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const told = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary.replace(/\n/g, ' ')}`).join('\n')}`);
  assert.equal(bad.length, 0, `axe-core, ${what}:\n  ${told.join('\n  ')}`);
}
