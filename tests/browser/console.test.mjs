// The agent console in headless Chromium: several conversations, unread markers, typing,
// transfer, a reload in the middle, and a refused token.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  WAIT, closeAll, customerContext, launchBrowser, openConsole, openWidget, say, shot, startGateway, startShop, until,
} from './harness.mjs';

let gateway;
let browser;
let shopServer;

before(async () => {
  [gateway, browser, shopServer] = await Promise.all([startGateway(), launchBrowser(), startShop()]);
});
after(() => closeAll(browser && (() => browser.close()), gateway && (() => gateway.stop()),
  shopServer && (() => shopServer.close())));

const queued = (page) => until(page, () => {
  const s = document.querySelector('switchboard-chat').shadowRoot.querySelector('.state');
  return !s.hidden && s.textContent.includes('#');
}, null, 'the customer to be queued');

const convItem = (page, locale) => page.locator('.conv-item', { has: page.locator('.tag', { hasText: new RegExp(`^${locale}$`) }) });

describe('the agent console', () => {
  test('serves several conversations at once: queue per language, unread markers, typing, reload, transfer', async () => {
    const agent = await openConsole(browser, gateway, ['es', 'en'], { capacity: 3 });
    const es = await customerContext(browser, gateway, { locale: 'es-ES' });
    const en = await customerContext(browser, gateway, { locale: 'en-US' });
    const a = await openWidget(es);
    const b = await openWidget(en);
    await say(a.page, 'Quiero hablar con una persona');
    await queued(a.page);
    await say(b.page, 'I would like to talk to a human agent please');
    await queued(b.page);

    // The queue, per language, with waiting times.
    await agent.page.waitForFunction(() => document.querySelectorAll('.qitem').length === 2, null, { timeout: WAIT });
    const groups = await agent.page.locator('.qgroup h3').allTextContents();
    assert.ok(groups.some((g) => /Español \(es\) · 1 waiting/.test(g)), groups.join(' | '));
    assert.ok(groups.some((g) => /English \(en\) · 1 waiting/.test(g)), groups.join(' | '));
    assert.equal(await agent.page.locator('.qitem .wait').count(), 2);

    // "Take next" takes the longest waiting (the Spanish customer); then the English one by hand.
    await agent.page.click('#take-next');
    await convItem(agent.page, 'es').waitFor({ timeout: WAIT });
    assert.match(await agent.page.locator('#conv-sub').textContent(), /Español/);
    await agent.page.locator('.qitem').getByRole('button', { name: /Take/ }).click();
    await convItem(agent.page, 'en').waitFor({ timeout: WAIT });
    await agent.page.waitForFunction(() => document.querySelector('#conv-sub').textContent.includes('English'), null, { timeout: WAIT });
    assert.equal(await agent.page.locator('#load').textContent(), '2 / 3');
    assert.equal(await agent.page.locator('.qitem').count(), 0);

    // The next Spanish customer waits with an estimate (the queue has moved once).
    const es2 = await customerContext(browser, gateway, { locale: 'es-ES' });
    const c = await openWidget(es2);
    await say(c.page, 'Necesito hablar con una persona');
    await queued(c.page);
    await until(c.page, () => document.querySelector('switchboard-chat').shadowRoot.querySelector('.state').textContent.includes('Espera estimada'), null, 'the wait estimate');
    assert.match(await c.page.locator('switchboard-chat .state').textContent(), /Puesto en la cola#1Espera estimada~\d+ min/);
    await shot(c.page, 'widget-es-queued.png');
    await agent.page.locator('.qitem').first().waitFor({ timeout: WAIT });
    await es2.context.close();

    // A message in the conversation not on screen: an unread marker, and in the title.
    await say(a.page, 'Hola, ¿hay alguien?');
    await convItem(agent.page, 'es').locator('.unread').waitFor({ timeout: WAIT });
    assert.equal(await convItem(agent.page, 'es').locator('.unread').textContent(), '1');
    assert.match(await agent.page.title(), /^\(1\) /);

    // The English customer types: the console says so.
    await b.page.locator('switchboard-chat textarea').pressSequentially('I ordered');
    await agent.page.waitForSelector('#cust-typing:not([hidden])', { timeout: WAIT });
    await agent.page.locator('#reply-text').fill('Hi! I am Ana, let me check that for you.');
    await agent.page.locator('#reply-text').press('Enter');
    await agent.page.waitForFunction(() => !document.querySelector('#transcript .pending'), null, { timeout: WAIT });
    await shot(agent.page, 'console.png');

    // Opening the Spanish conversation clears its marker.
    await convItem(agent.page, 'es').click();
    await until(agent.page, () => !document.querySelector('.conv-item .unread') && !document.title.startsWith('('), null, 'the marker to clear');
    assert.match(await agent.page.locator('#transcript').textContent(), /Hola, ¿hay alguien\?/);

    // A reload of the console (or a dropped connection) gives back every conversation, whole.
    await agent.page.reload();
    await agent.page.waitForSelector('#conn.on', { timeout: WAIT });
    await agent.page.waitForFunction(() => document.querySelectorAll('.conv-item').length === 2, null, { timeout: WAIT });
    await convItem(agent.page, 'es').click();
    await agent.page.waitForFunction(() => document.querySelector('#transcript').textContent.includes('Hola, ¿hay alguien?'), null, { timeout: WAIT });
    const spanish = await agent.page.locator('#transcript .msg.customer .text').allTextContents();
    assert.deepEqual(spanish, ['Quiero hablar con una persona', 'Hola, ¿hay alguien?']);

    // Transfer the English conversation to the Spanish queue (a language an agent is online
    // for): it leaves the console, and the customer is told they wait again.
    await convItem(agent.page, 'en').click();
    await agent.page.click('#transfer');
    await agent.page.selectOption('#transfer-locale', 'es');
    await agent.page.click('#transfer-confirm');
    await agent.page.waitForSelector('#released:not([hidden])', { timeout: WAIT });
    assert.match(await agent.page.locator('#released').textContent(), /Transferred/);
    await until(b.page, () => Array.from(document.querySelector('switchboard-chat').shadowRoot.querySelectorAll('.row.sys')).length >= 3, null, 'the transfer notice');
    await queued(b.page);
    assert.equal(await agent.page.locator('#load').textContent(), '1 / 3');

    await es.context.close();
    await en.context.close();
    await agent.context.close();
  });

  test('a wrong token is refused with a clear message', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${gateway.url}/agent`);
    await page.fill('#token', 'not-the-token');
    await page.click('#signin-button');
    await page.waitForSelector('#signin-error:not([hidden])', { timeout: WAIT });
    assert.match(await page.locator('#signin-error').textContent(), /not accepted/);
    assert.equal(await page.locator('#app').isHidden(), true);
    await context.close();
  });
});
