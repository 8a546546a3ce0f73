// The demo page the node serves at /: it connects, subscribes from its form, shows messages with their ids,
// publishes from its form (loopback), and shows a resume after a node restart. Saves a screenshot when
// RINGCAST_SCREENSHOT names a file (`npm run screenshot` writes docs/demo.png).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { NodeProcess, launchBrowser, useClientUnderTest, waitFor } from "./harness.js";

let node;
let browser;

before(async () =>
{
    node = await NodeProcess.start();
    browser = await launchBrowser();
});

after(async () =>
{
    await browser?.close();
    await node?.close();
});

test("shouldShowLiveMessagesThePublishFormAndAResumeAfterARestartOnTheDemoPage", async () =>
{
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    await useClientUnderTest(page, node);
    await page.goto(node.httpUrl + "/?topics=prices.eur,news");
    await waitFor("connected", async () => (await page.textContent("#state")) === "connected");
    const rows = () => page.$$eval("#rows tr", (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    await waitFor("both subscriptions listed", async () => (await page.$$("#subs li")).length === 2);

    for (let i = 0; i < 6; i++)
    {
        await node.publish("prices.eur", { bid: 1.0841 + i / 10000, ask: 1.0843 + i / 10000 });
        if (i % 2 === 0)
        {
            await node.publish("news", { headline: "headline " + (i / 2 + 1) });
        }
    }
    await page.fill("#pubTopic", "news");
    await page.fill("#pubData", '{"headline":"sent from the page"}');
    await page.click("#pubForm button");
    await waitFor("the page's own publish accepted", async () =>
        (await page.textContent("#pubResult")).startsWith("published as id"));
    await waitFor("10 rows", async () => (await rows()).length >= 10);
    const shown = await rows();
    assert.equal(shown[0][1], "news", "newest first");
    assert.ok(shown[0][2].includes("sent from the page"));
    assert.deepEqual(shown.map((r) => Number(r[0])), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], "every id shown once");

    // A restart: the page shows the 1001, the reconnect and the resume, then new messages.
    await node.sigterm();
    await waitFor("disconnected", async () => (await page.textContent("#state")) !== "connected");
    await node.restart();
    await waitFor("connected again", async () => (await page.textContent("#state")) === "connected", { timeoutMs: 60000 });
    await waitFor("the resume in the events", async () =>
        (await page.textContent("#events")).includes("resumed prices.eur"));
    await node.publish("prices.eur", { bid: 1.0852, ask: 1.0854 });
    await node.publish("news", { headline: "after the restart" });
    await waitFor("12 rows", async () => (await rows()).length >= 12);
    assert.equal(Number((await rows())[0][0]), 12);
    assert.ok((await page.textContent("#events")).includes("1001"), "the close code is shown");

    if (process.env.RINGCAST_SCREENSHOT)
    {
        await page.screenshot({ path: process.env.RINGCAST_SCREENSHOT });
        console.log("screenshot: " + process.env.RINGCAST_SCREENSHOT);
    }
    await context.close();
});
