// Two agents and a customer on the real gateway, with the agent-channel additions of issue 22
// (docs/PROTOCOL-ADDITIONS.md §5, §6): a private note, a transfer with a note to the one language
// another agent covers, the receiving agent reading that note first, a canned reply in the
// conversation's language, and the customer's presence (away while the tab is hidden) until they
// leave for good.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  AGENT_TOKEN, WAIT, accessible, closeAll, customerContext, launchBrowser, openWidget, say, screenshot,
  startGateway, startShop, until,
} from './harness.mjs';

const BRUNO_TOKEN = 'tok-bruno-51c7';

let gateway;
let browser;
let shopServer;

before(async () => {
  // One after the other: what started is stopped by after() even when the next one fails.
  browser = await launchBrowser();
  shopServer = await startShop();
  gateway = await startGateway({ SWITCHBOARD_AGENTS: `Ana:${AGENT_TOKEN},Bruno:${BRUNO_TOKEN}`, SWITCHBOARD_CUSTOMER_GRACE_S: '2' });
});
after(() => closeAll(browser && (() => browser.close()), gateway && (() => gateway.stop()),
  shopServer && (() => shopServer.close())));

/** A console signed in with `token`, online for `languages`. */
async function agentConsole(token, languages) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 820 } });
  const page = await context.newPage();
  await page.goto(`${gateway.url}/agent`);
  await page.fill('#token', token);
  await page.click('#signin-button');
  await page.waitForSelector('#languages input', { state: 'attached', timeout: WAIT });
  await page.click('#langs-summary');
  for (const l of languages) await page.check(`#languages input[value="${l}"]`);
  await page.click('#ready-button');
  await page.waitForSelector('#conn.on', { timeout: WAIT });
  return { context, page };
}

const widgetText = (page) => page.evaluate(() => document.querySelector('switchboard-chat').shadowRoot.querySelector('.log').textContent);

describe('two agents, a transfer with a note, canned replies and presence, on the gateway', () => {
  test('the next agent reads the transfer note first; notes never reach the customer; a canned reply in French; the customer leaves', async () => {
    const ana = await agentConsole(AGENT_TOKEN, ['en']);
    const bruno = await agentConsole(BRUNO_TOKEN, ['fr']);
    const cust = await customerContext(browser, gateway, { locale: 'en-US' });
    const { page: widget } = await openWidget(cust);
    await say(widget, 'I would like to talk to a human agent please');
    await until(widget, () => {
      const s = document.querySelector('switchboard-chat').shadowRoot.querySelector('.state');
      return !s.hidden && s.textContent.includes('#');
    }, null, 'the customer to be queued');

    // Ana takes it; the customer is online.
    const item = ana.page.locator('.qitem', { hasText: 'talk to a human' });
    await item.waitFor({ timeout: WAIT });
    assert.match(await item.locator('.presence').textContent(), /online/);
    await item.getByRole('button', { name: /^Take/ }).click();
    await ana.page.waitForSelector('#conv:not([hidden])', { timeout: WAIT });
    await until(ana.page, () => document.querySelector('#conv-presence').textContent === 'Customer online', null, 'presence in the header');

    // A private note.
    await ana.page.getByRole('radio', { name: 'Note' }).check();
    await ana.page.fill('#reply-text', 'VIP customer: second broken parcel this month.');
    await ana.page.press('#reply-text', 'Enter');
    await until(ana.page, () => Array.from(document.querySelectorAll('#transcript .msg.note:not(.pending)')).some((n) => n.textContent.includes('second broken parcel')), null, 'the note, saved');

    // Transfer: only French is covered (Bruno), besides English's own queue.
    await ana.page.click('#transfer');
    await until(ana.page, () => document.querySelector('#transfer-locale').options.length === 2, null, 'the covered targets');
    assert.deepEqual(await ana.page.locator('#transfer-locale option').allTextContents(), ['Français (fr) · 1 online', 'Back to the English queue']);
    await ana.page.selectOption('#transfer-locale', 'fr');
    await ana.page.getByLabel(/Note for the next agent/).fill('Prefers French. Refund approved by me; send /refund.');
    await ana.page.getByRole('dialog').getByRole('button', { name: 'Transfer' }).click();
    await ana.page.waitForSelector('#released:not([hidden])', { timeout: WAIT });

    // Bruno takes it: the transfer note first, who and from where; Ana's note in the transcript.
    const fr = bruno.page.locator('.qitem', { hasText: 'talk to a human' });
    await fr.waitFor({ timeout: WAIT });
    await fr.getByRole('button', { name: /^Take/ }).click();
    await bruno.page.waitForSelector('#handover:not([hidden])', { timeout: WAIT });
    assert.match(await bruno.page.locator('#handover-title').textContent(), /^Transferred by Ana from English \(en\)/);
    assert.equal(await bruno.page.locator('#handover-text').textContent(), 'Prefers French. Refund approved by me; send /refund.');
    assert.match(await bruno.page.locator('#transcript').textContent(), /second broken parcel/);
    await accessible(bruno.page, 'a conversation transferred with a note, on the gateway');
    await screenshot(bruno.page, 'console-handover-gateway.png');

    // A canned reply, in French.
    const box = bruno.page.locator('#reply-text');
    await box.focus();
    await box.pressSequentially('/refu');
    await bruno.page.getByRole('option', { name: /\/refund/ }).first().waitFor({ timeout: WAIT });
    await box.press('Enter');
    const text = await box.inputValue();
    assert.match(text, /remboursement/);
    await box.press('Enter');
    await until(widget, (t) => document.querySelector('switchboard-chat').shadowRoot.querySelector('.log').textContent.includes(t), text, 'the canned reply at the customer');

    // The customer's tab goes to the background and comes back: away, then online.
    const tab = (state) => widget.evaluate((st) => {
      Object.defineProperty(document, 'visibilityState', { value: st, configurable: true });
      Object.defineProperty(document, 'hidden', { value: st === 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
    await tab('hidden');
    await until(bruno.page, () => document.querySelector('#conv-presence').textContent === 'Customer away (tab hidden)', null, 'the customer away');
    assert.match(await bruno.page.locator('.conv-item .presence').textContent(), /away/);
    await tab('visible');
    await until(bruno.page, () => document.querySelector('#conv-presence').textContent === 'Customer online', null, 'the customer back');

    // The customer never saw a note.
    const seen = await widgetText(widget);
    assert.doesNotMatch(seen, /second broken parcel|Refund approved by me/);

    // The customer closes the tab: left, then (after the grace time) released.
    await widget.close();
    await until(bruno.page, () => document.querySelector('#conv-presence').textContent === 'Customer left' || !document.querySelector('#released').hidden, null, 'the customer to have left');
    await bruno.page.waitForSelector('#released:not([hidden])', { timeout: WAIT });
    assert.equal(await bruno.page.locator('#released').textContent(), 'The customer left and did not come back.');
    await closeAll(() => cust.context.close(), () => ana.context.close(), () => bruno.context.close());
  });
});
