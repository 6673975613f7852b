// The agent console as agents use it every day (issue 22): confirmations, notifications,
// accessibility (live regions, focus, keyboard, contrast), and the smaller defects. Each test
// starts its own gateway, so queues do not leak from one test into the next.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  AGENT_TOKEN, WAIT, accessible, closeAll, customerContext, launchBrowser, openWidget, say, screenshot, shot,
  startGateway, startShop, until,
} from './harness.mjs';

let browser;
let shopServer;

before(async () => {
  // One after the other: what started is stopped by after() even when the next one fails.
  browser = await launchBrowser();
  shopServer = await startShop();
});
after(() => closeAll(browser && (() => browser.close()), shopServer && (() => shopServer.close())));

/** Runs `body(gateway)` against a gateway of its own, stopped afterwards whatever happens. */
async function withGateway(body) {
  const gateway = await startGateway();
  try { await body(gateway); } finally { await gateway.stop(); }
}

/** The console, signed in; `init` runs in the page before its scripts; `sent` collects every
 * frame the console sends to the gateway. Online for `languages` when given. */
async function consolePage(gateway, { languages, capacity = 3, init, check } = {}) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 820 } });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const sent = [];
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('websocket', (ws) => ws.on('framesent', (f) => { try { sent.push(JSON.parse(f.payload)); } catch (_) { /* binary */ } }));
  await page.goto(`${gateway.url}/agent`);
  if (check) await check(page, 'the sign-in form');
  await page.fill('#token', AGENT_TOKEN);
  await page.click('#signin-button');
  await page.waitForSelector('#app:not([hidden])', { timeout: WAIT });
  await page.waitForSelector('#languages input', { state: 'attached', timeout: WAIT });
  if (languages) await goOnline(page, languages, capacity);
  return { context, page, sent, dialogs };
}

async function goOnline(page, languages, capacity = 3) {
  if (!(await page.locator('#langs-menu').evaluate((d) => d.open))) await page.click('#langs-summary');
  for (const l of languages) await page.check(`#languages input[value="${l}"]`);
  await page.fill('#capacity', String(capacity));
  await page.click('#ready-button');
  await page.waitForSelector('#conn.on', { timeout: WAIT });
}

const queued = (page) => until(page, () => {
  const s = document.querySelector('switchboard-chat').shadowRoot.querySelector('.state');
  return !s.hidden && s.textContent.includes('#');
}, null, 'the customer to be queued');

/** A customer in `locale` who asked for a person with `text`, queued. */
async function waitingCustomer(gateway, locale, text) {
  const c = await customerContext(browser, gateway, { locale });
  const w = await openWidget(c);
  await say(w.page, text);
  await queued(w.page);
  return { ...c, page: w.page };
}

/** The agent takes the queued conversation whose preview has `text`, and it opens. */
async function take(page, text) {
  const item = page.locator('.qitem', { hasText: text });
  await item.waitFor({ timeout: WAIT });
  await item.getByRole('button', { name: /^Take/ }).click();
  await until(page, (t) => !document.querySelector('#conv').hidden && document.querySelector('#transcript').textContent.includes(t), text, `the conversation "${text}" to open`);
}

const lastSent = (sent, type) => sent.filter((f) => f.type === type).at(-1);

describe('the agent console, as agents use it', () => {
  test('Transfer asks for confirmation in the page, with a note for the next agent; Escape cancels', () => withGateway(async (gateway) => {
    const agent = await consolePage(gateway, { languages: ['en'] });
    const cust = await waitingCustomer(gateway, 'en-US', 'I would like to talk to a human agent please');
    await take(agent.page, 'talk to a human');

    // Opening it asks, in the page: a modal dialog with the target and a note field.
    await agent.page.click('#transfer');
    const dialog = agent.page.getByRole('dialog', { name: /Transfer/ });
    await dialog.waitFor({ timeout: WAIT });
    assert.equal(agent.dialogs.length, 0, 'no window.confirm');
    await accessible(agent.page, 'the transfer confirmation open');
    // Escape cancels: nothing sent, the conversation stays, focus back on Transfer.
    await agent.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: WAIT });
    assert.equal(lastSent(agent.sent, 'transfer'), undefined);
    assert.equal(await agent.page.locator('#released').isHidden(), true);
    assert.equal(await agent.page.evaluate(() => document.activeElement.id), 'transfer');

    // Keyboard only: Enter opens it again, a target, a note, and confirm.
    await agent.page.keyboard.press('Enter');
    await dialog.waitFor({ timeout: WAIT });
    // Back to its own queue: a target there always is (another language needs an agent online).
    await agent.page.selectOption('#transfer-locale', 'en');
    await agent.page.getByLabel(/Note for the next agent/).fill('Order 1234 arrived broken; refund approved. My shift ends: back to the queue.');
    await screenshot(agent.page, 'console-transfer-confirm.png');
    await dialog.getByRole('button', { name: /^Transfer/ }).focus();
    await agent.page.keyboard.press('Enter');
    await agent.page.waitForSelector('#released:not([hidden])', { timeout: WAIT });
    assert.match(await agent.page.locator('#released').textContent(), /Transferred/);
    const frame = lastSent(agent.sent, 'transfer');
    assert.equal(frame.locale, 'en');
    assert.equal(frame.note, 'Order 1234 arrived broken; refund approved. My shift ends: back to the queue.');
    assert.equal(agent.dialogs.length, 0, 'no window.confirm');
    await accessible(agent.page, 'a transferred conversation');
    await closeAll(() => cust.context.close(), () => agent.context.close());
  }));

  test('Resolve asks for confirmation in the page; Escape cancels, the keyboard confirms', () => withGateway(async (gateway) => {
    const agent = await consolePage(gateway, { languages: ['en'] });
    const cust = await waitingCustomer(gateway, 'en-US', 'I want to speak to a real person');
    await take(agent.page, 'real person');

    await agent.page.focus('#resolve');
    await agent.page.keyboard.press('Enter');
    const dialog = agent.page.getByRole('dialog', { name: /Resolve/ });
    await dialog.waitFor({ timeout: WAIT });
    await accessible(agent.page, 'the resolve confirmation open');
    await screenshot(agent.page, 'console-resolve-confirm.png');
    await agent.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: WAIT });
    assert.equal(lastSent(agent.sent, 'resolve'), undefined);
    assert.equal(await agent.page.evaluate(() => document.activeElement.id), 'resolve');

    await agent.page.keyboard.press('Enter');
    await dialog.waitFor({ timeout: WAIT });
    // The confirming button has the focus: Enter resolves.
    assert.equal(await agent.page.evaluate(() => document.activeElement.id), 'resolve-confirm');
    await agent.page.keyboard.press('Enter');
    await agent.page.waitForSelector('#released:not([hidden])', { timeout: WAIT });
    assert.match(await agent.page.locator('#released').textContent(), /Resolved/);
    assert.equal(agent.dialogs.length, 0, 'no window.confirm');
    await closeAll(() => cust.context.close(), () => agent.context.close());
  }));

  // A stand-in for the desktop Notification API (permission granted) and a counter of the
  // Web Audio oscillators started, installed before the console's script runs.
  const notifyStubs = () => {
    window.__notes = [];
    window.__beeps = 0;
    window.Notification = class {
      static permission = 'granted';
      static requestPermission() { return Promise.resolve('granted'); }
      constructor(title, options) { window.__notes.push({ title, body: options && options.body }); }
      close() {}
      addEventListener() {}
    };
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...a) { window.__beeps += 1; return start.apply(this, a); };
    // The agent is looking at another window.
    document.hasFocus = () => false;
  };

  test('a conversation that starts waiting changes the title until seen, beeps and notifies', () => withGateway(async (gateway) => {
    const agent = await consolePage(gateway, { languages: ['es', 'en'], init: notifyStubs });
    const base = await agent.page.title();
    assert.doesNotMatch(base, /waiting/);
    const cust = await waitingCustomer(gateway, 'es-ES', 'Quiero hablar con una persona');
    await until(agent.page, () => /^\(1 waiting\) /.test(document.title), null, 'the title to say one is waiting');
    await until(agent.page, () => window.__beeps > 0 && window.__notes.length === 1, null, 'a beep and a desktop notification');
    const note = await agent.page.evaluate(() => window.__notes[0]);
    assert.match(note.title, /Español|Spanish/);
    assert.match(note.body, /Quiero hablar con una persona/);
    await accessible(agent.page, 'the queue with a conversation waiting');
    await shot(agent.page, 'console-new-waiting.png');
    // The agent looks (any click or key in the page): the title is itself again.
    await agent.page.click('#queue-title');
    await until(agent.page, (b) => document.title === b, base, 'the title to clear once seen');
    await closeAll(() => cust.context.close(), () => agent.context.close());
  }));

  test('each notification has an off switch, remembered after a reload', () => withGateway(async (gateway) => {
    const agent = await consolePage(gateway, { languages: ['en'], init: notifyStubs });
    await agent.page.click('#notify-summary');
    for (const name of [/Title/, /Sound/, /Desktop/]) await agent.page.getByRole('checkbox', { name }).uncheck();
    await accessible(agent.page, 'the notification settings open');
    await screenshot(agent.page, 'console-notifications.png');
    await agent.page.keyboard.press('Escape');
    // Remembered: a reload signs in again with the switches off.
    await agent.page.reload();
    await agent.page.waitForSelector('#conn.on', { timeout: WAIT });
    const states = await agent.page.evaluate(() => Array.from(document.querySelectorAll('#notify-menu input[type=checkbox]'), (i) => i.checked));
    assert.deepEqual(states, [false, false, false]);

    const base = await agent.page.title();
    const cust = await waitingCustomer(gateway, 'en-US', 'I need to talk to a human');
    await agent.page.locator('.qitem').waitFor({ timeout: WAIT });
    // The queue item is there and announced (the live status), but title, sound and desktop are off.
    await until(agent.page, () => /waiting/.test(document.querySelector('#announce').textContent), null, 'the announcement');
    assert.equal(await agent.page.title(), base);
    assert.equal(await agent.page.evaluate(() => window.__beeps), 0);
    assert.equal(await agent.page.evaluate(() => window.__notes.length), 0);

    // Switched back on one by one: each works alone.
    await agent.page.click('#notify-summary');
    await agent.page.getByRole('checkbox', { name: /Sound/ }).check();
    await agent.page.keyboard.press('Escape');
    const beeps = await agent.page.evaluate(() => window.__beeps); // switching it on plays it once
    const cust2 = await waitingCustomer(gateway, 'en-US', 'Can I please talk to an agent');
    await until(agent.page, (n) => window.__beeps > n, beeps, 'a beep');
    assert.equal(await agent.page.title(), base);
    assert.equal(await agent.page.evaluate(() => window.__notes.length), 0);
    await closeAll(() => cust.context.close(), () => cust2.context.close(), () => agent.context.close());
  }));

  test('the queue announces a new conversation once, not its ticking timers', () => withGateway(async (gateway) => {
    const agent = await consolePage(gateway, { languages: ['es'] });
    const cust = await waitingCustomer(gateway, 'es-ES', 'Necesito hablar con un agente');
    await until(agent.page, () => document.querySelector('#announce').textContent.includes('New conversation waiting in Español'), null, 'the announcement');
    // No waiting timer sits inside a live region.
    const inLive = await agent.page.evaluate(() => Array.from(document.querySelectorAll('.qitem .wait'))
      .filter((w) => w.closest('[aria-live]:not([aria-live=off]), [role=status], [role=log], [role=alert]')).length);
    assert.equal(inLive, 0, 'waiting timers inside a live region');
    // While the timer ticks twice, no live region changes.
    await agent.page.evaluate(() => {
      window.__liveChanges = 0;
      const obs = new MutationObserver((list) => {
        for (const m of list) {
          const node = m.target.nodeType === 1 ? m.target : m.target.parentElement;
          if (node && node.closest('[aria-live]:not([aria-live=off]), [role=status], [role=log], [role=alert]')) window.__liveChanges += 1;
        }
      });
      obs.observe(document.body, { subtree: true, childList: true, characterData: true });
      window.__ticks = 0;
      const w = document.querySelector('.qitem .wait');
      new MutationObserver(() => { window.__ticks += 1; }).observe(w, { subtree: true, childList: true, characterData: true });
    });
    await until(agent.page, () => window.__ticks >= 2, null, 'two ticks of the waiting timer');
    assert.equal(await agent.page.evaluate(() => window.__liveChanges), 0);
    // The Take button names the conversation; its description is the live waiting time, so a
    // screen reader never reads the time the queue was drawn at.
    const take = await agent.page.evaluate(() => {
      const b = document.querySelector('.qitem button');
      const d = document.getElementById(b.getAttribute('aria-describedby'));
      return { name: b.getAttribute('aria-label'), description: d && d.textContent, ticking: d === document.querySelector('.qitem .wait') };
    });
    assert.match(take.name, /^Take the conversation.*: Necesito hablar con un agente$/);
    assert.doesNotMatch(take.name, /waiting/);
    assert.ok(take.ticking, JSON.stringify(take));
    assert.match(take.description, /^waiting \d+ s$/);
    await closeAll(() => cust.context.close(), () => agent.context.close());
  }));

  test('a new message is appended: the transcript keeps the nodes it had', () => withGateway(async (gateway) => {
    const agent = await consolePage(gateway, { languages: ['en'] });
    const cust = await waitingCustomer(gateway, 'en-US', 'Please connect me to a human agent');
    await take(agent.page, 'connect me');
    await agent.page.fill('#reply-text', 'Hello, I am Ana.');
    await agent.page.press('#reply-text', 'Enter');
    await agent.page.waitForFunction(() => !document.querySelector('#transcript .pending'), null, { timeout: WAIT });
    const before = await agent.page.evaluate(() => {
      const all = Array.from(document.querySelectorAll('#transcript .msg'));
      all.forEach((m, i) => { m.__kept = i; });
      window.__kept = all;
      return all.length;
    });
    await say(cust.page, 'My order number is 4471');
    await until(agent.page, () => document.querySelector('#transcript').textContent.includes('4471'), null, 'the new message');
    const kept = await agent.page.evaluate(() => window.__kept.filter((m) => m.isConnected).length);
    assert.equal(kept, before, 'messages already shown were rebuilt');
    assert.equal(await agent.page.locator('#transcript .msg').count(), before + 1);
    await closeAll(() => cust.context.close(), () => agent.context.close());
  }));

  test('after sign-in, focus lands on the languages menu, or on the queue when already online', () => withGateway(async (gateway) => {
    const agent = await consolePage(gateway, { check: accessible });
    await until(agent.page, () => document.activeElement && document.activeElement.id === 'langs-summary', null, 'focus on the languages menu');
    await accessible(agent.page, 'signed in, offline');
    await goOnline(agent.page, ['en']);
    await agent.page.reload();
    await agent.page.waitForSelector('#conn.on', { timeout: WAIT });
    await until(agent.page, () => document.activeElement && ['queue-title', 'take-next'].includes(document.activeElement.id), null, 'focus on the queue');
    await accessible(agent.page, 'signed in, online, empty queue');
    await agent.context.close();
  }));

  test('Escape closes the languages menu and returns focus to its summary', () => withGateway(async (gateway) => {
    const agent = await consolePage(gateway);
    await agent.page.focus('#langs-summary');
    await agent.page.keyboard.press('Enter');
    await until(agent.page, () => document.querySelector('#langs-menu').open, null, 'the menu to open');
    await agent.page.keyboard.press('Tab');
    await agent.page.keyboard.press('Escape');
    await until(agent.page, () => !document.querySelector('#langs-menu').open, null, 'the menu to close');
    assert.equal(await agent.page.evaluate(() => document.activeElement.id), 'langs-summary');
    await agent.context.close();
  }));

  test('small texts meet AA contrast: the selected id, released conversations', () => withGateway(async (gateway) => {
    const agent = await consolePage(gateway, { languages: ['en'] });
    const a = await waitingCustomer(gateway, 'en-US', 'I would like to talk to a human agent please');
    const b = await waitingCustomer(gateway, 'en-US', 'Let me speak with a person');
    await take(agent.page, 'talk to a human');
    await accessible(agent.page, 'a conversation open and selected');
    await take(agent.page, 'speak with a person');
    // The first is resolved: it stays in the list, faded but readable.
    await agent.page.locator('.conv-item:not(.sel)').click();
    await agent.page.click('#resolve');
    await agent.page.getByRole('dialog').getByRole('button', { name: /^Resolve/ }).click();
    await agent.page.waitForSelector('.conv-item.done', { timeout: WAIT });
    await accessible(agent.page, 'a resolved conversation in the list, selected');
    await agent.page.locator('.conv-item:not(.done)').click();
    await accessible(agent.page, 'a resolved conversation in the list, another selected');
    await closeAll(() => a.context.close(), () => b.context.close(), () => agent.context.close());
  }));

  test('the conversation list shows the latest message, the agent\'s acknowledged reply included', () => withGateway(async (gateway) => {
    const agent = await consolePage(gateway, { languages: ['en'] });
    const cust = await waitingCustomer(gateway, 'en-US', 'I would like to talk to a human agent please');
    await take(agent.page, 'talk to a human');
    await agent.page.fill('#reply-text', 'Sure, what is your order number?');
    await agent.page.press('#reply-text', 'Enter');
    await until(agent.page, () => document.querySelector('.conv-item .ci-prev').textContent.includes('what is your order number'), null, 'the preview to show the reply');
    await say(cust.page, 'It is 5521');
    await until(agent.page, () => document.querySelector('.conv-item .ci-prev').textContent.includes('5521'), null, 'the preview to show the customer');
    await closeAll(() => cust.context.close(), () => agent.context.close());
  }));

  test('a customer who ended the chat is a warning, a resolved one is not; the close button names what it closes', () => withGateway(async (gateway) => {
    const agent = await consolePage(gateway, { languages: ['en'] });
    const cust = await waitingCustomer(gateway, 'en-US', 'I would like to talk to a human agent please');
    await take(agent.page, 'talk to a human');
    // The customer ends the chat (asked twice in the widget).
    const end = cust.page.locator('switchboard-chat .foot button', { hasText: 'End chat' });
    await end.click();
    await end.click();
    await agent.page.waitForSelector('#released:not([hidden])', { timeout: WAIT });
    assert.match(await agent.page.locator('#released').textContent(), /customer ended/i);
    assert.equal(await agent.page.locator('#released').getAttribute('data-tone'), 'warning');
    await accessible(agent.page, 'released by the customer');
    await screenshot(agent.page, 'console-customer-ended.png');
    const close = agent.page.getByRole('button', { name: 'Close conversation view' });
    await close.waitFor({ timeout: WAIT });
    await close.click();
    await agent.page.waitForSelector('#placeholder:not([hidden])', { timeout: WAIT });

    const cust2 = await waitingCustomer(gateway, 'en-US', 'Let me speak with a person');
    await take(agent.page, 'speak with a person');
    await agent.page.click('#resolve');
    await agent.page.getByRole('dialog').getByRole('button', { name: /^Resolve/ }).click();
    await agent.page.waitForSelector('#released:not([hidden])', { timeout: WAIT });
    assert.notEqual(await agent.page.locator('#released').getAttribute('data-tone'), 'warning');
    await accessible(agent.page, 'resolved');
    await closeAll(() => cust.context.close(), () => cust2.context.close(), () => agent.context.close());
  }));
});
