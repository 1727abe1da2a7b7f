using Guide.Domain.Messaging;

namespace Guide.Api;

// --- message templates (issue 20) ---------------------------------------------------------------------------

/// <summary>
/// <c>POST /api/admin/message-templates</c>: name (1-64), channel subscribe or sms, kind service, account or marketing, externalId (WeChat
/// template id / SMS template code, 1-128, unique per channel), keys (1-20 distinct: a type of letters and underscores and a number,
/// thing1, time2, number3, amount4, phrase5, character_string6), page (the mini-program page a subscribe message opens), purpose
/// (points_expiring, recharge_succeeded, recharge_refunded, pickup_ready: the system message it carries, one template per channel).
/// </summary>
public sealed record MessageTemplateRequest(string? Name, MessageChannel? Channel, MessageKind? Kind, string? ExternalId, IReadOnlyList<string>? Keys,
    string? Page = null, MessagePurpose? Purpose = null)
{
    public MessageTemplateTerms ToTerms() => new(Name, Kind, ExternalId, Keys, Page, Purpose);
}

/// <summary><c>PUT /api/admin/message-templates/{id}</c>: every term replaced (the channel stays).</summary>
public sealed record MessageTemplateUpdateRequest(string? Name, MessageKind? Kind, string? ExternalId, IReadOnlyList<string>? Keys, string? Page = null,
    MessagePurpose? Purpose = null)
{
    public MessageTemplateTerms ToTerms() => new(Name, Kind, ExternalId, Keys, Page, Purpose);
}
