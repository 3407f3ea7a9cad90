/*
 * The transports page: one live feed (the channel "feed"), over the transport the user picks.
 * Switching closes the connection and its page and connects anew with only that transport.
 */
(function () {
  'use strict';
  var NAMES = ['ws', 'sse', 'iframe', 'poll'];
  var KEEP = 8; // feed lines shown
  var conn = null;
  // each tab shows its own transport at work, so it holds its own stream (past four tabs the server's
  // connection budget makes the others poll); ?share=true: the tabs share the browser's one stream
  var share = new URLSearchParams(location.search).get('share') === 'true';
  function $(id) { return document.getElementById(id); }

  var demo = window.transportsDemo = {
    get conn() { return conn; },
    /**
     * Reconnects with `transport` only (no fallback), on a new page subscribed to the feed;
     * 'auto' (?transport=auto): halley.js's own list (the shared stream, a WebSocket, SSE...).
     */
    use: function (transport) {
      if (conn) Demo.closePage(conn);
      $('feed').textContent = '';
      $('transport').textContent = transport + ' (connecting)';
      var c = conn = Halley.connect({ transport: transport === 'auto' ? undefined : transport, share: share });
      Demo.showTransport(c, $('transport'));
      c.onChannel('feed', function (data) {
        var li = document.createElement('li');
        li.textContent = '#' + data.n + '  ' + data.time + '  via ' + c.transport;
        var list = $('feed');
        list.insertBefore(li, list.firstChild);
        while (list.children.length > KEEP) list.removeChild(list.lastChild);
      });
      demo.watch();
      NAMES.forEach(function (n) {
        $('use-' + n).setAttribute('aria-pressed', String(n === transport));
      });
      history.replaceState(null, '', '?transport=' + transport + (share ? '&share=true' : ''));
      return c;
    },
    /** Subscribes the current page to the feed: also the reconnect action of a re-opened page. */
    watch: function () {
      return Demo.post(conn, 'demo/feed/watch').catch(function (e) { console.error('watch failed', e); });
    }
  };

  NAMES.forEach(function (n) {
    $('use-' + n).addEventListener('click', function () { demo.use(n); });
  });
  var asked = new URLSearchParams(location.search).get('transport');
  demo.use(asked === 'auto' || NAMES.indexOf(asked) >= 0 ? asked : 'sse');
  Demo.closeOnLeave(function () { return conn; });
})();
