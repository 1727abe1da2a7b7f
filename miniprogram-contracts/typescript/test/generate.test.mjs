// The generator's filter and its ErrorCodes, on a small document made here.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import openapiTS, { astToString } from "openapi-typescript";
import { errorCodesSource, filterDocument } from "../scripts/generate.mjs";

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema) => ({ content: { "application/json": { schema } } });
const document = {
  openapi: "3.1.1",
  info: { title: "t", version: "1" },
  paths: {
    "/api/mp/wallet": {
      get: {
        security: [{ member: [] }],
        "x-error-codes": ["wallet.b", "auth.token_expired", "wallet.b"],
        responses: { 200: { description: "OK", ...json(ref("Wallet")) } },
      },
    },
    "/api/guide/me": { get: { responses: { 200: { description: "OK", ...json(ref("Guide")) } } } },
    "/api/admin/stores": { get: { security: [{ hq: [] }], responses: { 200: { description: "OK", ...json(ref("Store")) } } } },
    "/api/integration/wallet/charges": { post: { responses: { 200: { description: "OK", ...json(ref("Charge")) } } } },
    "/api/mpx": { get: { responses: { 200: { description: "OK" } } } },
    "/webhooks/wxpay/notify": { post: { responses: { 200: { description: "OK" } } } },
  },
  webhooks: { ping: { post: { responses: { 200: { description: "OK" } } } } },
  components: {
    schemas: {
      Wallet: { type: "object", properties: { balance: ref("Money") } },
      Money: { type: "integer", format: "int64" },
      Guide: { type: "object", properties: { name: { type: "string" } } },
      Store: { type: "object", properties: { money: ref("Money") } },
      Charge: { type: "object" },
    },
    securitySchemes: { member: { type: "http", scheme: "bearer" }, hq: { type: "http", scheme: "bearer" } },
  },
};

test("only /api/mp and /api/guide paths stay, with the components they reach", () => {
  const filtered = filterDocument(document);
  assert.deepEqual(Object.keys(filtered.paths), ["/api/mp/wallet", "/api/guide/me"]);
  assert.deepEqual(Object.keys(filtered.components.schemas), ["Wallet", "Money", "Guide"]);
  assert.deepEqual(Object.keys(filtered.components.securitySchemes), ["member"]);
  assert.equal(filtered.webhooks, undefined);
  assert.ok(document.paths["/api/admin/stores"], "the input is left as it was");
});

test("ErrorCodes has the union of each operation's x-error-codes, and nothing for undeclared ones", async () => {
  const source = errorCodesSource(filterDocument(document));
  assert.match(source, /"\/api\/mp\/wallet": \{\s+get: "auth\.token_expired" \| "wallet\.b";\s+\};/);
  assert.doesNotMatch(source, /\/api\/guide\/me/);
  const types = astToString(await openapiTS(filterDocument(document), { silent: true }));
  assert.doesNotMatch(types, /admin|integration|Store|Charge/);
});

test("x-error-codes that are not strings are refused", () => {
  const bad = { paths: { "/api/mp/x": { get: { "x-error-codes": [1] } } } };
  assert.throws(() => errorCodesSource(bad), /array of strings/);
});
