/*! switchboard chat widget. Embed: <script src="https://YOUR-GATEWAY/widget.js" async></script>
 * Options (data-* attributes of that tag, or window.SwitchboardConfig): gateway, position
 * (right|left), color, textColor, locale (forced UI language), open, languagePicker. See docs/WIDGET.md. */
(() => {
  'use strict';
  if (window.Switchboard && window.Switchboard.version) return;

  const script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  const conf = Object.assign({}, window.SwitchboardConfig || {}, (script && script.dataset) || {});
  const flag = (v) => v === true || v === 'true' || v === '' || v === '1';
  const base = String(conf.gateway || (script && script.src ? new URL(script.src, location.href).origin : location.origin)).replace(/\/+$/, '');
  const WS_URL = base.replace(/^http/i, 'ws') + '/v1/chat';
  const KEY = 'switchboard:' + base;
  const MAX_EVENTS = 300;
  const MAX_TEXT = 2000;
  const HUMAN = 'human_agent'; // the payload that asks for a person
  const forced = conf.locale || '';
  const picker = conf.languagePicker === undefined || flag(conf.languagePicker);
  const left = conf.position === 'left';

  // ---------------------------------------------------------------- state (sessionStorage)
  let st = {};
  try { st = JSON.parse(sessionStorage.getItem(KEY)) || {}; } catch (_) { st = {}; }
  st.events = st.events || [];
  st.outbox = st.outbox || [];
  const save = () => {
    if (st.events.length > MAX_EVENTS) st.events = st.events.slice(-MAX_EVENTS);
    try { sessionStorage.setItem(KEY, JSON.stringify(st)); } catch (_) { /* private mode, quota */ }
  };
  const lastSeq = () => (st.events.length ? st.events[st.events.length - 1].seq : 0);
  const bySeq = (seq) => st.events.find((e) => e.seq === seq);

  let S = (st.strings && st.strings.strings) || {};
  let ui = st.strings || null; // {locale, dir, strings, locales, suggestions}
  let ws = null;
  let welcomed = false;
  let attempt = 0;
  let retryTimer = 0;
  let welcomeTimer = 0;
  let status = 'idle'; // idle | connecting | live | retry | offline | elsewhere | ended
  let everLive = false;
  let connectingSince = 0;
  let agentTyping = false;
  let agentTypingTimer = 0;
  let botWaiting = null; // client id awaiting a bot reply
  let botTimer = 0;
  let typingSent = false;
  let typingTimer = 0;
  let confirmEnd = false;
  const listeners = {};
  const emit = (name, detail) => (listeners[name] || []).forEach((fn) => { try { fn(detail); } catch (_) { /* the host's bug */ } });

  // ---------------------------------------------------------------- DOM helpers
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const svg = (d, size) => {
    const ns = 'http://www.w3.org/2000/svg';
    const s = document.createElementNS(ns, 'svg');
    s.setAttribute('viewBox', '0 0 24 24');
    s.setAttribute('width', size || 24);
    s.setAttribute('height', size || 24);
    s.setAttribute('aria-hidden', 'true');
    s.setAttribute('focusable', 'false');
    const p = document.createElementNS(ns, 'path');
    p.setAttribute('d', d);
    p.setAttribute('fill', 'currentColor');
    s.appendChild(p);
    return s;
  };
  const ICON_CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z';
  const ICON_DOWN = 'M7.4 8.6 12 13.2l4.6-4.6L18 10l-6 6-6-6z';
  const ICON_CLOSE = 'M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3z';
  const ICON_SEND = 'M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z';
  const ICON_GLOBE = 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm6.9 6h-2.9a15.7 15.7 0 0 0-1.4-3.6A8 8 0 0 1 18.9 8zM12 4a14 14 0 0 1 1.9 4h-3.8A14 14 0 0 1 12 4zM4.3 14a8.2 8.2 0 0 1 0-4h3.4a16.5 16.5 0 0 0 0 4zm.8 2h2.9a15.7 15.7 0 0 0 1.4 3.6A8 8 0 0 1 5.1 16zM8 8H5.1a8 8 0 0 1 4.3-3.6A15.7 15.7 0 0 0 8 8zm4 12a14 14 0 0 1-1.9-4h3.8A14 14 0 0 1 12 20zm2.3-6H9.7a14.7 14.7 0 0 1 0-4h4.6a14.7 14.7 0 0 1 0 4zm.3 5.6a15.7 15.7 0 0 0 1.4-3.6h2.9a8 8 0 0 1-4.3 3.6zm1.7-5.6a16.5 16.5 0 0 0 0-4h3.4a8.2 8.2 0 0 1 0 4z';

  // URLs and e-mail addresses become links; everything else stays text.
  const LINK = /(https?:\/\/[^\s<>"']+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)/g;
  const fillText = (node, raw) => {
    const text = String(raw == null ? '' : raw);
    let at = 0;
    text.replace(LINK, (m, _g, i) => {
      const url = m.replace(/[.,;:!?)»”’]+$/, '');
      if (i > at) node.appendChild(document.createTextNode(text.slice(at, i)));
      const a = el('a', '', url);
      a.href = url.includes('://') ? url : 'mailto:' + url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer nofollow';
      node.appendChild(a);
      at = i + url.length;
      return m;
    });
    if (at < text.length) node.appendChild(document.createTextNode(text.slice(at)));
  };

  const uiLocale = () => (ui && ui.locale) || 'en';
  const fmtTime = (at) => {
    const d = at ? new Date(at) : new Date();
    try { return new Intl.DateTimeFormat(uiLocale(), { hour: 'numeric', minute: '2-digit' }).format(d); } catch (_) { return d.toTimeString().slice(0, 5); }
  };
  const fmtMinutes = (s) => {
    const m = Math.max(1, Math.ceil(s / 60));
    try { return '~' + new Intl.NumberFormat(uiLocale(), { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(m); } catch (_) { return '~' + m + ' min'; }
  };
  const fmtNumber = (n) => { try { return new Intl.NumberFormat(uiLocale()).format(n); } catch (_) { return String(n); } };
  const initials = (name) => String(name || '?').trim().split(/\s+/).slice(0, 2).map((w) => Array.from(w)[0] || '').join('').toUpperCase() || '?';

  // ---------------------------------------------------------------- styles
  const STYLE = `
:host{all:initial!important;direction:ltr!important;unicode-bidi:isolate!important;position:fixed!important;z-index:2147483000!important;bottom:20px!important;${left ? 'left' : 'right'}:20px!important;display:block!important;width:auto!important;height:auto!important;margin:0!important;padding:0!important;border:0!important;transform:none!important;opacity:1!important;visibility:visible!important;filter:none!important}
*{box-sizing:border-box}
[hidden]{display:none!important}
.sb{--p:#4f46e5;--ink:#4f46e5;--on:#fff;--bg:#fff;--fg:#1f2330;--mut:#6b7185;--line:#e6e8ef;--them:#f1f3f8;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Sans Devanagari","Hiragino Sans","Noto Sans CJK JP","IPAGothic","WenQuanYi Zen Hei",Arial,sans-serif,"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji";color:var(--fg);text-align:start;letter-spacing:normal;word-spacing:normal;text-transform:none;font-style:normal;font-weight:400;-webkit-font-smoothing:antialiased}
button,select,textarea{font:inherit;color:inherit;letter-spacing:inherit}
button{cursor:pointer;background:none;border:0;margin:0;padding:0}
:focus-visible{outline:2px solid var(--ink);outline-offset:2px}
header :focus-visible{outline:2px solid #fff;outline-offset:0;box-shadow:0 0 0 4px #111827}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{position:relative;width:56px;height:56px;border-radius:50%;background:var(--p);color:var(--on);display:grid;place-items:center;box-shadow:0 6px 20px rgba(20,23,40,.28);transition:transform .15s ease}
.launcher:hover{transform:scale(1.06)}
.launcher:focus-visible{outline:3px solid var(--ink);outline-offset:3px}
.badge{position:absolute;top:-4px;${left ? 'left' : 'right'}:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#e5484d;color:#fff;font:700 12px/22px system-ui,sans-serif;text-align:center;box-shadow:0 0 0 2px #fff}
.badge[hidden]{display:none}
.panel{position:absolute;bottom:72px;${left ? 'left' : 'right'}:0;width:380px;height:min(640px,calc(100vh - 110px));display:flex;flex-direction:column;background:var(--bg);border-radius:16px;overflow:hidden;box-shadow:0 12px 48px rgba(20,23,40,.22),0 2px 8px rgba(20,23,40,.08);transform-origin:bottom ${left ? 'left' : 'right'};animation:pop .18s ease-out}
.panel[hidden]{display:none}
@keyframes pop{from{opacity:0;transform:translateY(8px) scale(.98)}to{opacity:1;transform:none}}
@media (max-width:480px){.panel{position:fixed;inset:0;width:100vw;height:100%;border-radius:0}.sb.open .launcher{display:none}}
header{background:var(--p);color:var(--on);padding:14px;padding-inline-start:18px;display:flex;align-items:center;gap:10px}
header .mark{width:38px;height:38px;border-radius:50%;background:rgba(255,255,255,.2);display:grid;place-items:center;font-weight:700;flex:none}
header .who{flex:1;min-width:0}
header h2{margin:0;font-size:16px;font-weight:650;line-height:1.25;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
header p{margin:2px 0 0;font-size:12.5px;line-height:1.3;opacity:.85;overflow:hidden;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical}
.hbtn{width:34px;height:34px;border-radius:8px;display:grid;place-items:center;color:var(--on);flex:none}
.hbtn:hover{background:rgba(255,255,255,.16)}
.lang{position:relative;display:flex;align-items:center;border-radius:8px;color:var(--on)}
.lang:hover{background:rgba(255,255,255,.16)}
.lang svg{position:absolute;inset-inline-start:8px;pointer-events:none}
.lang select{appearance:none;-webkit-appearance:none;background:transparent;border:0;color:inherit;padding-block:7px;padding-inline:28px 8px;max-width:112px;font-size:13px;cursor:pointer}
.lang select option{color:#1f2330;background:#fff}
.lang[hidden]{display:none}
.state{display:flex;gap:10px;align-items:center;padding:10px 16px;border-bottom:1px solid var(--line);background:#fafbfe;font-size:13px}
.state[hidden]{display:none}
.state .stat{flex:1}
.state .k{display:block;color:var(--mut);font-size:11.5px}
.state .v{display:block;font-weight:650;font-size:15px}
.state .av{width:34px;height:34px}
.net{padding:7px 16px;font-size:12.5px;background:#fff7e0;color:#6b4d00;border-bottom:1px solid #f3e3b3;display:flex;gap:8px;align-items:center}
.net[hidden]{display:none}
.net button{text-decoration:underline;font-weight:600}
.log{flex:1;overflow-y:auto;padding:16px 14px 8px;display:flex;flex-direction:column;gap:2px;overscroll-behavior:contain}
.intro{align-self:stretch;margin:2px 2px 14px;padding:14px 16px;border-radius:14px;background:var(--them);font-size:14.5px}
.row{display:flex;gap:8px;align-items:flex-end;max-width:100%;margin-top:8px}
.row.cont{margin-top:2px}
.row.me{justify-content:flex-end}
.av{width:28px;height:28px;border-radius:50%;background:var(--p);color:var(--on);display:grid;place-items:center;font-size:11.5px;font-weight:700;flex:none}
.row.agent .av{background:#0f766e;color:#fff}
.row.cont .av{visibility:hidden}
.body{display:flex;flex-direction:column;max-width:78%;min-width:0}
.me .body{align-items:flex-end}
.name{font-size:11.5px;color:var(--mut);margin:0 4px 2px}
.row.cont .name{display:none}
.bubble{padding:9px 13px;border-radius:16px;background:var(--them);white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:plaintext}
.them .bubble{border-end-start-radius:5px}
.me .bubble{background:var(--p);color:var(--on);border-end-end-radius:5px}
.bubble a{color:inherit;text-decoration:underline}
.meta{font-size:11px;color:var(--mut);margin:3px 6px 0}
.me.pending .bubble{background:var(--bg);color:var(--fg);outline:1.5px dashed var(--ink);outline-offset:-1.5px}
.sys{justify-content:center;margin:12px 0 6px}
.sys .body{max-width:88%}
.sys .note{padding:8px 12px;border-radius:10px;background:#f6f7fb;color:#474d60;font-size:12.5px;text-align:center;white-space:pre-wrap}
.sys .meta{text-align:center}
.err .note{background:#fdecec;color:#8b1a1a}
.quick{display:flex;flex-wrap:wrap;gap:6px;padding:4px 14px 8px;justify-content:flex-end}
.quick[hidden]{display:none}
.quick button{border:1.5px solid var(--p);color:var(--ink);background:var(--bg);border-radius:16px;padding:6px 12px;font-size:13px;font-weight:550}
.quick button:hover{background:var(--p);color:var(--on)}
.typing{display:flex;gap:8px;align-items:flex-end;padding:0 14px 6px}
.typing[hidden]{display:none}
.dots{display:inline-flex;gap:4px;padding:12px 14px;border-radius:16px;background:var(--them)}
.dots i{width:7px;height:7px;border-radius:50%;background:#9aa0b4;animation:blink 1.2s infinite}
.dots i:nth-child(2){animation-delay:.2s}.dots i:nth-child(3){animation-delay:.4s}
@keyframes blink{0%,80%,100%{opacity:.3;transform:translateY(0)}40%{opacity:1;transform:translateY(-2px)}}
form{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid var(--line)}
textarea{flex:1;resize:none;border:1px solid var(--line);border-radius:12px;padding:8px 12px;max-height:120px;min-height:40px;font-size:16px;line-height:1.4;background:#fff;color:var(--fg);outline:none;unicode-bidi:plaintext}
textarea:focus{border-color:var(--ink);box-shadow:0 0 0 3px color-mix(in srgb,var(--p) 18%,transparent)}
textarea:focus-visible{outline:none}
.send{width:40px;height:40px;border-radius:12px;background:var(--p);color:var(--on);display:grid;place-items:center;flex:none}
.send:disabled{opacity:.4;cursor:default}
[dir=rtl] .send svg{transform:scaleX(-1)}
.foot{display:flex;justify-content:center;gap:14px;padding:0 12px 10px;font-size:12px;color:var(--mut);flex-wrap:wrap}
.foot button{color:var(--mut);text-decoration:underline;text-underline-offset:2px}
.foot button:hover{color:var(--fg)}
.foot [hidden]{display:none}
.foot .ask{color:var(--fg);text-decoration:none}
.ended{padding:14px;border-top:1px solid var(--line);display:flex;justify-content:center}
.ended[hidden]{display:none}
.ended button{background:var(--p);color:var(--on);border-radius:10px;padding:9px 16px;font-weight:600}
:lang(ja) .bubble,:lang(ja) header p,:lang(ja) .intro{word-break:auto-phrase}
@media (prefers-reduced-motion:reduce){.panel,.dots i,.launcher{animation:none;transition:none}}
`;

  // ---------------------------------------------------------------- build the widget
  const host = document.createElement('switchboard-chat');
  const root = host.attachShadow({ mode: 'open' });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    root.adoptedStyleSheets = [sheet];
  } catch (_) {
    root.appendChild(el('style', '', STYLE));
  }
  const wrap = el('div', 'sb');
  root.appendChild(wrap);

  const panel = el('div', 'panel');
  panel.id = 'sb-panel';
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-labelledby', 'sb-title');

  const header = el('header');
  const mark = el('div', 'mark');
  mark.setAttribute('aria-hidden', 'true');
  const who = el('div', 'who');
  const title = el('h2');
  title.id = 'sb-title';
  const subtitle = el('p');
  who.append(title, subtitle);
  const lang = el('label', 'lang');
  const langLabel = el('span', 'sr');
  const select = el('select');
  lang.append(svg(ICON_GLOBE, 16), langLabel, select);
  lang.hidden = !picker;
  const closeBtn = el('button', 'hbtn');
  closeBtn.type = 'button';
  closeBtn.appendChild(svg(ICON_CLOSE, 20));
  header.append(mark, who, lang, closeBtn);

  const net = el('div', 'net');
  net.setAttribute('role', 'status');
  net.hidden = true;
  const netText = el('span');
  const netBtn = el('button');
  netBtn.type = 'button';
  netBtn.hidden = true;
  net.append(netText, netBtn);

  const stateBar = el('div', 'state');
  stateBar.hidden = true;

  const log = el('div', 'log');
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'polite');
  log.setAttribute('aria-relevant', 'additions');
  log.tabIndex = 0;
  const intro = el('div', 'intro');
  log.appendChild(intro);

  const quick = el('div', 'quick');
  quick.hidden = true;
  const typing = el('div', 'typing');
  typing.hidden = true;
  const typingAv = el('div', 'av');
  typingAv.setAttribute('aria-hidden', 'true');
  const dots = el('div', 'dots');
  dots.setAttribute('role', 'status');
  dots.append(el('i'), el('i'), el('i'));
  typing.append(typingAv, dots);

  const form = el('form');
  const input = el('textarea');
  input.rows = 1;
  input.maxLength = MAX_TEXT;
  input.setAttribute('enterkeyhint', 'send');
  const sendBtn = el('button', 'send');
  sendBtn.type = 'submit';
  sendBtn.disabled = true;
  sendBtn.appendChild(svg(ICON_SEND, 20));
  form.append(input, sendBtn);

  const foot = el('div', 'foot');
  const humanBtn = el('button');
  humanBtn.type = 'button';
  const endBtn = el('button');
  endBtn.type = 'button';
  const askText = el('span', 'ask');
  askText.hidden = true;
  const cancelBtn = el('button');
  cancelBtn.type = 'button';
  cancelBtn.hidden = true;
  foot.append(humanBtn, askText, endBtn, cancelBtn);

  const endedBar = el('div', 'ended');
  endedBar.hidden = true;
  const restartBtn = el('button');
  restartBtn.type = 'button';
  endedBar.appendChild(restartBtn);

  panel.append(header, net, stateBar, log, typing, quick, form, foot, endedBar);

  const launcher = el('button', 'launcher');
  launcher.type = 'button';
  launcher.setAttribute('aria-controls', 'sb-panel');
  launcher.setAttribute('aria-expanded', 'false');
  const launchIcon = svg(ICON_CHAT, 28);
  const launchDown = svg(ICON_DOWN, 30);
  launchDown.style.display = 'none';
  const badge = el('span', 'badge');
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  launcher.append(launchIcon, launchDown, badge);
  wrap.append(panel, launcher);

  // Colours: the configured brand colour, with a readable text colour on it; as text (and focus
  // rings) on white, the brand colour where it reads (4.5:1), else the dark text colour.
  const applyColors = () => {
    const color = conf.color && CSS_OK('color', conf.color) ? conf.color : null;
    if (!color) return;
    wrap.style.setProperty('--p', color);
    let on = conf.textColor && CSS_OK('color', conf.textColor) ? conf.textColor : null;
    const m = getComputedStyle(launcher).backgroundColor.match(/\d+(\.\d+)?/g);
    if (m) {
      const [r, g, b] = m.slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      if (!on) on = lum > 0.4 ? '#111827' : '#ffffff';
      wrap.style.setProperty('--ink', 1.05 / (lum + 0.05) >= 4.5 ? color : '#1f2330');
    }
    if (on) wrap.style.setProperty('--on', on);
  };
  const CSS_OK = (p, v) => { try { return CSS.supports(p, v); } catch (_) { return false; } };

  // ---------------------------------------------------------------- rendering
  const T = (k) => S[k] || '';

  const handoffState = () => {
    let h = null;
    let agentName = '';
    for (const e of st.events) {
      if (e.type === 'handoff') {
        h = e;
        if (e.agent && e.agent.name) agentName = e.agent.name;
      } else if (e.from === 'agent' && e.agent && e.agent.name && h && h.state === 'assigned') agentName = e.agent.name;
    }
    if (!h) return { state: 'bot' };
    return { state: h.state, position: h.position, wait: h.wait_estimate_s, agent: agentName };
  };

  const renderChrome = () => {
    const hs = handoffState();
    panel.dir = (ui && ui.dir) || 'ltr';
    panel.lang = uiLocale();
    title.textContent = T('title');
    mark.textContent = initials(T('title'));
    typingAv.textContent = hs.state === 'assigned' ? initials(hs.agent) : initials(T('title'));
    subtitle.textContent = hs.state === 'assigned' && hs.agent ? T('with-agent') + ' ' + hs.agent : T('subtitle');
    // The launcher is "Close chat" while the window is open: this button has its own name.
    closeBtn.setAttribute('aria-label', T('minimize') || T('close'));
    closeBtn.title = T('minimize') || T('close');
    langLabel.textContent = T('language');
    select.title = T('language');
    input.placeholder = T('input-placeholder');
    input.setAttribute('aria-label', T('input-label'));
    sendBtn.setAttribute('aria-label', T('send'));
    sendBtn.title = T('send');
    humanBtn.textContent = T('human');
    endBtn.textContent = T('end');
    askText.textContent = T('end-confirm');
    cancelBtn.textContent = T('cancel');
    restartBtn.textContent = T('restart');
    dots.setAttribute('aria-label', T('typing'));
    intro.textContent = T('greeting');
    // Language picker.
    if (ui && ui.locales && select.options.length !== ui.locales.length) {
      select.replaceChildren(...ui.locales.map((l) => {
        const o = el('option', '', l.name);
        o.value = l.locale;
        o.lang = l.locale;
        return o;
      }));
    }
    if (ui) select.value = ui.locale;
    // Hand-off state.
    stateBar.replaceChildren();
    if (hs.state === 'queued' && hs.position) {
      const stat = (k, v) => {
        const d = el('div', 'stat');
        d.append(el('span', 'k', k), el('span', 'v', v));
        return d;
      };
      stateBar.append(stat(T('queue-position'), '#' + fmtNumber(hs.position)));
      if (hs.wait != null) stateBar.append(stat(T('wait'), fmtMinutes(hs.wait)));
      stateBar.hidden = false;
    } else if (hs.state === 'assigned' && hs.agent) {
      const av = el('div', 'av', initials(hs.agent));
      av.setAttribute('aria-hidden', 'true');
      const d = el('div', 'stat');
      d.append(el('span', 'k', T('with-agent')), el('span', 'v', hs.agent));
      stateBar.append(av, d);
      stateBar.hidden = false;
    } else {
      stateBar.hidden = true;
    }
    const ended = status === 'ended';
    humanBtn.hidden = ended || hs.state === 'queued' || hs.state === 'assigned' || confirmEnd;
    endBtn.hidden = !st.session || ended;
    askText.hidden = cancelBtn.hidden = !confirmEnd;
    form.hidden = ended;
    foot.hidden = ended;
    endedBar.hidden = !ended;
    // Connection line.
    let line = '';
    netBtn.hidden = true;
    if (status === 'offline') line = T('offline');
    else if (status === 'retry') line = T('reconnecting');
    else if (status === 'connecting' && everLive) line = T('reconnecting');
    else if (status === 'connecting' && !panel.hidden && Date.now() - connectingSince > 700) line = T('connecting');
    else if (status === 'elsewhere') {
      line = T('elsewhere');
      netBtn.textContent = T('use-here');
      netBtn.hidden = false;
    }
    netText.textContent = line;
    net.hidden = !line;
    renderBadge();
  };

  const senderKey = (row) => (row ? row.dataset.who || '' : '');

  const place = (row, seq) => {
    // Rows are kept in seq order; pending messages (no seq yet) stay at the end.
    let before = null;
    if (seq != null) {
      for (const r of log.children) {
        if (r.dataset.seq && Number(r.dataset.seq) > seq) { before = r; break; }
        if (r.dataset.pending && !before) { before = r; break; }
      }
    }
    log.insertBefore(row, before);
    const prev = row.previousElementSibling;
    row.classList.toggle('cont', !!prev && prev !== intro && senderKey(prev) === senderKey(row) && !row.classList.contains('sys'));
  };

  const messageRow = (e, pending) => {
    const mine = e.from === 'customer';
    const row = el('div', 'row ' + (mine ? 'me' : 'them') + (e.from === 'agent' ? ' agent' : ''));
    const name = e.from === 'agent' ? (e.agent && e.agent.name) || T('agent') : mine ? T('you') : T('bot');
    row.dataset.who = e.from + ':' + name;
    if (!mine) {
      const av = el('div', 'av', e.from === 'agent' ? initials(name) : initials(T('title')));
      av.setAttribute('aria-hidden', 'true');
      row.appendChild(av);
    }
    const body = el('div', 'body');
    if (!mine) body.appendChild(el('div', 'name', name));
    else body.appendChild(el('span', 'sr', name + ':'));
    const bubble = el('div', 'bubble');
    bubble.dir = 'auto';
    if (e.locale) bubble.lang = e.locale;
    fillText(bubble, e.text);
    const meta = el('div', 'meta');
    const time = el('time', '', fmtTime(e.at));
    if (e.at) time.dateTime = e.at;
    meta.appendChild(time);
    if (mine && pending) meta.appendChild(el('span', 'status', ' · ' + T('sending')));
    body.append(bubble, meta);
    row.appendChild(body);
    if (pending) {
      row.classList.add('pending');
      row.dataset.pending = pending;
    } else {
      row.dataset.seq = e.seq;
    }
    return row;
  };

  const noteRow = (text, at, cls) => {
    const row = el('div', 'row sys' + (cls ? ' ' + cls : ''));
    const b = el('div', 'body');
    const note = el('div', 'note');
    note.dir = 'auto';
    fillText(note, text);
    b.appendChild(note);
    if (at) {
      const meta = el('div', 'meta');
      meta.appendChild(el('time', '', fmtTime(at)));
      b.appendChild(meta);
    }
    row.appendChild(b);
    return row;
  };

  const renderEvent = (e) => {
    const row = e.type === 'handoff' ? noteRow(e.text, e.at) : e.from === 'system' ? noteRow(e.text, e.at) : messageRow(e);
    row.dataset.seq = e.seq;
    place(row, e.seq);
  };

  const renderAll = () => {
    log.replaceChildren(intro);
    for (const e of st.events) renderEvent(e);
    for (const m of st.outbox) place(messageRow({ from: 'customer', text: m.text, at: m.at }, m.id), null);
    renderQuick();
    renderChrome();
    scrollDown(true);
  };

  const renderQuick = () => {
    quick.replaceChildren();
    let list = [];
    const last = st.events[st.events.length - 1];
    if (!st.events.length && !st.outbox.length && ui && ui.suggestions) list = ui.suggestions;
    else if (last && last.from === 'bot' && !st.outbox.length && last.suggestions) list = last.suggestions;
    // Asking for a person is always in the footer (while it makes sense): not twice.
    list = list.filter((s) => s.payload !== HUMAN);
    for (const s of list) {
      const b = el('button', '', s.text);
      b.type = 'button';
      b.addEventListener('click', () => send(s.text, s.payload));
      quick.appendChild(b);
    }
    quick.hidden = !list.length || status === 'ended';
  };

  // The log follows new messages unless the customer scrolled up to read.
  let stick = true;
  log.addEventListener('scroll', () => { stick = log.scrollHeight - log.scrollTop - log.clientHeight < 40; }, { passive: true });
  const scrollDown = (force) => {
    if (force) stick = true;
    if (stick) log.scrollTop = log.scrollHeight;
  };

  const unread = () => st.events.filter((e) => e.seq > (st.seen || 0) && e.from !== 'customer').length;
  const renderBadge = () => {
    const n = panel.hidden ? unread() : 0;
    badge.hidden = !n;
    badge.textContent = n > 9 ? '9+' : fmtNumber(n);
    const label = panel.hidden ? T('open') : T('close');
    launcher.setAttribute('aria-label', n ? label + ' (' + T('unread') + ': ' + n + ')' : label);
    launcher.title = label;
  };

  const renderTyping = () => {
    const hs = handoffState();
    typing.hidden = !(agentTyping || (botWaiting && hs.state !== 'assigned'));
    typingAv.textContent = agentTyping ? initials(hs.agent) : initials(T('title'));
    if (!typing.hidden) scrollDown(false);
  };

  // ---------------------------------------------------------------- strings
  let stringsFor = '';
  const loadStrings = (tags) => {
    const want = tags.filter(Boolean).join(',');
    if (want === stringsFor) return;
    stringsFor = want;
    fetch(base + '/v1/widget/strings?locale=' + encodeURIComponent(want), { credentials: 'omit' })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))))
      .then((data) => {
        if (stringsFor !== want) return;
        ui = data;
        S = data.strings || {};
        st.strings = data;
        save();
        renderAll();
        emit('ready', { locale: data.locale });
      })
      .catch(() => { if (stringsFor === want) stringsFor = ''; });
  };
  const preferred = () => [forced || st.explicit || st.locale || ''].concat(forced || st.explicit ? [] : navigator.languages || [navigator.language]);

  // ---------------------------------------------------------------- connection
  const sendFrame = (f) => {
    if (ws && ws.readyState === 1) { ws.send(JSON.stringify(f)); return true; }
    return false;
  };

  const setStatus = (s) => {
    status = s;
    host.setAttribute('data-status', s); // for the host page's scripts and tests
    renderChrome();
  };

  const connect = () => {
    if (ws || status === 'ended' || status === 'elsewhere') return;
    clearTimeout(retryTimer);
    if (navigator.onLine === false) { setStatus('offline'); return; }
    let sock;
    try { sock = new WebSocket(WS_URL); } catch (_) { retry(); return; }
    ws = sock;
    welcomed = false;
    connectingSince = Date.now();
    setTimeout(() => { if (ws === sock && !welcomed) renderChrome(); }, 750);
    setStatus('connecting');
    sock.onopen = () => {
      if (sock !== ws) return;
      const hello = { type: 'hello', locales: forced ? [forced] : Array.from(navigator.languages || [navigator.language]) };
      if (st.session && st.token) hello.resume = { session: st.session, token: st.token, last_seq: lastSeq() };
      sock.send(JSON.stringify(hello));
      clearTimeout(welcomeTimer);
      welcomeTimer = setTimeout(() => { if (sock === ws && !welcomed) sock.close(4000, 'no welcome'); }, 10000);
    };
    sock.onmessage = (m) => {
      if (sock !== ws) return;
      let f;
      try { f = JSON.parse(m.data); } catch (_) { return; }
      onFrame(f);
    };
    sock.onclose = (c) => {
      if (sock !== ws) return;
      ws = null;
      welcomed = false;
      clearTimeout(welcomeTimer);
      setAgentTyping(false);
      if (c.code === 4001) { setStatus('elsewhere'); return; }
      if (status === 'ended') return;
      if (c.code === 4002) { setStatus('idle'); return; } // idle: back on the next interaction
      retry();
    };
  };

  const retry = () => {
    if (navigator.onLine === false) { setStatus('offline'); return; }
    attempt += 1;
    const delay = Math.min(30000, 400 * 2 ** Math.min(attempt - 1, 7)) * (0.6 + Math.random() * 0.4);
    setStatus('retry');
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay);
  };

  const ensureConnected = () => { if (!ws && status !== 'elsewhere' && status !== 'ended') { attempt = 0; connect(); } };

  window.addEventListener('online', () => { if (status === 'offline' || status === 'retry') { attempt = 0; connect(); } });
  window.addEventListener('offline', () => {
    // The socket may look open for a while on a dead network: stop trusting it.
    if (ws) { const s = ws; ws = null; welcomed = false; try { s.close(); } catch (_) { /* closed */ } }
    setStatus('offline');
  });

  const onFrame = (f) => {
    switch (f.type) {
      case 'welcome': return onWelcome(f);
      case 'ack': return onAck(f);
      case 'message':
      case 'handoff': return onVisible(f);
      case 'typing': if (f.from === 'agent') setAgentTyping(!!f.on); return;
      case 'error': return onError(f);
      default: return undefined;
    }
  };

  let firstWelcome = false;
  const onWelcome = (f) => {
    const had = st.session;
    if (had && (!f.resumed || f.session !== had)) {
      // The old conversation is gone: start over, but keep what the customer has not sent yet.
      st.events = [];
      st.seen = 0;
      st.session = f.session;
      st.token = f.token;
      save();
      renderAll();
      place(noteRow(T('new-session'), null), null);
    }
    st.session = f.session;
    st.token = f.token;
    st.locale = f.locale;
    welcomed = true;
    everLive = true;
    attempt = 0;
    clearTimeout(welcomeTimer);
    if (!firstWelcome) {
      firstWelcome = true;
      try { performance.mark('switchboard:welcome'); } catch (_) { /* old browser */ }
    }
    save();
    setStatus('live');
    if (st.explicit && !f.resumed) sendFrame({ type: 'locale', locale: st.explicit });
    if (!forced && !st.explicit && (!ui || ui.locale !== f.locale)) loadStrings([f.locale]);
    sendPresence();
    resendOutbox();
    emit('connected', { session: f.session, resumed: f.resumed });
  };

  // Whether the customer can see the chat's tab (docs/PROTOCOL-ADDITIONS.md §4): after each
  // welcome and on every change while connected.
  const sendPresence = () => {
    if (welcomed) sendFrame({ type: 'presence', state: document.visibilityState === 'hidden' ? 'hidden' : 'visible' });
  };

  // The widget's own words follow the conversation's language (the locale of the latest bot,
  // agent or system message), unless the embed forced a locale or the customer picked one.
  const followConversation = (locale) => {
    if (!locale || forced || st.explicit) return;
    if (st.locale !== locale) st.locale = locale;
    if (!ui || ui.locale !== locale) loadStrings([locale]);
  };

  // Unacknowledged messages go again with their ids: the gateway records each id once.
  const resendOutbox = () => {
    if (!welcomed) return;
    for (const m of st.outbox) sendFrame({ type: 'message', id: m.id, text: m.text, payload: m.payload || undefined });
    const last = st.outbox[st.outbox.length - 1];
    if (last && handoffState().state !== 'assigned') setBotWaiting(last.id);
  };

  const storeEvent = (e) => {
    const keep = { type: e.type, seq: e.seq, text: e.text, at: e.at };
    for (const k of ['from', 'locale', 'state', 'position', 'wait_estimate_s', 'agent', 'in_reply_to', 'suggestions']) if (e[k] !== undefined) keep[k] = e[k];
    // Events arrive in seq order; insert defensively anyway.
    let i = st.events.length;
    while (i > 0 && st.events[i - 1].seq > e.seq) i--;
    st.events.splice(i, 0, keep);
  };

  const bindPending = (id, seq, e) => {
    const row = log.querySelector('[data-pending="' + CSS.escape(id) + '"]');
    if (row) {
      row.remove();
      delete row.dataset.pending;
      row.classList.remove('pending');
      row.dataset.seq = seq;
      const s = row.querySelector('.status');
      if (s) s.remove();
      place(row, seq);
    } else if (!log.querySelector('[data-seq="' + seq + '"]')) {
      renderEvent(e);
    }
  };

  const onAck = (f) => {
    const i = st.outbox.findIndex((m) => m.id === f.id);
    if (i < 0) return;
    const m = st.outbox.splice(i, 1)[0];
    const e = { type: 'message', from: 'customer', seq: f.seq, text: m.text, at: m.at };
    if (!bySeq(f.seq)) storeEvent(e);
    bindPending(m.id, f.seq, e);
    save();
    renderQuick();
  };

  const onVisible = (e) => {
    if (typeof e.seq !== 'number' || bySeq(e.seq)) return; // seen already: a replay or a duplicate
    if (e.from === 'customer') {
      // Our own message coming back in a replay: bind it to its pending bubble if it is one.
      const i = st.outbox.findIndex((m) => m.text === e.text);
      storeEvent(e);
      if (i >= 0) {
        const m = st.outbox.splice(i, 1)[0];
        bindPending(m.id, e.seq, e);
      } else renderEvent(e);
    } else {
      storeEvent(e);
      renderEvent(e);
      followConversation(e.locale);
      if (e.from === 'agent') setAgentTyping(false);
      if (e.from === 'bot' && (!botWaiting || e.in_reply_to === botWaiting)) setBotWaiting(null);
      emit('message', { from: e.from || 'system', text: e.text });
    }
    if (!panel.hidden) st.seen = Math.max(st.seen || 0, e.seq);
    save();
    renderQuick();
    renderChrome();
    renderTyping();
    scrollDown(e.from === 'customer');
  };

  const onError = (f) => {
    if (f.code === 'unauthorized' || f.code === 'session_expired') return; // a fresh welcome follows
    const key = f.code === 'too_large' ? 'error-too-long' : f.code === 'rate_limited' ? 'error-rate-limited' : 'error-generic';
    if (f.code === 'rate_limited') setTimeout(resendOutbox, 2500);
    if (f.code === 'too_large') {
      // The gateway refused the oldest unsent message: give its text back to edit.
      const m = st.outbox.shift();
      if (m) {
        const row = log.querySelector('[data-pending="' + CSS.escape(m.id) + '"]');
        if (row) row.remove();
        if (!input.value) input.value = m.text;
        save();
        setBotWaiting(null);
      }
    }
    const row = noteRow(T(key), null, 'err');
    place(row, null);
    scrollDown(true);
    setTimeout(() => row.remove(), 8000);
  };

  const setAgentTyping = (on) => {
    agentTyping = on;
    clearTimeout(agentTypingTimer);
    if (on) agentTypingTimer = setTimeout(() => setAgentTyping(false), 15000);
    renderTyping();
  };
  const setBotWaiting = (id) => {
    botWaiting = id;
    clearTimeout(botTimer);
    if (id) botTimer = setTimeout(() => setBotWaiting(null), 12000);
    renderTyping();
  };

  // ---------------------------------------------------------------- actions
  const newId = () => {
    const b = new Uint8Array(12);
    crypto.getRandomValues(b);
    return 'w' + Date.now().toString(36) + '-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  };

  const send = (text, payload) => {
    text = String(text || '').trim();
    if (!text || status === 'ended') return false;
    const m = { id: newId(), text: text.slice(0, MAX_TEXT), at: new Date().toISOString() };
    if (payload) m.payload = payload;
    st.outbox.push(m);
    save();
    place(messageRow({ from: 'customer', text: m.text, at: m.at }, m.id), null);
    // The bot's typing dots only once the message is on its way (not while offline).
    if (welcomed && handoffState().state !== 'assigned') setBotWaiting(m.id);
    renderQuick();
    scrollDown(true);
    stopTyping();
    if (welcomed) sendFrame({ type: 'message', id: m.id, text: m.text, payload: m.payload });
    else ensureConnected();
    return true;
  };

  const stopTyping = () => {
    clearTimeout(typingTimer);
    if (typingSent) { typingSent = false; sendFrame({ type: 'typing', on: false }); }
  };
  const noteTyping = () => {
    if (handoffState().state !== 'assigned' || !welcomed) return;
    if (!typingSent) { typingSent = true; sendFrame({ type: 'typing', on: true }); }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, 3000);
  };

  const growInput = () => {
    input.style.height = 'auto';
    input.style.height = Math.min(120, input.scrollHeight + 2) + 'px';
    sendBtn.disabled = !input.value.trim();
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (send(input.value)) { input.value = ''; growInput(); }
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
      ev.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event('submit', { cancelable: true }));
    }
  });
  input.addEventListener('input', () => { growInput(); noteTyping(); });
  input.addEventListener('focus', ensureConnected);

  // Asking for a person is a message like any other (kept and re-sent until acknowledged).
  humanBtn.addEventListener('click', () => send(T('human'), HUMAN));
  endBtn.addEventListener('click', () => {
    if (!confirmEnd) { confirmEnd = true; renderChrome(); cancelBtn.focus(); return; }
    confirmEnd = false;
    sendFrame({ type: 'close' });
    const s = ws;
    ws = null;
    if (s) s.close(1000, 'ended');
    Object.assign(st, { session: null, token: null, events: [], outbox: [], seen: 0 });
    save();
    setStatus('ended');
    renderAll();
    place(noteRow(T('ended'), null), null);
    restartBtn.focus();
  });
  cancelBtn.addEventListener('click', () => { confirmEnd = false; renderChrome(); endBtn.focus(); });
  restartBtn.addEventListener('click', () => {
    setStatus('idle');
    everLive = false;
    renderAll();
    ensureConnected();
    input.focus({ preventScroll: true }); // the window is in view: the page behind must not move
  });
  netBtn.addEventListener('click', () => { setStatus('idle'); ensureConnected(); });
  select.addEventListener('change', () => setLocale(select.value));

  const setLocale = (tag) => {
    if (!tag) return;
    st.explicit = tag;
    save();
    if (welcomed) sendFrame({ type: 'locale', locale: tag });
    loadStrings([tag]);
  };

  // On a phone the window covers the whole screen: the launcher (which would lie over Send)
  // hides, the header's button closes it, and the page behind does not scroll.
  const phone = window.matchMedia ? window.matchMedia('(max-width:480px)') : { matches: false };
  let locked = null; // the page's own inline overflow and its scroll position while it is locked
  const lockScroll = () => {
    const want = !panel.hidden && phone.matches;
    if (want === !!locked) return;
    const targets = [document.documentElement, document.body].filter(Boolean);
    if (want) {
      locked = {
        x: window.scrollX,
        y: window.scrollY,
        nodes: targets.map((node) => ({
          node,
          attr: node.hasAttribute('style'),
          props: ['overflow-x', 'overflow-y'].map((p) => [p, node.style.getPropertyValue(p), node.style.getPropertyPriority(p)]),
        })),
      };
      for (const { node } of locked.nodes) {
        node.style.setProperty('overflow-x', 'hidden', 'important');
        node.style.setProperty('overflow-y', 'hidden', 'important');
      }
    } else {
      for (const { node, attr, props } of locked.nodes) {
        for (const [p, v, prio] of props) if (v) node.style.setProperty(p, v, prio); else node.style.removeProperty(p);
        if (!attr && !node.getAttribute('style')) node.removeAttribute('style');
      }
      // A phone may move the page to show the focused message box: put it back.
      if (window.scrollX !== locked.x || window.scrollY !== locked.y) window.scrollTo({ left: locked.x, top: locked.y, behavior: 'instant' });
      locked = null;
    }
  };
  if (phone.addEventListener) phone.addEventListener('change', lockScroll);

  const open = () => {
    if (!panel.hidden) return;
    panel.hidden = false;
    wrap.classList.add('open');
    lockScroll();
    launcher.setAttribute('aria-expanded', 'true');
    launchIcon.style.display = 'none';
    launchDown.style.display = '';
    st.open = true;
    st.seen = lastSeq();
    save();
    ensureConnected();
    renderChrome();
    scrollDown(true);
    input.focus({ preventScroll: true }); // the window is in view: the page behind must not move
    emit('open');
  };
  const close = () => {
    if (panel.hidden) return;
    panel.hidden = true;
    wrap.classList.remove('open');
    lockScroll();
    launcher.setAttribute('aria-expanded', 'false');
    launchIcon.style.display = '';
    launchDown.style.display = 'none';
    st.open = false;
    save();
    stopTyping();
    renderChrome();
    emit('close');
  };
  launcher.addEventListener('click', () => { if (panel.hidden) open(); else { close(); launcher.focus(); } });
  closeBtn.addEventListener('click', () => { close(); launcher.focus(); });
  panel.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.stopPropagation(); close(); launcher.focus(); } });
  window.addEventListener('pageshow', (ev) => { if (ev.persisted && st.session) ensureConnected(); });
  document.addEventListener('visibilitychange', () => {
    sendPresence();
    if (document.visibilityState === 'visible' && !panel.hidden) { st.seen = lastSeq(); save(); renderBadge(); }
  });

  // ---------------------------------------------------------------- start
  const mount = () => {
    // A conversation in progress (this tab, an earlier page) resumes at once, so replies that
    // came meanwhile show as unread; a new visitor gets a session when they open the chat.
    // The socket opens first: its handshake overlaps with drawing the widget.
    if (st.session || conf.connect === 'load' || flag(conf.connect)) connect();
    loadStrings(preferred());
    (document.body || document.documentElement).appendChild(host);
    applyColors();
    renderAll();
    if (st.open || flag(conf.open)) open();
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });

  window.Switchboard = {
    version: '1',
    open,
    close,
    toggle: () => (panel.hidden ? open() : close()),
    send: (text) => send(text),
    setLocale,
    unread: () => unread(),
    on: (name, fn) => { (listeners[name] = listeners[name] || []).push(fn); },
  };
})();
