// Token refresh in the browser (PROTOCOL "Authentication": `auth` op before `exp`, 4003 after it). Runs against a
// node started with --jwt-hmac-secret; skips itself, naming why, while the node does not know that flag.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { WebSocket as NodeWebSocket } from "ws";
import { NodeProcess, launchBrowser, openTestPage, waitFor } from "./harness.js";

const SECRET = "e2e-secret-0123456789abcdef0123456789abcdef";
let browser;

before(async () =>
{
    browser = await launchBrowser();
});

after(async () =>
{
    await browser?.close();
});

const b64url = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

function hs256(claims)
{
    const unsigned = b64url({ alg: "HS256", typ: "JWT" }) + "." + b64url(claims);
    return unsigned + "." + createHmac("sha256", SECRET).update(unsigned).digest("base64url");
}

test("shouldKeepTheConnectionPastTheFirstTokensExpiryByRefreshingThroughTheAuthOp", async (t) =>
{
    let node;
    try
    {
        node = await NodeProcess.start({ flags: ["--jwt-hmac-secret", SECRET] });
    }
    catch (e)
    {
        if (!String(e.message).includes("unknown flag --jwt-hmac-secret"))
        {
            throw e;
        }
        t.skip("the node does not start with --jwt-hmac-secret (the security issue has not landed): " +
            String(e.message).split("\n")[0].slice(0, 160));
        return;
    }
    try
    {
        const page = await openTestPage(browser, node);
        // Short-lived tokens: the client calls getToken again before each one's exp and sends it with an auth op.
        let minted = 0;
        await page.exposeFunction("mintToken", () =>
        {
            minted++;
            return hs256({ sub: "e2e-user", exp: Math.floor(Date.now() / 1000) + 5 });
        });
        await page.evaluate((url) =>
        {
            window.start(url, { getToken: () => window.mintToken() });
            window.sub("e2e.secure");
        }, node.wsUrl);
        await waitFor("subscribed", () => page.evaluate(() => window.t.rc._entries.get("t:e2e.secure")?.active));

        // A control client whose token is not refreshed: the node closes it with 4003 at its exp plus the leeway.
        // Its close means the browser's first token, minted earlier, has expired for the node too.
        const control = new NodeWebSocket(node.wsUrl + "?token=" +
            hs256({ sub: "control", exp: Math.floor(Date.now() / 1000) + 5 }));
        let controlClose = null;
        control.on("close", (code) => { controlClose = code; });
        await waitFor("the control client closed", () => controlClose !== null, { timeoutMs: 90000 });
        assert.equal(controlClose, 4003, "the node closes an expired connection with 4003");

        const id = await node.publish("e2e.secure", { after: "expiry" });
        await waitFor("a message after the first token's expiry", () =>
            page.evaluate((i) => (window.t.got["t:e2e.secure"] || []).includes(i), id));
        const states = await page.evaluate(() => window.t.states.map((s) => s.state + (s.code ? ":" + s.code : "")));
        assert.deepEqual(states, ["connecting", "connected"], "one connection throughout: no 4003, no reconnect");
        assert.ok(minted >= 2, "getToken was called again before exp (" + minted + " tokens)");
        assert.deepEqual(await page.evaluate(() => window.t.errors), []);
        await page.context().close();
    }
    finally
    {
        await node.close();
    }
});
