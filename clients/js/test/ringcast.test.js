import { test } from "node:test";
import assert from "node:assert/strict";
import { Ringcast, backoffDelayMs, tokenExpiry, TERMINAL_CLOSE_CODES } from "../src/ringcast.js";
import { FakeTimers, fakeWebSocketClass, flush } from "./fakes.js";

function setup(extra = {})
{
    const timers = new FakeTimers();
    const { FakeWebSocket, sockets } = fakeWebSocketClass();
    const rc = new Ringcast("ws://node/ws", {
        WebSocket: FakeWebSocket, timers, random: () => 0.5, now: () => timers.nowMs, window: null, ...extra,
    });
    const states = [];
    rc.on("state", (s, info) => states.push(info.code ? s + ":" + info.code : s));
    return { rc, timers, sockets, states };
}

const subscribed = (topics, head, epoch = "E1", more = {}) => ({ type: "subscribed", topics, head, epoch, ...more });

test("shouldEmitConnectingToListenersAttachedRightAfterTheConstructor", async () =>
{
    const { rc, sockets, states } = setup();
    assert.deepEqual(states, []);
    assert.equal(sockets.length, 0);
    await flush();
    assert.deepEqual(states, ["connecting"]);
    sockets[0].open();
    assert.deepEqual(states, ["connecting", "connected"]);
    rc.close();
});

test("shouldSubscribeOnOpenAndDeliverInOrderOnceEach", async () =>
{
    const { rc, sockets } = setup();
    const got = [];
    rc.subscribe("news", (m) => got.push(m.id));
    await flush();
    const ws = sockets[0];
    ws.open();
    assert.deepEqual(ws.ops("subscribe"), [{ op: "subscribe", topics: ["news"] }]);
    ws.receive(subscribed(["news"], 7));
    ws.receive({ id: 8, topic: "news", data: 1 });
    ws.receive({ id: 8, topic: "news", data: 1 });
    ws.receive({ id: 9, topic: "news", data: 2 });
    ws.receive({ id: 10, topic: "other", data: 3 });
    assert.deepEqual(got, [8, 9]);
    rc.close();
});

test("shouldResumeEachSubscriptionFromItsLastIdAndEpochAfterAClose", async () =>
{
    const { rc, sockets, timers, states } = setup();
    const news = [];
    const room = [];
    rc.subscribe("news", (m) => news.push(m.id));
    rc.join("room", (m) => room.push(m.id));
    rc.subscribe("quiet", () => {});
    await flush();
    let ws = sockets[0];
    ws.open();
    ws.receive(subscribed(["news"], 3));
    ws.receive({ type: "joined", group: "room", head: 3, epoch: "E1" });
    ws.receive(subscribed(["quiet"], 3));
    ws.receive({ id: 4, topic: "news", data: null });
    ws.receive({ id: 5, group: "room", data: null });
    ws.serverClose(1001, "shutting down");
    assert.deepEqual(states.slice(-1), ["disconnected:1001"]);
    assert.equal(sockets.length, 1);
    timers.advance(500);
    await flush();
    ws = sockets[1];
    ws.open();
    assert.deepEqual(ws.sent, [
        { op: "subscribe", topics: ["news"], from: 4, epoch: "E1" },
        { op: "join", group: "room", from: 5, epoch: "E1" },
        { op: "subscribe", topics: ["quiet"], from: 3, epoch: "E1" },
    ]);
    const recovered = [];
    rc.on("recovered", (e) => recovered.push(e.subscription + ":" + e.recovered));
    ws.receive(subscribed(["news"], 9, "E1", { recovered: true }));
    ws.receive({ id: 4, topic: "news", data: null });   // a duplicate across the switch is dropped
    ws.receive({ id: 6, topic: "news", data: null });
    assert.deepEqual(news, [4, 6]);
    assert.deepEqual(room, [5]);
    assert.deepEqual(recovered, ["news:true"]);
    rc.close();
});

test("shouldEmitGapAndGoOnLiveFromHeadWhenTheEpochChanged", async () =>
{
    const { rc, sockets } = setup();
    const got = [];
    const sub = rc.subscribe("news", (m) => got.push(m.id), { from: 40, epoch: "OLD" });
    const gaps = [];
    rc.on("gap", (g) => gaps.push(g));
    await flush();
    const ws = sockets[0];
    ws.open();
    assert.deepEqual(ws.sent, [{ op: "subscribe", topics: ["news"], from: 40, epoch: "OLD" }]);
    ws.receive(subscribed(["news"], 2, "NEW", { recovered: false, oldest: 1 }));
    ws.receive({ id: 3, topic: "news", data: null });   // lower than 40, but of the new journal
    assert.equal(gaps.length, 1);
    assert.equal(gaps[0].subscription, "news");
    assert.equal(gaps[0].oldest, 1);
    assert.equal(gaps[0].epochChanged, true);
    assert.deepEqual(got, [3]);
    assert.deepEqual(sub.position(), { id: 3, epoch: "NEW" });
    rc.close();
});

test("shouldDispatchByPatternFieldElseTopicSoEachEntryGetsItsCopyOnce", async () =>
{
    const { rc, sockets } = setup();
    const byPattern = [];
    const byName = [];
    rc.subscribe("prices.*", (m) => byPattern.push(m.topic + "#" + m.id));
    rc.subscribe("prices.eur", (m) => byName.push(m.id));
    await flush();
    const ws = sockets[0];
    ws.open();
    ws.receive(subscribed(["prices.*"], 0));
    ws.receive(subscribed(["prices.eur"], 0));
    ws.receive({ id: 1, topic: "prices.eur", pattern: "prices.*", data: 1 });
    ws.receive({ id: 1, topic: "prices.eur", data: 1 });
    ws.receive({ id: 2, topic: "prices.usd", pattern: "prices.*", data: 2 });
    assert.deepEqual(byPattern, ["prices.eur#1", "prices.usd#2"]);
    assert.deepEqual(byName, [1]);
    rc.close();
});

test("shouldBackOffWithFullJitterBetweenMinAndAnExponentialCap", () =>
{
    assert.equal(backoffDelayMs(0, 500, 20000, () => 0.999999), 500);
    assert.equal(backoffDelayMs(3, 500, 20000, () => 0), 500);
    assert.equal(backoffDelayMs(3, 500, 20000, () => 1), 4000);
    assert.equal(backoffDelayMs(3, 500, 20000, () => 0.5), 2250);
    assert.equal(backoffDelayMs(10, 500, 20000, () => 1), 20000);
    assert.equal(backoffDelayMs(1000, 500, 20000, () => 1), 20000);
});

test("shouldGrowTheReconnectDelayWhileConnectsFailAndResetItAfterAnOpen", async () =>
{
    const { rc, sockets, timers } = setup({ random: () => 1, minReconnectDelayMs: 100, maxReconnectDelayMs: 1000 });
    await flush();
    const delays = [];
    for (let i = 0; i < 6; i++)
    {
        sockets[i].serverClose(1006);
        delays.push(timers.delays()[0]);
        timers.advance(delays[i]);
        await flush();
    }
    assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000]);
    sockets[6].open();
    sockets[6].serverClose(1006);
    assert.deepEqual(timers.delays(), [100]);
    rc.close();
});

test("shouldStayClosedAfterTerminalCodesAndReconnectAfterRetryableOnes", async () =>
{
    assert.deepEqual([...TERMINAL_CLOSE_CODES], [1008, 1009, 4000]);
    for (const code of [1008, 1009, 4000, 4003])
    {
        const { sockets, timers, states } = setup();
        await flush();
        sockets[0].open();
        sockets[0].serverClose(code);
        assert.deepEqual(states, ["connecting", "connected", "closed:" + code], "code " + code);
        assert.equal(timers.pending.size, 0);
    }
    for (const code of [1001, 1006, 1011, 1013, 4001, 4008])
    {
        const { rc, sockets, timers, states } = setup();
        await flush();
        sockets[0].open();
        sockets[0].serverClose(code);
        assert.deepEqual(states, ["connecting", "connected", "disconnected:" + code], "code " + code);
        timers.advance(500);
        await flush();
        assert.equal(sockets.length, 2, "code " + code);
        rc.close();
    }
});

test("shouldReconnectWithAFreshTokenAfter4003WhenGetTokenIsGiven", async () =>
{
    let n = 0;
    const { rc, sockets, timers } = setup({ getToken: async () => "tok" + (++n) });
    await flush();
    assert.equal(sockets[0].url, "ws://node/ws?token=tok1");
    sockets[0].open();
    sockets[0].serverClose(4003, "token expired");
    timers.advance(500);
    await flush();
    assert.equal(sockets[1].url, "ws://node/ws?token=tok2");
    rc.close();
});

function jwt(claims)
{
    const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
    return b64({ alg: "HS256" }) + "." + b64(claims) + ".sig";
}

test("shouldRefreshTheTokenWithAnAuthOpBeforeItExpires", async () =>
{
    let n = 0;
    const { rc, sockets, timers } = setup({ getToken: async () => jwt({ sub: "u", exp: 100 + 60 * (n++) }) });
    await flush();
    const ws = sockets[0];
    ws.open();
    assert.equal(tokenExpiry(jwt({ exp: 100 })), 100);
    timers.advance(84_999);
    await flush();
    assert.deepEqual(ws.ops("auth"), []);
    timers.advance(1);
    await flush();
    assert.equal(ws.ops("auth").length, 1);
    assert.equal(tokenExpiry(ws.ops("auth")[0].token), 160);
    ws.receive({ type: "authed", exp: 160 });
    timers.advance(60_000);
    await flush();
    assert.equal(ws.ops("auth").length, 2);
    rc.close();
});

test("shouldAckCumulativelyInBatchesAfterTheHandlerReturned", async () =>
{
    const { rc, sockets, timers } = setup({ ack: true });
    const seenAtAck = [];
    let handled = 0;
    rc.subscribe("news", () => handled++);
    await flush();
    const ws = sockets[0];
    assert.equal(ws.url, "ws://node/ws?ack=1");
    ws.open();
    ws.receive(subscribed(["news"], 0));
    for (let id = 1; id <= 3; id++)
    {
        ws.receive({ id, topic: "news", data: null });
    }
    assert.deepEqual(ws.ops("ack"), []);
    timers.advance(50);
    assert.deepEqual(ws.ops("ack"), [{ op: "ack", id: 3 }]);
    assert.equal(handled, 3);
    ws.receive({ id: 2, topic: "news", data: null, redelivered: true });   // already handled: acked, not handled
    for (let id = 4; id <= 67; id++)
    {
        ws.receive({ id, topic: "news", data: null });
    }
    assert.deepEqual(ws.ops("ack").map((a) => a.id), [3, 66]);   // 64 frames fill a batch at once
    assert.equal(handled, 67);
    rc.close();   // flushes the rest
    assert.deepEqual(ws.ops("ack").map((a) => a.id), [3, 66, 67]);
});

test("shouldNotAckAMessageWhoseHandlerIsStillRunning", async () =>
{
    const { rc, sockets } = setup({ ack: true, ackDelayMs: 0 });
    let wsRef = null;
    let acksDuringHandler = null;
    rc.subscribe("news", () => { acksDuringHandler = wsRef.ops("ack").length; });
    await flush();
    wsRef = sockets[0];
    wsRef.open();
    wsRef.receive(subscribed(["news"], 0));
    wsRef.receive({ id: 1, topic: "news", data: null });
    assert.equal(acksDuringHandler, 0);
    rc.close();
    assert.deepEqual(wsRef.ops("ack"), [{ op: "ack", id: 1 }]);
});

test("shouldReconnectWhenSilentLongerThanTheWatchdog", async () =>
{
    const { rc, sockets, timers, states } = setup({ silenceTimeoutMs: 1000 });
    await flush();
    sockets[0].open();
    timers.advance(900);
    sockets[0].receive(subscribed(["x"], 0));
    timers.advance(900);
    assert.equal(rc.state, "connected");
    timers.advance(100);
    assert.equal(rc.state, "disconnected");
    assert.equal(rc.closeReason, "silence");
    assert.equal(sockets[0].closedWith, 1000);
    assert.deepEqual(states.slice(-1), ["disconnected"]);
    rc.close();
});

test("shouldDropOnOfflineAndReconnectAtOnceWhenOnline", async () =>
{
    const listeners = new Map();
    const win = {
        addEventListener: (t, f) => listeners.set(t, f),
        removeEventListener: (t, f) => listeners.get(t) === f && listeners.delete(t),
    };
    const { rc, sockets, timers } = setup({ window: win });
    await flush();
    sockets[0].open();
    listeners.get("offline")();
    assert.equal(rc.state, "disconnected");
    assert.equal(rc.closeReason, "offline");
    listeners.get("online")();
    await flush();
    assert.equal(sockets.length, 2);
    rc.close();
    assert.equal(listeners.size, 0);
    assert.equal(timers.pending.size, 0);
});

test("shouldLeaveNoTimerOrSocketAndEmitClosedLaterOnClose", async () =>
{
    const { rc, sockets, timers, states } = setup({ ack: true, silenceTimeoutMs: 5000 });
    rc.subscribe("news", () => {});
    await flush();
    sockets[0].open();
    sockets[0].receive(subscribed(["news"], 0));
    sockets[0].receive({ id: 1, topic: "news", data: null });
    rc.close();
    assert.deepEqual(states, ["connecting", "connected"]);   // not inside the call
    await flush();
    assert.deepEqual(states, ["connecting", "connected", "closed:1000"]);
    assert.equal(timers.pending.size, 0);
    assert.equal(sockets[0].closedWith, 1000);
    sockets[0].serverClose(1000);
    assert.equal(timers.pending.size, 0);
    assert.equal(sockets.length, 1);
});

test("shouldUnsubscribeOnTheWireWhenTheLastHandlerLeavesAndReportErrorsPerSubscription", async () =>
{
    const { rc, sockets } = setup();
    const errors = [];
    rc.on("error", (e) => errors.push(e.subscription + ":" + e.code));
    const a = rc.subscribe("news", () => {});
    const b = rc.subscribe("news", () => {});
    await flush();
    const ws = sockets[0];
    ws.open();
    assert.equal(ws.ops("subscribe").length, 1);
    ws.receive(subscribed(["news"], 0));
    a.unsubscribe();
    assert.deepEqual(ws.ops("unsubscribe"), []);
    b.unsubscribe();
    assert.deepEqual(ws.ops("unsubscribe"), [{ op: "unsubscribe", topics: ["news"] }]);
    ws.receive({ type: "unsubscribed", topics: ["news"] });
    rc.subscribe("bad name!", () => {});
    ws.receive({ type: "error", code: "bad_request", message: "invalid name" });
    assert.deepEqual(errors, ["bad name!:bad_request"]);
    ws.serverClose(1006);
    rc.close();
});
