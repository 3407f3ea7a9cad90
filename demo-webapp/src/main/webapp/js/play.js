/*
 * The Play stream page: defines the callback the forever-iframe calls, cometMessage(msg), then
 * opens the iframe (Play's documented page: a script defining the callback, then the iframe).
 */
(function () {
  'use strict';
  var KEEP = 10;
  var count = 0;
  function $(id) { return document.getElementById(id); }

  /** Called by each <script> chunk of the stream: parent.cometMessage("tick N at HH:mm:ss"). */
  window.cometMessage = function (msg) {
    count++;
    $('count').textContent = String(count);
    var li = document.createElement('li');
    li.textContent = msg; // text, never HTML
    var list = $('messages');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > KEEP) list.removeChild(list.lastChild);
  };

  function open() {
    var old = $('stream');
    if (old) old.remove();
    count = 0;
    $('count').textContent = '0';
    $('messages').textContent = '';
    var frame = document.createElement('iframe');
    frame.id = 'stream';
    frame.title = 'comet stream';
    frame.hidden = true;
    frame.src = 'play/stream';
    document.body.appendChild(frame);
  }

  $('restart').addEventListener('click', open);
  // after the load event: a document still loading inside an iframe would hold the page's own
  // load (and the browser's busy indicator) forever
  if (document.readyState === 'complete') setTimeout(open, 0);
  else window.addEventListener('load', function () { setTimeout(open, 0); });
})();
