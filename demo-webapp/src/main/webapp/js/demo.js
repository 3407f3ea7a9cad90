/*
 * Shared by the demo pages (after halley.js): POST to a demo endpoint for a connection's page,
 * end the page when the tab goes away, and show the transport in use.
 */
(function (root) {
  'use strict';

  /** POST path (relative to the page) with {page, ...body} and the page token; resolves the JSON answer. */
  function post(conn, path, body) {
    return conn.ready.then(function () {
      return fetch(path, {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { 'Content-Type': 'application/json', 'X-Halley-Token': conn.token },
        body: JSON.stringify(Object.assign({ page: conn.page }, body || {}))
      });
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (res.ok) return json;
        var err = new Error(json.error || ('HTTP ' + res.status));
        err.status = res.status;
        throw err;
      });
    });
  }

  /** Ends conn's page on the server now (a beacon survives the tab closing) and closes conn. */
  function closePage(conn) {
    if (conn.page && conn.token && navigator.sendBeacon) {
      navigator.sendBeacon('demo/page/close', JSON.stringify({ page: conn.page, token: conn.token }));
    }
    conn.close();
  }

  /** Closes the page when the tab goes away; a tab restored from the back/forward cache reloads. */
  function closeOnLeave(getConn) {
    root.addEventListener('pagehide', function () { var c = getConn(); if (c) closePage(c); });
    root.addEventListener('pageshow', function (e) { if (e.persisted) root.location.reload(); });
  }

  /** Keeps el's text on the transport in use and its class on the connection state. */
  function showTransport(conn, el) {
    function up() { el.textContent = conn.transport; el.className = 'state-on'; }
    function down() { el.textContent = conn.transport + ' (reconnecting)'; el.className = 'state-off'; }
    conn.on('open', up).on('reconnect', up).on('disconnect', down);
  }

  root.Demo = { post: post, closePage: closePage, closeOnLeave: closeOnLeave, showTransport: showTransport };
})(window);
