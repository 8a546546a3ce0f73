// Types for ringcast.js (hand-written; the module itself is plain JavaScript).

export type ConnectionState = "connecting" | "connected" | "disconnected" | "closed";

/** A message frame as the node sends it. */
export interface Message<T = unknown> {
  id: number;
  /** The concrete topic (absent on group messages). */
  topic?: string;
  /** The subscription pattern that delivered it (absent for plain names). */
  pattern?: string;
  /** The group (group messages only). */
  group?: string;
  data: T;
  /** Ack mode: a resend after the ack timeout (the client drops it if already delivered). */
  redelivered?: boolean;
}

export interface Position {
  /** The last id delivered to the handler (0: none yet and no baseline). */
  id: number;
  /** The journal epoch that id belongs to (null before the first reply). */
  epoch: string | null;
}

export interface SubscribeOptions {
  /** Resume: deliver every message with id > from. */
  from?: number;
  /** The epoch `from` belongs to; a different journal answers with a "gap". */
  epoch?: string | null;
}

export interface Subscription {
  readonly kind: "topic" | "group";
  readonly name: string;
  /** Keep it (e.g. in localStorage) and pass it back as from/epoch after a page reload. */
  position(): Position;
  unsubscribe(): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RingcastOptions {
  /** A JWT sent as `token=` on every connect. */
  token?: string;
  /** Called before each connect and before the token's `exp` (then sent with an `auth` op). */
  getToken?: () => string | Promise<string>;
  /** Ack mode (`ack=1`): each message is acked (batched, cumulative) after its handler returns. */
  ack?: boolean;
  /** Backoff floor, default 500. */
  minReconnectDelayMs?: number;
  /** Backoff ceiling, default 20000. */
  maxReconnectDelayMs?: number;
  /**
   * Reconnect when nothing (no frame, no ping) arrived for this long; 0: off. Default: 70000 with the
   * `ws` package (it shows the node's 30 s pings), 0 in browsers (they answer pings invisibly, so an idle
   * but healthy connection is silent).
   */
  silenceTimeoutMs?: number;
  /** Most an ack waits to be batched with later ones, default 50. */
  ackDelayMs?: number;
  /** How long before `exp` getToken is called again, default 15000. */
  refreshBeforeMs?: number;
  /** A WebSocket constructor (Node: `import WebSocket from "ws"`); default globalThis.WebSocket. */
  WebSocket?: unknown;
  /** For tests: timers, random source in [0,1), clock, and the window for online/offline (null: none). */
  timers?: Timers;
  random?: () => number;
  now?: () => number;
  window?: { addEventListener(t: string, f: () => void): void; removeEventListener(t: string, f: () => void): void } | null;
}

export interface CloseInfo { code: number | null; reason: string | null }

export interface RecoveredEvent {
  subscription: string;
  kind: "topic" | "group";
  recovered: boolean;
  head: number;
  oldest?: number;
  epoch: string;
}

export interface GapEvent {
  subscription: string;
  kind: "topic" | "group";
  oldest: number;
  head: number;
  epochChanged: boolean;
}

export interface ErrorEvent {
  code: string;
  message: string;
  subscription?: string;
  op?: string;
  id?: number;
}

/** Close codes after which the client stays closed (1008, 1009, 4000; 4003 too without getToken). */
export const TERMINAL_CLOSE_CODES: readonly number[];

export function backoffDelayMs(attempt: number, minMs: number, maxMs: number, random: () => number): number;
export function tokenExpiry(token: string): number | null;

export class Ringcast {
  constructor(url: string, options?: RingcastOptions);
  readonly url: string;
  readonly state: ConnectionState;
  /** Close code and reason of the last disconnect (null while connected). */
  readonly closeCode: number | null;
  readonly closeReason: string | null;
  subscribe<T = unknown>(topicOrPattern: string, handler: (msg: Message<T>) => void, opts?: SubscribeOptions): Subscription;
  join<T = unknown>(group: string, handler: (msg: Message<T>) => void, opts?: SubscribeOptions): Subscription;
  on(event: "state", fn: (state: ConnectionState, info: CloseInfo) => void): () => void;
  on(event: "recovered", fn: (e: RecoveredEvent) => void): () => void;
  on(event: "gap", fn: (e: GapEvent) => void): () => void;
  on(event: "error", fn: (e: ErrorEvent) => void): () => void;
  on(event: "closed", fn: (e: CloseInfo) => void): () => void;
  off(event: string, fn: (...args: any[]) => void): void;
  /** Closes for good: emits "closed", leaves no timer, listener or socket behind. */
  close(): void;
}
