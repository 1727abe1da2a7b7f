// Types of one operation (a path and a method) read off the generated `paths`: what a call takes
// (path parameters, query, JSON body) and what it answers (the JSON of its success response), and the
// stable error codes it declares.
import type { ErrorCodes, paths } from "./generated/api";

export type HttpMethod = "get" | "put" | "post" | "delete" | "patch" | "head";

type Defined<T> = Exclude<T, undefined>;

/** The operation object of `method path`, or never when the path has no such method. */
export type Operation<P extends keyof paths, M extends HttpMethod> = Defined<paths[P][M]>;

/** The paths that have an operation for `method`. */
export type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: [Operation<P, M>] extends [never] ? never : P;
}[keyof paths];

type Parameters<O> = O extends { parameters: infer X } ? X : {};
type PathParameters<O> = Parameters<O> extends { path: infer X } ? X : never;
type QueryParameters<O> = Parameters<O> extends { query?: infer X } ? Loose<Defined<X>> : never;
/** An optional query parameter may also be given as undefined (it is then left out). */
type Loose<Q> = { [K in keyof Q]: {} extends Pick<Q, K> ? Q[K] | undefined : Q[K] };
type JsonBody<O> = O extends { requestBody?: infer B }
  ? Defined<B> extends { content: { "application/json": infer J } } ? J : never
  : never;

/** What every call may add: headers (an `Idempotency-Key` makes a POST retryable), a timeout. */
export interface CallOptions {
  headers?: Record<string, string>;
  /** Milliseconds for each attempt; the client's `timeoutMs` when absent. */
  timeoutMs?: number;
}

/** The options of one call: `path`, `query` and `body` as the operation declares them, required where it requires them. */
export type RequestOptions<O> = ([PathParameters<O>] extends [never] ? {} : { path: PathParameters<O> }) &
  ([QueryParameters<O>] extends [never] ? {} : Parameters<O> extends { query: object }
    ? { query: QueryParameters<O> }
    : { query?: QueryParameters<O> }) &
  ([JsonBody<O>] extends [never] ? {} : O extends { requestBody: object } ? { body: JsonBody<O> } : { body?: JsonBody<O> }) &
  CallOptions;

/** The options as a rest argument: optional when nothing in them is required. */
export type RequestArguments<O> = {} extends RequestOptions<O> ? [options?: RequestOptions<O>] : [options: RequestOptions<O>];

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206;
type Responses<O> = O extends { responses: infer R } ? R : {};
type JsonContent<R> = R extends { content: { "application/json": infer J } } ? J : undefined;

/** The JSON of the operation's success responses (undefined for one without a body, e.g. 204). */
export type ResponseBody<O> = {
  [S in keyof Responses<O>]: S extends SuccessStatus ? JsonContent<Responses<O>[S]> : never;
}[keyof Responses<O>];

/**
 * Codes any operation may answer, whatever it declares: authentication, unreadable requests and our own
 * failures (the server's central mapping, api/Guide.Api/Infrastructure/Problems.cs). The client also uses
 * the status-based ones when an error response is not problem details (a proxy's 502 page, say).
 */
export type CommonErrorCode =
  | "auth.unauthenticated"
  | "auth.invalid_token"
  | "auth.token_expired"
  | "auth.forbidden"
  | "request.invalid"
  | "request.malformed"
  | "request.validation_failed"
  | "request.too_large"
  | "request.unsupported_media_type"
  | "request.method_not_allowed"
  | "route.not_found"
  | "server.error";

type DeclaredErrorCodes<P, M> = P extends keyof ErrorCodes ? (M extends keyof ErrorCodes[P] ? ErrorCodes[P][M] : never) : never;

/** The operation's `x-error-codes` with the common ones; plain string when the document declares none for it. */
export type ErrorCodeOf<P, M> = [DeclaredErrorCodes<P, M>] extends [never] ? string : DeclaredErrorCodes<P, M> | CommonErrorCode;
