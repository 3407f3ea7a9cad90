/*
 * halley.js's fail-over in Node, over the long-poll transport, against real Halley nodes.
 * Usage: node client-failover.test.js <halley.js> <page origin> <total> <server base>...
 * Protocol on stdout (one line each): "picked <base>" once subscribed, "count 20" after 20
 * messages (the test then takes that node down), finally "result <json>" and exit 0; or
 * "FAILED ..." and exit 1. Every wait is bounded.
 */
'use strict';
const [lib, origin, totalArg, ...servers] = process.argv.slice(2);
const total = Number(totalArg);

// A browser-like fetch: one cookie jar for the host (cookies ignore ports, as in browsers) and the
// page's Origin header on every request.
const realFetch = globalThis.fetch;
const jar = new Map();
globalThis.fetch = async function (url, init) {
  const opts = Object.assign({}, init || {});
  opts.headers = Object.assign({}, opts.headers || {}, { Origin: origin });
  if (jar.size) opts.headers.Cookie = Array.from(jar, ([k, v]) => k + '=' + v).join('; ');
  const res = await realFetch(url, opts);
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(';')[0], eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return res;
};

require(lib);
const Halley = globalThis.Halley;

async function until(cond, ms, what) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting: ' + what);
    await new Promise(r => setTimeout(r, 10));
  }
}

(async function main() {
  const got = [], events = [];
  const conn = Halley.connect({ servers: servers, transport: 'poll', backoff: { initial: 100, max: 1000 } });
  conn.on('failover', e => events.push('failover ' + e.from + ' -> ' + e.to));
  conn.on('error', e => events.push('error ' + e.message));
  await until(() => conn.page, 5000, 'a page');
  await conn.subscribe('feed', (d, m) => got.push(m.id + ':' + d.n));
  await until(() => conn.connected, 5000, 'connected');
  console.log('picked ' + conn.server);
  await until(() => got.length >= 20, 10000, '20 messages');
  console.log('count 20');
  await until(() => got.length >= total, 30000, total + ' messages: ' + got.length + ' ' + events.join());
  await new Promise(r => setTimeout(r, 300)); // no duplicate on its way
  console.log('result ' + JSON.stringify({ got: got, events: events, server: conn.server, transport: conn.transport,
    cookies: Array.from(jar.keys()) }));
  conn.close();
})().catch(e => {
  console.log('FAILED: ' + (e && e.stack || e));
  process.exit(1);
});
