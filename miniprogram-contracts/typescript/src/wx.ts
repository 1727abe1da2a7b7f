// The part of the mini program's `wx.request` the client uses, typed here so the package needs no
// runtime dependency and no typings package. https://developers.weixin.qq.com/miniprogram/dev/api/network/request/wx.request.html

export type WxRequestMethod = "OPTIONS" | "GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "TRACE" | "CONNECT";

export interface WxRequestSuccess {
  /** The body: a string, since the client asks for `dataType: "text"` and parses JSON itself. */
  data: unknown;
  statusCode: number;
  /** Response headers; their names' case is whatever the server and the platform make of it. */
  header: Record<string, unknown>;
}

export interface WxRequestFail {
  /** e.g. "request:fail timeout", "request:fail net::ERR_CONNECTION_REFUSED". */
  errMsg: string;
  errno?: number;
}

export interface WxRequestOptions {
  url: string;
  method: WxRequestMethod;
  header: Record<string, string>;
  /** A JSON string for bodies; absent for GET/DELETE/HEAD (their query is in the url). */
  data?: string;
  /** Milliseconds; wx.request's own default (60 s) when absent. */
  timeout?: number;
  /** Anything but "json" keeps wx.request from parsing the body. */
  dataType: "text";
  responseType: "text";
  success: (result: WxRequestSuccess) => void;
  fail: (error: WxRequestFail) => void;
}

/** `wx.request`, or anything with its shape (the tests use a shim over fetch). */
export type WxRequest = (options: WxRequestOptions) => unknown;
