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
        for (let cycle = 0; cycle < 5; cycle++)
        {
            for (let i = 0; i < 10; i++)
            {
                published.push(await node.publish("e2e.crash", { cycle, i }));
            }
            // No wait for delivery: what the page has not received yet when the node dies comes back by resume.
            const { signal } = await node.kill9();
            assert.equal(signal, "SIGKILL");
            const before = (await got(page, "t:e2e.crash")).length;
            await node.restart();
            // The first message after the restart: a replayed one, or this one published at once.
            published.push(await node.publish("e2e.crash", { cycle, probe: true }));
            await waitFor("a message after restart " + (cycle + 1), async () =>
                (await got(page, "t:e2e.crash")).length > before && (await page.evaluate(() =>
                    window.t.states.at(-1).state === "connected")), { timeoutMs: 60000 });
            const firstAt = await page.evaluate((n) => window.t.frames.filter((f) => f.key === "t:e2e.crash")[n].at,
                before);
            fromReady.push(firstAt - node.readyAt);
            fromSpawn.push(firstAt - node.startedAt);
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
            "), median " + median(fromSpawn) + " ms from the process start (" + fromSpawn.join(", ") + ")");
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
        const { code } = await node.sigterm();
        assert.equal(code, 0, "the node exits 0 on SIGTERM");
        await waitFor("the 1001 close", () => page.evaluate(() =>
            window.t.states.some((s) => s.state === "disconnected" && s.code === 1001)), {
            describe: () => page.evaluate(() => JSON.stringify(window.t.states)),
        });
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
