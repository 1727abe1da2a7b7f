export { createGuideClient } from "./client";
export type { GuideApiErrorOf, GuideClient, GuideClientOptions, RetryPolicy } from "./client";
export { GuideApiError, GuideNetworkError, isGuideApiError } from "./errors";
export type { OperationName, ProblemDetails } from "./errors";
export type {
  CallOptions,
  CommonErrorCode,
  ErrorCodeOf,
  HttpMethod,
  Operation,
  PathsWith,
  RequestOptions,
  ResponseBody,
} from "./operations";
export type { components, ErrorCodes, paths } from "./generated/api";
export type { WxRequest, WxRequestFail, WxRequestOptions, WxRequestSuccess } from "./wx";

import type { components } from "./generated/api";
type Schemas = components["schemas"];
/** The shapes the mini program meets most, by their product names. */
export type Session = Schemas["SessionResponse"];
export type Me = Schemas["MeResponse"];
export type Wallet = Schemas["WalletResponse"];
export type WalletEntry = Schemas["WalletEntryResponse"];
export type PaymentCode = Schemas["PaymentCodeResponse"];
export type RechargePackage = Schemas["RechargePackageResponse"];
export type Recharge = Schemas["RechargeResponse"];
export type RequestPayment = Schemas["RequestPaymentResponse"];
