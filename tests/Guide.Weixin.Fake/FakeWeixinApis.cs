namespace Guide.Weixin.Fake;

/// <summary>Names of the fake's endpoints, for <see cref="FakeWeixinServer.FailNext"/> and <see cref="FakeWeixinServer.Calls"/>.</summary>
public static class FakeWeixinApis
{
    // Mini program
    public const string Code2Session = "jscode2session";
    public const string StableToken = "stable_token";
    public const string GetPhoneNumber = "getuserphonenumber";
    public const string SubscribeSend = "subscribe_send";
    public const string GetWxaCodeUnlimit = "getwxacodeunlimit";

    // WeCom
    public const string WeComGetToken = "gettoken";
    public const string WeComGetUserInfo = "getuserinfo";
    public const string ExternalContactGet = "externalcontact_get";
    public const string GroupChatGet = "groupchat_get";
    public const string MomentList = "get_moment_list";
    public const string MomentComments = "get_moment_comments";
    public const string CorpJsapiTicket = "get_jsapi_ticket";
    public const string AgentJsapiTicket = "agent_ticket";

    // WeChat Pay
    public const string PayJsapi = "pay_jsapi";
    public const string PayQuery = "pay_query";
    public const string PayClose = "pay_close";
    public const string Refund = "refund";
    public const string RefundQuery = "refund_query";
    public const string PayCertificates = "certificates";
}
