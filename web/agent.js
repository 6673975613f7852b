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

  let ws = null;
  let token = sessionStorage.getItem(TOKEN_KEY) || '';
  let me = null;
  let ready = false; // `ready` sent on this connection
  let prefs = { languages: [], capacity: 3, online: false };
  try { prefs = Object.assign(prefs, JSON.parse(localStorage.getItem(PREFS_KEY)) || {}); } catch (_) { /* defaults */ }
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
    pill.textContent = text;
    pill.className = 'pill ' + (cls || '');
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
  };

  const goReady = () => {
    if (send({ type: 'ready', languages: prefs.languages, capacity: prefs.capacity })) ready = true;
    renderAll();
  };

  const onQueue = (f) => {
    const now = Date.now();
    queue = (f.waiting || []).map((w) => Object.assign({}, w, { since: now - w.waiting_s * 1000 }));
    renderQueue();
  };

  const onAssigned = (f) => {
    let c = convs.get(f.conversation);
    const fresh = !c;
    if (!c) {
      c = { id: f.conversation, messages: [], unread: 0, typing: false, pending: [], released: null, last: Date.now() };
      convs.set(f.conversation, c);
    }
    c.locale = f.locale;
    c.context = f.context || {};
    c.released = null;
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
    if (selected === c.id) renderTranscript();
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
    if (selected === c.id) renderTranscript();
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
    document.title = (n ? '(' + n + ') ' : '') + 'switchboard · agent console';
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

  const renderQueue = () => {
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
        wait.dataset.since = w.since;
        wait.textContent = 'waiting ' + fmtWait((Date.now() - w.since) / 1000);
        const take = el('button', 'small', 'Take');
        take.type = 'button';
        take.disabled = !ready || full;
        take.setAttribute('aria-label', 'Take the conversation waiting ' + fmtWait((Date.now() - w.since) / 1000) + ': ' + (w.preview || ''));
        take.addEventListener('click', () => { openNext = send({ type: 'claim', conversation: w.conversation }); });
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

  const renderConvs = () => {
    const ul = $('convs');
    ul.replaceChildren();
    const list = Array.from(convs.values()).sort((a, b) => (a.released ? 1 : 0) - (b.released ? 1 : 0) || b.last - a.last);
    for (const c of list) {
      const li = el('li');
      const b = el('button', 'conv-item' + (c.id === selected ? ' sel' : '') + (c.released ? ' done' : ''));
      b.type = 'button';
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-selected', String(c.id === selected));
      b.dataset.conversation = c.id;
      const top = el('div', 'ci-top');
      top.append(el('span', 'tag', c.locale), el('span', 'ci-id', '#' + c.id.slice(0, 8)));
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

  const releasedText = (r) => ({ resolved: 'Resolved', transferred: 'Transferred', customer_closed: 'The customer left', timeout: 'Timed out' }[r] || 'Released: ' + r);

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
  const current = () => convs.get(selected);

  const renderTranscript = () => {
    const conv = current();
    const box = $('transcript');
    box.replaceChildren();
    if (!conv) return;
    for (const m of conv.messages) box.appendChild(msgEl(m));
    for (const p of conv.pending) box.appendChild(msgEl({ from: 'agent', text: p.text, at: p.at }, p));
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
    $('conv-sub').textContent = langName(conv.locale) + ' · ' + conv.messages.length + ' messages';
    renderContext(conv);
    const sel = $('transfer-locale');
    if (sel.options.length !== locales.length) {
      sel.replaceChildren(...locales.map((l) => {
        const o = el('option', '', l.name + ' (' + l.locale + ')');
        o.value = l.locale;
        return o;
      }));
    }
    const done = !!conv.released;
    $('cust-typing').hidden = !conv.typing || done;
    $('released').hidden = !done;
    $('released').textContent = done ? releasedText(conv.released) + '.' : '';
    for (const id of ['transfer', 'resolve', 'transfer-locale']) $(id).hidden = done;
    $('dismiss').hidden = !done;
    $('reply').hidden = done;
    $('send').disabled = !ws || !me;
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
    if (selected && selected !== id) stopTyping();
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
    goReady();
  });

  $('transcript').addEventListener('scroll', () => {
    const box = $('transcript');
    stick = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  }, { passive: true });
  document.addEventListener('click', (ev) => {
    const menu = $('langs-menu');
    if (menu.open && !menu.contains(ev.target)) menu.open = false;
  });
  $('take-next').addEventListener('click', () => { openNext = send({ type: 'next' }); });

  $('reply').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const box = $('reply-text');
    const text = box.value.trim();
    if (!text || !current()) return;
    sendReply(current(), { id: newId(), text, at: new Date().toISOString(), seq: null, failed: false });
    box.value = '';
  });
  $('reply-text').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
      ev.preventDefault();
      $('reply').requestSubmit();
    }
  });
  $('reply-text').addEventListener('input', () => {
    if (!selected) return;
    if (!typingOn) { typingOn = true; send({ type: 'typing', conversation: selected, on: true }); }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, 3000);
  });

  $('resolve').addEventListener('click', () => { if (selected) send({ type: 'resolve', conversation: selected }); });
  $('transfer').addEventListener('click', () => {
    if (selected) send({ type: 'transfer', conversation: selected, locale: $('transfer-locale').value });
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
  if (token) { signingIn = true; connect(); }
})();
