// Resume in the browser: after a 4001 close of a paused page (--max-lag), and after a page reload from the
// position kept in localStorage.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { NodeProcess, launchBrowser, openTestPage, loadTestPage, ingestPublish, waitFor, range } from "./harness.js";

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

test("shouldResumeEveryIdOnceInOrderAfterA4001CloseOfAPausedPage", async () =>
{
    const node = await NodeProcess.start({ flags: ["--client-buffer", "64KiB", "--max-lag", "2000"] });
    try
    {
        const page = await openTestPage(browser, node);
        await page.evaluate((url) => { window.start(url); window.sub("e2e.slow"); }, node.wsUrl);
        await waitFor("subscribed", () => page.evaluate(() => window.t.rc._entries.get("t:e2e.slow")?.active));
        // Pause the page's JavaScript in the debugger: it reads nothing from its WebSocket, Chromium's buffers and
        // then the kernel's fill, the node falls back to the journal for it, and past --max-lag closes it with 4001.
        const cdp = await page.context().newCDPSession(page);
        await cdp.send("Debugger.enable");
        await cdp.send("Debugger.pause");
        let published = 0;
        await waitFor("the node to close the paused page for --max-lag", async () =>
        {
            if (await node.metric("ringcast_ws_closes_max_lag_total") >= 1)
            {
                return true;
            }
            published = await ingestPublish(node.ingestPort, "e2e.slow", 2000, 1000);
            return false;
        }, { timeoutMs: 120000 });
        await cdp.send("Debugger.resume");
        await waitFor("every published id", async () => (await got(page, "t:e2e.slow")).length >= published,
            { timeoutMs: 60000, describe: async () => (await got(page, "t:e2e.slow")).length + " of " + published });
        const ids = await got(page, "t:e2e.slow");
        assert.equal(ids.length, published);
        assert.ok(ids.every((id, i) => id === i + 1), "every id once, in order");
        const closes = await page.evaluate(() => window.t.states.filter((s) => s.state === "disconnected").map((s) => s.code));
        // PROTOCOL "Slow clients": the node sends 4001 behind what is queued and gives 5 s to read it; a client that
        // took longer sees 1006 instead. Either way it must resume.
        assert.ok(closes.length >= 1 && (closes[0] === 4001 || closes[0] === 1006), "closed: " + closes);
        console.log("4001 test: " + published + " messages of 1000 B, the paused page was closed with " + closes[0] +
            " and resumed " + closes.length + " time(s)");
        const recovered = await page.evaluate(() => window.t.recovered.map((r) => r.recovered));
        assert.ok(recovered.length >= 1 && recovered.every((r) => r === true), "resumed by id: " + recovered);
        await page.context().close();
    }
    finally
    {
        await node.close();
    }
});

test("shouldResumeFromThePositionKeptInLocalStorageAfterAPageReload", async () =>
{
    const node = await NodeProcess.start();
    try
    {
        const page = await openTestPage(browser, node);
        const start = (p) => p.evaluate((url) =>
        {
            window.start(url);
            const kept = localStorage.getItem("pos:t:e2e.reload");
            const pos = kept ? JSON.parse(kept) : null;
            window.sub("e2e.reload", pos ? { from: pos.id, epoch: pos.epoch } : {}, true);
        }, node.wsUrl);
        await start(page);
        await waitFor("subscribed", () => page.evaluate(() => window.t.rc._entries.get("t:e2e.reload")?.active));
        for (let i = 1; i <= 10; i++)
        {
            await node.publish("e2e.reload", { i });
        }
        await waitFor("10 messages", async () => (await got(page, "t:e2e.reload")).length >= 10);
        assert.deepEqual(JSON.parse(await page.evaluate(() => localStorage.getItem("pos:t:e2e.reload"))),
            { id: 10, epoch: (await node.health()).epoch });

        // The page goes away (a navigation: its client, socket and timers die with it); messages go on meanwhile.
        await page.goto("about:blank");
        for (let i = 11; i <= 20; i++)
        {
            await node.publish("e2e.reload", { i });
        }
        await loadTestPage(page, node);
        await start(page);
        for (let i = 21; i <= 25; i++)
        {
            await node.publish("e2e.reload", { i });
        }
        await waitFor("ids 11 to 25 in the reloaded page", async () => (await got(page, "t:e2e.reload")).length >= 15,
            { describe: () => got(page, "t:e2e.reload") });
        assert.deepEqual(await got(page, "t:e2e.reload"), range(11, 25),
            "the missed ids from the kept position, none twice, then live");
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
