// A fake WebSocket and hand-advanced timers: the unit tests drive the client on one thread, no network, no sleeps.

export class FakeTimers
{
    constructor()
    {
        this.nowMs = 0;
        this.next = 1;
        this.pending = new Map();
        this.setTimeout = (fn, ms) =>
        {
            const id = this.next++;
            this.pending.set(id, { at: this.nowMs + ms, fn });
            return id;
        };
        this.clearTimeout = (id) => this.pending.delete(id);
    }

    /** Runs every timer due within ms, in due order, moving the clock as it goes. */
    advance(ms)
    {
        const end = this.nowMs + ms;
        for (;;)
        {
            let best = null;
            for (const [id, t] of this.pending)
            {
                if (t.at <= end && (best === null || t.at < best[1].at))
                {
                    best = [id, t];
                }
            }
            if (best === null)
            {
                break;
            }
            this.pending.delete(best[0]);
            this.nowMs = best[1].at;
            best[1].fn();
        }
        this.nowMs = end;
    }

    delays()
    {
        return [...this.pending.values()].map((t) => t.at - this.nowMs);
    }
}

/** Records every socket the client opens; the test plays the node's side. */
export function fakeWebSocketClass()
{
    const sockets = [];
    class FakeWebSocket
    {
        constructor(url)
        {
            this.url = url;
            this.readyState = 0;
            this.sent = [];
            this.closedWith = null;
            sockets.push(this);
        }

        send(text)
        {
            if (this.readyState !== 1)
            {
                throw new Error("send on a socket that is not open");
            }
            this.sent.push(JSON.parse(text));
        }

        close(code)
        {
            this.closedWith = code ?? 1005;
            this.readyState = 3;
        }

        // The node's side:
        open()
        {
            this.readyState = 1;
            this.onopen && this.onopen({});
        }

        receive(obj)
        {
            this.onmessage && this.onmessage({ data: JSON.stringify(obj) });
        }

        serverClose(code, reason = "")
        {
            this.readyState = 3;
            this.onclose && this.onclose({ code, reason });
        }

        ops(name)
        {
            return this.sent.filter((m) => m.op === name);
        }
    }
    return { FakeWebSocket, sockets };
}

export const flush = () => new Promise((resolve) => setImmediate(resolve));
