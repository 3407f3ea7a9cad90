/*
 * halley.js — browser client for Halley (comet / server push), wire contract v1.
 *
 * Plain ES2017, no dependency, no build step. Works as a classic <script> (defines
 * window.Halley) and as an ES module: the server serves halley.mjs as this exact text
 * followed by `const Halley = globalThis.Halley; export default Halley; export { Halley };`
 * so this file must not declare a top-level Halley binding of its own.
 *
 *   const conn = Halley.connect();   // base: the folder this script came from (else '/halley')
 *   const conn = Halley.connect({ base: '/shop/halley' });
 *   // or several nodes (absolute bases): one is picked at random, the others take over when it fails
 *   const conn = Halley.connect({ servers: ['https://n1.example/halley', 'https://n2.example/halley'] });
 *   conn.on('open', () => ...); conn.onChannel('chat', (data, meta) => ...);
 *   await conn.call('report.build', 2024);            // streamed callback: resolves with its result
 *   await conn.subscribe('news', (data, meta) => ...); // catch-up after a page re-open, no duplicates
 *   await conn.publish('chat', { text: 'hi' });        // if the server's channel policy allows it
 *   const reply = await conn.request('sum', { a: 1, b: 2 }, { timeout: 5000 }); // a server action
 *
 * Frames `{"seq": N, "cmds": [...]}` arrive over the browser's shared stream (one tab holds it
 * for all, see Hub), a WebSocket, SSE, a forever-iframe or long-polling, tried in that order
 * (the shared stream where the browser can share and `share` is not false; it runs over SSE);
 * each frame is applied once, in order (frames with seq <= lastSeq are ignored, except a frame
 * carrying a `resync` command, which is always applied and sets lastSeq to its seq). While the
 * page's transport is the WebSocket, its calls, requests, publishes and (un)subscribes travel on
 * the socket too; otherwise they are POSTs.
 */
(function (root) {
  'use strict';

  if (root.Halley && typeof root.Halley.connect === 'function') return; // loaded twice: keep the first

  var hasDocument = typeof document !== 'undefined';
  var SCRIPT_BASE = scriptBase(); // where this script was served from: the default base
  var connections = new Set(); // live connections, for routing the iframe callbacks

  var DEFAULTS = {
    base: '/halley',
    servers: null,
    transport: ['ws', 'sse', 'iframe', 'poll'],
    noticeText: 'Connection lost \u2014 reconnecting\u2026',
    reconnectedText: 'Reconnected',
    noticeDelay: 2000,
    backoff: { initial: 500, max: 10000 },
    listenOnly: false,
    share: true,
    requestTimeout: 10000
  };
  var FAILS_BEFORE_FALLBACK = 3;  // transport never opened this many times in a row -> next one
  var WS_OPEN_MS = 5000;          // a WebSocket not open by then counts as refused (a proxy holding the upgrade)
  var POLL_HELD_MS = 1000;        // a poll held this long without an error counts as "back"
  var RECONNECTED_MS = 2000;      // how long "Reconnected" stays visible
  var NOTICE_MS = 4000;           // how long a `notice` command stays visible
  var SESSION_ENDED = 'halley:sessionended'; // the event a page gets as its HttpSession ends (HalleySessionListener)
  var SEEN_WINDOW = 256;          // message ids remembered per channel to drop duplicates
  var nextId = 0;                 // call and request ids: unique per page load

  // ---------------------------------------------------------------- helpers

  function httpError(status, json, fallback) {
    var err = new Error((json && json.error) || fallback || ('HTTP ' + status));
    err.status = status;
    return err;
  }

  /**
   * fetch + JSON; resolves {status, json} (json null if unparsable); rejects only on network failure
   * (which includes a cross-origin answer without CORS headers). credentials: 'same-origin' (default)
   * or 'include' for a cross-origin server.
   */
  function fetchJson(method, url, body, headers, signal, credentials) {
    var init = { method: method, credentials: credentials || 'same-origin', cache: 'no-store', signal: signal,
      headers: Object.assign({ Accept: 'application/json' }, headers || {}) };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return root.fetch(url, init).then(function (res) {
      return res.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON */ }
        return { status: res.status, json: json };
      });
    });
  }

  /** Copy of opts where missing or undefined keys take the default. */
  function defaults(opts, dflt) {
    var out = Object.assign({}, opts || {});
    Object.keys(dflt).forEach(function (k) { if (out[k] === undefined) out[k] = dflt[k]; });
    return out;
  }

  function randomBetween(lo, hi) { return lo + Math.random() * (hi - lo); }

  function trimBase(u) { return String(u).replace(/\/+$/, ''); }

  /**
   * The folder this script was loaded from (`/shop/halley` for `/shop/halley/halley.js`), read
   * from document.currentScript while the script runs: the servlet serves halley.js at its mount,
   * so a page under any context path needs no `base`. Null (the default '/halley' applies) when
   * the file is not named halley.js, lies at the site's root, comes from another origin than the
   * page, or was not loaded by a classic <script> (an ES module, a bundle, Node). A copy of
   * halley.js served from another folder must be given its `base`.
   */
  function scriptBase() {
    try {
      var s = hasDocument && document.currentScript, loc = root.location;
      if (!s || !s.src || !loc || typeof URL !== 'function') return null;
      var u = new URL(s.src, loc.href);
      if (u.origin !== loc.origin || !/\/halley\.js$/.test(u.pathname)) return null;
      var dir = u.pathname.replace(/\/halley\.js$/, '');
      return dir ? dir : null; // /halley.js at the site's root: not the servlet's (its mount is a folder)
    } catch (e) {
      return null;
    }
  }

  /** `u` made absolute against the document's URL when there is one (for comparing bases). */
  function absolute(u) {
    var here = root.location && root.location.href;
    if (!here || typeof URL !== 'function') return trimBase(u);
    try { return trimBase(new URL(u, here).href); } catch (e) { return trimBase(u); }
  }

  /**
   * Whether requests to `base` are cross-origin: an absolute URL of another origin than the
   * document's (always, without a document origin). A relative base is same-origin.
   */
  function isCrossOrigin(base) {
    if (!/^([a-z][a-z0-9+.\-]*:)?\/\//i.test(base)) return false;
    var here = root.location && root.location.origin;
    if (!here || here === 'null' || typeof URL !== 'function') return true;
    try { return new URL(base, root.location.href).origin !== here; } catch (e) { return true; }
  }

  /** A call or request id, unique in this window: prefix, counter, random part ([A-Za-z0-9_-]). */
  function newId(prefix) {
    nextId += 1;
    return prefix + nextId.toString(36) + '_' + Math.random().toString(36).slice(2, 10);
  }

  /** Strip whitespace and control characters the way browsers do when parsing URL schemes. */
  function squash(s) { return String(s == null ? '' : s).replace(/[\u0000-\u0020\u007f]/g, '').toLowerCase(); }
  function isScriptUrl(s) { var v = squash(s); return v.indexOf('javascript:') === 0 || v.indexOf('vbscript:') === 0; }
  var URL_ATTRS = ['href', 'src', 'action', 'formaction', 'xlink:href'];

  // ---------------------------------------------------------------- notice bar (shared by all connections)

  var noticeHideTimer = null;
  var NOTICE_COLORS = { info: '#1f4e79', warn: '#8a6100', error: '#9b1c1c' };

  function noticeEl() {
    var el = document.getElementById('halley-notice');
    if (!el) {
      el = document.createElement('div');
      el.id = 'halley-notice';
      el.setAttribute('role', 'status');
      el.setAttribute('aria-live', 'polite');
      el.style.cssText = 'display:none;position:fixed;top:0;left:0;right:0;width:100%;box-sizing:border-box;' +
        'padding:6px 12px;text-align:center;font:14px/1.4 sans-serif;color:#fff;background:#333;z-index:2147483647';
      (document.body || document.documentElement).appendChild(el);
    }
    return el;
  }

  /** Show text in the bar; hideAfter (ms) hides it again, otherwise it stays until replaced/hidden. */
  function showNotice(text, level, hideAfter) {
    if (!hasDocument) return;
    var el = noticeEl();
    clearTimeout(noticeHideTimer);
    noticeHideTimer = null;
    el.textContent = String(text == null ? '' : text);
    el.style.background = NOTICE_COLORS[level] || '#333';
    el.style.display = 'block';
    if (hideAfter) noticeHideTimer = setTimeout(hideNotice, hideAfter);
  }

  function hideNotice() {
    clearTimeout(noticeHideTimer);
    noticeHideTimer = null;
    var el = hasDocument && document.getElementById('halley-notice');
    if (el) el.style.display = 'none';
  }

  // ---------------------------------------------------------------- commands

  function each(selector, fn) {
    if (typeof selector !== 'string' || !selector) throw new Error('missing selector');
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  function str(v) { return v == null ? '' : String(v); }

  function settle(conn, id, ok, value) {
    var p = conn._pending;
    var key = p.has(id) ? id : p.has(String(id)) ? String(id) : p.has(Number(id)) ? Number(id) : undefined;
    if (key === undefined) return;
    var entry = p.get(key);
    p.delete(key);
    if (ok) entry.resolve(value); else entry.reject(value);
  }

  function commandError(cmd, message) {
    var err = new Error(typeof message === 'string' ? message : (message && message.message) || 'failed');
    err.command = cmd;
    return err;
  }

  var COMMANDS = {
    update: function (c) { each(c.selector, function (el) { el.innerHTML = str(c.html); }); },
    append: function (c) { each(c.selector, function (el) { el.insertAdjacentHTML('beforeend', str(c.html)); }); },
    prepend: function (c) { each(c.selector, function (el) { el.insertAdjacentHTML('afterbegin', str(c.html)); }); },
    replace: function (c) { each(c.selector, function (el) { el.outerHTML = str(c.html); }); },
    remove: function (c) { each(c.selector, function (el) { el.remove(); }); },
    text: function (c) { each(c.selector, function (el) { el.textContent = str(c.text); }); },
    attr: function (c) {
      var name = str(c.name);
      if (!name || /^on/i.test(name.trim())) { console.warn('halley: refused attribute', name); return; }
      var isUrl = URL_ATTRS.indexOf(name.trim().toLowerCase()) >= 0;
      each(c.selector, function (el) {
        var old = el.getAttribute(name) || '';
        var v = c.mode === 'append' ? old + str(c.value) : c.mode === 'prepend' ? str(c.value) + old : str(c.value);
        if (isUrl && isScriptUrl(v)) { console.warn('halley: refused script URL in', name); return; }
        el.setAttribute(name, v);
      });
    },
    css: function (c) { each(c.selector, function (el) { el.style.setProperty(c.property, str(c.value)); }); },
    value: function (c) { each(c.selector, function (el) { el.value = c.value == null ? '' : c.value; }); },
    alert: function (c) { root.alert(str(c.message)); },
    redirect: function (c) {
      var url = str(c.url), scheme = /^([a-z][a-z0-9+.\-]*):/.exec(squash(url));
      if (scheme && scheme[1] !== 'http' && scheme[1] !== 'https') { console.warn('halley: refused redirect to', url); return; }
      root.location.assign(url);
    },
    call: function (c) {
      var parts = str(c.function).split('.'), owner = root;
      for (var i = 0; i < parts.length - 1 && owner != null; i++) owner = owner[parts[i]];
      var fn = owner != null ? owner[parts[parts.length - 1]] : undefined;
      if (typeof fn !== 'function') { console.warn('halley: no function', c.function); return; }
      fn.apply(owner, Array.isArray(c.args) ? c.args : c.args === undefined ? [] : [c.args]);
    },
    script: function (c) { new Function(str(c.js))(); }, // the only eval-like path, on purpose
    event: function (c, conn) {
      if (c.name === SESSION_ENDED) conn._emit('sessionended', c.detail);
      var fire = function (target) { target.dispatchEvent(new CustomEvent(c.name, { detail: c.detail, bubbles: true })); };
      if (c.selector) each(c.selector, fire); else fire(document);
    },
    message: function (c, conn) {
      if (!conn._firstSight(c.channel, c.id)) return; // a catch-up replay of a message already seen
      var meta = { channel: c.channel, id: c.id };
      (conn._channels.get(c.channel) || []).slice().forEach(function (fn) {
        try { fn(c.data, meta); } catch (e) { console.error('halley: channel handler failed', e); }
      });
      conn._emit('message', { channel: c.channel, id: c.id, data: c.data });
    },
    notice: function (c) { showNotice(c.text, c.level, NOTICE_MS); },
    done: function (c, conn) { conn._emit('done', c); settle(conn, c.call, true, c.result); },
    fail: function (c, conn) { conn._emit('fail', c); settle(conn, c.call, false, commandError(c, c.error)); },
    reply: function (c, conn) {
      conn._emit('reply', c);
      if (c.error != null) settle(conn, c.request, false, commandError(c, c.error));
      else settle(conn, c.request, true, c.result);
    },
    resync: function (c, conn) { conn._emit('resync', c); },
    // the channel's numbering restarted past the id we resumed from: forget the old ids (the new
    // ones start low again) and tell the application that messages may have been missed
    channelrestart: function (c, conn) {
      conn._ids.delete(c.channel);
      conn._emit('channelrestart', { channel: c.channel, since: c.since, last: c.last });
    },
    onreconnect: function (c, conn) {
      if (Array.isArray(c.cmds)) Array.prototype.push.apply(conn._reconnectActions, c.cmds);
    }
  };

  /** The server's advice (`{"poll": ms}`, sent past the browser's stream budget) from its JSON text; null if malformed. */
  function parseAdvice(text) {
    try { var a = JSON.parse(text); return a && typeof a === 'object' ? a : null; } catch (e) { return null; }
  }

  function isResync(frame) {
    return Array.isArray(frame.cmds) && frame.cmds.some(function (c) { return c && c.op === 'resync'; });
  }

  function applyCommands(cmds, conn) {
    (Array.isArray(cmds) ? cmds : []).forEach(function (cmd) {
      var op = cmd && cmd.op;
      if (!Object.prototype.hasOwnProperty.call(COMMANDS, op)) { console.warn('halley: unknown command', op); return; }
      try { COMMANDS[op](cmd, conn); } catch (e) { console.error('halley: command ' + op + ' failed', e, cmd); }
    });
  }

  // ---------------------------------------------------------------- transports

  /*
   * One entry per transport, like COMMANDS: the connection code names none of them. An entry has
   *   supported()           whether this environment can run it (asked once, by connect)
   *   accepts(crossOrigin)  whether it can reach a server of another origin than the page's
   *   failsBeforeFallback   (optional) opens that never succeed in a row before the next transport (default 3)
   *   readsStatus           (optional) opening it reads the page's status (410/404/403) itself,
   *                         so a retry on a single server opens it without probing GET /page first
   *   open(conn, live)      start one instance, reading from conn.lastSeq; returns its handle
   *   close(handle)         stop that instance (its late callbacks are already stale)
   * An instance reports to its connection, only while live() is true, through conn._back() (it is
   * alive), conn._frame(raw), conn._lost() (ended or failed), conn._gone() (page gone, 410/404)
   * and conn._fatal(err) (403). connect's `transport` option lists entry names by preference; the
   * connection falls back along that list (FAILS_BEFORE_FALLBACK) and keeps the list per server.
   */
  var TRANSPORTS = {
    sse: {
      supported: function () { return typeof root.EventSource === 'function'; },
      accepts: function () { return true; }, // cross-origin with withCredentials
      open: function (conn, live) {
        var es = conn._cross ? new root.EventSource(conn._url('/sse'), { withCredentials: true })
          : new root.EventSource(conn._url('/sse'));
        es.onopen = function () { if (live()) conn._back(); };
        es.onmessage = function (e) { if (live()) conn._frame(e.data); };
        es.addEventListener('advice', function (e) { if (live()) conn._advise(parseAdvice(e.data)); });
        es.onerror = function () { es.close(); if (live()) conn._lost(); }; // no browser auto-reconnect
        return es;
      },
      close: function (es) { es.close(); }
    },

    /**
     * GET /ws upgraded: each message a JSON array of frames, or a reply `{reply, status, body|error}`
     * to a request this page sent on the socket (see socketAsk); close code 4410 (or 4404) after
     * the last frames of a page that died. A socket that never opens (a proxy refusing the
     * upgrade, a server without WebSocket support: 404, none within WS_OPEN_MS) falls back to the
     * next transport at once, once `GET /page` shows the server up (fallbackWhenUp): a server
     * that is down does not cost the page its socket.
     */
    ws: {
      supported: function () { return typeof root.WebSocket === 'function' && typeof URL === 'function' && !!root.location; },
      accepts: function (crossOrigin) { return !crossOrigin; },
      failsBeforeFallback: 1,
      fallbackWhenUp: true,
      open: function (conn, live) {
        var u = new URL(conn._url('/ws'), root.location.href);
        u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
        var ws = new root.WebSocket(u.href), h = { ws: ws, asked: new Map(), timer: null };
        h.timer = setTimeout(function () { if (live() && ws.readyState !== 1) { TRANSPORTS.ws.close(h); conn._lost(); } }, WS_OPEN_MS);
        ws.onopen = function () { clearTimeout(h.timer); if (live()) conn._back(); };
        ws.onmessage = function (e) {
          if (!live()) return;
          var m;
          try { m = JSON.parse(e.data); } catch (x) { console.error('halley: bad message', e.data); return; }
          if (m && !Array.isArray(m) && 'reply' in m) { socketReply(h, m); return; }
          var frames = Array.isArray(m) ? m : [m];
          for (var i = 0; i < frames.length && live(); i++) conn._frame(frames[i]);
        };
        ws.onclose = function (e) {
          socketLost(h);
          if (!live()) return;
          if (e.code === 4410 || e.code === 4404) conn._gone();
          else conn._lost(); // a refused upgrade too: the retry's GET /page tells 403/410 apart
        };
        return h;
      },
      close: function (h) {
        clearTimeout(h.timer);
        socketLost(h);
        var ws = h.ws;
        ws.onclose = ws.onmessage = ws.onopen = null;
        try { ws.close(1000); } catch (e) { /* closing already */ }
      }
    },

    /**
     * The browser's one shared stream to this server (see Hub): inserted before 'sse' in the list
     * unless `share: false`, where the browser has Web Locks and BroadcastChannel.
     */
    shared: {
      supported: canShare,
      accepts: function (crossOrigin) { return !crossOrigin; },
      open: function (conn, live) {
        var hub = hubFor(conn.base);
        return { hub: hub, member: hub.attach(conn, live) };
      },
      close: function (h) { h.hub.detach(h.member); }
    },

    /** Frames arrive as calls of Halley.frame/heartbeat/rotate from the iframe's document. */
    iframe: {
      supported: function () { return hasDocument && typeof document.createElement === 'function'; },
      accepts: function (crossOrigin) { return !crossOrigin; }, // a cross-origin iframe cannot call its parent
      open: function (conn, live) {
        var fr = document.createElement('iframe');
        fr.setAttribute('aria-hidden', 'true');
        fr.tabIndex = -1;
        fr.style.cssText = 'display:none;position:absolute;width:0;height:0;border:0';
        fr.src = conn._url('/iframe'); // set before insertion: no about:blank load event
        fr.addEventListener('load', function () { if (live()) conn._lost(); }); // stream ended
        var insert = function () { if (live()) (document.body || document.documentElement).appendChild(fr); };
        // A forever-iframe inserted while the document is still loading keeps it loading for
        // ever (its load event never fires): wait for the document's own load first.
        if (document.readyState === 'complete') insert();
        else root.addEventListener('load', insert, { once: true });
        return fr;
      },
      close: function (fr) {
        try { fr.src = 'about:blank'; } catch (e) { /* ignore */ }
        fr.remove();
      }
    },

    poll: {
      supported: function () { return typeof root.fetch === 'function'; },
      accepts: function () { return true; }, // cross-origin with credentials: 'include'
      readsStatus: true,
      open: function (conn, live) {
        var handle = { abort: null, held: null };
        poll(conn, live, handle);
        return handle;
      },
      close: function (handle) {
        clearTimeout(handle.held);
        clearTimeout(handle.next);
        if (handle.abort) handle.abort.abort();
      }
    }
  };

  /** One long-poll request of a poll instance; the next one follows at once after a 200. */
  function poll(conn, live, handle) {
    var ctl = handle.abort = typeof AbortController === 'function' ? new AbortController() : null;
    clearTimeout(handle.held);
    handle.held = setTimeout(function () { if (live()) conn._back(); }, POLL_HELD_MS);
    fetchJson('GET', conn._url('/poll'), undefined, null, ctl ? ctl.signal : undefined, conn._credentials())
      .then(function (r) {
        clearTimeout(handle.held);
        if (!live()) return;
        if (r.status === 200) {
          conn._back();
          var frames = (r.json && r.json.frames) || [];
          for (var i = 0; i < frames.length && live(); i++) conn._frame(frames[i]);
          if (!live()) return;
          var advice = r.json && r.json.advice;
          if (advice && advice.poll > 0) {
            // past the browser's stream budget: the server answered at once; poll again after its interval
            conn._advise(advice);
            if (live()) handle.next = setTimeout(function () { if (live()) poll(conn, live, handle); }, advice.poll);
          } else if (conn._advice) {
            conn._unadvise(); // held like any long-poll: the budget has room again, stream again
          } else {
            poll(conn, live, handle); // loop at once
          }
        } else if (r.status === 410 || r.status === 404) conn._gone();
        else if (r.status === 403) conn._fatal(httpError(r.status, r.json));
        else conn._lost();
      }, function () {
        clearTimeout(handle.held);
        if (live()) conn._lost(); // network failure (aborts are stale: live() is false)
      });
  }

  // ---------------------------------------------------------------- requests on the page's WebSocket

  /**
   * Sends one request on an open socket `h`: `{id, op, name?, token, body}` (op: call, action,
   * publish, subscribe, unsubscribe; body: what the HTTP endpoint's body holds). Resolves the
   * reply's body for a 2xx status; rejects as a refused POST would (err.status, the server's
   * reason), or with err.lost when the socket closes first (whether the request ran is unknown).
   */
  function socketAsk(conn, h, op, name, body) {
    return new Promise(function (resolve, reject) {
      var id = newId('q'), msg = { id: id, op: op, token: conn.token || '', body: body };
      if (name != null) msg.name = name;
      h.asked.set(id, { resolve: resolve, reject: reject });
      try { h.ws.send(JSON.stringify(msg)); } catch (e) { h.asked.delete(id); reject(e); }
    }).then(function (r) {
      if (r.status >= 200 && r.status < 300) return r.body;
      throw httpError(r.status, r);
    });
  }

  /** A reply on the socket: to the request with its id; one without (413, unreadable) answers the oldest, replies being in order. */
  function socketReply(h, m) {
    var id = m.reply;
    if (id == null) { var first = h.asked.keys().next(); id = first.done ? undefined : first.value; }
    if (id === undefined || !h.asked.has(id)) return; // a request of a socket no longer ours
    var entry = h.asked.get(id);
    h.asked.delete(id);
    entry.resolve(m);
  }

  /** The socket closed: its unanswered requests fail (err.lost). */
  function socketLost(h) {
    h.asked.forEach(function (entry) {
      var err = new Error('halley: the WebSocket closed before the reply');
      err.lost = true;
      entry.reject(err);
    });
    h.asked.clear();
  }

  // ---------------------------------------------------------------- shared stream (one per browser and server)

  /** Whether this browser can share a stream between its tabs (asked at connect, like every supported()). */
  function canShare() {
    return typeof root.BroadcastChannel === 'function' && typeof root.EventSource === 'function' &&
      typeof root.AbortController === 'function' &&
      !!(root.navigator && root.navigator.locks && typeof root.navigator.locks.request === 'function');
  }
  var JOIN_WAIT_MS = 5000; // a page not on a shared stream after this long: a failed open (three: fall back to sse)
  var PING_MS = 1000;      // a waiting tab that heard nothing from the leader this long asks it {t:'ping'}
  var TAKEOVER_MS = 4000;  // a ping unanswered this long: the leader is frozen or hung, its lock is stolen
  var RENEW_MS = 30000;    // POST /here for each page on the stream, until the server says (a quarter of sharedPageTimeout)
  var hubs = new Map();    // absolute base -> this tab's Hub for that server

  function hubFor(base) {
    var key = absolute(base), hub = hubs.get(key);
    if (!hub) { hub = new Hub(base, key); hubs.set(key, hub); }
    return hub;
  }

  /**
   * This tab's side of its browser's shared stream to one server. The tabs elect one of them with
   * the Web Lock 'halley-share:<base>' (held while it leads; released when the tab closes, freezes
   * or has no page left, and the next tab in the lock's queue takes over). The leader holds
   * `GET /shared` with one of its pages and hands every other page's frames to the other tabs on
   * the BroadcastChannel of the same name; every other tab puts its own page on that stream
   * (`POST /join` with its token, from its own last sequence) each time a leader says a stream is
   * up. Each page keeps its sequence, so a new leader's stream resumes every page where it was,
   * nothing lost or applied twice. A leader that stops answering (frozen without a `freeze`
   * event, or hung): a waiting tab that has heard nothing from it for PING_MS pings it, and
   * after TAKEOVER_MS without an answer steals the lock (`steal: true`) and leads; the old
   * leader, when it runs again, finds its lock gone and waits in the queue as a follower.
   * Messages: {t:'lead'}, {t:'up', id}, {t:'down', id}, {t:'hello'} (is a stream up?), {t:'ping'},
   * {t:'pong'}, {t:'frame', page, frame}, {t:'gone', page}, {t:'advice', advice}.
   * Every tab renews its own pages on the stream (`POST /here`, every `renewEvery` ms the server
   * gives): the server takes off a page whose tab went silent (crashed, or killed without
   * `pagehide`); a renewal answered 409 (taken off while frozen) joins the page again from its last
   * sequence.
   */
  function Hub(base, key) {
    var self = this;
    this.base = base;
    this.name = 'halley-share:' + key;
    this.members = new Set(); // {conn, live, joined: stream id, timer}
    this.leading = false;
    this.es = null;
    this.upId = null;         // the stream known to be up (ours or another tab's)
    this.release = null;      // ends our lock request, queued or held
    this.heardAt = Date.now(); // when the leader last spoke (any message of a leader)
    this.pingAt = 0;          // when our unanswered ping went out (0: none)
    this.patience = TAKEOVER_MS + Math.random() * 2000; // spread: the waiting tabs do not all steal at once
    this.watchTimer = null;   // the leader's watchdog, while this tab has pages on the stream
    this.renewMs = RENEW_MS;  // the server's renewEvery, once heard
    this.renewTimer = null;   // the next renewal of this tab's pages
    this.bc = new root.BroadcastChannel(this.name);
    this.bc.onmessage = function (e) { self._message(e.data || {}); };
    root.addEventListener('pagehide', function () { self._leaveAll(); self._resign(); });
    root.addEventListener('freeze', function () { self._resign(); });
    root.addEventListener('resume', function () { self._elect(); self._renew(); });
    root.addEventListener('pageshow', function (e) { if (e.persisted) self._elect(); });
  }

  Hub.prototype = {
    /** A connection's transport instance opens: its page goes on the shared stream. */
    attach: function (conn, live) {
      var self = this, m = { conn: conn, live: live, joined: null, timer: null };
      this.members.add(m);
      m.timer = setTimeout(function () {
        if (live() && !m.joined) m.conn._lost();
      }, JOIN_WAIT_MS);
      if (!this.watchTimer) this.watchTimer = setInterval(function () { self._watch(); }, PING_MS);
      this._elect();
      if (this.leading) {
        if (!this.es) this._openStream();
        else if (this.upId) this._join(m, this.upId);
      } else {
        this.bc.postMessage({ t: 'hello' });
      }
      return m;
    },

    /** That instance closes (reconnect, fallback, close()): a closed connection's page leaves the stream. */
    detach: function (m) {
      clearTimeout(m.timer);
      if (!this.members.delete(m)) return;
      if (!m.conn._active()) leave(this.base, m.conn);
      if (!this.members.size) this._resign();
    },

    /** Queue for the lock (or, with `steal`, take it from its holder now); lead once granted. */
    _elect: function (steal) {
      if (this.release || !this.members.size) return; // leading or queued already
      var self = this, ctl = steal ? null : new AbortController(), done = null;
      var release = this.release = function () { if (ctl) ctl.abort(); if (done) done(); };
      root.navigator.locks.request(this.name, steal ? { steal: true } : { signal: ctl.signal }, function () {
        if (self.release !== release) return undefined; // resigned meanwhile
        return new Promise(function (resolve) { done = resolve; self._lead(); });
      }).catch(function () {
        if (self.release === release) self._deposed(); // stolen by another tab (we were frozen or hung)
        // else: aborted by us while queued
      });
    },

    /** Another tab stole our lock: stop leading; our pages reconnect and join its stream. */
    _deposed: function () {
      this.release = null;
      var was = this.leading;
      this.leading = false;
      this._closeStream();
      if (was) this._message({ t: 'down', own: true });
      this._elect();
    },

    /** Every PING_MS while this tab has pages: a waiting tab checks that the leader still answers. */
    _watch: function () {
      if (!this.members.size) { clearInterval(this.watchTimer); this.watchTimer = null; return; }
      if (this.leading || !this.release) { this.pingAt = 0; return; }
      var now = Date.now();
      if (this.pingAt && now - this.pingAt > this.patience) {
        this.pingAt = 0;
        var queued = this.release;
        this.release = null;
        queued(); // out of the queue, then the lock taken from its silent holder
        console.warn('halley: the tab holding the shared stream does not answer; taking it over');
        this._elect(true);
      } else if (!this.pingAt && now - this.heardAt > PING_MS) {
        this.pingAt = now;
        this.bc.postMessage({ t: 'ping' });
      }
    },

    _lead: function () {
      this.leading = true;
      this.upId = null;
      this.bc.postMessage({ t: 'lead' }); // a leader speaks: the waiting tabs' pings are answered
      if (this.members.size) this._openStream();
    },

    _resign: function () {
      if (this.leading) {
        var id = this.upId;
        this.leading = false;
        this._closeStream();
        if (id) this.bc.postMessage({ t: 'down', id: id });
      }
      var release = this.release;
      this.release = null;
      if (release) release();
    },

    _openStream: function () {
      var self = this, first = null;
      this.members.forEach(function (m) { if (!first && m.live()) first = m; });
      if (!first) return;
      var es = this.es = new root.EventSource(this.base + '/shared?page=' + encodeURIComponent(first.conn.page) +
        '&since=' + first.conn.lastSeq);
      var mine = function () { return self.es === es; };
      es.onopen = function () {
        if (!mine()) return;
        var id = self.upId = newId('s');
        self.members.forEach(function (m) {
          if (m === first) { m.joined = id; clearTimeout(m.timer); if (m.live()) m.conn._back(); self._here(m); }
          else self._join(m, id);
        });
        self.bc.postMessage({ t: 'up', id: id });
      };
      es.onmessage = function (e) {
        if (!mine()) return;
        var f = parseAdvice(e.data); // any JSON object: {page, seq, cmds}
        if (f && typeof f.page === 'string') self._route({ t: 'frame', page: f.page, frame: f });
      };
      es.addEventListener('gone', function (e) {
        var g = mine() && parseAdvice(e.data);
        if (g && typeof g.page === 'string') self._route({ t: 'gone', page: g.page });
      });
      es.addEventListener('advice', function (e) {
        var a = mine() && parseAdvice(e.data);
        if (!a) return;
        self._closeStream();
        self.bc.postMessage({ t: 'advice', advice: a });
        self._message({ t: 'advice', advice: a });
      });
      es.onerror = function () {
        if (!mine()) return;
        var id = self.upId;
        self._closeStream();
        if (id) self.bc.postMessage({ t: 'down', id: id });
        self._message({ t: 'down', own: true });
      };
    },

    _closeStream: function () {
      if (this.es) this.es.close();
      this.es = null;
      this.upId = null;
    },

    /** A message of the leader's stream: to this tab's page it is for, else to the other tabs. */
    _route: function (msg) {
      var own = false;
      this.members.forEach(function (m) { if (m.conn.page === msg.page) own = true; });
      if (own) this._message(msg);
      else this.bc.postMessage(msg);
    },

    _message: function (msg) {
      var self = this;
      if (msg.t !== 'hello' && msg.t !== 'ping') { this.heardAt = Date.now(); this.pingAt = 0; } // a leader spoke
      switch (msg.t) {
        case 'hello':
          if (this.leading && this.upId) this.bc.postMessage({ t: 'up', id: this.upId });
          break;
        case 'ping':
          // answered from a timer: a frozen tab may still get BroadcastChannel messages, but runs no timers
          if (this.leading) setTimeout(function () { if (self.leading) self.bc.postMessage({ t: 'pong' }); }, 0);
          break;
        case 'up':
          if (this.leading) break;
          this.upId = msg.id;
          this.members.forEach(function (m) { if (m.joined !== msg.id) self._join(m, msg.id); });
          break;
        case 'down':
          // another tab's stream ended: not ours, nor one already replaced (a deposed leader's late word)
          if (!msg.own && (this.leading || !msg.id || msg.id !== this.upId)) break;
          this.upId = null;
          this.members.forEach(function (m) {
            if (!m.joined) return;
            m.joined = null;
            if (m.live()) m.conn._lost(); // reconnects: joins the next leader's stream from its last sequence
          });
          break;
        case 'frame':
        case 'gone':
          this.members.forEach(function (m) {
            if (m.conn.page !== msg.page || !m.live()) return;
            if (msg.t === 'frame') m.conn._frame(msg.frame);
            else m.conn._gone();
          });
          break;
        case 'advice':
          this.members.forEach(function (m) { if (m.live()) m.conn._advise(msg.advice); });
          break;
      }
    },

    /** POST /join for m's page from its last sequence, onto the stream `id`. */
    _join: function (m, id) {
      var self = this, conn = m.conn;
      conn.post('/join', { since: conn.lastSeq, renew: true }).then(function (r) {
        self._renewEvery(r);
        if (!m.live() || self.upId !== id) return;
        m.joined = id;
        clearTimeout(m.timer);
        conn._back();
      }, function (err) {
        if (!m.live()) return;
        if (err.status === 409) return; // no stream now: the next 'up' tries again
        if (err.status === 410 || err.status === 404) conn._gone();
        else if (err.status === 403) conn._fatal(err);
        else conn._lost();
      });
    },

    /** POST /here for m's page: still there. 409: taken off (this tab was silent too long), so it joins again. */
    _here: function (m) {
      var self = this, conn = m.conn, id = m.joined;
      conn.post('/here', {}).then(function (r) { self._renewEvery(r); }, function (err) {
        if (!m.live() || m.joined !== id) return;
        if (err.status === 409) {
          m.joined = null;
          if (self.upId) self._join(m, self.upId);
        } else if (err.status === 410 || err.status === 404) {
          conn._gone();
        } // else: a network error; the next renewal tries again
      });
    },

    /** Adopts the server's renewal interval, and keeps the renewals going while this tab has pages. */
    _renewEvery: function (r) {
      var ms = r && typeof r.renewEvery === 'number' && r.renewEvery > 0 ? r.renewEvery : 0;
      if (ms && ms !== this.renewMs) {
        this.renewMs = ms;
        clearTimeout(this.renewTimer);
        this.renewTimer = null;
      }
      var self = this;
      if (!this.renewTimer && this.members.size) {
        this.renewTimer = setTimeout(function () { self.renewTimer = null; self._renew(); }, this.renewMs);
      }
    },

    /** Renews every page of this tab on the stream now, then schedules the next renewal. */
    _renew: function () {
      var self = this;
      clearTimeout(this.renewTimer);
      this.renewTimer = null;
      this.members.forEach(function (m) { if (m.joined && m.live()) self._here(m); });
      this._renewEvery(null);
    },

    /** The tab goes away: its pages leave the stream now rather than stay held by it. */
    _leaveAll: function () {
      var base = this.base;
      this.members.forEach(function (m) { leave(base, m.conn); });
    }
  };

  /** POST /leave for conn's page (keepalive: it may run as the tab closes). */
  function leave(base, conn) {
    if (!conn.page || !conn.token || typeof root.fetch !== 'function') return;
    try {
      root.fetch(base + '/leave', { method: 'POST', keepalive: true, credentials: 'same-origin',
        headers: Object.assign(conn._headers(), { 'Content-Type': 'application/json', 'X-Halley-Token': conn.token }),
        body: JSON.stringify({ page: conn.page }) }).catch(function () {});
    } catch (e) { /* leaving is best effort */ }
  }

  // ---------------------------------------------------------------- connection

  function Connection(options) {
    var opts = Object.assign({}, options || {});
    var boot = root.HALLEY_PAGE;
    if (!opts.page && boot && typeof boot === 'object' && boot.page) {
      opts.page = boot.page;
      opts.token = boot.token;
      if (boot.touch > 0) opts.touch = boot.touch;
      opts.user = boot.user;
      if (!opts.base && boot.base) opts.base = boot.base;
    }
    if (!opts.base && !(Array.isArray(opts.servers) && opts.servers.length) && SCRIPT_BASE !== null) opts.base = SCRIPT_BASE;
    this.options = opts = defaults(opts, DEFAULTS);
    opts.backoff = defaults(opts.backoff, DEFAULTS.backoff);
    // Balancing (Jii): `servers` lists the bases of several nodes; one is picked at random and the
    // others take over when it fails. A page given up front (server-rendered) belongs to `base`,
    // so it is kept only when `base` is one of the servers, which is then the one used first.
    var servers = [], start = -1;
    (Array.isArray(opts.servers) ? opts.servers : []).forEach(function (s) {
      if (typeof s === 'string' && s && servers.indexOf(trimBase(s)) < 0) servers.push(trimBase(s));
    });
    if (servers.length) {
      if (opts.page) {
        var own = absolute(opts.base);
        start = servers.map(absolute).indexOf(own);
        if (start < 0) opts.page = opts.token = undefined; // another server's page: open our own
      }
      if (start < 0) start = Math.floor(Math.random() * servers.length);
    } else {
      servers = [trimBase(opts.base)];
      start = 0;
    }
    this.servers = servers;
    this.page = opts.page;
    this.token = opts.token;
    this.user = opts.page ? (opts.user || null) : null; // the page's user's name (null: anonymous)
    this.lastSeq = 0;
    this.connected = false;
    this._pending = new Map();     // call/request id -> {resolve, reject}; used by call()/request()
    this._handlers = new Map();    // event name -> [fn]
    this._channels = new Map();    // channel -> [fn]
    this._reconnectActions = [];   // commands from `onreconnect`, applied after a page-gone re-open
    this._subs = new Set();        // channels subscribed with subscribe(): re-subscribed after a re-open
    this._ids = new Map();         // channel -> {last, seen}: newest message id and recent ids (duplicates)
    this._closed = false;          // close() was called
    this._stopped = false;         // a fatal error (403...) stopped it
    this._gen = 0;                 // bumped on every transport teardown; stale callbacks compare against it
    this._attempt = 0;             // backoff exponent
    this._failStreak = 0;          // transport attempts in a row that never opened
    this._goneStreak = 0;          // page re-opens in a row without getting back
    this._hops = 0;                // fail-overs to another server since the transport was last alive
    this._tried = new Set();       // indexes of the servers tried in this outage (fail-over order)
    this._everOpened = false;      // 'open' fired once; afterwards it is 'reconnect'
    this._streamOpen = false;      // the current transport instance has delivered something
    this._needPage = !this.page;   // the next retry must POST /page
    this._noticeTimer = null;
    this._noticeShown = false;
    this._retryTimer = null;
    this._stream = null;           // the open transport instance: {transport: entry of TRANSPORTS, handle}
    this._advice = null;           // {poll: ms} while the server advises polling (the browser's stream budget)

    var asked = [].concat(opts.transport || DEFAULTS.transport), names = asked.slice();
    // the tabs of a browser share one stream (Hub, over SSE) wherever SSE would be used, unless
    // share: false; it comes first, before a WebSocket too: one stream for all the tabs
    if (opts.share !== false && names.indexOf('sse') >= 0 && names.indexOf('shared') < 0) {
      var ws = names.indexOf('ws'), at = ws >= 0 && ws < names.indexOf('sse') ? ws : names.indexOf('sse');
      names.splice(at, 0, 'shared');
    }
    this._names = names.filter(function (n) {
      if (!Object.prototype.hasOwnProperty.call(TRANSPORTS, n)) { console.warn('halley: unknown transport', n); return false; }
      return TRANSPORTS[n].supported();
    });
    this._useServer(start);

    var self = this;
    this.ready = new Promise(function (resolve, reject) { self._readyResolve = resolve; self._readyReject = reject; });
    this.ready.catch(function () { /* surfaced through the 'error' event too */ });
    var on = opts.on || {};
    Object.keys(on).forEach(function (name) { self.on(name, on[name]); });

    connections.add(this);
    if (!this.transport) {
      var fatal = this._fatal.bind(this, new Error('halley: no supported transport in ' + asked.join(',')));
      setTimeout(fatal, 0); // let the caller attach handlers first
    } else if (this._needPage) {
      this._reopen();
    } else {
      this._readyResolve(this);
      this._open();
      // a page opened by the server: keep its session alive as the bootstrap says, or ask
      if (opts.touch > 0) this._keepSession(opts.touch); else this._askTouch();
    }
  }

  Connection.prototype = {
    constructor: Connection,

    // ---- public API

    on: function (name, fn) {
      if (typeof fn !== 'function') return this;
      if (!this._handlers.has(name)) this._handlers.set(name, []);
      this._handlers.get(name).push(fn);
      return this;
    },

    off: function (name, fn) {
      var list = this._handlers.get(name);
      if (list) this._handlers.set(name, fn ? list.filter(function (f) { return f !== fn; }) : []);
      return this;
    },

    onChannel: function (channel, fn) {
      if (typeof fn !== 'function') return this;
      if (!this._channels.has(channel)) this._channels.set(channel, []);
      this._channels.get(channel).push(fn);
      return this;
    },

    offChannel: function (channel, fn) {
      var list = this._channels.get(channel);
      if (list) this._channels.set(channel, fn ? list.filter(function (f) { return f !== fn; }) : []);
      return this;
    },

    /** POST base+path with {page, ...body} and the page token; resolves parsed JSON. */
    post: function (path, body) {
      var self = this;
      return this.ready.then(function () {
        var url = self.base + (String(path).charAt(0) === '/' ? path : '/' + path);
        var payload = Object.assign({ page: self.page }, body || {});
        return fetchJson('POST', url, payload, Object.assign(self._headers(), { 'X-Halley-Token': self.token || '' }),
          undefined, self._credentials());
      }).then(function (r) {
        if (r.status >= 200 && r.status < 300) return r.json;
        throw httpError(r.status, r.json);
      });
    },

    /**
     * Run the server callback `name` with `args`. Resolves with the callback's result (its `done`),
     * rejects with an Error(message) on its `fail`, or on an HTTP refusal (err.status: 400 bad
     * arguments, 404 unknown callback, 413 too large, 429 no thread free).
     */
    call: function (name) {
      var args = Array.prototype.slice.call(arguments, 1);
      return this._settled('c', function (id) {
        return { op: 'call', name: name, path: '/call/' + encodeURIComponent(name), body: { args: args, call: id } };
      });
    },

    /**
     * Run the server action `route` (it may run on any node). Resolves with its result, rejects
     * on its error, on an HTTP refusal (err.status) or after opts.timeout ms (default 10000).
     */
    request: function (route, params, opts) {
      var timeout = (opts && opts.timeout) || this.options.requestTimeout;
      return this._settled('r', function (id) {
        return { op: 'action', name: route, path: '/action/' + encodeURIComponent(route),
          body: { params: params === undefined ? null : params, request: id } };
      }, timeout);
    },

    /**
     * Subscribe this page to `channel`; fn(data, {channel, id}) gets each message once. After the
     * page is re-opened (it died) the subscription is renewed from the last id seen, so messages
     * published meanwhile still arrive (while the server's channel history holds them).
     * Rejects with err.status 403 when the channel policy refuses, 400 for a bad name, 429 past
     * the server's limit.
     */
    subscribe: function (channel, fn) {
      var self = this, isNew = !this._subs.has(channel);
      if (typeof fn === 'function') this.onChannel(channel, fn);
      this._subs.add(channel);
      return this._subscribe(channel).catch(function (err) {
        if (isNew) { self._subs.delete(channel); self._channels.delete(channel); }
        else if (typeof fn === 'function') self.offChannel(channel, fn);
        throw err;
      });
    },

    /** End a subscribe(); its handlers are removed (a later subscribe starts afresh). */
    unsubscribe: function (channel) {
      this._subs.delete(channel);
      this._channels.delete(channel);
      this._ids.delete(channel);
      return this._ask('unsubscribe', null, '/unsubscribe', { channel: channel });
    },

    /** Publish `data` on `channel`; rejects with err.status 403 when the channel policy refuses. */
    publish: function (channel, data) {
      return this._ask('publish', null, '/publish', { channel: channel, data: data === undefined ? null : data });
    },

    /**
     * Where this page's frames come from while `transport` is 'shared': 'leader' (this tab holds
     * the browser's shared stream), 'follower' (another tab does), or null (not sharing now).
     */
    sharedRole: function () {
      var h = this._stream && this._stream.handle;
      return h && h.hub ? (h.hub.leading ? 'leader' : 'follower') : null;
    },

    /** Stop everything; no further reconnects. */
    close: function () {
      if (this._closed) return;
      this._closed = true;
      this._halt();
      this._rejectPending(new Error('halley: connection closed'));
      this._readyReject(new Error('halley: connection closed'));
      this._emit('close', this);
    },

    // ---- events

    _emit: function (name, arg) {
      (this._handlers.get(name) || []).slice().forEach(function (fn) {
        try { fn(arg); } catch (e) { console.error('halley: ' + name + ' handler failed', e); }
      });
    },

    _active: function () { return !this._closed && !this._stopped; },

    /**
     * One of the page's own requests (op: call, action, publish, subscribe, unsubscribe): on the
     * page's WebSocket while that is its open transport, else `POST path` (post()). Both answer
     * the same (the server runs the same code), so callers do not know which way it went.
     */
    _ask: function (op, name, path, body) {
      var self = this;
      return this.ready.then(function () {
        var st = self._stream, h = st && st.transport === TRANSPORTS.ws ? st.handle : null;
        if (h && h.ws.readyState === 1 && self.connected) return socketAsk(self, h, op, name, body);
        return self.post(path, body);
      });
    },

    /**
     * Register a pending id before posting (a `done`/`reply` may arrive before the 202), post,
     * and reject on an HTTP refusal or after `timeout` ms (none when undefined).
     */
    _settled: function (prefix, build, timeout) {
      var self = this, id = newId(prefix), timer = null;
      var req = build(id);
      return new Promise(function (resolve, reject) {
        var finish = function (fn) {
          return function (v) { clearTimeout(timer); self._pending.delete(id); fn(v); };
        };
        self._pending.set(id, { resolve: finish(resolve), reject: finish(reject) });
        if (timeout > 0) {
          timer = setTimeout(function () {
            var err = new Error('halley: ' + req.path + ' timed out after ' + timeout + ' ms');
            err.timeout = true;
            finish(reject)(err);
          }, timeout);
        }
        self._ask(req.op, req.name, req.path, req.body).catch(function (err) {
          if (self._pending.has(id)) finish(reject)(err);
        });
      });
    },

    _subscribe: function (channel) {
      var self = this, state = this._ids.get(channel), body = { channel: channel };
      if (state && state.last != null) body.since = state.last;
      return this._ask('subscribe', null, '/subscribe', body).then(function (r) {
        var st = self._idState(channel);
        if (st.last == null && r && typeof r.last === 'number') st.last = r.last; // resume point if nothing was seen
        return r;
      });
    },

    /**
     * After a page re-open: subscribe again, from the last id seen (the server replays the rest).
     * A refusal (4xx) ends that subscription with an 'unsubscribed' event; other failures retry.
     */
    _resubscribe: function () {
      var self = this, page = this.page;
      this._subs.forEach(function (channel) {
        var attempt = function (delay) {
          self._subscribe(channel).catch(function (err) {
            if (!self._active() || self.page !== page || !self._subs.has(channel)) return;
            if (err.status >= 400 && err.status < 500) {
              self._subs.delete(channel);
              self._emit('unsubscribed', { channel: channel, error: err });
            } else {
              setTimeout(function () { attempt(Math.min(delay * 2, self.options.backoff.max)); }, delay);
            }
          });
        };
        attempt(self.options.backoff.initial);
      });
    },

    _idState: function (channel) {
      var st = this._ids.get(channel);
      if (!st) { st = { last: null, seen: new Set() }; this._ids.set(channel, st); }
      return st;
    },

    /** False for a message id of `channel` already seen (catch-up overlap); records it otherwise. */
    _firstSight: function (channel, id) {
      if (typeof id !== 'number') return true;
      var st = this._idState(channel);
      if (st.seen.has(id) || (st.last != null && id <= st.last - SEEN_WINDOW)) return false;
      st.seen.add(id);
      if (st.last == null || id > st.last) st.last = id;
      if (st.seen.size > 2 * SEEN_WINDOW) {
        var floor = st.last - SEEN_WINDOW;
        st.seen.forEach(function (v) { if (v <= floor) st.seen.delete(v); });
      }
      return true;
    },

    _rejectPending: function (err) {
      this._pending.forEach(function (entry) { try { entry.reject(err); } catch (e) { /* ignore */ } });
      this._pending.clear();
    },

    // ---- frames

    _frame: function (raw) {
      var f = raw;
      if (typeof f === 'string') {
        try { f = JSON.parse(f); } catch (e) { console.error('halley: bad frame', raw); return; }
      }
      if (!f || typeof f.seq !== 'number') { console.warn('halley: frame without seq', raw); return; }
      this._back();
      // A resync frame is numbered just before the first buffered frame (Outbox.since), which may
      // be at or below lastSeq: always apply it and rewind lastSeq so the frames after it apply.
      if (f.seq <= this.lastSeq && !isResync(f)) return; // already applied (replay overlap)
      this.lastSeq = f.seq;
      applyCommands(f.cmds, this);
      this._emit('frame', f);
    },

    /** The transport proved alive: reset backoff, fire open/reconnect, settle the notice bar. */
    _back: function () {
      if (!this._active()) return;
      this._streamOpen = true;
      this._attempt = 0;
      this._failStreak = 0;
      this._goneStreak = 0;
      this._hops = 0;
      if (this.connected) return;
      this.connected = true;
      clearTimeout(this._noticeTimer);
      this._noticeTimer = null;
      if (this._noticeShown) {
        this._noticeShown = false;
        showNotice(this.options.reconnectedText, 'info', RECONNECTED_MS);
      }
      if (this._everOpened) this._emit('reconnect', this);
      else { this._everOpened = true; this._emit('open', this); }
    },

    // ---- servers

    /**
     * Make servers[i] the one in use: base, credentials mode, and its transports (those of the
     * preference list that accept its origin: no iframe for a cross-origin server).
     */
    _useServer: function (i) {
      var cross = isCrossOrigin(this.servers[i]);
      this._si = i;
      this.server = this.base = this.servers[i];
      this._cross = cross;
      this._transports = this._names.filter(function (n) { return TRANSPORTS[n].accepts(cross); });
      this._tIndex = 0;
      this._failStreak = 0;
      this._advice = null;
      this.transport = this._transports[0];
    },

    /** credentials mode of fetch for the server in use. */
    _credentials: function () { return this._cross ? 'include' : 'same-origin'; },

    /** The extra headers of every POST (options.headers: an object, or a function returning one), e.g. a CSRF token. */
    _headers: function () {
      var h = this.options.headers;
      return Object.assign({}, typeof h === 'function' ? h() : h);
    },

    /**
     * The server in use failed (network error, connection refused, 5xx, not serving Halley):
     * with other servers listed, fail over to one of them; else try this one again later.
     */
    _serverDown: function () {
      if (!this._active()) return;
      this._markDisconnected();
      if (this.servers.length < 2) this._schedule();
      else this._failover();
    },

    /**
     * Move to another server: a random one of the others first, then the next ones in list order
     * not yet tried in this outage, then round the list again (with the usual capped backoff
     * between attempts), and open a new page there. Pending calls and requests are rejected
     * (their replies would go to the old page); 'failover' fires; the re-open runs the reconnect
     * actions and subscribes the channels again from the last id seen.
     */
    _failover: function () {
      var n = this.servers.length, from = this.base, page = this.page, next = -1;
      if (this._hops === 0) {
        next = (this._si + 1 + Math.floor(Math.random() * (n - 1))) % n;
        this._tried = new Set([this._si]);
      } else {
        for (var k = 1; k < n && next < 0; k++) if (!this._tried.has((this._si + k) % n)) next = (this._si + k) % n;
        if (next < 0) { next = (this._si + 1) % n; this._tried = new Set([this._si]); } // all failed once: again
      }
      this._tried.add(next);
      this._hops++;
      this._teardown();
      this._rejectPending(new Error('halley: server ' + from + ' failed'));
      this._useServer(next);
      this._needPage = true;
      if (!this.transport) { this._fatal(new Error('halley: no supported transport for ' + this.base)); return; }
      console.warn('halley: failing over from', from, 'to', this.base);
      this._emit('failover', { from: from, to: this.base, page: page });
      if (!this._active()) return; // a handler closed us
      if (this._hops === 1) this._reopen(); else this._schedule();
    },

    // ---- transports

    _url: function (path) {
      return this.base + path + '?page=' + encodeURIComponent(this.page) + '&since=' + this.lastSeq;
    },

    /** Open the current transport (tearing down any previous instance). */
    _open: function () {
      this._teardown();
      if (!this._active()) return;
      var gen = this._gen, self = this, transport = TRANSPORTS[this.transport];
      this._streamOpen = false;
      var live = function () { return gen === self._gen; };
      var handle = transport.open(this, live);
      if (live()) this._stream = { transport: transport, handle: handle };
      else transport.close(handle); // it failed at once, and was torn down already
    },

    /** The server is about to end this stream (iframe rotation): open a fresh one at once. */
    _rotate: function () {
      if (!this._stream || !this._active()) return;
      var gen = ++this._gen, self = this; // the old instance's coming end (load event) is now stale
      // defer: we are inside a script of the old iframe, which _open() removes
      setTimeout(function () { if (gen === self._gen) self._open(); }, 0);
    },

    /**
     * The server advised polling (`{poll: ms}`): this browser holds its budget of page streams
     * (`maxStreamsPerBrowser`, over HTTP/1.1), so this page polls every `ms` instead, each poll
     * answered at once, until a poll is held again (the budget has room: _unadvise). Fires 'advice'.
     */
    _advise: function (advice) {
      if (!this._active() || !advice || !(advice.poll > 0)) return;
      var first = !this._advice;
      this._advice = { poll: advice.poll };
      this._back(); // the server answered: connected
      if (first) this._emit('advice', { poll: advice.poll });
      if (this.transport === 'poll' || !TRANSPORTS.poll.supported()) return;
      console.info('halley: this browser holds its budget of streams; polling every ' + advice.poll + ' ms');
      this.transport = 'poll';
      var gen = ++this._gen, self = this; // the streaming instance's coming end is now stale
      // defer: an iframe's advice runs inside its document, which _open() removes
      setTimeout(function () { if (gen === self._gen) self._open(); }, 0);
    },

    /** The budget has room again: back to the preferred transport (at once, unless that is poll). */
    _unadvise: function () {
      this._advice = null;
      var preferred = this._transports[this._tIndex];
      if (preferred === this.transport) return;
      this.transport = preferred;
      this._open();
    },

    /** Drop the current transport instance; its late callbacks are ignored (generation bump). */
    _teardown: function () {
      this._gen++;
      var stream = this._stream;
      this._stream = null;
      if (stream) stream.transport.close(stream.handle);
    },

    /** Stop transports and timers (close and fatal errors). */
    _halt: function () {
      this._teardown();
      this._keepSession(0);
      clearTimeout(this._retryTimer);
      clearTimeout(this._noticeTimer);
      this._retryTimer = this._noticeTimer = null;
      if (this._noticeShown) { this._noticeShown = false; hideNotice(); }
      this.connected = false;
      connections.delete(this);
    },

    // ---- reconnect procedure

    _markDisconnected: function () {
      var self = this;
      if (this.connected) { this.connected = false; this._emit('disconnect', this); }
      if (!this._noticeTimer && !this._noticeShown) {
        this._noticeTimer = setTimeout(function () {
          self._noticeTimer = null;
          if (self._active() && !self.connected) {
            self._noticeShown = true;
            showNotice(self.options.noticeText, 'warn');
          }
        }, this.options.noticeDelay);
      }
    },

    /** The stream ended or failed: back off, probe, reopen (falls back to the next transport). */
    _lost: function () {
      if (!this._active()) return;
      var wasOpen = this._streamOpen;
      this._teardown();
      this._markDisconnected();
      if (this._advice) { this._advice = null; this.transport = this._transports[this._tIndex]; } // ask again
      var t = TRANSPORTS[this.transport], fails = t.failsBeforeFallback || FAILS_BEFORE_FALLBACK;
      if (!wasOpen && ++this._failStreak >= fails && this._tIndex < this._transports.length - 1) {
        if (t.fallbackWhenUp) { // the retry's GET /page at once: if the server is up, the next transport
          this._fallbackIfUp = true;
          clearTimeout(this._retryTimer);
          var self = this;
          this._retryTimer = setTimeout(function () { self._retryTimer = null; self._retry(); }, 0);
          return;
        }
        this._fallBack();
      }
      this._schedule();
    },

    /** The next transport of the list, for good on this server (until a fail-over). */
    _fallBack: function () {
      this._failStreak = 0;
      this.transport = this._transports[++this._tIndex];
      console.warn('halley: falling back to transport', this.transport);
    },

    _schedule: function () {
      var b = this.options.backoff, self = this;
      var delay = randomBetween(0, Math.min(b.max, b.initial * Math.pow(2, this._attempt)));
      this._attempt = Math.min(this._attempt + 1, 30);
      clearTimeout(this._retryTimer);
      this._retryTimer = setTimeout(function () { self._retryTimer = null; self._retry(); }, delay);
    },

    _retry: function () {
      if (!this._active()) return;
      var fallback = this._fallbackIfUp;
      this._fallbackIfUp = false;
      if (this._needPage) { this._reopen(); return; }
      // poll reads the status itself; with several servers it probes first, to fail over when down
      if (TRANSPORTS[this.transport].readsStatus && this.servers.length < 2) { this._open(); return; }
      var self = this;
      fetchJson('GET', this.base + '/page?page=' + encodeURIComponent(this.page), undefined, null, undefined,
        this._credentials()).then(function (r) {
        if (!self._active()) return;
        if (r.status === 200) {
          if (r.json && r.json.touch !== self._touchMs) self._keepSession(r.json.touch); // the session's timeout may have changed
          if (fallback && self._tIndex < self._transports.length - 1) self._fallBack(); // up, yet the transport never opened
          self._open();
        }
        else if (r.status === 410 || r.status === 404) self._gone();
        else if (r.status === 403) self._fatal(httpError(r.status, r.json));
        else if (r.status >= 500) self._serverDown(); // this server fails: another one, or later
        else self._schedule(); // 429, other proxy answers: try again later
      }, function () { self._serverDown(); }); // refused, reset, no CORS headers
    },

    /** Page gone (410/404): fire 'gone', open a new page, reconnect, run the reconnect actions. */
    _gone: function () {
      if (!this._active()) return;
      this._teardown();
      this._markDisconnected();
      this._emit('gone', { page: this.page });
      if (!this._active()) return; // a handler closed us
      this._rejectPending(new Error('halley: page gone'));
      this._needPage = true;
      if (this._goneStreak++ === 0) this._reopen(); else this._schedule();
    },

    /** POST /page; on success start the transport from seq 0 and apply stored reconnect actions. */
    _reopen: function () {
      var self = this;
      var multi = this.servers.length > 1;
      fetchJson('POST', this.base + '/page', this.options.listenOnly ? { listenOnly: true } : {}, this._headers(), undefined,
        this._credentials()).then(function (r) {
        if (!self._active()) return;
        if (r.status === 200 && r.json && r.json.page) {
          self.page = r.json.page;
          self.token = r.json.token;
          self.user = r.json.user || null; // a re-open after a logout or a change of user: whoever the browser is now
          self.lastSeq = 0;
          self._needPage = false;
          self._keepSession(r.json.touch);
          self._readyResolve(self);
          self._open();
          var actions = self._reconnectActions;
          self._reconnectActions = [];
          applyCommands(actions, self);
          self._resubscribe();
        } else if (r.status === 429 || r.status === 0) {
          self._markDisconnected();
          self._schedule();
        } else if (r.status >= 500 || (multi && r.status === 404)) {
          self._serverDown(); // down, or not serving Halley (yet): another server, or later
        } else {
          self._fatal(httpError(r.status, r.json, 'cannot open page'));
        }
      }, function () { self._serverDown(); });
    },

    /**
     * Keeps the page's HttpSession alive: `GET /page` every `ms` (the server's `touch`, a third of
     * the session's timeout) while connected, since a held stream does not renew the session. 0 stops.
     */
    _keepSession: function (ms) {
      var self = this;
      clearInterval(this._touchTimer);
      this._touchTimer = null;
      this._touchMs = ms > 0 ? ms : undefined;
      if (!(ms > 0)) return;
      this._touchTimer = setInterval(function () {
        if (!self._active() || !self.connected || self._needPage) return;
        fetchJson('GET', self.base + '/page?page=' + encodeURIComponent(self.page), undefined, null, undefined,
          self._credentials()).then(function () { /* the stream itself notices a dead page */ }, function () {});
      }, ms);
    },

    /** A page given up front without `touch`: one `GET /page` says whether (and how often) to keep its session alive. */
    _askTouch: function () {
      var self = this, page = this.page;
      fetchJson('GET', this.base + '/page?page=' + encodeURIComponent(page), undefined, null, undefined,
        this._credentials()).then(function (r) {
        if (self._active() && self.page === page && r.status === 200 && r.json && r.json.touch > 0) self._keepSession(r.json.touch);
      }, function () { /* the transport notices a server that is down */ });
    },

    /** Unrecoverable (403, no transport, bad request): fire 'error' and stop. */
    _fatal: function (err) {
      if (!this._active()) return;
      this._stopped = true;
      this._halt();
      this._readyReject(err);
      this._emit('error', err);
    }
  };

  // ---------------------------------------------------------------- global object

  /** Connections that the iframe document with this page id talks to (all iframe ones if no id). */
  function iframeTargets(pageId) {
    var out = [];
    connections.forEach(function (c) {
      if (c.transport === 'iframe' && (pageId == null || c.page === pageId)) out.push(c);
    });
    return out;
  }

  root.Halley = {
    connect: function (options) { return new Connection(options); },
    /** Called by the iframe document: one frame (object or JSON text). */
    frame: function (frame, pageId) { iframeTargets(pageId).forEach(function (c) { c._frame(frame); }); },
    /** Called by the iframe document periodically: the stream is alive. */
    heartbeat: function (pageId) { iframeTargets(pageId).forEach(function (c) { c._back(); }); },
    /** Called by the iframe document past the browser's stream budget: poll instead (`{poll: ms}`). */
    advice: function (advice, pageId) { iframeTargets(pageId).forEach(function (c) { c._advise(advice); }); },
    /** Called by the iframe document right before the server closes it for rotation. */
    rotate: function (pageId) { iframeTargets(pageId).forEach(function (c) { c._rotate(); }); },
    Connection: Connection
  };
})(typeof globalThis !== 'undefined' ? globalThis : window);
