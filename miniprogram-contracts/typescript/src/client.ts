import { GuideApiError, GuideNetworkError, type OperationName, type ProblemDetails } from "./errors";
import type {
  ErrorCodeOf,
  HttpMethod,
  Operation,
  PathsWith,
  RequestArguments,
  ResponseBody,
} from "./operations";
import type { WxRequest, WxRequestFail, WxRequestMethod, WxRequestSuccess } from "./wx";

export interface RetryPolicy {
  /** Attempts in all, the first included (default 3). 1 turns retries off. */
  attempts?: number;
  /** Wait before the first retry, doubled for each next one (default 300 ms). */
  baseDelayMs?: number;
  /** The longest wait between two attempts, a server's Retry-After included (default 3000 ms). */
  maxDelayMs?: number;
}

export interface GuideClientOptions {
  /** e.g. "https://guide.example.com" (no trailing slash needed). */
  baseUrl: string;
  /** The member's (or guide's) bearer token, or nothing before log-in. Asked before every attempt. */
  token?: () => string | null | undefined | Promise<string | null | undefined>;
  /**
   * Called when a call is answered 401 `auth.token_expired`: log in again and store the new token where
   * `token` reads it. Calls that fail at the same time share one renewal; each is then replayed once.
   */
  renewSession?: () => Promise<void>;
  /** `wx.request` by default. */
  request?: WxRequest;
  /** Milliseconds for each attempt (wx.request's default, 60 s, when absent). */
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** A new X-Request-Id for each call (letters, digits, '-', '_', '.'; at most 64). */
  newRequestId?: () => string;
  /** How to wait between attempts (tests replace it). */
  sleep?: (milliseconds: number) => Promise<void>;
}

type Call<M extends HttpMethod> = <P extends PathsWith<M>>(
  path: P,
  ...options: RequestArguments<Operation<P, M>>
) => Promise<ResponseBody<Operation<P, M>>>;

/** One method per HTTP verb, each typed by the generated `paths`: `client.get("/api/mp/wallet")`. */
export interface GuideClient {
  get: Call<"get">;
  put: Call<"put">;
  post: Call<"post">;
  delete: Call<"delete">;
  patch: Call<"patch">;
  head: Call<"head">;
}

/** The error a call to `method path` throws when the server answers with a problem. */
export type GuideApiErrorOf<M extends HttpMethod, P extends PathsWith<M>> = GuideApiError<ErrorCodeOf<P, M>>;

export function createGuideClient(options: GuideClientOptions): GuideClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const attempts = Math.max(1, options.retry?.attempts ?? 3);
  const baseDelayMs = options.retry?.baseDelayMs ?? 300;
  const maxDelayMs = options.retry?.maxDelayMs ?? 3000;
  const sleep = options.sleep ?? defaultSleep;
  const newRequestId = options.newRequestId ?? defaultRequestId;
  let renewal: Promise<void> | undefined;

  const request = (): WxRequest => {
    if (options.request) return options.request;
    const wx = (globalThis as { wx?: { request?: WxRequest } }).wx;
    if (!wx?.request) throw new Error("createGuideClient: no wx.request here; pass `request`.");
    return wx.request;
  };

  /** One renewal at a time: whoever comes while it runs waits for the same one. */
  const renew = (hook: () => Promise<void>): Promise<void> => {
    renewal ??= hook().finally(() => {
      renewal = undefined;
    });
    return renewal;
  };

  async function call(method: HttpMethod, path: string, callOptions: CallInput = {}): Promise<unknown> {
    const operation: OperationName = { method, path };
    const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
    for (const [name, value] of Object.entries(callOptions.headers ?? {})) headers[name] = value;
    const requestId = headerValue(headers, "X-Request-Id") ?? newRequestId();
    setHeader(headers, "X-Request-Id", requestId);
    let data: string | undefined;
    if (callOptions.body !== undefined) {
      data = JSON.stringify(callOptions.body);
      if (headerValue(headers, "Content-Type") === undefined) headers["Content-Type"] = "application/json";
    }
    const url = baseUrl + expandPath(path, callOptions.path) + queryString(callOptions.query);
    // A POST or PATCH may be applied twice when repeated, unless the server deduplicates it by the key.
    const idempotent =
      method === "get" || method === "put" || method === "delete" || method === "head" ||
      headerValue(headers, "Idempotency-Key") !== undefined;
    const timeout = callOptions.timeoutMs ?? options.timeoutMs;

    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const token = (await options.token?.()) ?? undefined;
      if (token) setHeader(headers, "Authorization", `Bearer ${token}`);
      else deleteHeader(headers, "Authorization");

      const outcome = await send(request(), {
        url,
        method: method.toUpperCase() as WxRequestMethod,
        header: { ...headers },
        ...(data !== undefined ? { data } : {}),
        ...(timeout !== undefined ? { timeout } : {}),
      });

      if ("errMsg" in outcome) {
        const error = new GuideNetworkError({ errMsg: outcome.errMsg, requestId, operation });
        if (idempotent && attempt < attempts) {
          await sleep(backoff(attempt, undefined));
          continue;
        }
        throw error;
      }

      const body = parseBody(outcome);
      if (outcome.statusCode >= 200 && outcome.statusCode < 300) return body;

      const error = apiError(outcome, body, requestId, operation);
      if (error.status === 401 && error.code === "auth.token_expired" && options.renewSession && !renewed) {
        renewed = true;
        // Another call may have renewed the session since this one was sent: then only replay.
        const current = (await options.token?.()) ?? undefined;
        if (current === token) await renew(options.renewSession);
        attempt--; // the replay is not a retry
        continue;
      }
      if (error.status === 503 && idempotent && attempt < attempts) {
        await sleep(backoff(attempt, retryAfterSeconds(outcome)));
        continue;
      }
      throw error;
    }
  }

  function backoff(attempt: number, retryAfter: number | undefined): number {
    const exponential = baseDelayMs * 2 ** (attempt - 1);
    return Math.min(maxDelayMs, retryAfter !== undefined ? Math.max(retryAfter * 1000, exponential) : exponential);
  }

  const verb = <M extends HttpMethod>(method: M): Call<M> =>
    ((path: string, callOptions?: CallInput) => call(method, path, callOptions)) as unknown as Call<M>;

  return { get: verb("get"), put: verb("put"), post: verb("post"), delete: verb("delete"), patch: verb("patch"), head: verb("head") };
}

/** The options of one call as the runtime sees them (the types are in RequestOptions). */
interface CallInput {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

function send(request: WxRequest, options: Omit<Parameters<WxRequest>[0], "success" | "fail" | "dataType" | "responseType">) {
  return new Promise<WxRequestSuccess | WxRequestFail>((resolve) => {
    try {
      request({ ...options, dataType: "text", responseType: "text", success: resolve, fail: resolve });
    } catch (e) {
      resolve({ errMsg: `request:fail ${e instanceof Error ? e.message : String(e)}` });
    }
  });
}

function expandPath(template: string, values: Record<string, unknown> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values?.[name];
    if (value === undefined || value === null) throw new Error(`${template}: path parameter ${name} is missing`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(item))}`);
    }
  }
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

function parseBody(response: WxRequestSuccess): unknown {
  const { data } = response;
  if (typeof data !== "string") return data; // a wx.request that parsed anyway
  if (data === "") return undefined;
  const type = String(headerValue(response.header, "Content-Type") ?? "");
  if (!/[/+]json\b/i.test(type)) return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function isProblem(body: unknown): body is ProblemDetails {
  return typeof body === "object" && body !== null && typeof (body as { code?: unknown }).code === "string";
}

function apiError(response: WxRequestSuccess, body: unknown, requestId: string, operation: OperationName): GuideApiError {
  const status = response.statusCode;
  const answeredId = headerValue(response.header, "X-Request-Id");
  if (isProblem(body)) {
    return new GuideApiError({
      code: body.code,
      status,
      title: body.title ?? `HTTP ${status}`,
      detail: body.detail,
      errors: body.errors,
      requestId: body.requestId ?? (typeof answeredId === "string" ? answeredId : requestId),
      operation,
      problem: body,
    });
  }
  // Not our problem details (a gateway's page, say): the code the server's own mapping gives that status.
  return new GuideApiError({
    code: fallbackCode(status),
    status,
    title: `HTTP ${status}`,
    detail: typeof body === "string" ? body.slice(0, 200) : undefined,
    requestId,
    operation,
  });
}

function fallbackCode(status: number): string {
  if (status === 401) return "auth.unauthenticated";
  if (status === 403) return "auth.forbidden";
  if (status === 404) return "route.not_found";
  if (status === 405) return "request.method_not_allowed";
  if (status === 415) return "request.unsupported_media_type";
  if (status >= 500) return "server.error";
  return "request.invalid";
}

function retryAfterSeconds(response: WxRequestSuccess): number | undefined {
  const value = headerValue(response.header, "Retry-After");
  const seconds = Number(value);
  return value !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined && value !== null) return String(value);
  }
  return undefined;
}

function setHeader(headers: Record<string, string>, name: string, value: string): void {
  deleteHeader(headers, name);
  headers[name] = value;
}

function deleteHeader(headers: Record<string, string>, name: string): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
}

// setTimeout is there in the mini program and in Node; reached through globalThis so that the package's
// types need neither the DOM's nor Node's declarations.
const timers = globalThis as unknown as { setTimeout: (callback: () => void, milliseconds: number) => unknown };
function defaultSleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => timers.setTimeout(resolve, milliseconds));
}

let sequence = 0;
/** `mp-<time>-<random>-<n>`: unique enough to find one call in the logs; not a secret. */
function defaultRequestId(): string {
  sequence = (sequence + 1) % 1_000_000;
  const random = Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, "0");
  return `mp-${Date.now().toString(36)}-${random}-${sequence}`;
}
