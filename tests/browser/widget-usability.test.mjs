// The widget as customers use it (issue 22): on a phone, after ending a chat, in the language
// of the conversation, with the tab hidden and shown, by keyboard; axe-core in every state.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  WAIT, accessible, closeAll, customerContext, launchBrowser, openConsole, openWidget, rowWith, say,
  screenshot, shopPage, shot, startGateway, startShop, until,
} from './harness.mjs';

let gateway;
let browser;
let shopServer;

before(async () => {
  [gateway, browser, shopServer] = await Promise.all([startGateway(), launchBrowser(), startShop()]);
});
after(() => closeAll(browser && (() => browser.close()), gateway && (() => gateway.stop()),
  shopServer && (() => shopServer.close())));

const PHONE = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true };
/** A shop page made for phones, as shops are (without it a phone lays the page out 980 px wide). */
const MOBILE_HEAD = '<meta name="viewport" content="width=device-width, initial-scale=1">';
const phonePage = (body = '') => shopPage(gateway, { head: MOBILE_HEAD, body });

/** Polls `fn` in this process until it is truthy (for what the proxy records). */
async function eventually(fn, what) {
  const end = Date.now() + WAIT;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/** Frames of `type` the page sent to the gateway. */
const sent = (net, type) => net.fromPage.map((f) => JSON.parse(f)).filter((f) => f.type === type);

/** What the customer can see and use in the widget now. */
const look = (page) => page.evaluate(() => {
  const host = document.querySelector('switchboard-chat');
  const r = host.shadowRoot;
  const shown = (e) => !!e && e.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const panel = r.querySelector('.panel');
  return {
    status: host.dataset.status,
    open: shown(panel),
    input: shown(r.querySelector('textarea')),
    send: shown(r.querySelector('.send')),
    // The buttons in the window below its header: what the customer can do in the conversation.
    actions: Array.from(panel.querySelectorAll('button')).filter((b) => !b.closest('header') && shown(b)).map((b) => b.textContent.trim()),
    placeholder: r.querySelector('textarea').placeholder,
    lang: panel.lang,
    dir: panel.dir,
  };
});

/** Points across the message box and Send that something else covers (for a tap there). */
const covered = (page) => page.evaluate(() => {
  const r = document.querySelector('switchboard-chat').shadowRoot;
  const out = [];
  for (const sel of ['textarea', '.send']) {
    const e = r.querySelector(sel);
    const b = e.getBoundingClientRect();
    for (const [fx, fy] of [[0.06, 0.5], [0.5, 0.5], [0.94, 0.5], [0.5, 0.12], [0.5, 0.88]]) {
      const x = b.left + b.width * fx;
      const y = b.top + b.height * fy;
      const at = r.elementFromPoint(x, y);
      if (at && (at === e || e.contains(at))) continue;
      const what = at ? (at.closest('button, textarea, div') || at) : null;
      out.push(`${sel} at (${Math.round(x)}, ${Math.round(y)}) is under ${what ? `${what.tagName.toLowerCase()}.${what.getAttribute('class')}` : 'nothing'}`);
    }
  }
  return out;
});

/** Makes the page's tab hidden or visible, as switching tabs or apps does. Headless Chromium
 * keeps every page visible (background tabs and minimised windows included), so the document's
 * state is overridden and the browser's event dispatched. */
const setVisibility = (page, state) => page.evaluate((s) => {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => s === 'hidden' });
  document.dispatchEvent(new Event('visibilitychange'));
}, state);

describe('the widget as customers use it', () => {
  test('on a phone, tapping Send sends the message and the chat stays open, in English and in Arabic', async () => {
    for (const [locale, question, answer] of [
      ['en-US', 'How long does shipping take?', 'business days'],
      ['ar', 'كم تكلفة الشحن؟', 'التوصيل'],
    ]) {
      const customer = await customerContext(browser, gateway, { locale, page: phonePage(), ...PHONE });
      const { page, dialogs } = await openWidget(customer);
      const v = await look(page);
      assert.equal(v.dir, locale === 'ar' ? 'rtl' : 'ltr');
      // Nothing lies over the message box (its start, in Arabic: the right) or Send.
      assert.deepEqual(await covered(page), [], `${locale}: the message box and Send can be tapped`);
      const box = page.locator('switchboard-chat textarea');
      await box.tap({ timeout: WAIT });
      await box.fill(question);
      await page.locator('switchboard-chat .send').tap({ timeout: WAIT });
      // The message reached the gateway (acknowledged with its seq) and the bot answered.
      await until(page, (t) => Array.from(document.querySelector('switchboard-chat').shadowRoot.querySelectorAll('.row.me'))
        .some((r) => r.dataset.seq && r.querySelector('.bubble').textContent === t), question, `${locale}: the message acknowledged`);
      await rowWith(page, 'bot', answer);
      assert.ok(sent(customer.net, 'message').some((f) => f.text === question), `${locale}: the gateway got the message`);
      const after_ = await look(page);
      assert.equal(after_.open, true, `${locale}: the chat is still open`);
      assert.equal(await page.locator('switchboard-chat .launcher').getAttribute('aria-expanded'), 'true');
      await accessible(page, `the widget open on a phone (${locale})`);
      await screenshot(page, `widget-phone-${locale.slice(0, 2)}.png`);
      // The header's button closes it; the launcher is back, with the focus.
      await page.locator('switchboard-chat header .hbtn').tap({ timeout: WAIT });
      assert.equal((await look(page)).open, false);
      assert.equal(await page.locator('switchboard-chat .launcher').isVisible(), true);
      assert.equal(await page.evaluate(() => document.querySelector('switchboard-chat').shadowRoot.activeElement?.className), 'launcher');
      await accessible(page, `the widget closed on a phone (${locale})`);
      assert.deepEqual(dialogs, []);
      await customer.context.close();
    }
  });

  test('on a phone, the page behind the full-screen chat does not scroll, and keeps its own styles', async () => {
    const html = phonePage('<div style="height:3000px;background:linear-gradient(#fff,#99a)">A long page</div>'
      + '<script>document.documentElement.style.overflowY = "auto"; document.body.style.overscrollBehavior = "contain";</script>');
    const customer = await customerContext(browser, gateway, { locale: 'en-US', page: html, ...PHONE });
    const page = await customer.context.newPage();
    await page.goto(customer.shop);
    await page.evaluate(() => window.scrollTo(0, 400));
    const styles = () => page.evaluate(() => ({
      html: document.documentElement.getAttribute('style'),
      body: document.body.getAttribute('style'),
      y: Math.round(scrollY),
    }));
    const before_ = await styles();
    assert.equal(before_.y, 400);
    await page.locator('switchboard-chat .launcher').tap({ timeout: WAIT });
    await until(page, () => document.querySelector('switchboard-chat').dataset.status === 'live', null, 'a live widget');
    // (A phone may move the page a little to show the focused message box: that is put back.)
    const open = (await styles()).y;
    await accessible(page, 'the widget open on a phone over a long page');
    // A scroll over the chat's header (not a scrollable part of it). Headless Chromium does not
    // scroll for synthesized touch gestures; a wheel gesture scrolls the page as a swipe does.
    // The call returns once the gesture is over.
    const cdp = await customer.context.newCDPSession(page);
    const scroll = (x, y, by) => cdp.send('Input.synthesizeScrollGesture', {
      x: Math.round(x), y: Math.round(y), yDistance: -by, gestureSourceType: 'mouse', speed: 4000,
    });
    const header = await page.locator('switchboard-chat header').boundingBox();
    await scroll(header.x + header.width / 2, header.y + header.height / 2, 600);
    assert.equal((await styles()).y, open, 'the page behind the chat scrolled');
    // Closed: the page scrolls again, with its own inline styles as they were.
    await page.locator('switchboard-chat header .hbtn').tap({ timeout: WAIT });
    assert.deepEqual(await styles(), before_);
    await scroll(180, 300, 300);
    assert.ok((await styles()).y > 400, 'the page scrolls once the chat is closed');
    await customer.context.close();
  });

  test('the message box has 16 px text, so phones do not zoom in when it gets the focus', async () => {
    const customer = await customerContext(browser, gateway, { locale: 'en-US', page: phonePage(), ...PHONE });
    const { page } = await openWidget(customer);
    const size = await page.evaluate(() => getComputedStyle(document.querySelector('switchboard-chat').shadowRoot.querySelector('textarea')).fontSize);
    assert.ok(parseFloat(size) >= 16, `the message box's text is ${size}`);
    await accessible(page, 'the widget open on a phone');
    await customer.context.close();
  });

  test('"Talk to a person" is offered once and works; after "End chat" only "Start a new conversation" is offered, and it starts one', async () => {
    const agent = await openConsole(browser, gateway, ['en']);
    const customer = await customerContext(browser, gateway, { locale: 'en-US' });
    const { page, dialogs } = await openWidget(customer);
    const persons = async () => (await look(page)).actions.filter((t) => t === 'Talk to a person').length;
    // A new conversation: the starters and the footer.
    assert.equal(await persons(), 1, JSON.stringify(await look(page)));
    await accessible(page, 'the widget open on a new conversation');
    await say(page, 'Where is my order?');
    await rowWith(page, 'bot', '');
    await until(page, () => !document.querySelector('switchboard-chat').shadowRoot.querySelector('.quick').hidden, null, 'the answer\'s quick replies');
    assert.equal(await persons(), 1, JSON.stringify(await look(page)));

    await page.locator('switchboard-chat button', { hasText: 'Talk to a person' }).click();
    await until(page, () => { const s = document.querySelector('switchboard-chat').shadowRoot.querySelector('.state'); return !s.hidden && s.textContent.includes('#1'); }, null, 'the queue position');
    assert.equal(await persons(), 0, 'no "Talk to a person" while waiting for one');
    await accessible(page, 'the widget waiting in the queue');
    await screenshot(page, 'widget-queued.png');

    // End chat, confirmed.
    await page.locator('switchboard-chat .foot button', { hasText: 'End chat' }).click();
    assert.ok((await look(page)).actions.includes('Cancel'));
    await page.locator('switchboard-chat .foot button', { hasText: 'End chat' }).click();
    await until(page, () => document.querySelector('switchboard-chat').dataset.status === 'ended', null, 'the ended state');
    await rowWith(page, 'sys', 'This conversation has ended.');
    const ended = await look(page);
    assert.equal(ended.input, false, 'no message box after the end');
    assert.equal(ended.send, false, 'no Send after the end');
    assert.deepEqual(ended.actions, ['Start a new conversation']);
    assert.equal(await page.evaluate(() => document.querySelector('switchboard-chat').shadowRoot.activeElement?.textContent), 'Start a new conversation');
    await accessible(page, 'the widget after "End chat"');
    await screenshot(page, 'widget-ended.png');

    // A new conversation: a new session, the message box back, and the bot answers.
    await page.locator('switchboard-chat .ended button').click();
    await until(page, () => { const h = document.querySelector('switchboard-chat'); return h.dataset.status === 'live' && h.shadowRoot.activeElement?.tagName === 'TEXTAREA'; }, null, 'a live widget with the focus in the message box');
    const fresh = await look(page);
    assert.equal(fresh.input, true);
    assert.equal(fresh.send, true);
    assert.ok(fresh.actions.includes('Talk to a person'), JSON.stringify(fresh));
    await say(page, 'What payment methods do you accept?');
    await rowWith(page, 'bot', 'PayPal');
    assert.equal(sent(customer.net, 'hello').length, 2, 'a second hello');
    assert.equal(sent(customer.net, 'hello')[1].resume, undefined, 'the new conversation does not resume the old one');
    await accessible(page, 'the widget in a new conversation');
    assert.deepEqual(dialogs, []);
    await customer.context.close();
    await agent.context.close();
  });

  test('while waiting for a person, the bot says where the customer stands, answers real questions, and the agent sees the latest words', async () => {
    const agent = await openConsole(browser, gateway, ['en']);
    const customer = await customerContext(browser, gateway, { locale: 'en-US' });
    const { page } = await openWidget(customer);
    await say(page, 'I want to talk to a person');
    await until(page, () => { const s = document.querySelector('switchboard-chat').shadowRoot.querySelector('.state'); return !s.hidden && s.textContent.includes('#1'); }, null, 'the queue position');
    const bots = async () => (await page.evaluate(() => Array.from(document.querySelector('switchboard-chat').shadowRoot.querySelectorAll('.log .row.them:not(.agent) .bubble')).map((b) => b.textContent)));
    const before = (await bots()).length;
    await say(page, 'hello?? anyone there?');
    await until(page, (n) => document.querySelector('switchboard-chat').shadowRoot.querySelectorAll('.log .row.them:not(.agent) .bubble').length > n, before, 'the bot\'s answer');
    assert.match((await bots()).at(-1), /^You're still next in line\. A colleague will join/);
    await say(page, 'thanks');
    await until(page, (n) => document.querySelector('switchboard-chat').shadowRoot.querySelectorAll('.log .row.them:not(.agent) .bubble').length > n + 1, before, 'the second answer');
    assert.match((await bots()).at(-1), /^You're still next in line/, 'not "You\'re welcome!"');
    await say(page, 'What payment methods do you accept?');
    await rowWith(page, 'bot', 'PayPal');
    await accessible(page, 'the widget waiting, with the bot\'s answers');
    // The agent's queue shows what the customer wrote last, not the first message.
    await agent.page.waitForFunction(() => Array.from(document.querySelectorAll('.qitem')).some((q) => q.textContent.includes('What payment methods do you accept?')), null, { timeout: WAIT });
    await customer.context.close();
    await agent.context.close();
  });

  test('the widget\'s own words follow the language of the conversation, unless the embed forced one', async () => {
    const customer = await customerContext(browser, gateway, { locale: 'en-US' });
    const { page } = await openWidget(customer);
    assert.equal((await look(page)).placeholder, 'Write a message…');
    await say(page, '¿Cuánto cuesta el envío a domicilio?');
    await rowWith(page, 'bot', 'El envío estándar cuesta');
    await until(page, () => {
      const r = document.querySelector('switchboard-chat').shadowRoot;
      return r.querySelector('textarea').placeholder === 'Escribe un mensaje…' && r.querySelector('.panel').lang === 'es';
    }, null, 'the widget in Spanish');
    const es = await look(page);
    assert.ok(es.actions.includes('Hablar con una persona') && es.actions.includes('Terminar el chat'), JSON.stringify(es));
    assert.equal(await page.locator('switchboard-chat header .hbtn').getAttribute('aria-label'), 'Minimizar el chat');
    await accessible(page, 'the widget in Spanish on an English browser');
    await screenshot(page, 'widget-es-ui.png');
    // A page navigation keeps the conversation's language.
    await page.reload();
    await until(page, () => { const r = document.querySelector('switchboard-chat')?.shadowRoot; return r && r.querySelector('textarea').placeholder === 'Escribe un mensaje…'; }, null, 'Spanish after a reload');
    await customer.context.close();

    // A locale the embed forces stays, whatever the conversation's.
    const forcedHtml = shopPage(gateway, { attrs: 'data-locale="de"' });
    const forced = await customerContext(browser, gateway, { locale: 'en-US', page: forcedHtml });
    const f = await openWidget(forced);
    const strings = [];
    f.page.on('request', (r) => { if (r.url().includes('/v1/widget/strings')) strings.push(new URL(r.url()).searchParams.get('locale')); });
    await say(f.page, '¿Cuánto cuesta el envío a domicilio?');
    await rowWith(f.page, 'bot', 'El envío estándar cuesta');
    // One more round trip, so a request the answer caused would be seen.
    await say(f.page, '¿Y cuánto tarda?');
    await rowWith(f.page, 'bot', 'días');
    assert.equal((await look(f.page)).placeholder, 'Nachricht schreiben…');
    assert.deepEqual(strings, []);
    await accessible(f.page, 'the widget forced to German, answering in Spanish');
    await forced.context.close();
  });

  test('the widget tells the gateway whether its tab is visible, after each welcome and on every change, and shows no error for it', async () => {
    const customer = await customerContext(browser, gateway, { locale: 'en-US' });
    const { net } = customer;
    const { page } = await openWidget(customer);
    const states = () => sent(net, 'presence').map((f) => f.state);
    await eventually(() => states().length === 1, 'a presence frame after the welcome');
    assert.deepEqual(states(), ['visible']);
    await accessible(page, 'the widget open');
    await setVisibility(page, 'hidden');
    await eventually(() => states().length === 2, 'a presence frame for the hidden tab');
    await setVisibility(page, 'visible');
    await eventually(() => states().length === 3, 'a presence frame for the visible tab');
    assert.deepEqual(states(), ['visible', 'hidden', 'visible']);
    // Hidden while the connection is down: said after the next welcome.
    net.cut();
    await until(page, () => document.querySelector('switchboard-chat').dataset.status !== 'live', null, 'the widget to see the cut');
    await setVisibility(page, 'hidden');
    net.restore();
    await until(page, () => document.querySelector('switchboard-chat').dataset.status === 'live', null, 'the widget live again');
    await eventually(() => states().length === 4, 'a presence frame after the second welcome');
    assert.deepEqual(states(), ['visible', 'hidden', 'visible', 'hidden']);
    const welcomes = net.toPage.map((m) => JSON.parse(m)).filter((m) => m.type === 'welcome');
    assert.equal(welcomes.length, 2);
    // Frames are answered in order: once the bot answered, any answer to presence is in too.
    await setVisibility(page, 'visible');
    await say(page, 'What payment methods do you accept?');
    await rowWith(page, 'bot', 'PayPal');
    const errors = net.toPage.map((m) => JSON.parse(m)).filter((m) => m.type === 'error');
    assert.deepEqual(errors, [], 'the gateway takes every presence frame');
    assert.equal(await page.evaluate(() => document.querySelector('switchboard-chat').shadowRoot.querySelectorAll('.row.err').length), 0,
      `an error shown for ${JSON.stringify(errors)}`);
    await customer.context.close();
  });

  test('a message written while the connection is down waits, readable and without typing dots, and goes once it is back', async () => {
    const customer = await customerContext(browser, gateway, { locale: 'en-US' });
    const { net } = customer;
    const { page } = await openWidget(customer);
    net.cut();
    await until(page, () => document.querySelector('switchboard-chat').dataset.status !== 'live', null, 'the widget to see the cut');
    await say(page, 'Are you still there?');
    await until(page, () => document.querySelector('switchboard-chat').shadowRoot.querySelector('.row.pending .status'), null, 'the message waiting to be sent');
    assert.equal(await page.locator('switchboard-chat .typing').isVisible(), false, 'nobody is typing an answer to a message not sent yet');
    await accessible(page, 'the widget reconnecting, with a message waiting');
    await shot(page, 'widget-reconnecting.png');
    net.restore();
    await until(page, () => !document.querySelector('switchboard-chat').shadowRoot.querySelector('.row.pending'), null, 'the waiting message sent');
    await rowWith(page, 'bot', '');
    assert.equal(sent(net, 'message').filter((f) => f.text === 'Are you still there?').length, 1);
    await customer.context.close();
  });

  test('the header\'s buttons show a visible focus ring on the brand colour, light or dark', async () => {
    for (const attrs of ['', 'data-color="#ffd400"']) {
      const customer = await customerContext(browser, gateway, { locale: 'en-US', page: shopPage(gateway, { attrs }) });
      const page = await customer.context.newPage();
      await page.goto(customer.shop);
      await until(page, () => document.querySelector('switchboard-chat')?.shadowRoot.querySelector('.launcher').getAttribute('aria-label'), null, 'the launcher');
      await accessible(page, `the widget closed (${attrs || 'default colour'})`);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await until(page, () => { const h = document.querySelector('switchboard-chat'); return h.dataset.status === 'live' && h.shadowRoot.activeElement?.tagName === 'TEXTAREA'; }, null, 'the open widget');
      await accessible(page, `the widget open (${attrs || 'default colour'})`);
      for (const target of ['SELECT', 'BUTTON']) {
        // Backwards by keyboard to the header's language menu, then its close button.
        for (let i = 0; i < 20; i++) {
          const at = await page.evaluate(() => { const a = document.querySelector('switchboard-chat').shadowRoot.activeElement; return a && a.closest('header') ? a.tagName : ''; });
          if (at === target) break;
          await page.keyboard.press(target === 'SELECT' ? 'Shift+Tab' : 'Tab');
        }
        const ring = await page.evaluate(() => {
          const r = document.querySelector('switchboard-chat').shadowRoot;
          const e = r.activeElement;
          const lum = ([R, G, B]) => {
            const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(R) + 0.7152 * f(G) + 0.0722 * f(B);
          };
          const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
          const rgb = (s) => Array.from(String(s).matchAll(/rgba?\(([^)]+)\)/g), (m) => m[1].split(',').map(Number)).filter((c) => c.length < 4 || c[3] > 0.5);
          const s = getComputedStyle(e);
          const bg = rgb(getComputedStyle(r.querySelector('header')).backgroundColor)[0];
          const colours = [];
          if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) colours.push(...rgb(s.outlineColor));
          colours.push(...rgb(s.boxShadow));
          const best = Math.max(0, ...colours.map((c) => ratio(c, bg)));
          return { tag: e.tagName, focusVisible: e.matches(':focus-visible'), outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow, bg, best: Math.round(best * 100) / 100 };
        });
        assert.equal(ring.tag, target, JSON.stringify(ring));
        assert.ok(ring.focusVisible, JSON.stringify(ring));
        // WCAG 1.4.11: a focus indicator contrasts 3:1 with what is around it.
        assert.ok(ring.best >= 3, `the focus ring of the header's ${target} does not show: ${JSON.stringify(ring)}`);
      }
      await screenshot(page, `widget-focus-header${attrs ? '-light' : ''}.png`);
      await customer.context.close();
    }
  });

  test('the button that closes the window and the launcher have different names', async () => {
    for (const [locale, minimise] of [['en-US', 'Minimise chat'], ['ar', 'تصغير المحادثة']]) {
      const customer = await customerContext(browser, gateway, { locale });
      const { page } = await openWidget(customer);
      const header = await page.locator('switchboard-chat header .hbtn').getAttribute('aria-label');
      const launcher = await page.locator('switchboard-chat .launcher').getAttribute('aria-label');
      assert.equal(header, minimise);
      assert.notEqual(header, launcher);
      await accessible(page, `the widget open (${locale})`);
      await customer.context.close();
    }
  });

  test('the demo page and the console load without a failed request (the favicon included)', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const failed = [];
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
    page.on('requestfailed', (r) => failed.push(`failed ${r.url()}`));
    for (const path of ['/', '/agent']) {
      await page.goto(`${gateway.url}${path}`);
      // Headless Chromium does not fetch icons itself: the page's icon is loaded as an image,
      // under the page's own content security policy.
      const icon = await page.evaluate(async () => {
        const href = document.querySelector('link[rel="icon"]')?.href;
        if (!href) return 'no icon link';
        const img = new Image();
        img.src = href;
        try { await img.decode(); } catch (e) { return `${href} does not load: ${e.message}`; }
        return `${new URL(href).pathname} ${img.naturalWidth > 0 ? 'drawn' : 'empty'}`;
      });
      assert.equal(icon, '/favicon.ico drawn', path);
    }
    assert.deepEqual(failed, []);
    await context.close();
  });
});
