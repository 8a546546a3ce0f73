// The client in a real headless Chromium against a real node: delivery, groups, patterns, gap, ack mode.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { WebSocket as NodeWebSocket } from "ws";
import { NodeProcess, launchBrowser, openTestPage, waitFor, range } from "./harness.js";

let node;
let browser;

before(async () =>
{
    // A short ack timeout so that the ack test sees a non-acking client redelivered, then closed, quickly.
    node = await NodeProcess.start({ flags: ["--ack-timeout", "500ms"] });
    browser = await launchBrowser();
});

after(async () =>
{
    await browser?.close();
    await node?.close();
});

const got = (page, key) => page.evaluate((k) => window.t.got[k] || [], key);

test("shouldReceiveEveryMessageOfASubscriptionInOrderInChromium", async () =>
{
    const page = await openTestPage(browser, node);
    await page.evaluate((url) => { window.start(url); window.sub("e2e.news"); }, node.wsUrl);
    await waitFor("connected", () => page.evaluate(() => window.t.states.some((s) => s.state === "connected")));
    await waitFor("the subscription's reply", () => page.evaluate(() => window.t.rc._entries.get("t:e2e.news").active));
    const ids = [];
    for (let i = 0; i < 20; i++)
    {
        ids.push(await node.publish("e2e.news", { n: i }));
        await node.publish("e2e.other", { n: i });   // another topic: never delivered to this subscription
    }
    await waitFor("20 messages", async () => (await got(page, "t:e2e.news")).length >= 20,
        { describe: () => got(page, "t:e2e.news") });
    assert.deepEqual(await got(page, "t:e2e.news"), ids);
    const data = await page.evaluate(() => window.t.frames.length);
    assert.equal(data, 20, "nothing of e2e.other");
    await page.context().close();
});

test("shouldDeliverGroupMessagesToAJoinedGroupAndNotToATopicOfTheSameName", async () =>
{
    const page = await openTestPage(browser, node);
    await page.evaluate((url) => { window.start(url); window.join("room-1"); window.sub("room-1"); }, node.wsUrl);
    await waitFor("both entries active", () => page.evaluate(() =>
        window.t.rc._entries.get("g:room-1")?.active && window.t.rc._entries.get("t:room-1")?.active));
    const groupIds = [];
    const topicIds = [];
    for (let i = 0; i < 5; i++)
    {
        groupIds.push(await node.publish("room-1", { g: i }, { group: true }));
        topicIds.push(await node.publish("room-1", { t: i }));
    }
    await waitFor("5 group and 5 topic messages", async () =>
        (await got(page, "g:room-1")).length >= 5 && (await got(page, "t:room-1")).length >= 5);
    assert.deepEqual(await got(page, "g:room-1"), groupIds, "the group's handler gets the group's messages");
    assert.deepEqual(await got(page, "t:room-1"), topicIds, "the topic's handler gets the topic's messages");
    await page.context().close();
});

test("shouldDeliverThroughAPatternAndANameOnceEachWhenTheNodeSupportsPatterns", async (t) =>
{
    const page = await openTestPage(browser, node);
    await page.evaluate((url) => { window.start(url); window.sub("e2e.prices.*"); window.sub("e2e.prices.eur"); }, node.wsUrl);
    await waitFor("both replies", () => page.evaluate(() =>
        window.t.errors.length > 0 || (window.t.rc._entries.get("t:e2e.prices.*")?.active &&
            window.t.rc._entries.get("t:e2e.prices.eur")?.active)));
    const errors = await page.evaluate(() => window.t.errors);
    if (errors.length > 0 && errors[0].code === "bad_request" && errors[0].subscription === "e2e.prices.*")
    {
        // Decided by asking the node, so this test runs by itself once patterns land.
        t.skip("the node refuses subscription patterns (" + errors[0].message + "): PROTOCOL v2 specifies them, " +
            "the node does not implement them yet");
        await page.context().close();
        return;
    }
    assert.deepEqual(errors, []);
    const eur = await node.publish("e2e.prices.eur", 1);
    const usd = await node.publish("e2e.prices.usd", 2);
    await node.publish("e2e.prices.eur.x", 3);   // two segments below: not matched by '*'
    await waitFor("the messages", async () => (await got(page, "t:e2e.prices.*")).length >= 2 &&
        (await got(page, "t:e2e.prices.eur")).length >= 1);
    assert.deepEqual(await got(page, "t:e2e.prices.*"), [eur, usd], "the pattern's handler: each match once");
    assert.deepEqual(await got(page, "t:e2e.prices.eur"), [eur], "the name's handler: its own once");
    await page.context().close();
});

test("shouldEmitGapAndGoOnLiveWhenResumingWithAnotherEpoch", async () =>
{
    await node.publish("e2e.gap", { before: 1 });
    const page = await openTestPage(browser, node);
    await page.evaluate((url) =>
    {
        window.start(url);
        window.sub("e2e.gap", { from: 0, epoch: "not-this-journal" });
    }, node.wsUrl);
    await waitFor("a gap event", () => page.evaluate(() => window.t.gaps.length > 0));
    const gap = (await page.evaluate(() => window.t.gaps))[0];
    assert.equal(gap.subscription, "e2e.gap");
    assert.equal(gap.epochChanged, true);
    assert.equal(typeof gap.oldest, "number");
    const recovered = await page.evaluate(() => window.t.recovered);
    assert.equal(recovered[0].recovered, false);
    const health = await node.health();
    assert.equal(recovered[0].epoch, health.epoch, "the node's epoch is reported");
    const live = await node.publish("e2e.gap", { after: 1 });
    await waitFor("the live message after the gap", async () => (await got(page, "t:e2e.gap")).length > 0);
    assert.deepEqual(await got(page, "t:e2e.gap"), [live], "nothing from the other epoch is replayed; live goes on");
    assert.equal((await page.evaluate(() => window.t.subs["t:e2e.gap"].position())).epoch, health.epoch);
    await page.context().close();
});

test("shouldAckInAckModeSoThatTheNodeNeverRedeliversToTheBrowser", async () =>
{
    const page = await openTestPage(browser, node);
    await page.evaluate((url) => { window.start(url, { ack: true }); window.sub("e2e.ack"); }, node.wsUrl);
    await waitFor("subscribed", () => page.evaluate(() => window.t.rc._entries.get("t:e2e.ack")?.active));
    // A control client in ack mode that never acks: the node redelivers to it three times, then closes it with 4008.
    // When that close arrives, every message has been past its ack timeout for three timeouts: had the browser not
    // acked, it would have seen redeliveries by then.
    const control = new NodeWebSocket(node.wsUrl + "?topics=e2e.ack&ack=1");
    let controlRedelivered = 0;
    let controlClose = null;
    control.on("message", (d) => { if (d.toString().includes('"redelivered":true')) controlRedelivered++; });
    control.on("close", (code) => { controlClose = code; });
    await new Promise((r) => control.once("message", r));   // its "subscribed"
    const redeliveriesBefore = await node.metric("ringcast_ack_redeliveries_total");
    const ids = [];
    for (let i = 0; i < 50; i++)
    {
        ids.push(await node.publish("e2e.ack", { n: i }));
    }
    await waitFor("50 messages in the browser", async () => (await got(page, "t:e2e.ack")).length >= 50);
    await waitFor("the non-acking control client closed with 4008", () => controlClose !== null, { timeoutMs: 20000 });
    assert.equal(controlClose, 4008, "the node's ack timeout works (control)");
    assert.ok(controlRedelivered > 0, "the control client was redelivered to");
    assert.deepEqual(await got(page, "t:e2e.ack"), ids);
    assert.equal(await page.evaluate(() => window.t.rawRedelivered), 0, "no frame redelivered to the browser");
    const redeliveries = await node.metric("ringcast_ack_redeliveries_total") - redeliveriesBefore;
    assert.equal(redeliveries, controlRedelivered, "every redelivery of the node went to the control client");
    const states = await page.evaluate(() => window.t.states.map((s) => s.state));
    assert.deepEqual(states, ["connecting", "connected"], "the browser's connection was never closed (no 4008)");
    await page.context().close();
});
