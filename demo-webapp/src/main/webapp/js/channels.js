/*
 * The channels page: rooms (channels room.<name>) subscribed and published from the browser, a
 * listen-only mode, server actions with a reply, and the announcements every page gets.
 * Everything from the network is put on the page with textContent: it stays text.
 */
(function () {
  'use strict';
  var KEEP = 50;            // lines kept per list
  var ROOM = /^[A-Za-z0-9_-]{1,32}$/;
  function $(id) { return document.getElementById(id); }

  var params = new URLSearchParams(location.search);
  var transport = ['ws', 'sse', 'iframe', 'poll'].indexOf(params.get('transport')) >= 0 ? params.get('transport') : undefined;
  var me = 'tab-' + Math.random().toString(36).slice(2, 6);
  var conn = null;
  var room = null;
  $('me').textContent = me;

  /** Adds a line to list `id`, newest first: parts are [className, text] pairs, all set as text. */
  function line(id, parts, cls) {
    var li = document.createElement('li');
    if (cls) li.className = cls;
    parts.forEach(function (p, i) {
      if (i > 0) li.appendChild(document.createTextNode(' '));
      var el = document.createElement(p[0] === 'b' ? 'b' : 'span');
      if (p[0] && p[0] !== 'b') el.className = p[0];
      el.textContent = p[1];
      li.appendChild(el);
    });
    var list = $(id);
    list.insertBefore(li, list.firstChild);
    while (list.children.length > KEEP) list.removeChild(list.lastChild);
  }

  function str(v) { return typeof v === 'string' ? v : JSON.stringify(v); }

  function onRoomMessage(data, meta) {
    var from = data && typeof data === 'object' && data.from != null ? str(data.from) : '?';
    var text = data && typeof data === 'object' && 'text' in data ? str(data.text) : str(data);
    line('messages', [['time', '#' + meta.id], ['b', from], ['text', text]]);
  }

  function onAnnouncement(data, meta) {
    var d = data && typeof data === 'object' ? data : { text: str(data) };
    line('announcements', [['time', str(d.time || '')], ['b', 'node ' + str(d.node || '?')], ['text', str(d.text)]]);
  }

  function refusal(err) {
    return (err.status ? 'Refused (' + err.status + '): ' : 'Failed: ') + err.message;
  }

  var demo = window.channelsDemo = {
    get conn() { return conn; },
    get room() { return room; },
    me: me,
    /** (Re)connects, listen-only or not, and joins the current room again. */
    connect: function (listenOnly) {
      if (conn) Demo.closePage(conn);
      // a transport asked for by name (?transport=sse) is this tab's own; by default the tabs share one stream
      var c = conn = Halley.connect({ transport: transport, share: !transport, listenOnly: !!listenOnly });
      Demo.showTransport(c, $('transport'));
      mine = null;
      c.ready.then(function () { privateChannel(c); });
      c.on('reconnect', function () { privateChannel(c); });
      c.onChannel('announcements', onAnnouncement);
      $('listen-only').checked = !!listenOnly;
      $('mode').textContent = listenOnly ? 'listen-only' : 'may publish';
      $('mode').className = 'badge' + (listenOnly ? ' badge-off' : '');
      $('publish-error').textContent = '';
      var r = room;
      room = null;
      return demo.join(r || $('room').value);
    },
    /** Leaves the current room and subscribes to room.<name>; resolves the channel. */
    join: function (name) {
      name = String(name).trim();
      if (!ROOM.test(name)) {
        $('publish-error').textContent = 'A room name is 1 to 32 letters, digits, _ or -.';
        return Promise.reject(new Error('bad room name'));
      }
      var c = conn, old = room;
      room = name;
      $('room').value = name;
      $('messages').textContent = '';
      $('channel').textContent = 'room.' + name + ' (subscribing)';
      if (old && old !== name) c.unsubscribe('room.' + old).catch(function () { /* gone with its page */ });
      return c.subscribe('room.' + name, onRoomMessage).then(function () {
        if (c === conn) $('channel').textContent = 'room.' + name;
        return 'room.' + name;
      }, function (err) {
        if (c === conn) $('channel').textContent = 'nothing: ' + refusal(err);
        throw err;
      });
    },
    /** Publishes {from, text} to the room; resolves true, or false with the refusal shown. */
    publish: function (text, channel) {
      $('publish-error').textContent = '';
      var c = conn;
      return c.publish(channel || 'room.' + room, { from: me, text: String(text) }).then(function () {
        return true;
      }, function (err) {
        $('publish-error').textContent = refusal(err);
        return false;
      });
    },
    /** Runs server action `route`; resolves the reply shown on the page. */
    request: function (route, params) {
      $('action-error').textContent = '';
      var started = performance.now();
      return conn.request(route, params, { timeout: 5000 }).then(function (r) {
        var ms = Math.round(performance.now() - started);
        $('reply').textContent = route === 'demo.echo'
          ? 'demo.echo \u2192 \u201c' + str(r.text) + '\u201d (' + r.length + ' characters) from node ' + str(r.node) + ' in ' + ms + ' ms'
          : 'demo.time \u2192 ' + str(r.local) + ' (' + str(r.time) + ') from node ' + str(r.node) + ' in ' + ms + ' ms';
        return r;
      }, function (err) {
        $('action-error').textContent = (err.timeout ? 'No reply within 5 s: ' : refusal(err) + ' \u2014 ') + route;
        throw err;
      });
    }
  };

  /** The signed-in user's channel user.<name>: only that user may read it or write to it (the policy). */
  var mine = null;
  function privateChannel(c) {
    var channel = c.user ? 'user.' + c.user : null;
    if (c !== conn || channel === mine) return;
    mine = channel;
    $('private').textContent = '';
    $('private-form').hidden = !channel;
    if (!channel) return;
    $('private-state').textContent = 'Subscribed to ' + channel + ': only ' + c.user + ' reads it, in every tab, on every node.';
    c.subscribe(channel, function (data, meta) {
      line('private', [['time', '#' + meta.id], ['text', str(data && data.text !== undefined ? data.text : data)]]);
    }).catch(function (err) { $('private-error').textContent = refusal(err); });
  }
  demo.sendPrivate = function (text) {
    $('private-error').textContent = '';
    return conn.publish(mine, { text: String(text) }).then(function () { return true; },
      function (err) { $('private-error').textContent = refusal(err); return false; });
  };
  /** Tries to read someone's private channel: refused (403) unless it is one's own. */
  demo.peek = function (name) {
    $('private-error').textContent = '';
    var channel = 'user.' + String(name).trim();
    return conn.subscribe(channel).then(function () { $('private-error').textContent = 'Subscribed to ' + channel; return true; },
      function (err) { $('private-error').textContent = refusal(err); return false; });
  };
  $('private-send').addEventListener('click', function () { demo.sendPrivate($('private-text').value); });
  $('peek').addEventListener('click', function () { demo.peek($('peek-name').value); });

  $('listen-only').addEventListener('change', function (e) { demo.connect(e.target.checked); });
  $('room-form').addEventListener('submit', function (e) {
    e.preventDefault();
    demo.join($('room').value).catch(function () { /* shown on the page */ });
  });
  $('say-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var text = $('text').value;
    if (!text.trim()) return;
    demo.publish(text).then(function (ok) { if (ok) $('text').value = ''; });
  });
  $('publish-feed').addEventListener('click', function () { demo.publish($('text').value || 'hello', 'feed'); });
  $('echo').addEventListener('click', function () {
    demo.request('demo.echo', { text: $('echo-text').value }).catch(function () { /* shown on the page */ });
  });
  $('time').addEventListener('click', function () {
    demo.request('demo.time', null).catch(function () { /* shown on the page */ });
  });

  demo.connect(params.get('listenOnly') === 'true').catch(function () { /* shown on the page */ });
  Demo.closeOnLeave(function () { return conn; });
})();
