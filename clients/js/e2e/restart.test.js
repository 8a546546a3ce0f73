// Node restarts under a browser client: kill -9 and SIGTERM (1001), each followed by a restart on the same journal
// dir and port; the page's subscription resumes by id and epoch and sees every id once, in order.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { NodeProcess, launchBrowser, openTestPage, waitFor, range, median } from "./harness.js";

let browser;

before(async () =>
{
    browser = await launchBrowser();
});

after(async () =>
{
    await browser?.close();
});

const got = (page, key) => page.evaluate((k) => window.t.got[k] || [], key);

async function subscribedPage(node, topic)
{
    const page = await openTestPage(browser, node);
    // The client's default backoff (500 ms to 20 s), so that the restart figure is what a user of the defaults sees.
    await page.evaluate(({ url, topic }) =>
    {
        window.start(url, { minReconnectDelayMs: 500, maxReconnectDelayMs: 20000 });
        window.sub(topic);
    }, { url: node.wsUrl, topic });
    await waitFor("subscribed", () => page.evaluate((k) => window.t.rc._entries.get(k)?.active, "t:" + topic));
    return page;
}

test("shouldSeeEveryIdOnceInOrderAcrossFiveKill9RestartsAndMeasureTheRestartToFirstMessage", async () =>
{
    const node = await NodeProcess.start();
    try
    {
        const page = await subscribedPage(node, "e2e.crash");
        const published = [];
        const fromReady = [];
        const fromSpawn = [];
        const startup = [];
        for (let cycle = 0; cycle < 5; cycle++)
        {
            for (let i = 0; i < 10; i++)
            {
                published.push(await node.publish("e2e.crash", { cycle, i }));
            }
            // No wait for delivery: what the page has not received yet when the node dies comes back by resume.
            const { signal } = await node.kill9();
            assert.equal(signal, "SIGKILL");
            await node.restart();
            // The first message after the restart: a replayed one, or this one published at once. Any frame the
            // page handled after the new process was spawned came from it (the old one was dead by then).
            published.push(await node.publish("e2e.crash", { cycle, probe: true }));
            const firstAt = await waitFor("a message after restart " + (cycle + 1), () => page.evaluate((since) =>
                window.t.frames.find((f) => f.key === "t:e2e.crash" && f.at >= since)?.at, node.startedAt),
                { timeoutMs: 60000 });
            fromReady.push(firstAt - node.readyAt);
            fromSpawn.push(firstAt - node.startedAt);
            startup.push(node.readyAt - node.startedAt);
        }
        await waitFor("every published id", async () => (await got(page, "t:e2e.crash")).length >= published.length,
            { describe: async () => JSON.stringify(await got(page, "t:e2e.crash")) });
        assert.deepEqual(await got(page, "t:e2e.crash"), published, "every id once, in order");
        assert.deepEqual(published, range(1, 55), "ids continue from the journal across kill -9");
        const recovered = await page.evaluate(() => window.t.recovered.map((r) => r.recovered));
        assert.deepEqual(recovered, [true, true, true, true, true], "each resume was recovered");
        assert.equal(await page.evaluate(() => window.t.gaps.length), 0);
        console.log("restart (kill -9) to the client's first message after it, default backoff 500 ms..20 s: " +
            "median " + median(fromReady) + " ms from the node's 'listening' line (" + fromReady.join(", ") +
            "), median " + median(fromSpawn) + " ms from the process start (" + fromSpawn.join(", ") + "); the node took " +
            startup.join(", ") + " ms from process start to 'listening'");
        await page.context().close();
    }
    finally
    {
        await node.close();
    }
});

test("shouldReconnectAfter1001OnSigtermAndResumeEveryIdOnceInOrder", async () =>
{
    const node = await NodeProcess.start();
    try
    {
        const page = await subscribedPage(node, "e2e.term");
        const published = [];
        for (let i = 0; i < 20; i++)
        {
            published.push(await node.publish("e2e.term", { i }));
        }
        const termAt = Date.now();
        const { code } = await node.sigterm();
        const exitedAt = Date.now();
        assert.equal(code, 0, "the node exits 0 on SIGTERM");
        await waitFor("the 1001 close", () => page.evaluate(() =>
            window.t.states.some((s) => s.state === "disconnected" && s.code === 1001)), {
            describe: () => page.evaluate(() => JSON.stringify(window.t.states)),
        });
        const closedAt = await page.evaluate(() => window.t.states.find((s) => s.code === 1001).at);
        console.log("SIGTERM: the page saw 1001 after " + (closedAt - termAt) + " ms, the node exited after " +
            (exitedAt - termAt) + " ms");
        await node.restart();
        for (let i = 0; i < 20; i++)
        {
            published.push(await node.publish("e2e.term", { after: i }));
        }
        await waitFor("every id", async () => (await got(page, "t:e2e.term")).length >= published.length);
        assert.deepEqual(await got(page, "t:e2e.term"), published, "every id once, in order");
        const recovered = await page.evaluate(() => window.t.recovered);
        assert.equal(recovered.length, 1);
        assert.equal(recovered[0].recovered, true);
        await page.context().close();
    }
    finally
    {
        await node.close();
    }
});
