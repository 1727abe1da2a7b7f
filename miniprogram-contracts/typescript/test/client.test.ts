// The client's own logic against a scripted local server: headers, problem details, retries, renewal.
import { strict as assert } from "node:assert";
import { afterEach, describe, test } from "node:test";
import { createGuideClient, GuideApiError, GuideNetworkError, isGuideApiError, type GuideClientOptions } from "../src";
import { json, problem, scriptedServer, type Handler, type ScriptedServer } from "./support/server";
import { wxRequestOverFetch } from "./support/wx-fetch";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const wallet = { principal: 100, gift: 10, total: 110 };

async function setUp(handler: Handler, options: Partial<GuideClientOptions> = {}) {
  server = await scriptedServer(handler);
  const waits: number[] = [];
  const client = createGuideClient({
    baseUrl: server.url + "/",
    request: wxRequestOverFetch(),
    token: () => "token-1",
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
  return { client, received: server.received, waits };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return assert.fail("expected the call to fail");
}

describe("requests", () => {
  test("carry the bearer token, a request id, the JSON body, path parameters and the query", async () => {
    const { client, received } = await setUp((_, res) => json(res, 200, { ok: true }));
    await client.put("/api/mp/me", { body: { nickname: "小红🎉", gender: "female", birthday: "1995-03-08" } });
    await client.get("/api/mp/recharges/{rechargeId}", { path: { rechargeId: "a b/c" } });
    await client.get("/api/mp/wallet/entries", { query: { page: 2, pageSize: 20 } });
    await client.get("/api/guide/members", { query: { phone: "138 0013", page: undefined } });

    const [put, byId, entries, members] = received;
    assert.equal(put?.method, "PUT");
    assert.equal(put?.headers.authorization, "Bearer token-1");
    assert.equal(put?.headers["content-type"], "application/json");
    assert.match(String(put?.headers["x-request-id"]), /^[A-Za-z0-9._-]{1,64}$/);
    assert.deepEqual(JSON.parse(put?.body ?? ""), { nickname: "小红🎉", gender: "female", birthday: "1995-03-08" });
    assert.equal(byId?.url, "/api/mp/recharges/a%20b%2Fc");
    assert.equal(entries?.url, "/api/mp/wallet/entries?page=2&pageSize=20");
    assert.equal(members?.url, "/api/guide/members?phone=138%200013");
    assert.notEqual(put?.headers["x-request-id"], byId?.headers["x-request-id"], "a new id per call");
  });

  test("answer the parsed JSON of a success", async () => {
    const { client } = await setUp((_, res) => json(res, 200, wallet));
    const answer = await client.get("/api/mp/wallet");
    assert.deepEqual(answer, wallet);
    assert.equal(answer.total, 110);
  });

  test("send no Authorization header without a token, and keep a caller's X-Request-Id", async () => {
    const { client, received } = await setUp((_, res) => json(res, 200, {}), { token: () => undefined });
    await client.post("/api/mp/session", { body: { code: "x" }, headers: { "X-Request-Id": "mine-1" } });
    assert.equal(received[0]?.headers.authorization, undefined);
    assert.equal(received[0]?.headers["x-request-id"], "mine-1");
  });
});

describe("errors", () => {
  test("problem details become a GuideApiError with code, status, errors and the request id", async () => {
    const { client, received } = await setUp((req, res) =>
      problem(res, 400, "request.validation_failed", {
        detail: "code: 'Code' must not be empty.",
        errors: { code: ["'Code' must not be empty."] },
        requestId: req.headers["x-request-id"],
      }),
    );
    const error = await rejection(client.post("/api/mp/session", { body: { code: "" } }));
    assert.ok(isGuideApiError(error, "post", "/api/mp/session"));
    assert.equal(error.code, "request.validation_failed");
    assert.equal(error.status, 400);
    assert.equal(error.detail, "code: 'Code' must not be empty.");
    assert.deepEqual(error.errors, { code: ["'Code' must not be empty."] });
    assert.equal(error.requestId, received[0]?.headers["x-request-id"]);
    assert.deepEqual(error.operation, { method: "post", path: "/api/mp/session" });
    assert.equal(isGuideApiError(error, "get", "/api/mp/me"), false, "the guard checks the operation");
  });

  test("an error that is not problem details gets the code of its status", async () => {
    const { client, received } = await setUp((_, res) => {
      res.writeHead(502, { "Content-Type": "text/html" });
      res.end("<html>Bad Gateway</html>");
    });
    const error = await rejection(client.post("/api/mp/me/phone", { body: { code: "13800138000" } }));
    assert.ok(error instanceof GuideApiError);
    assert.equal(error.code, "server.error");
    assert.equal(error.status, 502);
    assert.equal(error.problem, undefined);
    assert.equal(error.requestId, received[0]?.headers["x-request-id"]);
  });

  test("no answer is a GuideNetworkError with the request id", async () => {
    const { client, received } = await setUp((_, res) => res.socket?.destroy(), { retry: { attempts: 1 } });
    const error = await rejection(client.get("/api/mp/wallet"));
    assert.ok(error instanceof GuideNetworkError);
    assert.match(error.errMsg, /^request:fail/);
    assert.equal(error.requestId, received[0]?.headers["x-request-id"]);
  });

  test("a time-out is a GuideNetworkError that says so", async () => {
    const { client } = await setUp(() => undefined, { retry: { attempts: 1 }, timeoutMs: 100 });
    const error = await rejection(client.get("/api/mp/wallet"));
    assert.ok(error instanceof GuideNetworkError);
    assert.equal(error.timedOut, true);
  });
});

describe("retries", () => {
  test("a GET is retried on 503 with growing, bounded waits, under the same request id", async () => {
    const { client, received, waits } = await setUp(
      (_, res, i) => (i < 2 ? problem(res, 503, "server.unavailable") : json(res, 200, wallet)),
      { retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 150 } },
    );
    assert.deepEqual(await client.get("/api/mp/wallet"), wallet);
    assert.equal(received.length, 3);
    assert.deepEqual(waits, [100, 150]);
    assert.equal(new Set(received.map((r) => r.headers["x-request-id"])).size, 1);
  });

  test("a Retry-After longer than the backoff is waited, up to the bound", async () => {
    const { client, waits } = await setUp(
      (_, res, i) => {
        if (i > 0) return json(res, 200, wallet);
        res.writeHead(503, { "Content-Type": "application/problem+json", "Retry-After": "60" });
        res.end(JSON.stringify({ status: 503, code: "server.unavailable" }));
      },
      { retry: { baseDelayMs: 100, maxDelayMs: 2000 } },
    );
    await client.get("/api/mp/wallet");
    assert.deepEqual(waits, [2000]);
  });

  test("a GET gives up after the attempts and throws the last answer", async () => {
    const { client, received } = await setUp((_, res) => problem(res, 503, "server.unavailable"), { retry: { attempts: 3 } });
    const error = await rejection(client.get("/api/mp/wallet"));
    assert.ok(error instanceof GuideApiError);
    assert.equal(error.status, 503);
    assert.equal(received.length, 3);
  });

  test("a GET is retried after a network failure", async () => {
    const { client, received } = await setUp((_, res, i) => (i === 0 ? res.socket?.destroy() : json(res, 200, wallet)));
    assert.deepEqual(await client.get("/api/mp/wallet"), wallet);
    assert.equal(received.length, 2);
  });

  test("a POST is never retried, neither on 503 nor after a network failure", async () => {
    const unavailable = await setUp((_, res) => problem(res, 503, "server.unavailable"));
    await rejection(unavailable.client.post("/api/mp/recharges", { body: { packageId: "p" } }));
    assert.equal(unavailable.received.length, 1);
    await server?.close();

    const reset = await setUp((_, res) => res.socket?.destroy());
    assert.ok((await rejection(reset.client.post("/api/mp/recharges", { body: { packageId: "p" } }))) instanceof GuideNetworkError);
    assert.equal(reset.received.length, 1);
  });

  test("a POST with an Idempotency-Key is retried", async () => {
    const { client, received } = await setUp((_, res, i) => (i === 0 ? problem(res, 503, "server.unavailable") : json(res, 200, {})));
    await client.post("/api/mp/wallet/confirmations", { body: { amount: 100 }, headers: { "Idempotency-Key": "k-1" } });
    assert.equal(received.length, 2);
    assert.equal(received[1]?.headers["idempotency-key"], "k-1");
  });

  test("other errors are not retried", async () => {
    const { client, received } = await setUp((_, res) => problem(res, 404, "recharge.not_found"));
    await rejection(client.get("/api/mp/recharges/{rechargeId}", { path: { rechargeId: "r" } }));
    assert.equal(received.length, 1);
  });
});

describe("session renewal", () => {
  /** Answers 401 auth.token_expired to every token but the current one. */
  function renewingServer(state: { token: string }): Handler {
    return (req, res) =>
      req.headers.authorization === `Bearer ${state.token}` ? json(res, 200, wallet) : problem(res, 401, "auth.token_expired");
  }

  test("concurrent calls with an expired token share one renewal, then each is replayed once", async () => {
    const state = { token: "fresh" };
    let stored = "stale";
    let renewals = 0;
    const { client, received } = await setUp(renewingServer(state), {
      token: () => stored,
      renewSession: async () => {
        renewals++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        stored = "fresh";
      },
    });
    const answers = await Promise.all([client.get("/api/mp/wallet"), client.get("/api/mp/me"), client.get("/api/mp/wallet/payment-code")]);
    assert.equal(answers.length, 3);
    assert.equal(renewals, 1);
    assert.equal(received.length, 6);
    assert.deepEqual(received.slice(3).map((r) => r.headers.authorization), ["Bearer fresh", "Bearer fresh", "Bearer fresh"]);
  });

  test("a call whose token was renewed meanwhile is replayed without another renewal", async () => {
    let asked = 0;
    let renewals = 0;
    const { client, received } = await setUp(renewingServer({ token: "fresh" }), {
      token: () => (asked++ === 0 ? "stale" : "fresh"),
      renewSession: async () => {
        renewals++;
      },
    });
    await client.get("/api/mp/wallet");
    assert.equal(renewals, 0);
    assert.equal(received.length, 2);
  });

  test("the replay happens once: a second token_expired is thrown", async () => {
    let renewals = 0;
    const { client, received } = await setUp((_, res) => problem(res, 401, "auth.token_expired"), {
      renewSession: async () => {
        renewals++;
      },
    });
    const error = await rejection(client.get("/api/mp/wallet"));
    assert.ok(isGuideApiError(error, "get", "/api/mp/wallet"));
    assert.equal(error.code, "auth.token_expired");
    assert.equal(renewals, 1);
    assert.equal(received.length, 2);
  });

  test("a renewal that fails fails the calls waiting for it", async () => {
    const { client } = await setUp((_, res) => problem(res, 401, "auth.token_expired"), {
      renewSession: async () => {
        throw new Error("wx.login failed");
      },
    });
    const error = await rejection(client.get("/api/mp/wallet"));
    assert.ok(error instanceof Error);
    assert.equal(error.message, "wx.login failed");
  });

  test("other 401s, and a client without the hook, do not renew", async () => {
    let renewals = 0;
    const invalid = await setUp((_, res) => problem(res, 401, "auth.invalid_token"), {
      renewSession: async () => {
        renewals++;
      },
    });
    assert.equal(((await rejection(invalid.client.get("/api/mp/wallet"))) as GuideApiError).code, "auth.invalid_token");
    assert.equal(renewals, 0);
    assert.equal(invalid.received.length, 1);
    await server?.close();

    const noHook = await setUp((_, res) => problem(res, 401, "auth.token_expired"));
    assert.equal(((await rejection(noHook.client.get("/api/mp/wallet"))) as GuideApiError).code, "auth.token_expired");
    assert.equal(noHook.received.length, 1);
  });
});
