// The console's side of the agent-channel additions of issue 22 (docs/PROTOCOL-ADDITIONS.md §5):
// customer presence, private notes, the transfer note read first, canned replies and the
// transfer targets agents cover. The page comes from the real gateway; its agent WebSocket is
// answered by a stand-in that sends exactly the frames §5 describes, so each state is exact.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  WAIT, accessible, closeAll, launchBrowser, screenshot, startGateway, until,
} from './harness.mjs';

let gateway;
let browser;

before(async () => {
  // One after the other: what started is stopped by after() even when the next one fails.
  browser = await launchBrowser();
  gateway = await startGateway();
});
after(() => closeAll(browser && (() => browser.close()), gateway && (() => gateway.stop())));

const CONV = 'c0ffee00-1111-4222-8333-444455556666';
const at = (s) => new Date(Date.UTC(2026, 11, 7, 20, 0, s)).toISOString();

/**
 * The console with a stand-in agent channel. `script` answers frames: `script[type](frame, wire)`;
 * by default `auth` gets `welcome` and `ready` gets an empty queue. `wire.got` is every frame the
 * console sent, `wire.send(frame)` sends one to it.
 */
async function fakeConsole(script = {}) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 820 } });
  const wire = {
    got: [],
    socket: null,
    send(frame) { this.socket.send(JSON.stringify(frame)); },
    waiters: [],
    /** Resolves with the first frame of `type` the console sent after the `from`th. */
    next(type, from = 0) {
      const have = this.got.slice(from).find((x) => x.type === type);
      if (have) return Promise.resolve(have);
      return new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`the console sent no ${type}`)), WAIT);
        this.waiters.push({ type, ok: (f) => { clearTimeout(timer); ok(f); } });
      });
    },
  };
  const answer = {
    auth: () => wire.send({ type: 'welcome', agent: { id: 'agent-ana', name: 'Ana' } }),
    ready: () => wire.send({ type: 'queue', waiting: [] }),
    ...script,
  };
  await context.routeWebSocket(/\/v1\/agent$/, (ws) => {
    wire.socket = ws;
    ws.onMessage((m) => {
      const f = JSON.parse(String(m));
      wire.got.push(f);
      for (const w of wire.waiters.filter((x) => x.type === f.type)) { wire.waiters.splice(wire.waiters.indexOf(w), 1); w.ok(f); }
      if (answer[f.type]) answer[f.type](f, wire);
    });
  });
  await context.addInitScript(() => {
    localStorage.setItem('switchboard-agent-prefs', JSON.stringify({ languages: ['fr', 'es'], capacity: 3, online: true }));
    sessionStorage.setItem('switchboard-agent-token', 'tok-fake');
  });
  const page = await context.newPage();
  await page.goto(`${gateway.url}/agent`);
  await page.waitForSelector('#conn.on', { timeout: WAIT });
  return { context, page, wire };
}

/** An `assigned` frame for CONV (French), with §5's fields. */
const assigned = (extra = {}) => ({
  type: 'assigned',
  conversation: CONV,
  locale: 'fr',
  presence: 'online',
  context: { reason: 'requested', languages: [{ locale: 'fr', messages: 2 }], intents: [{ intent: 'refund', confidence: 0.82 }] },
  transcript: [
    { seq: 1, from: 'customer', text: 'Bonjour, mon colis est arrivé cassé.', locale: 'fr', at: at(1) },
    { seq: 2, from: 'bot', text: 'Je suis désolé. Voulez-vous parler à une personne ?', locale: 'fr', at: at(2), intent: 'refund', confidence: 0.82 },
    { seq: 3, from: 'customer', text: 'Oui, une personne s’il vous plaît.', locale: 'fr', at: at(3) },
  ],
  notes: [],
  canned: [],
  ...extra,
});

const claimThen = (frame) => ({ claim: (_f, wire) => wire.send(frame), next: (_f, wire) => wire.send(frame) });

const waiting = [
  { conversation: CONV, locale: 'fr', waiting_s: 40, preview: 'Oui, une personne s’il vous plaît.', presence: 'online' },
  { conversation: 'c2', locale: 'fr', waiting_s: 30, preview: 'Allô ? Il y a quelqu’un ?', presence: 'away' },
  { conversation: 'c3', locale: 'es', waiting_s: 20, preview: 'Hola, necesito ayuda', presence: 'left' },
];

describe('the console and the agent-channel additions', () => {
  test('customer presence: in the queue, in the conversation, as it changes, and a customer who left for good', async () => {
    const { context, page, wire } = await fakeConsole({
      ready: (_f, w) => w.send({ type: 'queue', waiting }),
      ...claimThen(assigned({ presence: 'online' })),
    });
    await page.locator('.qitem').nth(2).waitFor({ timeout: WAIT });
    const states = await page.locator('.qitem .presence').allTextContents();
    assert.deepEqual(states.map((s) => s.trim()), ['online', 'away', 'left']);
    // A customer who left is told in the Take button's name too.
    assert.match(await page.locator('.qitem', { hasText: 'necesito' }).getByRole('button').getAttribute('aria-label'), /customer left/);
    await accessible(page, 'a queue with online, away and departed customers');
    await screenshot(page, 'console-presence-queue.png');

    await page.locator('.qitem', { hasText: 'une personne' }).getByRole('button', { name: /^Take/ }).click();
    await page.waitForSelector('#conv:not([hidden])', { timeout: WAIT });
    assert.equal(await page.locator('#conv-presence').textContent(), 'Customer online');
    wire.send({ type: 'presence', conversation: CONV, state: 'away' });
    await until(page, () => document.querySelector('#conv-presence').textContent === 'Customer away (tab hidden)', null, 'away');
    assert.match(await page.locator('.conv-item .presence').textContent(), /away/);
    wire.send({ type: 'presence', conversation: CONV, state: 'left' });
    await until(page, () => document.querySelector('#conv-presence').textContent === 'Customer left', null, 'left');
    await accessible(page, 'a conversation whose customer left');
    wire.send({ type: 'released', conversation: CONV, reason: 'customer_left' });
    await page.waitForSelector('#released:not([hidden])', { timeout: WAIT });
    assert.equal(await page.locator('#released').textContent(), 'The customer left and did not come back.');
    assert.equal(await page.locator('#released').getAttribute('data-tone'), 'warning');
    await accessible(page, 'released: the customer left');
    await screenshot(page, 'console-customer-left.png');
    await context.close();
  });

  test('the transfer note comes first, private notes are apart from messages, and Note mode sends a note', async () => {
    // Oldest first: a private note while Bruno had it, then his transfer note.
    const notes = [
      { kind: 'note', author: { name: 'Bruno' }, text: 'Photo of the damage received by e-mail.', at: at(2) },
      { kind: 'transfer', author: { name: 'Bruno' }, from_locale: 'es', text: 'Pedido 1234 llegó roto. Reembolso aprobado; prefiere francés.', at: at(10) },
    ];
    const { context, page, wire } = await fakeConsole({
      ready: (_f, w) => w.send({ type: 'queue', waiting: waiting.slice(0, 1) }),
      ...claimThen(assigned({ notes })),
      note: (f, w) => w.send({ type: 'note', conversation: f.conversation, id: f.id, note: { kind: 'note', author: { name: 'Ana' }, text: f.text, at: new Date().toISOString() } }),
    });
    await page.click('#take-next');
    await page.waitForSelector('#handover:not([hidden])', { timeout: WAIT });
    // Read first: the banner is the first thing of the conversation under its header.
    assert.match(await page.locator('#handover-title').textContent(), /^Transferred by Bruno from Español \(es\)/);
    assert.equal(await page.locator('#handover-text').textContent(), notes[1].text);
    const order = await page.evaluate(() => {
      const conv = document.querySelector('#conv');
      const all = Array.from(conv.querySelectorAll('#handover, #context, #transcript'));
      return all.map((e) => e.id);
    });
    assert.deepEqual(order, ['handover', 'context', 'transcript']);
    // Notes in the transcript: marked as notes, neither the customer's nor a reply.
    const rows = await page.evaluate(() => Array.from(document.querySelectorAll('#transcript .msg'), (m) => [m.className, m.querySelector('.text').textContent]));
    const noteRows = rows.filter(([c]) => /\bnote\b/.test(c));
    assert.equal(noteRows.length, 2);
    for (const [c] of noteRows) assert.doesNotMatch(c, /customer|agent|bot/);
    assert.match(await page.locator('#transcript .msg.note').first().textContent(), /Private note.*only agents see this/);
    // Where it was written: the note of 20:00:02 after the bot's answer of that second, before
    // the customer's message of 20:00:03; the transfer note last.
    assert.deepEqual(rows.map(([, t]) => t), [
      'Bonjour, mon colis est arrivé cassé.', 'Je suis désolé. Voulez-vous parler à une personne ?', notes[0].text,
      'Oui, une personne s’il vous plaît.', notes[1].text,
    ]);
    await accessible(page, 'a transferred conversation with notes');
    await screenshot(page, 'console-transfer-note.png');

    // Note mode: a private note, not a reply, and no typing sent to the customer.
    await page.getByRole('radio', { name: 'Note' }).check();
    const from = wire.got.length;
    await page.locator('#reply-text').fill('Refund approved by Bruno; check the bank details.');
    await page.locator('#reply-text').press('Enter');
    const sent = await wire.next('note', from);
    assert.equal(sent.conversation, CONV);
    assert.equal(sent.text, 'Refund approved by Bruno; check the bank details.');
    assert.ok(sent.id);
    assert.equal(wire.got.slice(from).filter((f) => f.type === 'message' || f.type === 'typing').length, 0, 'a note is neither a message nor typing');
    await until(page, () => Array.from(document.querySelectorAll('#transcript .msg.note:not(.pending)')).some((n) => n.textContent.includes('check the bank details')), null, 'the note, saved');
    assert.equal(await page.locator('#send').textContent(), 'Add note');
    await accessible(page, 'note mode');
    await screenshot(page, 'console-note-mode.png');
    // Back to Reply: a message.
    await page.getByRole('radio', { name: 'Reply' }).check();
    const from2 = wire.got.length;
    await page.locator('#reply-text').fill('Bonjour, je suis Ana.');
    await page.locator('#reply-text').press('Enter');
    assert.equal((await wire.next('message', from2)).text, 'Bonjour, je suis Ana.');
    await context.close();
  });

  test('canned replies: "/" opens a filtered listbox, arrows move, Enter, Tab or a click insert, Escape closes', async () => {
    const canned = [
      { name: 'refund', text: 'Votre remboursement a été validé : vous le recevrez sous 5 jours ouvrés.', locale: 'fr' },
      { name: 'refund-status', text: 'Je vérifie où en est votre remboursement.', locale: 'fr' },
      { name: 'hours', text: 'Our support is open Monday to Friday, 9:00 to 18:00.', locale: 'en' },
    ];
    const { context, page, wire } = await fakeConsole({
      ready: (_f, w) => w.send({ type: 'queue', waiting: waiting.slice(0, 1) }),
      ...claimThen(assigned({ canned })),
    });
    await page.click('#take-next');
    await page.waitForSelector('#conv:not([hidden])', { timeout: WAIT });
    const box = page.locator('#reply-text');
    const options = page.getByRole('listbox', { name: 'Canned replies' }).getByRole('option');
    await box.focus();
    await box.pressSequentially('/ref');
    await until(page, () => document.querySelectorAll('#canned-list [role=option]').length === 2, null, 'two refund replies');
    assert.equal(await box.getAttribute('role'), 'combobox');
    assert.equal(await box.getAttribute('aria-expanded'), 'true');
    assert.equal(await box.getAttribute('aria-activedescendant'), 'canned-0');
    assert.equal(await options.nth(0).getAttribute('aria-selected'), 'true');
    await accessible(page, 'the canned replies open');
    await screenshot(page, 'console-canned.png');
    await box.press('ArrowDown');
    assert.equal(await box.getAttribute('aria-activedescendant'), 'canned-1');
    await box.press('ArrowDown'); // wraps
    assert.equal(await box.getAttribute('aria-activedescendant'), 'canned-0');
    await box.press('ArrowUp');
    assert.equal(await box.getAttribute('aria-activedescendant'), 'canned-1');
    // Escape closes the list and keeps what was typed.
    await box.press('Escape');
    assert.equal(await page.locator('#canned-list').isHidden(), true);
    assert.equal(await box.getAttribute('aria-expanded'), 'false');
    assert.equal(await box.inputValue(), '/ref');
    // Typing again reopens it; Enter inserts, for the agent to read, and sends nothing.
    const from = wire.got.length;
    await box.pressSequentially('und-');
    await until(page, () => document.querySelectorAll('#canned-list [role=option]').length === 1, null, 'one reply for /refund-');
    await box.press('Enter');
    assert.equal(await box.inputValue(), canned[1].text);
    assert.equal(await page.locator('#canned-list').isHidden(), true);
    assert.equal(wire.got.slice(from).filter((f) => f.type === 'message').length, 0, 'inserted, not sent');
    // Tab inserts too; a reply in another language than the conversation's is marked.
    await box.fill('');
    await box.pressSequentially('/ho');
    await options.first().waitFor({ timeout: WAIT });
    assert.match(await options.first().textContent(), /⚠ English/);
    await box.press('Tab');
    assert.equal(await box.inputValue(), canned[2].text);
    assert.match(await page.locator('#canned-warning').textContent(), /in English \(en\), not in Français \(fr\)/);
    // A click inserts.
    await box.fill('');
    await box.pressSequentially('/');
    await until(page, () => document.querySelectorAll('#canned-list [role=option]').length === 3, null, 'every reply for "/"');
    await options.filter({ hasText: '/refund' }).first().click();
    assert.equal(await box.inputValue(), canned[0].text);
    assert.equal(await page.locator('#canned-warning').isHidden(), true);
    // The agent sends it.
    await box.press('Enter');
    assert.equal((await wire.next('message', from)).text, canned[0].text);
    await context.close();
  });

  test('the transfer targets are the other languages agents cover now, and the queue of this one', async () => {
    let online = { fr: 1, es: 2, en: 0, de: 0 };
    const { context, page, wire } = await fakeConsole({
      ready: (_f, w) => w.send({ type: 'queue', waiting: waiting.slice(0, 1) }),
      ...claimThen(assigned()),
      coverage: (_f, w) => w.send({ type: 'coverage', online }),
    });
    await page.click('#take-next');
    await page.waitForSelector('#conv:not([hidden])', { timeout: WAIT });
    const from = wire.got.length;
    await page.click('#transfer');
    await wire.next('coverage', from);
    await until(page, () => document.querySelector('#transfer-locale').options.length === 2, null, 'the covered targets');
    const opts = await page.locator('#transfer-locale option').allTextContents();
    assert.deepEqual(opts, ['Español (es) · 2 online', 'Back to the Français queue']);
    await accessible(page, 'the transfer dialog with covered languages');
    await screenshot(page, 'console-transfer-dialog.png');
    await page.keyboard.press('Escape');

    online = { fr: 1, es: 0, en: 0, de: 0 };
    await page.click('#transfer');
    await until(page, () => document.querySelector('#coverage-status').textContent.includes('No agent is online for another language'), null, 'nobody covers another language');
    assert.deepEqual(await page.locator('#transfer-locale option').allTextContents(), ['Back to the Français queue']);
    const from2 = wire.got.length;
    await page.getByLabel(/Note for the next agent/).fill('Back in the queue: I have to leave.');
    await page.getByRole('dialog').getByRole('button', { name: 'Transfer' }).click();
    const t = await wire.next('transfer', from2);
    assert.deepEqual(t, { type: 'transfer', conversation: CONV, locale: 'fr', note: 'Back in the queue: I have to leave.' });
    await context.close();
  });
});
