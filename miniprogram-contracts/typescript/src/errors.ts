import type { ErrorCodeOf, HttpMethod, PathsWith } from "./operations";

/** RFC 9457 problem details as the Guide API writes them (`application/problem+json`). */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  /** The stable machine code, e.g. `session.invalid_code`: branch on this, never on `title`. */
  code: string;
  /** `request.validation_failed`: messages per field. */
  errors?: Record<string, string[]>;
  requestId?: string;
  [extension: string]: unknown;
}

/** The operation a call was made to: its method and its path template (`/api/mp/recharges/{rechargeId}`). */
export interface OperationName {
  method: HttpMethod;
  path: string;
}

/** The server answered with an error: a problem with a stable `code`. */
export class GuideApiError<Code extends string = string> extends Error {
  override readonly name = "GuideApiError";
  readonly code: Code;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: Record<string, string[]> | undefined;
  /** The call's X-Request-Id (the server logs every line of the request under it): quote it in support tickets. */
  readonly requestId: string;
  readonly operation: OperationName;
  /** The whole body when it was problem details (with extensions such as `retryAfterSeconds`), else undefined. */
  readonly problem: ProblemDetails | undefined;

  constructor(init: {
    code: Code;
    status: number;
    title: string;
    detail?: string | undefined;
    errors?: Record<string, string[]> | undefined;
    requestId: string;
    operation: OperationName;
    problem?: ProblemDetails | undefined;
  }) {
    super(`${init.operation.method.toUpperCase()} ${init.operation.path}: ${init.status} ${init.code}: ${init.detail ?? init.title} (request ${init.requestId})`);
    this.code = init.code;
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors;
    this.requestId = init.requestId;
    this.operation = init.operation;
    this.problem = init.problem;
  }
}

/** No answer from the server: offline, DNS, refused, timed out (wx.request's `fail`). */
export class GuideNetworkError extends Error {
  override readonly name = "GuideNetworkError";
  readonly requestId: string;
  readonly operation: OperationName;
  /** wx.request's errMsg, e.g. "request:fail timeout". */
  readonly errMsg: string;
  readonly timedOut: boolean;

  constructor(init: { errMsg: string; requestId: string; operation: OperationName }) {
    super(`${init.operation.method.toUpperCase()} ${init.operation.path}: ${init.errMsg} (request ${init.requestId})`);
    this.errMsg = init.errMsg;
    this.requestId = init.requestId;
    this.operation = init.operation;
    this.timedOut = /timeout/i.test(init.errMsg);
  }
}

/**
 * Whether `error` is the API's answer to `method path`; then its `code` is typed as that operation's codes.
 *
 *     catch (e) { if (isGuideApiError(e, "post", "/api/mp/me/phone") && e.code === "member.invalid_phone_code") ... }
 */
export function isGuideApiError<M extends HttpMethod, P extends PathsWith<M>>(
  error: unknown,
  method: M,
  path: P,
): error is GuideApiError<ErrorCodeOf<P, M>>;
export function isGuideApiError(error: unknown): error is GuideApiError;
export function isGuideApiError(error: unknown, method?: HttpMethod, path?: string): boolean {
  if (!(error instanceof GuideApiError)) return false;
  return method === undefined || (error.operation.method === method && error.operation.path === path);
}
