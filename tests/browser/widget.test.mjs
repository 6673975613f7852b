// The widget and the agent console in headless Chromium against the real gateway.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  AGENT_NAME, W, WAIT, customerContext, launchBrowser, openConsole, openWidget, rowWith, say, shopPage, shot,
  closeAll, startGateway, startShop, until,
} from './harness.mjs';

let gateway;
let browser;
let shopServer;

before(async () => {
  [gateway, browser, shopServer] = await Promise.all([startGateway(), launchBrowser(), startShop()]);
});
after(() => closeAll(browser && (() => browser.close()), gateway && (() => gateway.stop()),
  shopServer && (() => shopServer.close())));

const count = (rows, text) => rows.filter((r) => r.text === text).length;

describe('the widget and the console, end to end', () => {
  test('a Spanish customer gets Spanish answers, a person, survives a network cut, then the bot again', async () => {
    const agent = await openConsole(browser, gateway, ['es']);
    const customer = await customerContext(browser, gateway, { locale: 'es-ES' });
    const { context, net } = customer;
    const { page, dialogs } = await openWidget(customer);
    const ui = await page.evaluate(() => { const r = document.querySelector('switchboard-chat').shadowRoot; return { placeholder: r.querySelector('textarea').placeholder, lang: r.querySelector('.panel').lang }; });
    assert.equal(ui.placeholder, 'Escribe un mensaje…');
    assert.equal(ui.lang, 'es');

    // The bot answers in Spanish.
    await say(page, '¿Cuánto cuesta el envío a domicilio?');
    let rows = await rowWith(page, 'bot', 'envío');
    const botLang = await page.evaluate(() => Array.from(document.querySelector('switchboard-chat').shadowRoot.querySelectorAll('.row.them .bubble')).pop().lang);
    assert.equal(botLang, 'es');
    assert.match(rows.find((r) => r.kind === 'bot').text, /El envío estándar cuesta/);

    // Hand-off: queued, with the position shown.
    await say(page, 'Quiero hablar con una persona, por favor');
    await until(page, () => { const s = document.querySelector('switchboard-chat').shadowRoot.querySelector('.state'); return !s.hidden && s.textContent.includes('#1'); }, null, 'the queue position');
    assert.match(await page.locator('switchboard-chat .state').textContent(), /Puesto en la cola/);

    // The agent sees it waiting, with the customer's words, and takes it.
    const item = agent.page.locator('.qitem').first();
    await item.waitFor({ timeout: WAIT });
    assert.match(await item.textContent(), /Quiero hablar con una persona/);
    assert.match(await item.locator('.wait').textContent(), /waiting \d+ s/);
    assert.match(await agent.page.locator('.qgroup h3').first().textContent(), /Español \(es\) · 1 waiting/);
    await item.getByRole('button', { name: /Take/ }).click();
    await agent.page.waitForSelector('#conv:not([hidden])', { timeout: WAIT });
    const context_ = await agent.page.locator('#context').textContent();
    assert.match(context_, /Handed off because.*asked for a person/s);
    assert.match(context_, /Español \(es\)/);
    assert.match(context_, /shipping_cost/);
    assert.match(await agent.page.locator('#transcript').textContent(), /¿Cuánto cuesta el envío a domicilio\?/);

    // The customer sees who took it.
    await until(page, (name) => { const s = document.querySelector('switchboard-chat').shadowRoot.querySelector('.state'); return !s.hidden && s.textContent.includes(name); }, AGENT_NAME, 'the agent name in the widget');

    // The agent types: the customer sees the typing indicator; then the message.
    await agent.page.locator('#reply-text').pressSequentially('Hola, soy Ana');
    await until(page, () => !document.querySelector('switchboard-chat').shadowRoot.querySelector('.typing').hidden, null, 'the agent typing indicator');
    await agent.page.locator('#reply-text').pressSequentially('. ¿En qué te ayudo?');
    await agent.page.locator('#reply-text').press('Enter');
    await rowWith(page, 'agent', 'Hola, soy Ana. ¿En qué te ayudo?');
    await until(page, () => document.querySelector('switchboard-chat').shadowRoot.querySelector('.typing').hidden, null, 'the typing indicator to go');

    // The customer answers; markup reaches the agent as text.
    await say(page, '<b>Mi pedido</b> no ha llegado');
    await agent.page.waitForFunction(() => document.querySelector('#transcript').textContent.includes('<b>Mi pedido</b> no ha llegado'), null, { timeout: WAIT });
    assert.equal(await agent.page.locator('#transcript b').count(), 0);
    await agent.page.locator('#reply-text').fill('Lo miro ahora mismo.');
    await agent.page.locator('#reply-text').press('Enter');
    await rowWith(page, 'agent', 'Lo miro ahora mismo.');

    // The customer's network drops while the agent writes: what is in flight is lost.
    net.cut();
    await context.setOffline(true);
    await until(page, () => !document.querySelector('switchboard-chat').shadowRoot.querySelector('.net').hidden, null, 'the offline notice');
    for (const text of ['Mensaje uno: tu pedido salió ayer.', 'Mensaje dos: llegará mañana.']) {
      await agent.page.locator('#reply-text').fill(text);
      await agent.page.locator('#reply-text').press('Enter');
      await agent.page.waitForFunction(() => !document.querySelector('#transcript .pending'), null, { timeout: WAIT });
    }
    await say(page, '¿Sigues ahí?');
    rows = await W.rows(page);
    assert.ok(rows.some((r) => r.pending && r.text === '¿Sigues ahí?'), 'the message waits to be sent');
    assert.equal(count(rows, 'Mensaje uno: tu pedido salió ayer.'), 0);

    // Back online: everything once, in order.
    net.restore();
    await context.setOffline(false);
    await rowWith(page, 'agent', 'Mensaje dos: llegará mañana.');
    await until(page, () => !document.querySelector('switchboard-chat').shadowRoot.querySelector('.row.pending'), null, 'the queued message to be acknowledged');
    await agent.page.waitForFunction(() => document.querySelector('#transcript').textContent.includes('¿Sigues ahí?'), null, { timeout: WAIT });
    rows = await W.rows(page);
    const expected = [
      '¿Cuánto cuesta el envío a domicilio?',
      'Quiero hablar con una persona, por favor',
      'Hola, soy Ana. ¿En qué te ayudo?',
      '<b>Mi pedido</b> no ha llegado',
      'Lo miro ahora mismo.',
      'Mensaje uno: tu pedido salió ayer.',
      'Mensaje dos: llegará mañana.',
      '¿Sigues ahí?',
    ];
    for (const text of expected) assert.equal(count(rows, text), 1, `"${text}" appears once: ${JSON.stringify(rows)}`);
    const order = expected.map((t) => rows.findIndex((r) => r.text === t));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `in order: ${JSON.stringify(rows)}`);
    const seqs = rows.map((r) => r.seq);
    assert.ok(seqs.every((s, i) => s !== null && (i === 0 || s > seqs[i - 1])), `rows in seq order: ${seqs}`);
    assert.equal(await page.evaluate(() => document.querySelector('switchboard-chat').shadowRoot.querySelectorAll('.bubble b').length), 0);
    const agentSees = await agent.page.locator('#transcript .msg.customer .text').allTextContents();
    assert.equal(agentSees.filter((t) => t === '¿Sigues ahí?').length, 1);
    assert.ok(net.connections >= 2, 'the widget reconnected');

    // A frame delivered twice shows once.
    const replayed = net.toPage.filter((f) => f.includes('Mensaje dos')).pop();
    net.duplicate(replayed);
    await agent.page.locator('#reply-text').fill('Mensaje tres.');
    await agent.page.locator('#reply-text').press('Enter');
    rows = await rowWith(page, 'agent', 'Mensaje tres.');
    assert.equal(count(rows, 'Mensaje dos: llegará mañana.'), 1);

    // Closed widget: an unread badge.
    await page.locator('switchboard-chat .launcher').click();
    await agent.page.locator('#reply-text').fill('¿Algo más?');
    await agent.page.locator('#reply-text').press('Enter');
    await until(page, () => document.querySelector('switchboard-chat').shadowRoot.querySelector('.badge').textContent === '1', null, 'the unread badge');
    assert.match(await page.locator('switchboard-chat .launcher').getAttribute('aria-label'), /Mensajes sin leer: 1/);
    await page.locator('switchboard-chat .launcher').click();
    await until(page, () => document.querySelector('switchboard-chat').shadowRoot.querySelector('.badge').hidden, null, 'the badge to clear');

    // A page navigation keeps the conversation, once.
    await page.reload();
    await until(page, () => { const r = document.querySelector('switchboard-chat')?.shadowRoot; return r && !r.querySelector('.panel').hidden && r.querySelector('.net').hidden && r.querySelectorAll('.log .row').length > 0; }, null, 'the widget to come back open');
    await rowWith(page, 'agent', '¿Algo más?');
    const afterReload = await W.rows(page);
    for (const text of expected) assert.equal(count(afterReload, text), 1, `"${text}" once after a reload`);

    // The agent resolves: the bot answers again, in Spanish.
    await agent.page.click('#resolve');
    await agent.page.click('#resolve-confirm'); // the console asks first
    await agent.page.waitForSelector('#released:not([hidden])', { timeout: WAIT });
    await rowWith(page, 'sys', AGENT_NAME);
    await until(page, () => document.querySelector('switchboard-chat').shadowRoot.querySelector('.state').hidden, null, 'the hand-off state to clear');
    await say(page, '¿Cuánto tarda el envío estándar?');
    rows = await rowWith(page, 'bot', 'días laborables');
    await shot(page, 'widget-es-after-handoff.png');
    await shot(agent.page, 'console-after-resolve.png');
    assert.deepEqual(dialogs, []);
    await context.close();
    await agent.context.close();
  });

  test('a message with markup is shown as text, never run', async () => {
    const customer = await customerContext(browser, gateway, { locale: 'en-US' });
    const { context } = customer;
    const { page, dialogs } = await openWidget(customer);
    const evil = '<img src=x onerror=alert(1)>';
    await say(page, evil);
    await rowWith(page, 'me', evil);
    await rowWith(page, 'bot', '');
    const found = await page.evaluate(() => {
      const r = document.querySelector('switchboard-chat').shadowRoot;
      return { imgs: r.querySelectorAll('img').length + document.querySelectorAll('img').length, text: r.querySelector('.row.me .bubble').textContent };
    });
    assert.deepEqual(found, { imgs: 0, text: evil });
    // Rendered again from the saved transcript after a reload: still text.
    await page.reload();
    await until(page, (t) => Array.from(document.querySelector('switchboard-chat')?.shadowRoot?.querySelectorAll('.row.me .bubble') || []).some((b) => b.textContent === t), evil, 'the restored message');
    assert.equal(await page.evaluate(() => document.querySelector('switchboard-chat').shadowRoot.querySelectorAll('img').length), 0);
    assert.deepEqual(dialogs, []);
    await context.close();
  });

  test('Arabic lays the widget out right to left', async () => {
    const customer = await customerContext(browser, gateway, { locale: 'ar' });
    const { context } = customer;
    const { page } = await openWidget(customer);
    await say(page, 'كم تكلفة الشحن؟');
    await rowWith(page, 'bot', 'التوصيل');
    const layout = await page.evaluate(() => {
      const r = document.querySelector('switchboard-chat').shadowRoot;
      const panel = r.querySelector('.panel').getBoundingClientRect();
      const mine = r.querySelector('.row.me .bubble').getBoundingClientRect();
      const theirs = r.querySelector('.row.them .bubble').getBoundingClientRect();
      return {
        dir: r.querySelector('.panel').dir,
        direction: getComputedStyle(r.querySelector('.log')).direction,
        placeholder: r.querySelector('textarea').placeholder,
        mineLeft: mine.left - panel.left,
        theirsRight: panel.right - theirs.right,
        panelWidth: panel.width,
      };
    });
    assert.equal(layout.dir, 'rtl');
    assert.equal(layout.direction, 'rtl');
    assert.equal(layout.placeholder, 'اكتب رسالة…');
    // The customer's own bubble sits on the left, the bot's on the right.
    assert.ok(layout.mineLeft < layout.panelWidth / 4, JSON.stringify(layout));
    assert.ok(layout.theirsRight < layout.panelWidth / 4, JSON.stringify(layout));
    await shot(page, 'widget-ar.png');
    await context.close();
  });

  test('the host page\'s CSS does not reach the widget, nor the widget\'s the page', async () => {
    const measure = async () => {
      const r = document.querySelector('switchboard-chat').shadowRoot;
      // The panel opens with a short scale animation: its box is measured once that is over
      // (mid-animation it is a pixel short).
      await Promise.all(r.querySelector('.panel').getAnimations().map((a) => a.finished));
      const pick = (sel, props) => {
        const s = getComputedStyle(r.querySelector(sel));
        return Object.fromEntries(props.map((p) => [p, s.getPropertyValue(p)]));
      };
      const rect = r.querySelector('.panel').getBoundingClientRect();
      return {
        host: pick('.sb', ['font-family', 'font-size', 'line-height', 'color', 'letter-spacing', 'text-align']),
        launcher: pick('.launcher', ['background-color', 'width', 'height', 'border-top-width']),
        bubble: pick('.row.me .bubble', ['font-family', 'color', 'padding-top', 'background-color']),
        textarea: pick('textarea', ['font-size', 'border-top-width', 'padding-top']),
        panel: { width: Math.round(rect.width), height: Math.round(rect.height), right: Math.round(innerWidth - rect.right), bottom: Math.round(innerHeight - rect.bottom) },
        visible: getComputedStyle(document.querySelector('switchboard-chat')).display !== 'none',
      };
    };
    const plain = await customerContext(browser, gateway, { locale: 'en-US' });
    const a = await openWidget(plain);
    await say(a.page, 'hello');
    await rowWith(a.page, 'bot', '');
    const reference = await a.page.evaluate(measure);

    const hostile = `<style>
      * { font-family: "Comic Sans MS", cursive !important; color: red !important; line-height: 3 !important;
          letter-spacing: 4px !important; text-align: center !important; box-sizing: content-box !important; }
      html, body { font-size: 31px !important; direction: rtl; }
      div, button, textarea, header, form { padding: 30px !important; border: 6px dotted lime !important;
          background: yellow !important; width: 90px !important; height: 20px !important; }
      switchboard-chat { display: none !important; opacity: 0 !important; transform: scale(.2) !important; }
      body > * { position: static !important; }
    </style>`;
    const probe = '<button id="host-button">Host button</button><header id="host-header">Header</header>';
    const rude = await customerContext(browser, gateway, { locale: 'en-US', page: shopPage(gateway, { head: hostile, body: probe }) });
    const rudePage = await rude.context.newPage();
    await rudePage.goto(rude.shop);
    const hostBefore = await rudePage.evaluate(() => ['host-button', 'host-header'].map((id) => { const s = getComputedStyle(document.getElementById(id)); return [s.fontFamily, s.color, s.padding, s.backgroundColor, s.width]; }));
    await rudePage.waitForSelector('switchboard-chat', { state: 'attached' });
    await rudePage.locator('switchboard-chat .launcher').click();
    await until(rudePage, () => document.querySelector('switchboard-chat').shadowRoot.querySelector('.net').hidden && document.querySelector('switchboard-chat').shadowRoot.querySelector('textarea').placeholder, null, 'the widget on the hostile page');
    await say(rudePage, 'hello');
    await rowWith(rudePage, 'bot', '');
    const underAttack = await rudePage.evaluate(measure);
    assert.deepEqual(underAttack, reference);
    const hostAfter = await rudePage.evaluate(() => ['host-button', 'host-header'].map((id) => { const s = getComputedStyle(document.getElementById(id)); return [s.fontFamily, s.color, s.padding, s.backgroundColor, s.width]; }));
    assert.deepEqual(hostAfter, hostBefore, 'the widget changed the host page\'s styles');
    await shot(rudePage, 'widget-hostile-host-css.png');
    await plain.context.close();
    await rude.context.close();
  });

  test('keyboard only: open, write, send, close; the log is a live region', async () => {
    const { context, shop } = await customerContext(browser, gateway, { locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(shop);
    await page.waitForSelector('switchboard-chat');
    await until(page, () => document.querySelector('switchboard-chat').shadowRoot.querySelector('.launcher').getAttribute('aria-label'), null, 'the launcher label');
    // Tab reaches the launcher (the page has no other focusable element).
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.tagName + '/' + document.querySelector('switchboard-chat').shadowRoot.activeElement?.className), 'SWITCHBOARD-CHAT/launcher');
    assert.equal(await page.locator('switchboard-chat .launcher').getAttribute('aria-label'), 'Open chat');
    await page.keyboard.press('Enter');
    await until(page, () => document.querySelector('switchboard-chat').shadowRoot.activeElement?.tagName === 'TEXTAREA', null, 'focus in the message box');
    assert.equal(await page.locator('switchboard-chat .launcher').getAttribute('aria-expanded'), 'true');
    await page.keyboard.type('What payment methods do you accept?');
    await page.keyboard.press('Enter');
    await rowWith(page, 'bot', 'PayPal');
    const log = await page.evaluate(() => { const l = document.querySelector('switchboard-chat').shadowRoot.querySelector('.log'); return [l.getAttribute('role'), l.getAttribute('aria-live')]; });
    assert.deepEqual(log, ['log', 'polite']);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('switchboard-chat .panel').isHidden(), true);
    assert.equal(await page.evaluate(() => document.querySelector('switchboard-chat').shadowRoot.activeElement?.className), 'launcher');
    await context.close();
  });

  test('the language picker switches the widget and the bot', async () => {
    const customer = await customerContext(browser, gateway, { locale: 'en-US' });
    const { context } = customer;
    const { page } = await openWidget(customer);
    await page.locator('switchboard-chat select').selectOption('fr');
    await until(page, () => document.querySelector('switchboard-chat').shadowRoot.querySelector('textarea').placeholder === 'Écrivez un message…', null, 'French strings');
    // Written in English, answered in the chosen language.
    await say(page, 'How long does delivery take?');
    await rowWith(page, 'bot', '');
    const lang = await page.evaluate(() => Array.from(document.querySelector('switchboard-chat').shadowRoot.querySelectorAll('.row.them .bubble')).pop().lang);
    assert.equal(lang, 'fr');
    assert.equal(await page.locator('switchboard-chat .launcher').getAttribute('aria-label'), 'Fermer le chat');
    await context.close();
  });

  test('quick replies are buttons that send their payload; every message shows its time', async () => {
    const customer = await customerContext(browser, gateway, { locale: 'en-US' });
    const { page } = await openWidget(customer);
    // A new conversation offers starters.
    const starter = page.locator('switchboard-chat .quick button', { hasText: 'Delivery times' });
    await starter.click();
    await rowWith(page, 'me', 'Delivery times');
    await rowWith(page, 'bot', 'business days');
    const sent = customer.net.fromPage.map((f) => JSON.parse(f)).find((f) => f.type === 'message');
    assert.equal(sent.payload, 'shipping_time', JSON.stringify(sent));
    // The answer's own suggestions replace the starters; one of them, by keyboard.
    await until(page, () => Array.from(document.querySelector('switchboard-chat').shadowRoot.querySelectorAll('.quick button')).every((b) => b.textContent !== 'Delivery times'), null, 'new suggestions');
    const next = page.locator('switchboard-chat .quick button').first();
    const label = await next.textContent();
    await next.focus();
    await page.keyboard.press('Enter');
    await rowWith(page, 'me', label);
    const times = await page.evaluate(() => Array.from(document.querySelector('switchboard-chat').shadowRoot.querySelectorAll('.log .row:not(.err)')).map((r) => {
      const t = r.querySelector('time');
      return t && /^\d{1,2}:\d{2}/.test(t.textContent) && !Number.isNaN(Date.parse(t.dateTime || new Date().toISOString()));
    }));
    assert.ok(times.length >= 3 && times.every(Boolean), JSON.stringify(times));
    await customer.context.close();
  });

  test('the embed options: position, colour and a forced locale', async () => {
    const html = shopPage(gateway, { attrs: 'data-position="left" data-color="#ffd400" data-locale="de"' });
    const customer = await customerContext(browser, gateway, { locale: 'en-US', page: html });
    const { page } = await openWidget(customer);
    const look = await page.evaluate(() => {
      const r = document.querySelector('switchboard-chat').shadowRoot;
      const launcher = r.querySelector('.launcher');
      const box = launcher.getBoundingClientRect();
      const s = getComputedStyle(launcher);
      return { left: box.left, right: innerWidth - box.right, bg: s.backgroundColor, fg: s.color, placeholder: r.querySelector('textarea').placeholder };
    });
    assert.ok(look.left < 40 && look.right > 500, JSON.stringify(look));
    assert.equal(look.bg, 'rgb(255, 212, 0)');
    assert.equal(look.fg, 'rgb(17, 24, 39)', 'dark text on a light brand colour');
    assert.equal(look.placeholder, 'Nachricht schreiben…');
    await say(page, 'Wie lange dauert der Versand?');
    await rowWith(page, 'bot', 'Werktag');
    await customer.context.close();
  });

  test('the demo page embeds the widget under its content security policy', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const violations = [];
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text()); });
    await page.goto(gateway.url + '/');
    assert.match(await page.locator('h1').textContent(), /Chat with the shop/);
    await page.locator('switchboard-chat .launcher').click();
    await until(page, () => document.querySelector('switchboard-chat').dataset.status === 'live', null, 'a live widget');
    await say(page, 'How much does shipping cost?');
    await rowWith(page, 'bot', '€');
    assert.deepEqual(violations, []);
    await shot(page, 'demo-page.png');
    await context.close();
  });

  test('screenshots of the widget in English and Japanese', async () => {
    for (const [locale, question, expect] of [['en-US', 'How long does shipping take?', 'business days'], ['ja-JP', '配送にはどのくらいかかりますか？', '営業日']]) {
      const customer = await customerContext(browser, gateway, { locale });
      const { context } = customer;
      const { page } = await openWidget(customer);
      await say(page, question);
      await rowWith(page, 'bot', expect);
      await shot(page, `widget-${locale.slice(0, 2)}.png`);
      await context.close();
    }
  });
});
