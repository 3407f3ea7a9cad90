/* The chat page: join with a name (the demo's login), say lines, /msg name text in private; the chat function's reconnect action calls rejoin(). */
(function () {
  'use strict';
  var conn = Halley.connect();
  function $(id) { return document.getElementById(id); }
  function fail(e) { $('error').textContent = e.message; }
  /** The session (and the name in it) is gone: the join form again, not a form that cannot send. */
  function signedOut(message) {
    $('say').hidden = true;
    $('join').hidden = false;
    $('error').textContent = message;
  }
  function joined(answer) {
    if (answer.reload) { location.reload(); return; } // signed in: the page opens again as the user
    $('join').hidden = true;
    $('say').hidden = false;
    $('me').textContent = answer.name;
    $('error').textContent = '';
  }

  var chat = window.chatDemo = {
    conn: conn,
    join: function (name) { return Demo.post(conn, 'demo/chat/join', { name: name }).then(joined); },
    /** Starts the chat function for a re-opened page, under the session's name. */
    rejoin: function () {
      return Demo.post(conn, 'demo/chat/join', {}).then(joined, function (e) {
        if (e.status === 400) signedOut('Your session ended: join again.'); else fail(e);
      });
    },
    say: function (text) { return Demo.post(conn, 'demo/chat/say', { text: text }); }
  };

  $('join').addEventListener('submit', function (e) {
    e.preventDefault();
    chat.join($('name').value).then(function () { $('text').focus(); }, fail);
  });
  $('say').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = $('text');
    chat.say(input.value).then(function () { input.value = ''; $('error').textContent = ''; }, fail);
  });
  conn.on('sessionended', function () { signedOut('Your session ended: join again.'); });
  // another tab of this session signed in: this page (opened as before) ended; open it as the user
  document.addEventListener('halley:userchanged', function () { location.reload(); });
  conn.on('frame', function () { var log = $('log'); log.scrollTop = log.scrollHeight; });
  Demo.closeOnLeave(function () { return conn; });
})();
