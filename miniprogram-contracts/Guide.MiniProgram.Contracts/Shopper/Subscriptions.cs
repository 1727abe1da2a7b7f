namespace Guide.MiniProgram.Contracts;

// The shopper's message preferences (issue 20): GET/PUT /api/mp/me/subscriptions, POST /api/mp/me/subscriptions/accepted.

/// <summary>JSON <c>service</c> (payments, refunds, pickups: always sent), <c>account</c> (points and wallet), <c>marketing</c>.</summary>
public enum SubscribeMessageKind
{
    Service,
    Account,
    Marketing,
}

/// <summary>One subscribe template the shopper may accept (wx.requestSubscribeMessage tmplIds) and how many of its messages they still allow.</summary>
public sealed record SubscribeQuotaView(string TemplateId, string Name, SubscribeMessageKind Kind, int Remaining);

/// <summary>
/// <c>GET /api/mp/me/subscriptions</c>: marketing consent per channel (subscribe messages, WeCom from the guide, SMS; subscribed unless
/// the shopper unsubscribed), whether the guide may contact them for care (guideContact), when they last changed any of it, and the
/// remaining one-time subscriptions per active subscribe template.
/// </summary>
public sealed record SubscriptionsResponse(bool Subscribe, bool WeCom, bool Sms, bool GuideContact, DateTimeOffset? UpdatedAt,
    IReadOnlyList<SubscribeQuotaView> Quotas);

/// <summary><c>PUT /api/mp/me/subscriptions</c>: only what is given changes (null or left out: unchanged).</summary>
public sealed record UpdateSubscriptionsRequest(bool? Subscribe = null, bool? WeCom = null, bool? Sms = null, bool? GuideContact = null);

/// <summary>
/// <c>POST /api/mp/me/subscriptions/accepted</c>: the WeChat template ids wx.requestSubscribeMessage answered "accept" for (1-20):
/// each allows one more message of its template.
/// </summary>
public sealed record SubscribeAcceptedRequest(IReadOnlyList<string>? TemplateIds);
