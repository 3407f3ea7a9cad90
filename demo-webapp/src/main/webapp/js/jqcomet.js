/*
 * The jQuery.comet page: the jQuery.comet-style plugin long-polls /halley/push/sub?channel=feed-jq and
 * triggers `tick.comet` and `note.comet` on document; this file binds them and lists the events.
 * Each tab reads with its own `client` key, so two tabs of one session never conflict (409).
 * Everything received is put on the page as text.
 */
(function ($) {
  'use strict';
  var KEEP = 12; // lines shown
  var client = 'tab' + Math.random().toString(36).slice(2, 10);
  var url = 'halley/push/sub?channel=feed-jq&client=' + client;
  var received = [];

  var demo = window.jqDemo = { url: url, received: received };

  function show(cls, when, who, text) {
    var li = $('<li>').addClass(cls);
    li.append($('<span class="time">').text(when), ' ', $('<b>').text(who), ' ', $('<span class="text">').text(text));
    $('#feed').prepend(li);
    $('#feed li').slice(KEEP).remove();
    $('#count').text(String(received.length));
    $('#status').text('receiving').attr('class', 'state-on');
  }

  $(document).bind('tick.comet', function (event, data, type) {
    received.push({ type: type, n: data.n, node: data.node });
    show('', String(data.time), 'tick #' + data.n, 'from node ' + data.node);
  });

  $(document).bind('note.comet', function (event, data, type) {
    received.push({ type: type, text: data.text });
    show('note', String(data.time), 'note', String(data.text));
  });

  $.comet.connect(url, {
    timeout: 60000,
    onError: function (xhr, textStatus) {
      $('#status').text('error ' + (xhr.status || textStatus) + ': the plugin tries again in 10 s').attr('class', 'state-off');
    }
  });

  demo.note = function (text) {
    $('#note-error').text('');
    return $.ajax({
      type: 'POST',
      url: 'demo/jq/note',
      contentType: 'application/json',
      data: JSON.stringify({ text: text }),
      dataType: 'json'
    }).then(function () { return true; }, function (xhr) {
      var msg = xhr.responseJSON && xhr.responseJSON.error ? xhr.responseJSON.error : 'HTTP ' + xhr.status;
      $('#note-error').text('Not posted: ' + msg);
      return false;
    });
  };

  $('#note-form').on('submit', function (e) {
    e.preventDefault();
    var text = $('#note').val();
    demo.note(text).then(function (ok) { if (ok) $('#note').val(''); });
  });
})(jQuery);
