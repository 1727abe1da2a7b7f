namespace Guide.MiniProgram.Contracts.Workbench;

// The guide's WeCom messages (issue 20): GET /api/guide/messages, POST /api/guide/messages/{id}/sent.

/// <summary>JSON <c>service</c>, <c>account</c>, <c>marketing</c>.</summary>
public enum GuideMessageKind
{
    Service,
    Account,
    Marketing,
}

/// <summary>JSON <c>awaiting_guide</c> (to send from WeCom) or <c>sent</c>.</summary>
public enum GuideMessageState
{
    AwaitingGuide,
    Sent,
}

/// <summary>The member a message goes to: nickname and masked phone (138****5678).</summary>
public sealed record GuideMessageMemberView(Guid Id, string? Nickname, string? MaskedPhone);

/// <summary>A WeCom message for the guide to send: its text, kind, campaign (if any) and member; gatedAt: when it reached the workbench.</summary>
public sealed record GuideMessageView(Guid Id, GuideMessageKind Kind, string? Text, Guid? CampaignId, GuideMessageState Status, DateTimeOffset CreatedAt,
    DateTimeOffset? GatedAt, DateTimeOffset? SentAt, GuideMessageMemberView Member);

/// <summary>One page of the guide's messages.</summary>
public sealed record GuideMessagePage(IReadOnlyList<GuideMessageView> Items, int Page, int PageSize, int Total);
