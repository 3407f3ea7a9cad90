/**
 * Type declarations for halley.js, the browser client of Halley (wire contract v1).
 *
 * Classic script:  `<script src="/halley/halley.js">` then the global `Halley`.
 * ES module:       `import Halley from '/halley/halley.mjs'` — map that URL to the module name
 *                  'halley' (e.g. `paths` in tsconfig, or `declare module '/halley/halley.mjs'
 *                  { export * from 'halley'; export { default } from 'halley'; }`).
 */

declare namespace Halley {
  type TransportName = 'ws' | 'shared' | 'sse' | 'iframe' | 'poll';
  type NoticeLevel = 'info' | 'warn' | 'error';

  // ------------------------------------------------------------------ commands

  interface UpdateCommand { op: 'update'; selector: string; html: string }
  interface AppendCommand { op: 'append'; selector: string; html: string }
  interface PrependCommand { op: 'prepend'; selector: string; html: string }
  interface ReplaceCommand { op: 'replace'; selector: string; html: string }
  interface RemoveCommand { op: 'remove'; selector: string }
  interface TextCommand { op: 'text'; selector: string; text: string }
  interface AttrCommand {
    op: 'attr'; selector: string; name: string; value: string;
    /** default 'replace' */
    mode?: 'replace' | 'append' | 'prepend';
  }
  interface CssCommand { op: 'css'; selector: string; property: string; value: string }
  interface ValueCommand { op: 'value'; selector: string; value: unknown }
  interface AlertCommand { op: 'alert'; message: string }
  /** Only http:, https: or relative URLs are followed. */
  interface RedirectCommand { op: 'redirect'; url: string }
  /** Calls a dotted global function name (e.g. "app.show") with `this` = its owner. */
  interface CallCommand { op: 'call'; function: string; args?: unknown[] }
  /** Runs `new Function(js)()` — the only eval-like command. */
  interface ScriptCommand { op: 'script'; js: string }
  /** Dispatches a bubbling CustomEvent on each matched element, or on document. */
  interface EventCommand { op: 'event'; name: string; detail?: unknown; selector?: string }
  interface MessageCommand { op: 'message'; channel: string; id?: string | number; data: unknown }
  interface NoticeCommand { op: 'notice'; text: string; level?: NoticeLevel }
  interface DoneCommand { op: 'done'; call: string | number; result?: unknown }
  interface FailCommand { op: 'fail'; call: string | number; error: string }
  interface ReplyCommand { op: 'reply'; request: string | number; result?: unknown; error?: string | null }
  /** Frames were lost (server replay buffer overflowed); the app should reload its state. */
  interface ResyncCommand { op: 'resync'; lost?: number }
  /**
   * The channel's numbering restarted (a restarted server with in-memory history, a shared
   * history that lost its data): the subscription resumed from `since`, above the newest id
   * `last`. Messages may have been missed; those from the new start follow.
   */
  interface ChannelRestartCommand { op: 'channelrestart'; channel: string; since: number; last: number }
  /** Stores commands to apply after the page died and was re-opened. */
  interface OnReconnectCommand { op: 'onreconnect'; cmds: Command[] }

  type Command =
    | UpdateCommand | AppendCommand | PrependCommand | ReplaceCommand | RemoveCommand | TextCommand
    | AttrCommand | CssCommand | ValueCommand | AlertCommand | RedirectCommand | CallCommand
    | ScriptCommand | EventCommand | MessageCommand | NoticeCommand | DoneCommand | FailCommand
    | ReplyCommand | ResyncCommand | ChannelRestartCommand | OnReconnectCommand;

  type CommandOp = Command['op'];

  /** One flush of a page's outbox; seq is 1, 2, 3 … per page. */
  interface Frame { seq: number; cmds: Command[] }

  // ------------------------------------------------------------------ events

  interface ChannelMessage { channel: string; id?: string | number; data: unknown }

  /** Error passed to 'error' and used for rejected promises (HTTP errors carry status). */
  interface HalleyError extends Error {
    /** The HTTP status of a refused request (400, 403, 404, 410, 413, 429 …). */
    status?: number;
    /** The `fail` or `reply` command that rejected a call() or request(). */
    command?: Command;
    /** Set when request() gave up waiting for the reply. */
    timeout?: boolean;
    /** Set when the page's WebSocket, which carried the request, closed before its answer (it may have run). */
    lost?: boolean;
  }

  /** Answer of POST /subscribe. */
  interface SubscribeResult {
    channel: string;
    subscribed: true;
    /** Newest message id in the channel's history when the subscription began (0 for none). */
    last: number;
  }

  interface EventMap {
    /** First time the transport proved alive. */
    open: HalleyConnection;
    /** close() was called. */
    close: HalleyConnection;
    /** The transport is back after a disconnection. */
    reconnect: HalleyConnection;
    /** The transport was lost while connected. */
    disconnect: HalleyConnection;
    /** A frame was applied (fired after its commands). */
    frame: Frame;
    resync: ResyncCommand;
    /** A subscription resumed past the channel's newest id: its numbering restarted, messages may have been missed. */
    channelrestart: { channel: string; since: number; last: number };
    /** The page died (410/404); a new page is being opened. */
    gone: { page: string | undefined };
    /**
     * The page's HttpSession ended (timed out or invalidated; sent by HalleySessionListener as the
     * page's last frame, also as the DOM event `halley:sessionended`); `gone` follows and a new
     * page is opened without that session: show the sign-in again.
     */
    sessionended: { reason: string };
    message: ChannelMessage;
    done: DoneCommand;
    fail: FailCommand;
    reply: ReplyCommand;
    /**
     * The server in use failed (network error, connection refused, 5xx, not serving Halley) and
     * the connection moved to another of `servers`; a new page is being opened there (`page` is
     * the one left behind). Pending call()/request() promises were rejected.
     */
    failover: { from: string; to: string; page: string | undefined };
    /**
     * The browser holds its budget of page streams (`maxStreamsPerBrowser`, over HTTP/1.1): this
     * page polls every `poll` ms instead (`transport` is then `'poll'`) until the budget has room.
     */
    advice: { poll: number };
    /** A subscription could not be renewed after a page re-open (the server refused it). */
    unsubscribed: { channel: string; error: HalleyError };
    /** Unrecoverable (403, no transport, page refused); the connection has stopped. */
    error: HalleyError;
  }

  type EventName = keyof EventMap;
  type Handler<K extends EventName> = (arg: EventMap[K]) => void;

  // ------------------------------------------------------------------ options & connection

  interface BackoffOptions {
    /** ms, default 500 */
    initial?: number;
    /** ms, default 10000 */
    max?: number;
  }

  interface HalleyOptions {
    /**
     * Mount path of the servlet. Default: the folder halley.js was loaded from by a classic
     * same-origin <script> (`/shop/halley` for `/shop/halley/halley.js`), else '/halley'. May be
     * an absolute URL of another origin.
     */
    base?: string;
    /**
     * Balancing over several nodes: their bases as absolute URLs (e.g.
     * ['https://n1.example/halley', 'https://n2.example/halley']). One is picked at random; when
     * it fails (network error, connection refused, 5xx, not serving Halley) the connection fails
     * over to a random one of the others, then to the next ones in turn with the usual capped
     * backoff, opening a new page there (lastSeq 0, reconnect actions applied, channels
     * subscribed again from the last id seen, so nothing is lost or repeated while the channel
     * history holds the gap). Cross-origin servers are called with credentials (cookies) and
     * never through the iframe transport; they must list the page's origin in `allowedOrigins`.
     * Without it, `base` is the only server (the default).
     */
    servers?: string[];
    /**
     * Server-rendered page id; otherwise POST {base}/page (or window.HALLEY_PAGE). With `servers`
     * it is used only when `base` is one of them (that server is then used first).
     */
    page?: string;
    token?: string;
    /**
     * One name or an ordered preference list; default ['ws', 'sse', 'iframe', 'poll']. Unless
     * `share` is false, 'shared' (over SSE) goes first, before 'ws' and 'sse', where the browser
     * has Web Locks and BroadcastChannel. A WebSocket that never opens (a proxy refusing the
     * upgrade, a server without WebSocket support) falls back to the next one at once.
     */
    transport?: TransportName | TransportName[];
    /**
     * default true: the tabs of this browser share one held stream to the server (one tab, elected
     * with a Web Lock, holds it; the others get their page's frames over a BroadcastChannel).
     * false: this page holds its own stream (subject to the server's maxStreamsPerBrowser).
     */
    share?: boolean;
    /** default 'Connection lost — reconnecting…' */
    noticeText?: string;
    /** default 'Reconnected' */
    reconnectedText?: string;
    /** ms of disconnection before the notice bar shows; default 2000 */
    noticeDelay?: number;
    backoff?: BackoffOptions;
    /** Open the page as a listen-only client: it may subscribe, never publish. Default false. */
    listenOnly?: boolean;
    /** Default timeout of request() in ms; default 10000. */
    requestTimeout?: number;
    /**
     * Extra headers of every POST (opening the page, calls, actions, channels), or a function
     * returning them, called for each POST: e.g. Spring Security's CSRF token
     * `{ 'X-CSRF-TOKEN': token }`. Default none.
     */
    headers?: Record<string, string> | (() => Record<string, string>);
    /** Initial event handlers. */
    on?: { [K in EventName]?: Handler<K> };
  }

  interface PendingEntry { resolve(value: unknown): void; reject(reason: unknown): void }

  interface HalleyConnection {
    readonly options: HalleyOptions;
    /** The base in use (same as `server`). */
    readonly base: string;
    /** The server (base URL) in use: one of `servers`; changes on a fail-over. */
    readonly server: string;
    /** The servers to balance over (`[base]` without the `servers` option). */
    readonly servers: readonly string[];
    /** Current page id (changes after the page died and was re-opened). */
    readonly page: string | undefined;
    readonly token: string | undefined;
    /** The page's user's name as the server resolved it when the page opened; null when anonymous. */
    readonly user: string | null;
    /** Last applied frame seq (0 before the first frame of a page). */
    readonly lastSeq: number;
    /** Transport in use. */
    readonly transport: TransportName | undefined;
    readonly connected: boolean;
    /** Resolved with the connection once page and token are known. */
    readonly ready: Promise<HalleyConnection>;
    /** Pending call/request promises by id, settled by done/fail/reply commands. */
    readonly _pending: Map<string | number, PendingEntry>;

    /** While `transport` is 'shared': 'leader' (this tab holds the browser's shared stream), 'follower', else null. */
    sharedRole(): 'leader' | 'follower' | null;
    on<K extends EventName>(name: K, fn: Handler<K>): this;
    off<K extends EventName>(name: K, fn?: Handler<K>): this;
    onChannel(channel: string, fn: (data: any, meta: { channel: string; id?: string | number }) => void): this;
    offChannel(channel: string, fn?: (data: any, meta: { channel: string; id?: string | number }) => void): this;
    /**
     * POST {base}{path} with JSON {page, ...body} and header X-Halley-Token.
     * Rejects with an Error whose message is the server's {"error"} and whose status is set.
     */
    post<T = any>(path: string, body?: object): Promise<T>;
    /**
     * Runs server callback `name` (POST /call/<name>, or a message on the page's WebSocket while
     * that is its transport: so do subscribe, unsubscribe, publish and request). Its flushes arrive as frames; resolves with
     * its result (`done`), rejects with its `fail` message or an HTTP refusal (status 400, 404,
     * 413, 429).
     */
    call<T = any>(name: string, ...args: unknown[]): Promise<T>;
    /**
     * Subscribes this page to `channel` (POST /subscribe); `fn` gets each message once, also after
     * the page was re-opened (catch-up from the last id seen). Rejects with status 403 when the
     * channel policy refuses, 400 for a bad name, 429 past the limit.
     */
    subscribe(channel: string, fn?: (data: any, meta: { channel: string; id?: string | number }) => void): Promise<SubscribeResult>;
    /** Ends a subscription and removes its handlers. */
    unsubscribe(channel: string): Promise<{ channel: string; subscribed: false }>;
    /** Publishes on `channel` (POST /publish); rejects with status 403 when refused. */
    publish(channel: string, data: unknown): Promise<{ channel: string; published: true }>;
    /**
     * Runs server action `route` (POST /action/<route>); resolves with its result, rejects on its
     * error, an HTTP refusal or after `opts.timeout` ms (default `requestTimeout`, 10000).
     */
    request<T = any>(route: string, params?: unknown, opts?: { timeout?: number }): Promise<T>;
    /** Stop for good: tears down the transport, fires 'close'. */
    close(): void;
  }

  /** Server-rendered bootstrap read by connect() when options carry no page. */
  /** `touch`: ms between the session renewals (`GET /page`) the server asks for; `user`: the page's user, absent when anonymous. */
  interface Bootstrap { page: string; token: string; base?: string; touch?: number; user?: string }

  function connect(options?: HalleyOptions): HalleyConnection;
  /** Called by the iframe transport's document: one frame (object or JSON text). */
  function frame(frame: Frame | string, pageId?: string): void;
  /** Called by the iframe transport's document periodically. */
  function heartbeat(pageId?: string): void;
  /** Called by the iframe transport's document right before the server rotates it. */
  function rotate(pageId?: string): void;
  /** Called by the iframe transport's document when the browser is past its stream budget: poll every `advice.poll` ms. */
  function advice(advice: { poll: number }, pageId?: string): void;
  const Connection: new (options?: HalleyOptions) => HalleyConnection;
}

interface Window {
  Halley: typeof Halley;
  HALLEY_PAGE?: Halley.Bootstrap;
}

declare module 'halley' {
  import H = Halley;
  export default H;
  export { H as Halley };
}
