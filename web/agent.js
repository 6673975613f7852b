// switchboard agent console: one WebSocket to /v1/agent (protocol §2), no framework.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const WS_URL = location.origin.replace(/^http/, 'ws') + '/v1/agent';
  const TOKEN_KEY = 'switchboard-agent-token';
  const PREFS_KEY = 'switchboard-agent-prefs';
  const NOTIFY_KEY = 'switchboard-agent-notify';

  let ws = null;
  let token = sessionStorage.getItem(TOKEN_KEY) || '';
  let me = null;
  let ready = false; // `ready` sent on this connection
  let prefs = { languages: [], capacity: 3, online: false };
  try { prefs = Object.assign(prefs, JSON.parse(localStorage.getItem(PREFS_KEY)) || {}); } catch (_) { /* defaults */ }
  let notify = { title: true, sound: true, desktop: true };
  try { notify = Object.assign(notify, JSON.parse(localStorage.getItem(NOTIFY_KEY)) || {}); } catch (_) { /* defaults */ }
  let locales = []; // [{locale, name, dir}]
  let queue = []; // [{conversation, locale, waiting_s, preview, since}]
  const convs = new Map(); // id → conversation
  let selected = null;
  let attempt = 0;
  let retryTimer = 0;
  let signingIn = false;
  let typingOn = false;
  let typingTimer = 0;
  let openNext = false;
  let stick = true;
  let known = null; // ids of the conversations in the last queue frame (null: none since sign-in)
  const unseen = new Set(); // conversations that started waiting since the agent last looked
  let firstWelcome = true;

  const langOnly = (tag) => (locales.find((x) => x.locale === tag) || { name: tag }).name;
  const langName = (tag) => {
    const l = locales.find((x) => x.locale === tag);
    return l ? l.name + ' (' + tag + ')' : tag;
  };
  const fmtWait = (s) => {
    s = Math.max(0, Math.floor(s));
    if (s < 60) return s + ' s';
    const m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + String(s % 60).padStart(2, '0') + ' s';
    return Math.floor(m / 60) + ' h ' + String(m % 60).padStart(2, '0') + ' min';
  };
  const PRESENCE = { online: 'Customer online', away: 'Customer away (tab hidden)', left: 'Customer left' };
  const presenceEl = (state, short) => {
    const p = el('span', 'presence ' + state, short ? { online: 'online', away: 'away', left: 'left' }[state] : PRESENCE[state]);
    return p;
  };
  const fmtTime = (at) => new Date(at || Date.now()).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const newId = () => {
    const b = new Uint8Array(9);
    crypto.getRandomValues(b);
    return 'a' + Date.now().toString(36) + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  };
  const reasonText = (r) => {
    if (!r) return 'unknown';
    if (r === 'requested') return 'the customer asked for a person';
    if (r.startsWith('requested: ')) return 'the customer asked for a person: “' + r.slice(11) + '”';
    if (r.startsWith('intent:')) return 'the intent ' + r.slice(7) + ' always goes to a person';
    if (r === 'fallback') return 'the bot did not understand';
    return r;
  };

  // ------------------------------------------------------------------ connection
  const send = (frame) => {
    if (ws && ws.readyState === 1) { ws.send(JSON.stringify(frame)); return true; }
    return false;
  };

  const setConn = (text, cls) => {
    const pill = $('conn');
    if (pill.textContent !== text) pill.textContent = text;
    const c = 'pill ' + (cls || '');
    if (pill.className !== c) pill.className = c;
  };

  const connect = () => {
    clearTimeout(retryTimer);
    if (!token) return;
    const sock = new WebSocket(WS_URL);
    ws = sock;
    ready = false;
    setConn('Connecting…', 'wait');
    sock.onopen = () => { if (sock === ws) sock.send(JSON.stringify({ type: 'auth', token })); };
    sock.onmessage = (m) => {
      if (sock !== ws) return;
      let f;
      try { f = JSON.parse(m.data); } catch (_) { return; }
      onFrame(f);
    };
    sock.onclose = (c) => {
      if (sock !== ws) return;
      ws = null;
      ready = false;
      markUnconfirmed();
      renderAll();
      if (!me) {
        // Never signed in from this page: a refused token (already said), or no gateway.
        if (token && signingIn) showSigninError('Cannot reach the gateway. Is it running?');
        return;
      }
      if (c.code === 4001) { setConn('Signed in elsewhere', 'off'); return; }
      attempt += 1;
      const delay = Math.min(15000, 500 * 2 ** Math.min(attempt - 1, 5)) * (0.6 + Math.random() * 0.4);
      setConn('Reconnecting…', 'wait');
      retryTimer = setTimeout(connect, delay);
    };
  };

  const onFrame = (f) => {
    switch (f.type) {
      case 'welcome': return onWelcome(f);
      case 'queue': return onQueue(f);
      case 'assigned': return onAssigned(f);
      case 'message': return onMessage(f);
      case 'ack': return onAck(f);
      case 'typing': return onTyping(f);
      case 'released': return onReleased(f);
      case 'note': return onNote(f);
      case 'presence': return onPresence(f);
      case 'coverage': return onCoverage(f);
      case 'error': return onError(f);
      default: return undefined;
    }
  };

  const onWelcome = (f) => {
    me = f.agent;
    attempt = 0;
    signingIn = false;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('signin').hidden = true;
    $('app').hidden = false;
    $('me').textContent = me.name;
    if (prefs.online && prefs.languages.length) goReady();
    renderAll();
    // Focus where the work starts: the queue when online, else the choice of languages.
    if (firstWelcome) {
      firstWelcome = false;
      const a = document.activeElement;
      if (!a || a === document.body || $('signin').contains(a)) (ready ? $('queue-title') : $('langs-summary')).focus();
    }
  };

  const goReady = () => {
    if (send({ type: 'ready', languages: prefs.languages, capacity: prefs.capacity })) ready = true;
    renderAll();
  };

  const onQueue = (f) => {
    const now = Date.now();
    queue = (f.waiting || []).map((w) => Object.assign({}, w, { since: now - w.waiting_s * 1000 }));
    const ids = new Set(queue.map((w) => w.conversation));
    // The first queue since sign-in is what was already waiting; after it, an id not seen in the
    // previous frame is a conversation that just started waiting.
    const fresh = known ? queue.filter((w) => !known.has(w.conversation)) : [];
    known = ids;
    for (const id of Array.from(unseen)) if (!ids.has(id)) unseen.delete(id);
    renderQueue();
    if (fresh.length) onNewWaiting(fresh);
    renderTitle();
  };

  // ------------------------------------------------------------------ notifications
  let audio = null;
  const beep = () => {
    try {
      const AC = window.AudioContext || window.webkitAudioContext;
      if (!AC) return;
      audio = audio || new AC();
      if (audio.state === 'suspended') audio.resume().catch(() => {});
      const t = audio.currentTime;
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = 'sine';
      osc.frequency.setValueAtTime(880, t);
      osc.frequency.setValueAtTime(660, t + 0.12);
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.28);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(t);
      osc.stop(t + 0.3);
    } catch (_) { /* no sound, not an error */ }
  };

  const desktopAllowed = () => 'Notification' in window && window.Notification.permission === 'granted';

  const onNewWaiting = (fresh) => {
    const names = Array.from(new Set(fresh.map((w) => langOnly(w.locale))));
    // Told to screen readers once, whatever the switches: what is new, not the whole queue.
    const say = fresh.length === 1 ? 'New conversation waiting in ' + names[0] : fresh.length + ' new conversations waiting: ' + names.join(', ');
    announce(say + '.');
    for (const w of fresh) unseen.add(w.conversation);
    if (notify.sound) beep();
    if (notify.desktop && desktopAllowed() && (document.hidden || !document.hasFocus())) {
      try {
        const w = fresh[0];
        const n = new window.Notification(fresh.length === 1 ? 'Waiting in ' + langName(w.locale) : say, {
          body: w.preview || '', tag: 'switchboard-queue', lang: w.locale,
        });
        n.onclick = () => { window.focus(); $('queue-title').focus(); if (n.close) n.close(); };
      } catch (_) { /* some browsers only notify from a service worker */ }
    }
  };

  const announce = (text) => {
    const a = $('announce');
    // The same words twice in a row are announced again.
    a.textContent = a.textContent === text ? text + '\u00a0' : text;
  };

  // The agent is looking: a click or a key in the page, or the window coming to the front.
  const seen = () => {
    if (document.hidden || !unseen.size) return;
    unseen.clear();
    renderTitle();
  };

  const onAssigned = (f) => {
    let c = convs.get(f.conversation);
    const fresh = !c;
    if (!c) {
      c = { id: f.conversation, messages: [], notes: [], pendingNotes: [], canned: [], unread: 0, typing: false, pending: [], released: null, last: Date.now() };
      convs.set(f.conversation, c);
    }
    c.locale = f.locale;
    c.context = f.context || {};
    c.released = null;
    c.presence = f.presence || null;
    c.canned = Array.isArray(f.canned) ? f.canned : [];
    const when = (n) => String(n.at || '');
    c.notes = Array.isArray(f.notes) ? f.notes.slice().sort((a, b) => (when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : 0)) : [];
    // Notes sent before a reconnect: in the record, they are saved; else they are sent again.
    c.pendingNotes = c.pendingNotes.filter((p) => !c.notes.some((n) => n.kind === 'note' && n.text === p.text && n.author && me && n.author.name === me.name));
    for (const p of c.pendingNotes) send({ type: 'note', conversation: c.id, text: p.text, id: p.id });
    // The transcript is the gateway's record: it replaces what we had.
    c.messages = (f.transcript || []).slice().sort((a, b) => a.seq - b.seq);
    // Replies sent before a reconnect but never acknowledged: delivered if the record has them.
    for (const p of c.pending) {
      if (p.seq == null) {
        const hit = c.messages.find((m) => m.from === 'agent' && m.text === p.text && !c.pending.some((q) => q !== p && q.seq === m.seq));
        if (hit) { p.seq = hit.seq; p.failed = false; }
      }
    }
    c.pending = c.pending.filter((p) => p.seq == null);
    // Open it when the agent just took it (or has nothing open); else mark it new.
    if (openNext || !current() || current().released) select(c.id);
    else if (fresh) c.unread = Math.max(c.unread, 1);
    openNext = false;
    renderAll();
  };

  const onMessage = (f) => {
    const c = convs.get(f.conversation);
    if (!c || c.messages.some((m) => m.seq === f.seq)) return;
    c.messages.push({ seq: f.seq, from: f.from, text: f.text, locale: f.locale, at: f.at || new Date().toISOString() });
    c.messages.sort((a, b) => a.seq - b.seq);
    c.typing = false;
    c.last = Date.now();
    if (selected !== c.id || document.hidden) c.unread += 1;
    renderConvs();
    if (selected === c.id) { renderTranscript(); renderSub(c); }
    renderTitle();
  };

  const onAck = (f) => {
    const c = convs.get(f.conversation);
    if (!c) return;
    const p = c.pending.find((x) => x.id === f.id);
    if (!p) return;
    c.pending = c.pending.filter((x) => x !== p);
    if (!c.messages.some((m) => m.seq === f.seq)) {
      c.messages.push({ seq: f.seq, from: 'agent', text: p.text, at: p.at, agent: { name: me && me.name } });
      c.messages.sort((a, b) => a.seq - b.seq);
    }
    c.last = Date.now();
    renderConvs();
    if (selected === c.id) { renderTranscript(); renderSub(c); }
  };

  const onNote = (f) => {
    const c = convs.get(f.conversation);
    if (!c || !f.note) return;
    c.notes.push(f.note);
    if (f.id) c.pendingNotes = c.pendingNotes.filter((p) => p.id !== f.id);
    if (selected === c.id) { renderTranscript(); renderHandover(c); }
    else if (!f.id) { c.unread += 1; renderConvs(); renderTitle(); }
  };

  const onPresence = (f) => {
    const c = convs.get(f.conversation);
    if (!c) return;
    c.presence = f.state;
    renderConvs();
    if (selected === c.id) renderSub(c);
  };

  const onTyping = (f) => {
    const c = convs.get(f.conversation);
    if (!c) return;
    c.typing = !!f.on;
    clearTimeout(c.typingTimer);
    if (c.typing) c.typingTimer = setTimeout(() => { c.typing = false; renderConvs(); renderView(); }, 15000);
    renderConvs();
    if (selected === c.id) renderView();
  };

  const onReleased = (f) => {
    const c = convs.get(f.conversation);
    if (!c) return;
    c.released = f.reason;
    c.typing = false;
    renderAll();
  };

  const onError = (f) => {
    if (!me && f.code === 'unauthorized') {
      showSigninError('That token was not accepted.');
      token = '';
      sessionStorage.removeItem(TOKEN_KEY);
      return;
    }
    toast(f.message || f.code);
  };

  const markUnconfirmed = () => {
    for (const c of convs.values()) for (const p of c.pending) if (p.seq == null) p.failed = true;
  };

  // ------------------------------------------------------------------ rendering
  const renderTitle = () => {
    let n = 0;
    for (const c of convs.values()) n += c.unread;
    const waiting = notify.title ? queue.filter((w) => unseen.has(w.conversation)).length : 0;
    const t = (n ? '(' + n + ') ' : '') + (waiting ? '(' + waiting + ' waiting) ' : '') + 'switchboard · agent console';
    if (document.title !== t) document.title = t;
  };

  // Lists are rebuilt: the button that had the focus gets it back in its new element.
  const keepFocus = (box, build) => {
    const a = document.activeElement;
    const key = a && box.contains(a) ? a.dataset.focus : null;
    build();
    if (key) {
      const again = box.querySelector('[data-focus="' + CSS.escape(key) + '"]');
      if (again) again.focus();
    }
  };

  const active = () => Array.from(convs.values()).filter((c) => !c.released).length;

  const renderTop = () => {
    const online = ws && me;
    if (online) setConn(ready ? 'Online' : 'Signed in · not taking chats', ready ? 'on' : 'idle');
    const box = $('languages');
    if (box.querySelectorAll('input').length !== locales.length) {
      box.replaceChildren(el('legend', 'sr', 'Languages you answer in'));
      for (const l of locales) {
        const lab = el('label', 'opt');
        const cb = el('input');
        cb.type = 'checkbox';
        cb.value = l.locale;
        cb.checked = prefs.languages.includes(l.locale);
        cb.addEventListener('change', renderLangSummary);
        const name = el('span', '', l.name);
        name.lang = l.locale;
        lab.append(cb, name, el('span', 'tag', l.locale));
        box.appendChild(lab);
      }
    }
    renderLangSummary();
    $('capacity').value = prefs.capacity;
    $('ready-button').textContent = ready ? 'Update' : 'Go online';
    $('load').textContent = ready ? active() + ' / ' + prefs.capacity : '';
  };

  const renderLangSummary = () => {
    const chosen = Array.from(document.querySelectorAll('#languages input:checked')).map((i) => i.value);
    $('langs-summary').textContent = 'Languages: ' + (chosen.length ? chosen.map((t) => (locales.find((l) => l.locale === t) || { name: t }).name).join(', ') : 'none');
  };

  const renderQueue = () => keepFocus($('queue'), buildQueue);
  const buildQueue = () => {
    const list = $('queue');
    list.replaceChildren();
    const byLocale = new Map();
    for (const w of queue) {
      if (!byLocale.has(w.locale)) byLocale.set(w.locale, []);
      byLocale.get(w.locale).push(w);
    }
    const full = active() >= prefs.capacity;
    for (const [locale, items] of byLocale) {
      const group = el('section', 'qgroup');
      group.appendChild(el('h3', '', langName(locale) + ' · ' + items.length + ' waiting'));
      for (const w of items) {
        const item = el('div', 'qitem');
        item.dataset.conversation = w.conversation;
        const text = el('p', 'preview', w.preview || '—');
        text.dir = 'auto';
        text.lang = w.locale;
        const meta = el('div', 'qmeta');
        const wait = el('span', 'wait');
        wait.id = 'wait-' + w.conversation;
        wait.dataset.since = w.since;
        wait.textContent = 'waiting ' + fmtWait((Date.now() - w.since) / 1000);
        const take = el('button', 'small', 'Take');
        take.type = 'button';
        take.disabled = !ready || full;
        take.dataset.focus = 'take ' + w.conversation;
        // The name says which conversation; the description is the live waiting time (read
        // when the button is focused, so it is never the time the queue was last drawn).
        take.setAttribute('aria-label', 'Take the conversation'
          + (w.presence && PRESENCE[w.presence] ? ' (' + PRESENCE[w.presence].toLowerCase() + ')' : '') + ': ' + (w.preview || ''));
        take.setAttribute('aria-describedby', wait.id);
        take.addEventListener('click', () => { openNext = send({ type: 'claim', conversation: w.conversation }); });
        if (w.presence && PRESENCE[w.presence]) {
          item.classList.toggle('gone', w.presence === 'left');
          meta.append(presenceEl(w.presence, true));
        }
        meta.append(wait, take);
        item.append(text, meta);
        group.appendChild(item);
      }
      list.appendChild(group);
    }
    $('queue-empty').hidden = queue.length > 0;
    $('queue-empty').textContent = ready ? 'Nobody is waiting in your languages.' : 'Choose your languages and go online to see the queue.';
    $('take-next').disabled = !ready || !queue.length || full;
  };

  const tickWaits = () => {
    for (const w of document.querySelectorAll('.qitem .wait')) w.textContent = 'waiting ' + fmtWait((Date.now() - Number(w.dataset.since)) / 1000);
  };

  const lastText = (c) => {
    const m = c.messages[c.messages.length - 1];
    return m ? m.text : '';
  };

  const renderConvs = () => keepFocus($('convs'), buildConvs);
  const buildConvs = () => {
    const ul = $('convs');
    ul.replaceChildren();
    const list = Array.from(convs.values()).sort((a, b) => (a.released ? 1 : 0) - (b.released ? 1 : 0) || b.last - a.last);
    for (const c of list) {
      const li = el('li');
      const b = el('button', 'conv-item' + (c.id === selected ? ' sel' : '') + (c.released ? ' done' : ''));
      b.type = 'button';
      if (c.id === selected) b.setAttribute('aria-current', 'true');
      b.dataset.conversation = c.id;
      b.dataset.focus = 'conv ' + c.id;
      const top = el('div', 'ci-top');
      top.append(el('span', 'tag', c.locale), el('span', 'ci-id', '#' + c.id.slice(0, 8)));
      if (c.presence && PRESENCE[c.presence] && !c.released) top.append(presenceEl(c.presence, true));
      if (c.unread) {
        const u = el('span', 'unread', String(c.unread));
        u.setAttribute('aria-label', c.unread + ' unread');
        top.appendChild(u);
      }
      const prev = el('div', 'ci-prev', c.typing ? 'typing…' : c.released ? releasedText(c.released) : lastText(c));
      prev.dir = 'auto';
      b.append(top, prev);
      b.addEventListener('click', () => select(c.id));
      li.appendChild(b);
      ul.appendChild(li);
    }
    $('mine-empty').hidden = convs.size > 0;
    renderTop();
  };

  const releasedText = (r) => ({
    resolved: 'Resolved',
    transferred: 'Transferred',
    customer_closed: 'The customer ended the chat',
    customer_left: 'The customer left and did not come back',
    expired: 'The conversation expired',
    timeout: 'Timed out',
  }[r] || 'Released: ' + r);
  // How a release reads: the customer gone is a warning, a resolved one done, a transfer neutral.
  const releasedTone = (r) => (r === 'resolved' ? 'ok' : r === 'transferred' ? 'neutral' : 'warning');

  const renderContext = (c) => {
    const dl = $('context');
    dl.replaceChildren();
    const ctx = c.context || {};
    const row = (k, v) => { dl.append(el('dt', '', k), el('dd', '', v)); };
    row('Handed off because', reasonText(ctx.reason));
    const langs = (ctx.languages || []).map((l) => langName(l.locale) + ' × ' + l.messages).join(', ');
    row('Detected languages', langs || langName(c.locale));
    const intents = (ctx.intents || []).map((i) => (i.intent || 'not understood') + ' ' + Math.round((i.confidence || 0) * 100) + '%').join(' → ');
    row('Intents', intents || '—');
  };

  const msgEl = (m, pending) => {
    const who = m.from === 'customer' ? 'Customer' : m.from === 'bot' ? 'Bot' : m.from === 'agent' ? (m.agent && m.agent.name) || (me && me.name) || 'Agent' : 'System';
    const row = el('div', 'msg ' + m.from + (pending ? ' pending' : '') + (pending && pending.failed ? ' failed' : ''));
    if (m.seq != null) row.dataset.seq = m.seq;
    const head = el('div', 'mhead');
    head.appendChild(el('span', 'who', who));
    head.appendChild(el('time', '', fmtTime(m.at)));
    if (m.from === 'customer' && m.locale) head.appendChild(el('span', 'tag', m.locale));
    if (m.from === 'bot' && m.intent !== undefined) head.appendChild(el('span', 'tag', (m.intent || 'fallback') + ' ' + Math.round((m.confidence || 0) * 100) + '%'));
    const body = el('div', 'text', m.text);
    body.dir = 'auto';
    if (m.locale) body.lang = m.locale;
    row.append(head, body);
    if (pending) {
      const st = el('div', 'pstate', pending.failed ? 'Not confirmed — the connection dropped.' : 'Sending…');
      if (pending.failed) {
        const retry = el('button', 'small ghost', 'Send again');
        retry.type = 'button';
        retry.addEventListener('click', () => { pending.failed = false; pending.id = newId(); sendReply(current(), pending); });
        st.appendChild(retry);
      }
      row.appendChild(st);
    }
    return row;
  };
  const noteEl = (n, pending) => {
    const transfer = n.kind === 'transfer';
    const row = el('div', 'msg note' + (transfer ? ' transfer' : '') + (pending ? ' pending' : ''));
    row.setAttribute('role', 'note');
    const head = el('div', 'mhead');
    head.appendChild(el('span', 'nlabel', transfer ? 'Transfer note' : 'Private note'));
    head.appendChild(el('span', 'who', (n.author && n.author.name) || 'Agent'));
    if (transfer && n.from_locale) head.appendChild(el('span', '', 'from ' + langName(n.from_locale)));
    head.appendChild(el('time', '', fmtTime(n.at)));
    head.appendChild(el('span', 'nonly', pending ? 'Saving…' : 'only agents see this'));
    const body = el('div', 'text', n.text);
    body.dir = 'auto';
    row.append(head, body);
    return row;
  };
  const current = () => convs.get(selected);

  // The transcript keeps the rows it has (a screen reader's place, a selection): rows are keyed,
  // and only new ones are made; a different conversation starts afresh.
  const renderTranscript = () => {
    const conv = current();
    const box = $('transcript');
    if (!conv) { box.replaceChildren(); delete box.dataset.conv; return; }
    if (box.dataset.conv !== conv.id) box.replaceChildren();
    const want = [];
    // Notes go where they were written among the messages (by time), never mixed into them.
    const notes = conv.notes || [];
    let ni = 0;
    const notesUntil = (at) => {
      while (ni < notes.length && (at == null || (notes[ni].at || '') < at)) {
        const n = notes[ni];
        want.push(['n' + ni, () => noteEl(n)]);
        ni += 1;
      }
    };
    for (const m of conv.messages) {
      notesUntil(m.at || '');
      want.push(['s' + m.seq, () => msgEl(m)]);
    }
    notesUntil(null);
    for (const p of conv.pending) want.push(['p' + p.id + (p.failed ? 'f' : ''), () => msgEl({ from: 'agent', text: p.text, at: p.at }, p)]);
    for (const p of conv.pendingNotes || []) want.push(['q' + p.id, () => noteEl({ kind: 'note', author: { name: me && me.name }, text: p.text, at: p.at }, true)]);
    const have = new Map();
    for (const n of box.children) have.set(n.dataset.key, n);
    let at = box.firstElementChild;
    for (const [key, make] of want) {
      let node = have.get(key);
      if (node) have.delete(key);
      else { node = make(); node.dataset.key = key; }
      if (node !== at) box.insertBefore(node, at);
      else at = at.nextElementSibling;
    }
    for (const n of have.values()) n.remove();
    // Follow new messages unless the agent scrolled up to read; a newly opened one starts at its end.
    if (stick || box.dataset.conv !== conv.id) { box.scrollTop = box.scrollHeight; stick = true; }
    box.dataset.conv = conv.id;
  };

  const renderView = () => {
    const conv = current();
    $('placeholder').hidden = !!conv;
    $('conv').hidden = !conv;
    if (!conv) return;
    $('conv-title').textContent = 'Conversation #' + conv.id.slice(0, 8);
    renderSub(conv);
    renderContext(conv);
    renderHandover(conv);
    const done = !!conv.released;
    $('cust-typing').hidden = !conv.typing || done;
    $('released').hidden = !done;
    const said = done ? releasedText(conv.released) + '.' : '';
    if ($('released').textContent !== said) $('released').textContent = said;
    $('released').dataset.tone = done ? releasedTone(conv.released) : '';
    for (const id of ['transfer', 'resolve']) $(id).hidden = done;
    if (done) for (const d of ['transfer-dialog', 'resolve-dialog']) if ($(d).open) $(d).close();
    $('dismiss').hidden = !done;
    $('reply').hidden = done;
    $('send').disabled = !ws || !me;
  };

  const renderSub = (conv) => {
    $('conv-meta').textContent = langName(conv.locale) + ' · ' + conv.messages.length + (conv.messages.length === 1 ? ' message' : ' messages');
    const p = $('conv-presence');
    const known = !conv.released && conv.presence && PRESENCE[conv.presence];
    p.hidden = !known;
    if (known) {
      p.className = 'presence ' + conv.presence;
      p.textContent = PRESENCE[conv.presence];
    }
  };

  // The latest transfer note is what the agent reads first: who sent it, from which language, why.
  const renderHandover = (conv) => {
    const t = (conv.notes || []).filter((n) => n.kind === 'transfer').at(-1);
    $('handover').hidden = !t;
    if (!t) return;
    const who = (t.author && t.author.name) || 'An agent';
    $('handover-title').textContent = 'Transferred by ' + who + (t.from_locale ? ' from ' + langName(t.from_locale) : '') + (t.at ? ' · ' + fmtTime(t.at) : '');
    $('handover-text').textContent = t.text || '(no note)';
  };

  const renderAll = () => {
    renderTop();
    renderQueue();
    renderConvs();
    renderView();
    renderTranscript();
    renderTitle();
  };

  const select = (id) => {
    if (selected && selected !== id) { stopTyping(); closeCanned(); $('canned-warning').hidden = true; }
    selected = id;
    const conv = current();
    if (conv) conv.unread = 0;
    renderConvs();
    renderView();
    renderTranscript();
    renderTitle();
  };

  let toastTimer = 0;
  const toast = (text) => {
    let t = document.querySelector('.toast');
    if (!t) {
      t = el('div', 'toast');
      t.setAttribute('role', 'alert');
      document.body.appendChild(t);
    }
    t.textContent = text;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, 5000);
  };

  const showSigninError = (text) => {
    signingIn = false;
    $('signin').hidden = false;
    $('app').hidden = true;
    $('signin-error').textContent = text;
    $('signin-error').hidden = false;
    $('signin-button').disabled = false;
  };

  // ------------------------------------------------------------------ actions
  const sendReply = (conv, p) => {
    if (!conv) return;
    if (!conv.pending.includes(p)) conv.pending.push(p);
    stopTyping();
    if (!send({ type: 'message', conversation: conv.id, id: p.id, text: p.text })) p.failed = true;
    renderTranscript();
  };

  const stopTyping = () => {
    clearTimeout(typingTimer);
    if (typingOn && selected) send({ type: 'typing', conversation: selected, on: false });
    typingOn = false;
  };

  $('signin-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    token = $('token').value.trim();
    if (!token) return;
    $('signin-error').hidden = true;
    $('signin-button').disabled = true;
    signingIn = true;
    me = null;
    connect();
  });

  $('signout').addEventListener('click', () => {
    token = '';
    me = null;
    sessionStorage.removeItem(TOKEN_KEY);
    const s = ws;
    ws = null;
    if (s) s.close(1000, 'signed out');
    convs.clear();
    queue = [];
    known = null;
    unseen.clear();
    firstWelcome = true;
    selected = null;
    $('token').value = '';
    $('signin-button').disabled = false;
    $('signin').hidden = false;
    $('app').hidden = true;
    renderAll();
  });

  $('ready-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const langs = Array.from(document.querySelectorAll('#languages input:checked')).map((i) => i.value);
    if (!langs.length) { toast('Choose at least one language.'); return; }
    prefs = { languages: langs, capacity: Math.max(1, Math.min(20, Number($('capacity').value) || 1)), online: true };
    localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
    $('langs-menu').open = false;
    askDesktop();
    goReady();
  });

  $('transcript').addEventListener('scroll', () => {
    const box = $('transcript');
    stick = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  }, { passive: true });
  const menus = ['langs-menu', 'notify-menu'];
  document.addEventListener('click', (ev) => {
    for (const id of menus) {
      const menu = $(id);
      if (menu.open && !menu.contains(ev.target)) menu.open = false;
    }
  });
  for (const id of menus) {
    $(id).addEventListener('keydown', (ev) => {
      if (ev.key !== 'Escape' || !$(id).open) return;
      ev.preventDefault();
      $(id).open = false;
      $(id).querySelector('summary').focus();
    });
  }

  // Notification switches, remembered in this browser.
  const renderNotify = () => {
    $('notify-title').checked = !!notify.title;
    $('notify-sound').checked = !!notify.sound;
    $('notify-desktop').checked = !!notify.desktop;
    const hint = $('notify-permission');
    const perm = 'Notification' in window ? window.Notification.permission : 'unsupported';
    hint.hidden = !notify.desktop || perm === 'granted';
    hint.textContent = perm === 'denied' ? 'This browser blocks notifications for this site.'
      : perm === 'unsupported' ? 'This browser has no desktop notifications.'
        : 'Not allowed yet in this browser.';
    $('notify-allow').hidden = !notify.desktop || perm !== 'default';
    const on = ['title', 'sound', 'desktop'].filter((k) => notify[k]);
    $('notify-summary').textContent = 'Notifications: ' + (on.length ? on.length + ' of 3 on' : 'off');
  };
  const askDesktop = () => {
    if (notify.desktop && 'Notification' in window && window.Notification.permission === 'default') {
      try { Promise.resolve(window.Notification.requestPermission()).then(renderNotify, renderNotify); } catch (_) { /* old API */ }
    }
  };
  for (const k of ['title', 'sound', 'desktop']) {
    $('notify-' + k).addEventListener('change', (ev) => {
      notify[k] = ev.target.checked;
      localStorage.setItem(NOTIFY_KEY, JSON.stringify(notify));
      if (k === 'desktop') askDesktop();
      if (k === 'sound' && notify.sound) beep();
      renderNotify();
      renderTitle();
    });
  }
  $('notify-allow').addEventListener('click', askDesktop);
  document.addEventListener('pointerdown', seen, true);
  document.addEventListener('keydown', seen, true);
  window.addEventListener('focus', seen);
  document.addEventListener('visibilitychange', seen);
  $('take-next').addEventListener('click', () => { openNext = send({ type: 'next' }); });

  // Reply (to the customer) or Note (private, for agents): the box says which, in words and colour.
  const mode = () => (document.querySelector('#reply input[name=mode]:checked') || { value: 'reply' }).value;
  const renderMode = () => {
    const note = mode() === 'note';
    $('reply').classList.toggle('noting', note);
    $('reply-label').textContent = note ? 'Private note (only agents see it)' : 'Reply to the customer';
    $('reply-text').placeholder = note
      ? 'Private note: only agents see it. Enter saves it.'
      : 'Write a reply… (/ for canned replies; Enter sends, Shift+Enter for a new line)';
    $('send').textContent = note ? 'Add note' : 'Send';
    if (note) stopTyping();
  };
  for (const r of document.querySelectorAll('#reply input[name=mode]')) r.addEventListener('change', () => { renderMode(); $('reply-text').focus(); });

  $('reply').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const box = $('reply-text');
    const text = box.value.trim();
    const conv = current();
    if (!text || !conv) return;
    if (mode() === 'note') {
      const p = { id: newId(), text, at: new Date().toISOString() };
      conv.pendingNotes.push(p);
      if (!send({ type: 'note', conversation: conv.id, text, id: p.id })) {
        conv.pendingNotes = conv.pendingNotes.filter((x) => x !== p);
        toast('Not connected: the note was not saved.');
        return;
      }
      renderTranscript();
    } else {
      sendReply(conv, { id: newId(), text, at: new Date().toISOString(), seq: null, failed: false });
    }
    box.value = '';
    closeCanned();
    $('canned-warning').hidden = true;
  });
  $('reply-text').addEventListener('keydown', (ev) => {
    if (canned.open && onCannedKey(ev)) return;
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
      ev.preventDefault();
      $('reply').requestSubmit();
    }
  });
  $('reply-text').addEventListener('input', () => {
    updateCanned();
    if (!$('reply-text').value) $('canned-warning').hidden = true;
    if (!selected || mode() === 'note') return;
    if (!typingOn) { typingOn = true; send({ type: 'typing', conversation: selected, on: true }); }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, 3000);
  });
  $('reply-text').addEventListener('blur', () => closeCanned());

  // Canned replies: "/" at the start of the box opens a list (a combobox's listbox) filtered by
  // what follows; Enter, Tab or a click puts the text, in the conversation's locale, in the box.
  const canned = { open: false, items: [], index: 0 };
  const cannedName = (c) => String(c.name || '').replace(/^canned-/, '');
  const updateCanned = () => {
    const conv = current();
    const m = /^\/(\S*)$/.exec($('reply-text').value);
    if (!conv || !m || !(conv.canned || []).length) { closeCanned(); return; }
    const q = m[1].toLowerCase();
    const all = conv.canned;
    let items = all.filter((c) => cannedName(c).toLowerCase().startsWith(q));
    if (!items.length) items = all.filter((c) => cannedName(c).toLowerCase().includes(q));
    canned.items = items;
    canned.index = 0;
    canned.open = true;
    renderCanned();
  };
  const closeCanned = () => {
    if (!canned.open && $('canned-list').hidden) return;
    canned.open = false;
    canned.items = [];
    renderCanned();
  };
  const renderCanned = () => {
    const list = $('canned-list');
    const box = $('reply-text');
    const conv = current();
    list.replaceChildren();
    list.hidden = !canned.open;
    box.setAttribute('aria-expanded', String(canned.open && canned.items.length > 0));
    box.removeAttribute('aria-activedescendant');
    if (!canned.open) return;
    if (!canned.items.length) {
      const none = el('li', 'cnone', 'No canned reply by that name.');
      none.setAttribute('role', 'presentation');
      list.appendChild(none);
      return;
    }
    canned.items.forEach((c, i) => {
      const li = el('li', 'copt' + (i === canned.index ? ' active' : ''));
      li.id = 'canned-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === canned.index));
      const head = el('span', 'cname', '/' + cannedName(c));
      li.appendChild(head);
      if (conv && c.locale && c.locale !== conv.locale) {
        const w = el('span', 'cwarn', '⚠ ' + langOnly(c.locale));
        w.title = 'Written in ' + langName(c.locale) + ', not in ' + langName(conv.locale);
        li.appendChild(w);
        li.appendChild(el('span', 'sr', '(in ' + langOnly(c.locale) + ', not the conversation’s language)'));
      }
      const text = el('span', 'ctext', c.text);
      text.dir = 'auto';
      if (c.locale) text.lang = c.locale;
      li.appendChild(text);
      li.addEventListener('mousedown', (ev) => ev.preventDefault()); // the box keeps the focus
      li.addEventListener('click', () => insertCanned(i));
      list.appendChild(li);
    });
    box.setAttribute('aria-activedescendant', 'canned-' + canned.index);
    const act = list.children[canned.index];
    if (act && act.scrollIntoView) act.scrollIntoView({ block: 'nearest' });
  };
  const insertCanned = (i) => {
    const c = canned.items[i];
    const conv = current();
    if (!c) return;
    const box = $('reply-text');
    box.value = c.text;
    closeCanned();
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
    const warn = $('canned-warning');
    const other = conv && c.locale && c.locale !== conv.locale;
    warn.hidden = !other;
    warn.textContent = other ? '⚠ This reply is in ' + langName(c.locale) + ', not in ' + langName(conv.locale) + ': check it before sending.' : '';
  };
  const onCannedKey = (ev) => {
    const n = canned.items.length;
    if (ev.key === 'Escape') { ev.preventDefault(); ev.stopPropagation(); closeCanned(); return true; }
    if (!n) return false;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      canned.index = (canned.index + (ev.key === 'ArrowDown' ? 1 : n - 1)) % n;
      renderCanned();
      return true;
    }
    if ((ev.key === 'Enter' && !ev.isComposing && ev.keyCode !== 229) || (ev.key === 'Tab' && !ev.shiftKey)) {
      ev.preventDefault();
      insertCanned(canned.index);
      return true;
    }
    return false;
  };

  // Transfer and Resolve ask first, in the page (a modal dialog: Escape cancels, focus comes back).
  let dialogFor = null; // the conversation a dialog was opened for
  const openDialog = (id) => {
    if (!selected) return;
    dialogFor = selected;
    const short = '#' + selected.slice(0, 8);
    $('transfer-dialog-title').textContent = 'Transfer conversation ' + short;
    $('resolve-dialog-title').textContent = 'Resolve conversation ' + short + '?';
    $(id).showModal();
  };
  for (const [d, opener] of [['transfer-dialog', 'transfer'], ['resolve-dialog', 'resolve']]) {
    // `close` comes as a task of its own, possibly after the dialog was opened again: it leaves
    // `dialogFor` (set on every opening) alone.
    $(d).addEventListener('close', () => {
      if ($(d).open) return;
      if (!$(opener).hidden) $(opener).focus();
      else $('conv-title').focus();
    });
  }
  // The targets: other languages agents cover now (the gateway's `coverage`), and this one's queue.
  // `online` null: not known (yet), so every other language is offered.
  let coverageTimer = 0;
  let coverageWanted = false;
  const fillTransferTargets = (online) => {
    const conv = convs.get(dialogFor) || current();
    if (!conv) return;
    const sel = $('transfer-locale');
    const before = sel.value;
    const others = el('optgroup');
    others.label = 'Another language';
    for (const l of locales) {
      if (l.locale === conv.locale) continue;
      const n = online ? Number(online[l.locale]) || 0 : null;
      if (online && n <= 0) continue;
      const o = el('option', '', l.name + ' (' + l.locale + ')' + (n ? ' · ' + n + ' online' : ''));
      o.value = l.locale;
      others.appendChild(o);
    }
    const same = el('optgroup');
    same.label = 'Same language';
    const back = el('option', '', 'Back to the ' + langOnly(conv.locale) + ' queue');
    back.value = conv.locale;
    same.appendChild(back);
    sel.replaceChildren(...(others.children.length ? [others] : []), same);
    if (Array.from(sel.options).some((o) => o.value === before)) sel.value = before;
    $('coverage-status').textContent = online
      ? (others.children.length ? '' : 'No agent is online for another language right now: only the ' + langOnly(conv.locale) + ' queue can take it.')
      : online === undefined ? 'Could not check which languages have agents online.' : 'Checking which languages have agents online…';
  };
  const onCoverage = (f) => {
    if (!coverageWanted) return;
    coverageWanted = false;
    clearTimeout(coverageTimer);
    if ($('transfer-dialog').open) fillTransferTargets(f.online || {});
  };
  $('transfer').addEventListener('click', () => {
    if (!current()) return;
    dialogFor = selected;
    coverageWanted = send({ type: 'coverage' });
    fillTransferTargets(coverageWanted ? null : undefined);
    clearTimeout(coverageTimer);
    if (coverageWanted) coverageTimer = setTimeout(() => { if (coverageWanted && $('transfer-dialog').open) { coverageWanted = false; fillTransferTargets(undefined); } }, 4000);
    $('transfer-note').value = '';
    openDialog('transfer-dialog');
  });
  $('resolve').addEventListener('click', () => openDialog('resolve-dialog'));
  $('transfer-cancel').addEventListener('click', () => $('transfer-dialog').close());
  $('resolve-cancel').addEventListener('click', () => $('resolve-dialog').close());
  $('transfer-confirm').addEventListener('click', () => {
    const id = dialogFor;
    const locale = $('transfer-locale').value;
    if (!id || !locale) return;
    const frame = { type: 'transfer', conversation: id, locale };
    const note = $('transfer-note').value.trim();
    if (note) frame.note = note;
    send(frame);
    $('transfer-dialog').close();
  });
  $('resolve-confirm').addEventListener('click', () => {
    if (dialogFor) send({ type: 'resolve', conversation: dialogFor });
    $('resolve-dialog').close();
  });
  $('dismiss').addEventListener('click', () => {
    convs.delete(selected);
    selected = null;
    const next = Array.from(convs.values()).find((x) => !x.released) || convs.values().next().value;
    if (next) select(next.id);
    renderAll();
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && current()) { current().unread = 0; renderConvs(); renderTitle(); }
  });

  // ------------------------------------------------------------------ start
  fetch('/v1/widget/strings')
    .then((r) => r.json())
    .then((d) => { locales = d.locales || []; renderAll(); })
    .catch(() => toast('Could not load the list of languages.'));
  setInterval(tickWaits, 1000);
  renderNotify();
  if (token) { signingIn = true; connect(); }
})();
