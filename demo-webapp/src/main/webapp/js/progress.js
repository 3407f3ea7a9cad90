/*
 * The progress page: conn.call('progress.run', steps) streams one frame per step (the bar's width
 * and percentage are set by the server's commands); the promise resolves with the callback's
 * result, or rejects with its `fail` message (progress.fail).
 */
(function () {
  'use strict';
  function $(id) { return document.getElementById(id); }

  var conn = Halley.connect();
  var frames = 0;
  var busy = false;
  Demo.showTransport(conn, $('transport'));
  conn.on('frame', function (f) { // the call's frames: not the channel messages (announcements) between them
    if (!f.cmds.some(function (c) { return c.op !== 'message'; })) return;
    frames += 1;
    $('frames').textContent = String(frames);
  });
  Demo.closeOnLeave(function () { return conn; });

  function reset() {
    $('bar').style.width = '0%';
    $('bar').className = 'bar-fill';
    $('progress').setAttribute('aria-valuenow', '0');
    $('pct').textContent = '0%';
    $('step').textContent = 'Starting\u2026';
    $('after').textContent = '';
    $('result').textContent = '';
    $('error').textContent = '';
    frames = 0;
    $('frames').textContent = '0';
  }

  function setBusy(b) {
    busy = b;
    $('run').disabled = b;
    $('fail').disabled = b;
  }

  var demo = window.progressDemo = {
    conn: conn,
    /** Runs progress.run with `steps`; resolves the result shown on the page. */
    run: function (steps) {
      if (busy) return Promise.reject(new Error('a call is running'));
      reset();
      setBusy(true);
      var started = performance.now();
      return conn.call('progress.run', steps).then(function (r) {
        var ms = Math.round(performance.now() - started);
        $('result').textContent = 'Result: ' + r.primes.toLocaleString('en') + ' primes below ' +
          r.below.toLocaleString('en') + ', in ' + r.steps + ' steps (' + r.millis + ' ms on the server, ' +
          ms + ' ms here, ' + frames + ' frames).';
        return r;
      }, function (err) {
        $('error').textContent = 'Rejected: ' + err.message + (err.status ? ' (HTTP ' + err.status + ')' : '');
        throw err;
      }).finally(function () { setBusy(false); });
    },
    /** Runs progress.fail; resolves the rejection's message shown on the page. */
    fail: function () {
      if (busy) return Promise.reject(new Error('a call is running'));
      reset();
      setBusy(true);
      return conn.call('progress.fail').then(function () {
        $('result').textContent = 'It did not fail?';
        return null;
      }, function (err) {
        $('error').textContent = 'Rejected: ' + err.message;
        return err.message;
      }).finally(function () { setBusy(false); });
    }
  };

  $('run-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var steps = parseInt($('steps').value, 10);
    demo.run(isNaN(steps) ? 10 : steps).catch(function () { /* shown on the page */ });
  });
  $('fail').addEventListener('click', function () { demo.fail(); });
})();
