// Compile-time checks of the client's types (tsc checks this file; nothing runs it).
import { createGuideClient, isGuideApiError, type ResponseBody, type Operation } from "../src";

declare const client: ReturnType<typeof createGuideClient>;

export async function typedCalls(): Promise<void> {
  const session = await client.post("/api/mp/session", { body: { code: "x" } });
  const token: string = session.accessToken;
  const wallet = await client.get("/api/mp/wallet");
  const total: number | string = wallet.total;
  await client.get("/api/mp/recharges/{rechargeId}", { path: { rechargeId: "id" } });
  void token, total;

  // @ts-expect-error HQ paths are not in the client
  await client.get("/api/admin/stores");
  // @ts-expect-error integration paths are not in the client
  await client.post("/api/integration/wallet/charges", { body: {} });
  // @ts-expect-error no DELETE on /api/mp/me
  await client.delete("/api/mp/me");
  // @ts-expect-error the log-in needs its body
  await client.post("/api/mp/session");
  // @ts-expect-error the body's fields are typed
  await client.post("/api/mp/session", { body: { code: 1 } });
  // @ts-expect-error path parameters are required
  await client.get("/api/mp/recharges/{rechargeId}");
  // @ts-expect-error unknown query parameters are refused
  await client.get("/api/mp/wallet/entries", { query: { pages: 1 } });
}

export function typedErrors(error: unknown): string {
  if (isGuideApiError(error, "get", "/api/mp/wallet")) return error.code;
  // @ts-expect-error the guard takes only paths the method has
  if (isGuideApiError(error, "put", "/api/mp/wallet")) return "";
  return "";
}

export type MeAnswer = ResponseBody<Operation<"/api/mp/me", "get">>;
