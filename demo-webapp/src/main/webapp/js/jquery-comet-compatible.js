/*
 * A small long-polling jQuery plugin with the API of jQuery.comet (Sean O'Connor, 2010, BSD-3;
 * github.com/SeanOC/jquery.comet), written for this demo. The original file cannot be shipped in
 * this repository; this one offers the same entry point and events, so that either can be used:
 * put the original jquery.comet.js in its place and the page works the same.
 *
 *   $.comet.connect(url, {timeout: 60000, onError: fn(xhr, textStatus, error), requestMethod: 'GET'})
 *
 * Each answer is a JSON object {"type": T, "data": D}; it becomes the jQuery event "T.comet",
 * triggered on document with (data, type). Requests use jQuery's ifModified, so the Last-Modified
 * and Etag of each answer come back as If-Modified-Since / If-None-Match and name the next
 * message (the nginx HTTP push protocol). An empty answer (a held request that timed out) or a
 * timeout polls again at once; any other error calls onError and polls again after 10 s.
 */
(function ($) {
  'use strict';
  var RETRY_AFTER_ERROR_MS = 10000;

  function Connection(url, options) {
    this.url = url;
    this.options = $.extend({ timeout: 60000, onError: null, requestMethod: 'GET' }, options);
    this.stopped = false;
  }

  Connection.prototype.poll = function () {
    var self = this;
    if (self.stopped) return;
    $.ajax({
      url: self.url,
      type: self.options.requestMethod,
      ifModified: true,
      cache: false,
      timeout: self.options.timeout,
      dataType: 'text'
    }).done(function (text) {
      var message = null;
      if (text) {
        try {
          message = JSON.parse(text);
        } catch (e) {
          message = null; // not JSON: nothing to trigger
        }
      }
      if (message && typeof message.type === 'string') {
        $(document).trigger(message.type + '.comet', [message.data, message.type]);
      }
      self.poll();
    }).fail(function (xhr, textStatus, error) {
      if (textStatus === 'timeout' || textStatus === 'notmodified') {
        self.poll();
        return;
      }
      if (typeof self.options.onError === 'function') self.options.onError(xhr, textStatus, error);
      setTimeout(function () { self.poll(); }, RETRY_AFTER_ERROR_MS);
    });
  };

  $.comet = {
    /** Starts long-polling url; returns an object whose stop() ends it. */
    connect: function (url, options) {
      var c = new Connection(url, options);
      c.poll();
      return { stop: function () { c.stopped = true; } };
    }
  };
}(jQuery));
