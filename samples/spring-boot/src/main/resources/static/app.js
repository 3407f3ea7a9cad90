// The sample's page script: halley.js sends Spring Security's CSRF token with each of its POSTs.
(function () {
  var meta = function (n) { return document.querySelector('meta[name="' + n + '"]').content; };
  var csrf = {};
  csrf[meta('_csrf_header')] = meta('_csrf');
  var halley = Halley.connect({ headers: csrf });
  function item(list, msg) {
    var li = document.createElement('li');
    li.textContent = msg.from + ': ' + msg.text;
    document.getElementById(list).appendChild(li);
  }
  halley.subscribe('news', function (msg) { item('news', msg); });
  halley.onChannel('user.' + document.getElementById('user').textContent, function (msg) { item('mine', msg); });
  document.getElementById('news-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var body = new URLSearchParams({ text: document.getElementById('news-text').value });
    fetch('/api/news', { method: 'POST', headers: csrf, body: body });
  });
  document.getElementById('shout').addEventListener('click', function () {
    halley.call('shout', 'hello');
  });
})();
