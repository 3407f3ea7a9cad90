/*
 * Drives halley.js's connection API (call, subscribe, publish, request, listenOnly, re-subscribe
 * after a page re-open) in Node against a real CometServlet, over the long-poll transport, and the
 * choice of transport where EventSource and document are missing.
 * Usage: node client-api.test.js <path of halley.js> <base URL of the mount>
 * Prints "ok" and exits 0, or prints the failure and exits 1. Every wait is bounded.
 */
'use strict';
const [lib, base] = process.argv.slice(2);
const origin = new URL(base).origin;

// A browser-like fetch: one cookie jar and a same-origin Origin header on every request.
const realFetch = globalThis.fetch;
let cookie = '';
globalThis.fetch = async function (url, init) {
  const opts = Object.assign({}, init || {});
  opts.headers = Object.assign({}, opts.headers || {}, { Origin: origin });
  if (cookie) opts.headers.Cookie = cookie;
  const res = await realFetch(new URL(url, base), opts);
  for (const c of res.headers.getSetCookie()) cookie = c.split(';')[0];
  return res;
};

require(lib);
const Halley = globalThis.Halley;
// DOM commands (text) select nothing here; defined after loading, so halley.js still sees no document
globalThis.document = { querySelectorAll: () => [] };

function fail(message) { throw new Error(message); }
function check(cond, message) { if (!cond) fail(message); }

function within(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out: ' + what)), ms);
  })]).finally(() => clearTimeout(timer));
}

async function until(cond, ms, what) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) fail('timed out waiting: ' + what);
    await new Promise(r => setTimeout(r, 10));
  }
}

async function rejects(promise, test, what) {
  let err = null;
  try { await within(promise, 5000, what); } catch (e) { err = e; }
  check(err, what + ': resolved instead of rejecting');
  check(!/^timed out: /.test(err.message), what + ': ' + err.message);
  check(test(err), what + ': unexpected rejection ' + err.message + ' status ' + err.status);
}

(async function main() {
  const conn = Halley.connect({ base: base, transport: 'poll', backoff: { initial: 50, max: 200 } });
  await within(conn.ready, 5000, 'ready');

  // call: the flushes arrive as frames before the promise resolves with the result
  const texts = [];
  conn.on('frame', f => f.cmds.forEach(c => { if (c.op === 'text') texts.push(c.text); }));
  const doubled = await within(conn.call('stream', 21), 5000, 'call stream');
  check(doubled === 42, 'call result ' + doubled);
  check(texts.join() === 'step 1,step 2,step 3', 'frames before done: ' + texts.join());
  check(conn._pending.size === 0, 'pending calls left');
  await rejects(conn.call('boom'), e => e.message === 'boom reason' && e.status === undefined, 'fail');
  await rejects(conn.call('nope'), e => e.status === 404, 'unknown callback');
  await rejects(conn.call('math.twice', 'x'), e => e.status === 400 && /expected int/.test(e.message), 'bad args');
  check(await within(conn.call('math.twice', 4), 5000, 'object method') === 8, 'math.twice');

  // subscribe, publish, and a refused publish
  const chat = [];
  const sub = await within(conn.subscribe('chat.room', (d, meta) => chat.push([meta.channel, meta.id, d.text])), 5000, 'subscribe');
  check(sub.subscribed === true && sub.last === 0, 'subscribe answer ' + JSON.stringify(sub));
  await within(conn.publish('chat.room', { text: 'hi' }), 5000, 'publish');
  await until(() => chat.length === 1, 5000, 'own message');
  check(JSON.stringify(chat[0]) === '["chat.room",1,"hi"]', 'message ' + JSON.stringify(chat[0]));
  await rejects(conn.publish('news', 1), e => e.status === 403, 'forbidden publish');
  await rejects(conn.subscribe('halley.x', () => {}), e => e.status === 403, 'forbidden subscribe');
  check(!conn._channels.has('halley.x'), 'a refused subscription keeps no handler');

  // request: result, error, timeout
  const echoed = await within(conn.request('echo', { a: 1 }), 5000, 'request');
  check(echoed.a === 1, 'request result ' + JSON.stringify(echoed));
  await rejects(conn.request('failing', {}), e => e.message === 'no way', 'request error');
  await rejects(conn.request('slow', {}, { timeout: 200 }), e => e.timeout === true, 'request timeout');
  check(conn._pending.size === 0, 'a timed-out request leaves nothing pending');

  // the page dies: re-open, re-subscribe from the last id, catch up without loss or duplicate
  const news = [];
  await within(conn.subscribe('news', (d, meta) => news.push(meta.id + ':' + d)), 5000, 'subscribe news');
  await within(conn.call('publishNews', 'first'), 5000, 'publishNews');
  await until(() => news.length === 1, 5000, 'first news');
  const oldPage = conn.page;
  const gone = [];
  conn.on('gone', g => gone.push(g.page));
  await rejects(conn.call('killAndPublish'), e => /page gone/.test(e.message), 'the page died during the call');
  await until(() => news.length === 3, 10000, 'catch-up after re-open: ' + news.join());
  check(conn.page !== oldPage && gone[0] === oldPage, 'a new page');
  check(news.join() === '1:first,2:second,3:third', 'news ' + news.join());
  await within(conn.publish('chat.room', { text: 'again' }), 5000, 'publish after re-open');
  await until(() => chat.length === 2, 5000, 'chat re-subscribed');
  check(chat[1][1] === 2 && chat[1][2] === 'again', 'chat after re-open ' + JSON.stringify(chat));
  await within(conn.unsubscribe('news'), 5000, 'unsubscribe');
  check(!conn._channels.has('news'), 'unsubscribe removes the handlers');

  // listen-only
  const listener = Halley.connect({ base: base, transport: 'poll', listenOnly: true });
  await within(listener.ready, 5000, 'listen-only ready');
  const heard = [];
  await within(listener.subscribe('chat.room', d => heard.push(d.text)), 5000, 'listen-only subscribe');
  await rejects(listener.publish('chat.room', { text: 'x' }), e => e.status === 403, 'listen-only publish');
  await within(conn.publish('chat.room', { text: 'to all' }), 5000, 'publish to listener');
  await until(() => heard.length === 1, 5000, 'listener hears');

  // transport selection: the preference list is walked past the transports this runtime lacks
  // (Node has no EventSource and, when halley.js loaded, no document) and past unknown names
  check(typeof globalThis.EventSource === 'undefined', 'this Node has no EventSource');
  const warned = [], warn = console.warn;
  console.warn = (...args) => warned.push(args.join(' '));
  let picked;
  try { picked = Halley.connect({ base: base, transport: ['sse', 'iframe', 'pigeon', 'poll'] }); }
  finally { console.warn = warn; }
  check(warned.join() === 'halley: unknown transport pigeon', 'warnings ' + JSON.stringify(warned));
  await within(picked.ready, 5000, 'ready over the fallback');
  check(picked.transport === 'poll', 'fell back to ' + picked.transport);
  const overPoll = [];
  await within(picked.subscribe('chat.room', d => overPoll.push(d.text)), 5000, 'subscribe over the fallback');
  await within(conn.publish('chat.room', { text: 'via fallback' }), 5000, 'publish to the fallback');
  await until(() => overPoll.length === 1 && overPoll[0] === 'via fallback', 5000, 'message over the fallback');
  const byDefault = Halley.connect({ base: base });
  await within(byDefault.ready, 5000, 'ready with the default transports');
  check(byDefault.transport === 'poll', 'default list picked ' + byDefault.transport);
  // none of the listed transports runs here: 'error', a rejected ready, and nothing opened
  const errors = [];
  const none = Halley.connect({ base: base, transport: ['sse', 'iframe'], on: { error: e => errors.push(e.message) } });
  await rejects(none.ready, e => /no supported transport in sse,iframe/.test(e.message), 'no supported transport');
  check(errors.length === 1 && none.transport === undefined && none.page === undefined, 'error event ' + errors.join());

  none.close();
  byDefault.close();
  picked.close();
  listener.close();
  conn.close();
  console.log('ok');
})().catch(e => {
  console.log('FAILED: ' + (e && e.stack || e));
  process.exit(1);
});
