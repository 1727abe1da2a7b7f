using Guide.Domain.Messaging;

namespace Guide.Api;

// --- campaigns (issue 20, part 4) -------------------------------------------------------------------------

/// <summary>
/// <c>POST /api/admin/campaigns</c>: a name (1-100 characters); an audience ({} = every member; any of levels (ranks), storeIds,
/// guideIds (exclusive guide), birthdayMonth 1-12, lastPurchase {withinDays | notWithinDays} 1-3650, pointsMin/pointsMax (balance),
/// importedList (the list uploaded to .../members)); a channel subscribe (templateId and data), we_com (text) or sms (templateId
/// and data, or text); a template of HQ's that exists, is active and is of the channel (else message.unknown_template); a priority
/// -1000..1000 (higher first when a member's cap is short); an optional scheduledAt (messages not sent before).
/// </summary>
public sealed record CampaignRequest(string? Name, CampaignAudience? Audience, MessageChannel? Channel, Guid? TemplateId = null,
    IReadOnlyDictionary<string, string>? Data = null, string? Text = null, int Priority = 0, DateTimeOffset? ScheduledAt = null)
{
    public CampaignTerms ToTerms() => new(Name, Audience, Channel, TemplateId, Data, Text, Priority, ScheduledAt);
}
