// Shared pieces of the browser tests: a real node started from the engine jar, a headless Chromium, a test page
// served on the node's own origin, publishers, and waiting on conditions with a deadline (never a fixed sleep).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, openSync, closeSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import net from "node:net";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const JAR = resolve(here, "..", "..", "..", "engine", "target", "ringcast.jar");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const LISTENING = /^ringcast: (http|ingest) listening on (.+):(\d+)$/;

// Nodes still running when the test process ends (a failed or interrupted test) are killed with it.
const running = new Set();
process.on("exit", () =>
{
    for (const proc of running)
    {
        proc.kill("SIGKILL");
    }
});

/** Resolves when `condition()` (sync or async) is truthy; fails with `what` and `describe()` after `timeoutMs`. */
export async function waitFor(what, condition, { timeoutMs = 30000, describe } = {})
{
    const deadline = Date.now() + timeoutMs;
    for (;;)
    {
        const value = await condition();
        if (value)
        {
            return value;
        }
        if (Date.now() > deadline)
        {
            const more = describe ? ": " + (await describe()) : "";
            throw new Error("timed out after " + timeoutMs + " ms waiting for " + what + more);
        }
        // A poll interval, not a synchronisation: the condition decides.
        await new Promise((r) => setTimeout(r, 20));
    }
}

/** A temporary directory (the node's journal, its log), removed by `cleanup()`. */
export function tempDir(prefix)
{
    return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A node process from the engine jar, as ProcessNode.java starts one: ephemeral ports unless given, bound to
 * loopback, its own journal dir. `restart()` starts a new process on the same journal dir and the same http port
 * (the client keeps its URL), after the previous one has exited.
 */
export class NodeProcess
{
    constructor(journalDir, logPath, flags)
    {
        this.journalDir = journalDir;
        this.logPath = logPath;
        this.flags = flags;
        this.httpPort = 0;
        this.ingestPort = 0;
        this.proc = null;
        this.exit = null;
        this.startedAt = 0;
        this.readyAt = 0;
    }

    static async start({ journalDir, flags = [], httpPort = 0 } = {})
    {
        if (!existsSync(JAR))
        {
            throw new Error(JAR + " is missing: build it with `mvn -B -pl engine -am package -DskipTests`");
        }
        const dir = journalDir || tempDir("ringcast-e2e-");
        const node = new NodeProcess(join(dir, "journal"), join(dir, "node.log"), flags);
        node.dir = dir;
        node.ownsDir = !journalDir;
        await node._spawn(httpPort);
        return node;
    }

    async _spawn(httpPort)
    {
        const log = openSync(this.logPath, "a");
        const args = ["-Xmx256m", "-Dchronicle.analytics.disable=true", "-jar", JAR,
            "--http-port", String(httpPort), "--http-bind", "127.0.0.1", "--ingest-port", "0",
            "--journal-dir", this.journalDir, ...this.flags];
        this.startedAt = Date.now();
        const proc = spawn(process.env.JAVA || "java", args, { stdio: ["ignore", "pipe", log] });
        closeSync(log);
        this.proc = proc;
        running.add(proc);
        this.exit = new Promise((r) => proc.once("exit", (code, signal) =>
        {
            running.delete(proc);
            r({ code, signal });
        }));
        this.httpPort = 0;
        this.ingestPort = 0;
        await new Promise((resolveReady, reject) =>
        {
            let buffered = "";
            const onExit = ({ code, signal }) => reject(new Error("node exited before listening (" + code + " " +
                signal + "): " + readFileSync(this.logPath, "utf8").slice(-4000)));
            this.exit.then(onExit);
            proc.stdout.on("data", (chunk) =>
            {
                buffered += chunk.toString("utf8");
                let nl;
                while ((nl = buffered.indexOf("\n")) >= 0)
                {
                    const line = buffered.slice(0, nl).trim();
                    buffered = buffered.slice(nl + 1);
                    const m = LISTENING.exec(line);
                    if (m)
                    {
                        if (m[1] === "http")
                        {
                            this.httpPort = Number(m[3]);
                        }
                        else
                        {
                            this.ingestPort = Number(m[3]);
                        }
                        if (this.httpPort && this.ingestPort)
                        {
                            this.readyAt = Date.now();
                            resolveReady();
                        }
                    }
                }
            });
        });
    }

    get httpUrl()
    {
        return "http://127.0.0.1:" + this.httpPort;
    }

    get wsUrl()
    {
        return "ws://127.0.0.1:" + this.httpPort + "/ws";
    }

    /** SIGKILL (`kill -9`), and wait for the process to be gone. */
    async kill9()
    {
        this.proc.kill("SIGKILL");
        return this.exit;
    }

    /** SIGTERM: the node closes every client with 1001 and exits 0. */
    async sigterm()
    {
        this.proc.kill("SIGTERM");
        return this.exit;
    }

    /** A new process on the same journal dir and http port. */
    async restart()
    {
        await this._spawn(this.httpPort);
    }

    async health()
    {
        return (await fetch(this.httpUrl + "/health")).json();
    }

    /** The value of a counter or gauge of /metrics (0 when absent). */
    async metric(name)
    {
        const text = await (await fetch(this.httpUrl + "/metrics")).text();
        const line = text.split("\n").find((l) => l.startsWith(name + " "));
        return line ? Number(line.slice(name.length + 1)) : 0;
    }

    /** POST /publish; the id the node gave it. */
    async publish(target, data, { group = false } = {})
    {
        const r = await fetch(this.httpUrl + "/publish?" + (group ? "group=" : "topic=") + encodeURIComponent(target), {
            method: "POST", body: JSON.stringify(data), headers: { "Content-Type": "application/json" },
        });
        const body = await r.json();
        if (!r.ok)
        {
            throw new Error("publish refused: " + r.status + " " + JSON.stringify(body));
        }
        return body.id;
    }

    async close()
    {
        if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null)
        {
            this.proc.kill("SIGKILL");
            await this.exit;
        }
        if (this.ownsDir)
        {
            rmSync(this.dir, { recursive: true, force: true });
        }
    }
}

/** A TCP ingest publisher (PROTOCOL.md "TCP ingest"): pipelines frames, resolves when every reply is in. */
export async function ingestPublish(port, topic, count, payloadBytes)
{
    const socket = net.connect(port, "127.0.0.1");
    await new Promise((r, reject) => { socket.once("connect", r); socket.once("error", reject); });
    const target = Buffer.from(topic, "utf8");
    const payload = Buffer.from(JSON.stringify("x".repeat(Math.max(0, payloadBytes - 2))), "utf8");
    const frame = Buffer.alloc(4 + 1 + 2 + target.length + payload.length);
    frame.writeUInt32BE(frame.length - 4, 0);
    frame.writeUInt8(1, 4);                 // JSON payload
    frame.writeUInt16BE(target.length, 5);
    target.copy(frame, 7);
    payload.copy(frame, 7 + target.length);
    let replies = 0;
    let lastId = 0;
    let pending = Buffer.alloc(0);
    const done = new Promise((r, reject) =>
    {
        socket.on("data", (chunk) =>
        {
            pending = Buffer.concat([pending, chunk]);
            while (pending.length >= 9)
            {
                const status = pending.readUInt8(0);
                if (status !== 0)
                {
                    reject(new Error("ingest status " + status));
                }
                lastId = Number(pending.readBigUInt64BE(1));
                pending = pending.subarray(9);
                if (++replies === count)
                {
                    r(lastId);
                }
            }
        });
        socket.once("error", reject);
    });
    const batch = Buffer.concat(Array(Math.min(count, 256)).fill(frame));
    for (let sent = 0; sent < count;)
    {
        const n = Math.min(256, count - sent);
        const ok = socket.write(n === 256 ? batch : batch.subarray(0, n * frame.length));
        sent += n;
        if (!ok)
        {
            await new Promise((r) => socket.once("drain", r));
        }
    }
    try
    {
        return await done;
    }
    finally
    {
        socket.destroy();
    }
}

/** Headless Chromium from the distribution, with the flags STACK.md says it needs here (never a download). */
export async function launchBrowser()
{
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"],
    });
}

/** A page on the node's own origin (so localStorage is the node's); the client is the node's real GET /ringcast.js. */
export async function openTestPage(browser, node)
{
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await useClientUnderTest(page, node);
    await loadTestPage(page, node);
    return page;
}

/**
 * Navigates to a real document of the node, then writes the test page into it. A document the test would serve
 * itself (request interception) has no address, so Chromium's Local Network Access checks would class it as public
 * and block its WebSocket to 127.0.0.1; a document the node served is loopback, like the demo page.
 */
export async function loadTestPage(page, node)
{
    await page.goto(node.httpUrl + "/health");
    await page.setContent(TEST_PAGE);
    await page.waitForFunction(() => window.e2eReady === true);
}

export const CLIENT_SOURCE = resolve(here, "..", "src", "ringcast.js");

/**
 * The client the pages run is the node's GET /ringcast.js, which the jar embedded at build time: a test run after an
 * edit of src/ringcast.js without a rebuild of the jar would test the old client, so that fails here. With
 * RINGCAST_E2E_CLIENT=src the pages get src/ringcast.js instead (to try an edit without rebuilding the jar).
 */
export async function useClientUnderTest(page, node)
{
    const source = readFileSync(CLIENT_SOURCE, "utf8");
    if (process.env.RINGCAST_E2E_CLIENT === "src")
    {
        await page.route("**/ringcast.js", (route) => route.fulfill({ contentType: "text/javascript", body: source }));
        return;
    }
    const served = await (await fetch(node.httpUrl + "/ringcast.js")).text();
    if (served !== source)
    {
        throw new Error("the node serves another ringcast.js than clients/js/src/ringcast.js: rebuild the jar " +
            "(mvn -B -pl engine -am package -DskipTests) or run with RINGCAST_E2E_CLIENT=src");
    }
}

/** The page's client: `start(options)` makes `window.rc`; `sub(name, opts)` / `join(name, opts)` record what arrives. */
const TEST_PAGE = `<!doctype html><meta charset="utf-8"><title>e2e</title><script type="module">
import { Ringcast } from "/ringcast.js";
const t = { rc: null, got: {}, frames: [], states: [], recovered: [], gaps: [], errors: [], rawRedelivered: 0,
  firstAfter: {} };
window.t = t;
// A WebSocket that also counts frames marked redelivered, for the ack test (the client drops them as duplicates).
class CountingWebSocket extends WebSocket {
  constructor(url) {
    super(url);
    this.addEventListener("message", (e) => { if (e.data.includes('"redelivered":true')) t.rawRedelivered++; });
  }
}
window.start = (url, options = {}) => {
  t.rc = new Ringcast(url, { minReconnectDelayMs: 100, maxReconnectDelayMs: 1000, WebSocket: CountingWebSocket, ...options });
  t.rc.on("state", (s, info) => t.states.push({ state: s, code: info.code, at: Date.now() }));
  t.rc.on("recovered", (e) => t.recovered.push(e));
  t.rc.on("gap", (e) => t.gaps.push(e));
  t.rc.on("error", (e) => t.errors.push(e));
};
const record = (key, persist) => (m) => {
  (t.got[key] ||= []).push(m.id);
  t.frames.push({ key, id: m.id, at: Date.now() });
  if (persist) localStorage.setItem("pos:" + key, JSON.stringify(t.subs[key].position()));
};
t.subs = {};
window.sub = (name, opts = {}, persist = false) => { t.subs["t:" + name] = t.rc.subscribe(name, record("t:" + name, persist), opts); };
window.join = (name, opts = {}) => { t.subs["g:" + name] = t.rc.join(name, record("g:" + name, false), opts); };
window.e2eReady = true;
</script>`;

/** 1..n (or from..to) as an array, to compare with what a subscription got. */
export function range(from, to)
{
    const out = [];
    for (let i = from; i <= to; i++)
    {
        out.push(i);
    }
    return out;
}

export function median(values)
{
    const s = [...values].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
