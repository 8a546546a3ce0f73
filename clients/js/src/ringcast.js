// Ringcast JavaScript client: one ES module, no dependencies, for browsers and Node 20+.
// Contract: PROTOCOL.md, "Client library". Types: ringcast.d.ts.

/**
 * Close codes after which the client does not reconnect: 1008 (policy: the node saw a flood of requests),
 * 1009 (a request of ours was too big: sending it again would fail again) and 4000 (closed by an operator).
 * 4003 (token expired) is terminal only without `getToken`: a static token cannot be refreshed.
 * Every other code (1001, 1006, 1011, 1013, 4001, 4008, ...) reconnects with backoff and resumes by id.
 */
export const TERMINAL_CLOSE_CODES = Object.freeze([1008, 1009, 4000]);

const OPEN = 1;
const ACK_BATCH = 64;

/** Full-jitter exponential backoff: a uniform pick in [min, min(max, min * 2^attempt)]. */
export function backoffDelayMs(attempt, minMs, maxMs, random)
{
    const cap = Math.min(maxMs, minMs * Math.pow(2, Math.min(attempt, 30)));
    return Math.round(minMs + random() * (cap - minMs));
}

/** The `exp` claim (seconds) of a JWT, or null; the signature is the node's business. */
export function tokenExpiry(token)
{
    try
    {
        const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
        const json = JSON.parse(atob(part + "===".slice((part.length + 3) % 4)));
        return typeof json.exp === "number" ? json.exp : null;
    }
    catch (e)
    {
        return null;
    }
}

export class Ringcast
{
    constructor(url, options = {})
    {
        const o = options;
        this.url = url;
        this._WebSocket = o.WebSocket || globalThis.WebSocket;
        if (!this._WebSocket)
        {
            throw new TypeError("no WebSocket: pass options.WebSocket (in Node: the `ws` package)");
        }
        this._token = o.token || null;
        this._getToken = o.getToken || null;
        this._ack = !!o.ack;
        this._minMs = o.minReconnectDelayMs ?? 500;
        this._maxMs = o.maxReconnectDelayMs ?? 20000;
        this._silenceMs = o.silenceTimeoutMs ?? null;
        this._ackDelayMs = o.ackDelayMs ?? 50;
        this._refreshBeforeMs = o.refreshBeforeMs ?? 15000;
        this._timers = o.timers || { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (t) => clearTimeout(t) };
        this._random = o.random || Math.random;
        this._now = o.now || Date.now;
        this._window = o.window !== undefined ? o.window : (typeof window !== "undefined" ? window : null);

        this.state = "connecting";
        this.closeCode = null;
        this.closeReason = null;
        this._listeners = new Map();
        this._entries = new Map();      // "t:" + topic or pattern, "g:" + group -> entry
        this._pending = [];             // ops awaiting their reply, in order (the node answers in order)
        this._ws = null;
        this._attempt = 0;
        this._generation = 0;           // bumps on every connect, so late callbacks of an old socket are ignored
        this._reconnectTimer = null;
        this._silenceTimer = null;
        this._ackTimer = null;
        this._refreshTimer = null;
        this._ackHigh = 0;
        this._ackSent = 0;
        this._ackCount = 0;
        this._onOnline = () => this._online();
        this._onOffline = () => this._offline();
        if (this._window && this._window.addEventListener)
        {
            this._window.addEventListener("online", this._onOnline);
            this._window.addEventListener("offline", this._onOffline);
        }
        // Not inside the constructor: a listener attached right after `new` sees "connecting".
        queueMicrotask(() => this._connect());
    }

    /** Listens to "state", "recovered", "gap" or "error"; returns a function that removes the listener. */
    on(event, fn)
    {
        if (!this._listeners.has(event))
        {
            this._listeners.set(event, new Set());
        }
        this._listeners.get(event).add(fn);
        return () => this.off(event, fn);
    }

    off(event, fn)
    {
        const set = this._listeners.get(event);
        if (set)
        {
            set.delete(fn);
        }
    }

    subscribe(topic, handler, opts = {})
    {
        return this._add("t:", "topic", topic, handler, opts);
    }

    join(group, handler, opts = {})
    {
        return this._add("g:", "group", group, handler, opts);
    }

    /** Closes for good: emits "closed" and leaves no timer, listener or socket behind. */
    close()
    {
        if (this.state === "closed")
        {
            return;
        }
        this._flushAck();
        this._stop();
        if (this._window && this._window.removeEventListener)
        {
            this._window.removeEventListener("online", this._onOnline);
            this._window.removeEventListener("offline", this._onOffline);
        }
        this.closeCode = 1000;
        this.closeReason = "closed by client";
        this.state = "closed";
        this._later("state", "closed", { code: 1000, reason: this.closeReason });
        this._later("closed", { code: 1000, reason: this.closeReason });
    }

    _add(prefix, kind, name, handler, opts)
    {
        if (this.state === "closed")
        {
            throw new Error("Ringcast is closed");
        }
        const key = prefix + name;
        let entry = this._entries.get(key);
        if (!entry)
        {
            entry = {
                key, kind, name, handlers: [],
                lastId: Number.isInteger(opts.from) ? opts.from : null,
                epoch: opts.epoch ?? null,
                active: false,
            };
            this._entries.set(key, entry);
            if (this._isOpen())
            {
                this._sendEntry(entry);
            }
        }
        entry.handlers.push(handler);
        const rc = this;
        return {
            kind, name,
            position: () => ({ id: entry.lastId ?? 0, epoch: entry.epoch }),
            unsubscribe()
            {
                const i = entry.handlers.indexOf(handler);
                if (i < 0)
                {
                    return;
                }
                entry.handlers.splice(i, 1);
                if (entry.handlers.length === 0 && rc._entries.get(key) === entry)
                {
                    rc._entries.delete(key);
                    if (rc._isOpen())
                    {
                        rc._send(kind === "topic"
                            ? { op: "unsubscribe", topics: [name] }
                            : { op: "leave", group: name }, kind === "topic" ? "unsubscribed" : "left", null);
                    }
                }
            },
        };
    }

    _isOpen()
    {
        return this._ws !== null && this._ws.readyState === OPEN;
    }

    async _connect()
    {
        if (this.state === "closed")
        {
            return;
        }
        const generation = ++this._generation;
        this._setState("connecting", null, null);
        if (this._getToken)
        {
            try
            {
                this._token = await this._getToken();
            }
            catch (e)
            {
                if (generation === this._generation && this.state !== "closed")
                {
                    this._emit("error", { code: "token", message: String(e && e.message || e) });
                    this._disconnected(null, "getToken failed");
                }
                return;
            }
            if (generation !== this._generation || this.state === "closed")
            {
                return;
            }
        }
        const query = [];
        if (this._ack)
        {
            query.push("ack=1");
        }
        if (this._token)
        {
            query.push("token=" + encodeURIComponent(this._token));
        }
        const url = this.url + (query.length ? (this.url.includes("?") ? "&" : "?") + query.join("&") : "");
        let ws;
        try
        {
            ws = new this._WebSocket(url);
        }
        catch (e)
        {
            this._emit("error", { code: "connect", message: String(e && e.message || e) });
            this._disconnected(null, "connect failed");
            return;
        }
        this._ws = ws;
        this._pending = [];
        this._ackHigh = 0;
        this._ackSent = 0;
        this._ackCount = 0;
        ws.onopen = () =>
        {
            if (ws !== this._ws)
            {
                return;
            }
            this._attempt = 0;
            this._setState("connected", null, null);
            this._touch();
            for (const entry of this._entries.values())
            {
                this._sendEntry(entry);
            }
            this._scheduleRefresh();
        };
        ws.onmessage = (event) =>
        {
            if (ws === this._ws)
            {
                this._touch();
                this._frame(event.data);
            }
        };
        ws.onclose = (event) =>
        {
            if (ws === this._ws)
            {
                this._ws = null;
                this._disconnected(event.code, event.reason || "");
            }
        };
        ws.onerror = () =>
        {
            // A close event follows every error event.
        };
        if (typeof ws.on === "function")
        {
            // The `ws` package shows the node's pings: they count as traffic for the silence watchdog.
            ws.on("ping", () =>
            {
                if (ws === this._ws)
                {
                    this._touch();
                }
            });
        }
    }

    _sendEntry(entry)
    {
        const op = entry.kind === "topic"
            ? { op: "subscribe", topics: [entry.name] }
            : { op: "join", group: entry.name };
        if (entry.lastId !== null)
        {
            op.from = entry.lastId;
            if (entry.epoch !== null)
            {
                op.epoch = entry.epoch;
            }
        }
        entry.active = false;
        this._send(op, entry.kind === "topic" ? "subscribed" : "joined", entry);
    }

    _send(op, reply, entry)
    {
        if (reply)
        {
            this._pending.push({ reply, entry, op });
        }
        this._ws.send(JSON.stringify(op));
    }

    _frame(text)
    {
        let m;
        try
        {
            m = JSON.parse(text);
        }
        catch (e)
        {
            return;
        }
        if (typeof m.id === "number")
        {
            this._message(m);
            return;
        }
        switch (m.type)
        {
            case "subscribed":
            case "joined":
                this._reply(this._pending.shift(), m);
                break;
            case "unsubscribed":
            case "left":
                this._pending.shift();
                break;
            case "authed":
                this._pending.shift();
                this._scheduleRefresh(m.exp);
                break;
            case "error":
            {
                const p = this._pending.shift();
                if (p && p.entry && this._entries.get(p.entry.key) === p.entry)
                {
                    this._entries.delete(p.entry.key);
                }
                this._emit("error", {
                    code: m.code, message: m.message,
                    subscription: p && p.entry ? p.entry.name : undefined,
                    op: p ? p.op.op : undefined,
                });
                break;
            }
            default:
                break;
        }
    }

    _reply(p, m)
    {
        const entry = p && p.entry;
        if (!entry || this._entries.get(entry.key) !== entry)
        {
            return;
        }
        entry.active = true;
        const epochChanged = entry.epoch !== null && m.epoch !== entry.epoch;
        entry.epoch = m.epoch ?? entry.epoch;
        if (m.recovered !== undefined)
        {
            this._emit("recovered", { subscription: entry.name, kind: entry.kind, recovered: m.recovered,
                head: m.head, oldest: m.oldest, epoch: m.epoch });
        }
        if (m.recovered === false)
        {
            // Nothing is replayed: live delivery starts after head (ids of another epoch mean nothing here).
            entry.lastId = m.head;
            this._emit("gap", { subscription: entry.name, kind: entry.kind, oldest: m.oldest, head: m.head,
                epochChanged });
        }
        else if (entry.lastId === null)
        {
            // Live from here: a reconnect before the first message resumes after head, losing nothing.
            entry.lastId = m.head;
        }
    }

    _message(m)
    {
        const entry = m.group !== undefined
            ? this._entries.get("g:" + m.group)
            : this._entries.get("t:" + (m.pattern !== undefined ? m.pattern : m.topic));
        if (entry && entry.active && (entry.lastId === null || m.id > entry.lastId))
        {
            entry.lastId = m.id;
            const handlers = entry.handlers.slice();
            for (let i = 0; i < handlers.length; i++)
            {
                try
                {
                    handlers[i](m);
                }
                catch (e)
                {
                    this._emit("error", { code: "handler", message: String(e && e.message || e),
                        subscription: entry.name, id: m.id });
                }
            }
        }
        if (this._ack)
        {
            // After the handler returned; a duplicate or a frame for a removed entry is acked too, so it is not
            // redelivered again.
            this._queueAck(m.id);
        }
    }

    _queueAck(id)
    {
        if (id > this._ackHigh)
        {
            this._ackHigh = id;
        }
        if (++this._ackCount >= ACK_BATCH)
        {
            this._flushAck();
        }
        else if (this._ackTimer === null)
        {
            this._ackTimer = this._timers.setTimeout(() =>
            {
                this._ackTimer = null;
                this._flushAck();
            }, this._ackDelayMs);
        }
    }

    _flushAck()
    {
        if (this._ackTimer !== null)
        {
            this._timers.clearTimeout(this._ackTimer);
            this._ackTimer = null;
        }
        this._ackCount = 0;
        if (this._ackHigh > this._ackSent && this._isOpen())
        {
            this._ackSent = this._ackHigh;
            this._ws.send(JSON.stringify({ op: "ack", id: this._ackHigh }));
        }
    }

    _scheduleRefresh(expSeconds)
    {
        this._clear("_refreshTimer");
        if (!this._getToken || !this._token)
        {
            return;
        }
        const exp = expSeconds !== undefined ? expSeconds : tokenExpiry(this._token);
        if (typeof exp !== "number")
        {
            return;
        }
        const delayMs = Math.max(1000, exp * 1000 - this._now() - this._refreshBeforeMs);
        const generation = this._generation;
        this._refreshTimer = this._timers.setTimeout(async () =>
        {
            this._refreshTimer = null;
            let token;
            try
            {
                token = await this._getToken();
            }
            catch (e)
            {
                this._emit("error", { code: "token", message: String(e && e.message || e) });
                return;
            }
            if (generation === this._generation && this._isOpen())
            {
                this._token = token;
                this._send({ op: "auth", token }, "authed", null);
            }
        }, delayMs);
    }

    _touch()
    {
        const silenceMs = this._silenceMs ?? (this._ws && typeof this._ws.on === "function" ? 70000 : 0);
        if (silenceMs <= 0)
        {
            return;
        }
        this._clear("_silenceTimer");
        const ws = this._ws;
        this._silenceTimer = this._timers.setTimeout(() =>
        {
            this._silenceTimer = null;
            if (ws === this._ws)
            {
                this._drop("silence");
            }
        }, silenceMs);
    }

    _online()
    {
        if (this.state === "disconnected")
        {
            this._clear("_reconnectTimer");
            this._attempt = 0;
            this._connect();
        }
    }

    _offline()
    {
        if (this._ws !== null)
        {
            this._drop("offline");
        }
    }

    /** Gives up the current socket at once (no close handshake on a link that may be dead) and reconnects. */
    _drop(reason)
    {
        const ws = this._ws;
        this._ws = null;
        this._detach(ws);
        this._disconnected(null, reason);
    }

    _detach(ws)
    {
        if (!ws)
        {
            return;
        }
        ws.onopen = ws.onmessage = ws.onclose = null;
        ws.onerror = () => {};
        try
        {
            ws.close(1000);
        }
        catch (e)
        {
            // already closing
        }
    }

    _disconnected(code, reason)
    {
        this._clear("_silenceTimer");
        this._clear("_refreshTimer");
        this._clear("_ackTimer");
        this._ackCount = 0;
        if (this.state === "closed")
        {
            return;
        }
        for (const entry of this._entries.values())
        {
            entry.active = false;
        }
        const terminal = TERMINAL_CLOSE_CODES.includes(code) || (code === 4003 && !this._getToken);
        if (terminal)
        {
            this._stop();
            this._setState("closed", code, reason);
            this._emit("closed", { code, reason });
            return;
        }
        this._setState("disconnected", code, reason);
        const delayMs = backoffDelayMs(this._attempt++, this._minMs, this._maxMs, this._random);
        this._reconnectTimer = this._timers.setTimeout(() =>
        {
            this._reconnectTimer = null;
            this._connect();
        }, delayMs);
    }

    _stop()
    {
        this._generation++;
        this._clear("_reconnectTimer");
        this._clear("_silenceTimer");
        this._clear("_ackTimer");
        this._clear("_refreshTimer");
        const ws = this._ws;
        this._ws = null;
        this._detach(ws);
    }

    _clear(field)
    {
        if (this[field] !== null)
        {
            this._timers.clearTimeout(this[field]);
            this[field] = null;
        }
    }

    _setState(state, code, reason)
    {
        this.state = state;
        this.closeCode = code;
        this.closeReason = reason;
        this._emit("state", state, { code, reason });
    }

    _emit(event, a, b)
    {
        const set = this._listeners.get(event);
        if (!set)
        {
            return;
        }
        for (const fn of Array.from(set))
        {
            try
            {
                fn(a, b);
            }
            catch (e)
            {
                if (event !== "error")
                {
                    this._emit("error", { code: "listener", message: String(e && e.message || e) });
                }
            }
        }
    }

    _later(event, a, b)
    {
        queueMicrotask(() => this._emit(event, a, b));
    }
}
