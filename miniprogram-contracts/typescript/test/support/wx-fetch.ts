// wx.request over Node's fetch, for the tests: the same callback shape, statusCode for every HTTP answer,
// `fail` only when no answer came (refused, reset, timed out), as the mini program's wx.request does.
import type { WxRequest } from "../../src";

export function wxRequestOverFetch(): WxRequest {
  return (options) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer =
      options.timeout !== undefined
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, options.timeout)
        : undefined;
    fetch(options.url, {
      method: options.method,
      headers: options.header,
      ...(options.data !== undefined ? { body: options.data } : {}),
      signal: controller.signal,
    })
      .then(async (response) => {
        const data = await response.text();
        const header: Record<string, string> = {};
        response.headers.forEach((value, name) => (header[name] = value));
        options.success({ data, statusCode: response.status, header });
      })
      .catch((error: unknown) => {
        const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
        options.fail({ errMsg: timedOut ? "request:fail timeout" : `request:fail ${cause}` });
      })
      .finally(() => clearTimeout(timer));
  };
}
