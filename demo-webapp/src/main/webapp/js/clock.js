/* The clock page: connects its server-rendered page; the clock's reconnect action calls restart(). */
(function () {
  'use strict';
  var conn = Halley.connect();
  window.clockDemo = {
    conn: conn,
    /** Starts a clock for the connection's (new) page: the target of the reconnect action. */
    restart: function () {
      return Demo.post(conn, 'demo/clock/start').catch(function (e) { console.error('clock restart failed', e); });
    }
  };
  Demo.showTransport(conn, document.getElementById('transport'));
  Demo.closeOnLeave(function () { return conn; });
})();
