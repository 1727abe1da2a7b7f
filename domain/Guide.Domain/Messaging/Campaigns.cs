using System.Text.Json;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Messaging;

/// <summary>What HQ states about a campaign when creating it.</summary>
public sealed record CampaignTerms(string? Name, CampaignAudience? Audience, MessageChannel? Channel, Guid? TemplateId = null,
    IReadOnlyDictionary<string, string>? Data = null, string? Text = null, int Priority = 0, DateTimeOffset? ScheduledAt = null);

/// <summary>One line of a campaign's results: messages by status, and the blocked by reason (a cap by its window).</summary>
public sealed record CampaignResultCount(MessageStatus Status, MessageBlockReason? Reason, string? Window, int Messages);

/// <summary>The outbox's messages of a campaign by what became of them.</summary>
public sealed record CampaignResults(int Queued, int Sending, int AwaitingGuide, int Sent, int Blocked, int Failed, IReadOnlyList<CampaignResultCount> BlockedBy);

public sealed record CampaignView(Guid Id, string Name, CampaignAudience Audience, int ImportedMembers, MessageChannel Channel, Guid? TemplateId,
    IReadOnlyDictionary<string, string>? Data, string? Text, int Priority, DateTimeOffset? ScheduledAt, CampaignStatus Status, int? AudienceCount,
    int QueuedCount, DateTimeOffset CreatedAt, DateTimeOffset? SendStartedAt, DateTimeOffset? SentAt, CampaignResults? Results)
{
    internal static CampaignView Of(Campaign c, CampaignResults? results) =>
        new(c.Id, c.Name, c.Audience, c.ImportedMembers, c.Channel, c.TemplateId,
            c.DataJson is { } d ? JsonSerializer.Deserialize<Dictionary<string, string>>(d) : null, c.Text, c.Priority, c.ScheduledAt, c.Status,
            c.AudienceCount, c.QueuedCount, c.CreatedAt, c.SendStartedAt, c.SentAt, results);
}

public static class CampaignRules
{
    public const int MaxIds = 500;
    public const int MaxLevels = 40;
    public const int MaxDays = 3650;
    public const int MinPriority = -1000;
    public const int MaxPriority = 1000;
}

public sealed record CreateCampaign(CampaignTerms Terms) : ICommand<CampaignView>;

public sealed class CreateCampaignValidator : AbstractValidator<CreateCampaign>
{
    public CreateCampaignValidator()
    {
        RuleFor(x => x.Terms.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("A campaign has a name.")
            .MaximumLength(Campaign.NameMaxLength).OverridePropertyName("name");
        RuleFor(x => x.Terms.Channel).NotNull().IsInEnum().OverridePropertyName("channel");
        RuleFor(x => x.Terms.Priority).InclusiveBetween(CampaignRules.MinPriority, CampaignRules.MaxPriority).OverridePropertyName("priority");
        RuleFor(x => x.Terms.Text).MaximumLength(OutboundMessage.TextMaxLength).OverridePropertyName("text");
        RuleFor(x => x.Terms.TemplateId).NotNull().When(x => x.Terms.Channel == MessageChannel.Subscribe)
            .WithMessage("A subscribe message campaign names its templateId.").OverridePropertyName("templateId");
        RuleFor(x => x.Terms.TemplateId).Null().When(x => x.Terms.Channel == MessageChannel.WeCom)
            .WithMessage("A WeCom campaign sends a text, not a template.").OverridePropertyName("templateId");
        RuleFor(x => x.Terms.Text).Must(t => !string.IsNullOrWhiteSpace(t)).When(x => x.Terms.Channel == MessageChannel.WeCom ||
                (x.Terms.Channel == MessageChannel.Sms && x.Terms.TemplateId is null))
            .WithMessage("A WeCom campaign, or an SMS campaign without a template, has a text.").OverridePropertyName("text");
        RuleFor(x => x.Terms.Text).Null().When(x => x.Terms.Channel == MessageChannel.Subscribe)
            .WithMessage("A subscribe message carries its template's values (data), not a text.").OverridePropertyName("text");
        RuleFor(x => x.Terms.Data).Must(d => d is null || (d.Count <= 20 && d.All(kv => kv.Key.Length is > 0 and <= 32 && kv.Value.Length <= 200)))
            .WithMessage("At most 20 values, keys of 1-32 characters, values of at most 200.").OverridePropertyName("data");
        RuleFor(x => x.Terms.Audience).NotNull().WithMessage("A campaign has an audience ({} for every member).").OverridePropertyName("audience");
        When(x => x.Terms.Audience is not null, () =>
        {
            RuleFor(x => x.Terms.Audience!.Levels).Must(l => l is null || (l.Count <= CampaignRules.MaxLevels && l.All(v => v is >= 0 and <= 1000)))
                .WithMessage($"At most {CampaignRules.MaxLevels} level ranks, 0-1000.").OverridePropertyName("audience.levels");
            RuleFor(x => x.Terms.Audience!.StoreIds).Must(l => l is null || l.Count <= CampaignRules.MaxIds)
                .WithMessage($"At most {CampaignRules.MaxIds} stores.").OverridePropertyName("audience.storeIds");
            RuleFor(x => x.Terms.Audience!.GuideIds).Must(l => l is null || l.Count <= CampaignRules.MaxIds)
                .WithMessage($"At most {CampaignRules.MaxIds} guides.").OverridePropertyName("audience.guideIds");
            RuleFor(x => x.Terms.Audience!.BirthdayMonth).InclusiveBetween(1, 12).OverridePropertyName("audience.birthdayMonth");
            RuleFor(x => x.Terms.Audience!.LastPurchase).Must(p => p is null || (p.WithinDays is null) != (p.NotWithinDays is null))
                .WithMessage("lastPurchase names withinDays or notWithinDays (one of them).").OverridePropertyName("audience.lastPurchase");
            RuleFor(x => x.Terms.Audience!.LastPurchase!.WithinDays).InclusiveBetween(1, CampaignRules.MaxDays)
                .When(x => x.Terms.Audience!.LastPurchase is not null).OverridePropertyName("audience.lastPurchase.withinDays");
            RuleFor(x => x.Terms.Audience!.LastPurchase!.NotWithinDays).InclusiveBetween(1, CampaignRules.MaxDays)
                .When(x => x.Terms.Audience!.LastPurchase is not null).OverridePropertyName("audience.lastPurchase.notWithinDays");
            RuleFor(x => x.Terms.Audience!.PointsMin).InclusiveBetween(0, 10_000_000_000).OverridePropertyName("audience.pointsMin");
            RuleFor(x => x.Terms.Audience!.PointsMax).InclusiveBetween(0, 10_000_000_000).OverridePropertyName("audience.pointsMax");
            RuleFor(x => x.Terms.Audience!.PointsMax).GreaterThanOrEqualTo(x => x.Terms.Audience!.PointsMin)
                .When(x => x.Terms.Audience!.PointsMin is not null && x.Terms.Audience!.PointsMax is not null).OverridePropertyName("audience.pointsMax");
        });
    }
}

public sealed class CreateCampaignHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<CreateCampaign, CampaignView>
{
    public async Task<CampaignView> Handle(CreateCampaign request, CancellationToken cancellationToken)
    {
        var t = request.Terms;
        if (t.TemplateId is { } templateId)
            await CampaignTemplates.CheckAsync(db, templateId, t.Channel!.Value, cancellationToken);
        var campaign = new Campaign(t.Name!.Trim(), t.Channel!.Value, clock.UtcNow)
        {
            TemplateId = t.TemplateId,
            DataJson = t.Data is { Count: > 0 } d ? JsonSerializer.Serialize(d) : null,
            Text = string.IsNullOrWhiteSpace(t.Text) ? null : t.Text.Trim(),
            Priority = t.Priority,
            ScheduledAt = t.ScheduledAt,
        };
        campaign.SetAudience(t.Audience!);
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(cancellationToken);
        return CampaignView.Of(campaign, null);
    }
}

internal static class CampaignTemplates
{
    /// <summary>HQ's template for the campaign: it exists, is active and is of the campaign's channel; else <c>message.unknown_template</c>.</summary>
    public static async Task<MessageTemplate> CheckAsync(GuideDbContext db, Guid templateId, MessageChannel channel, CancellationToken cancellationToken)
    {
        var template = await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(x => x.Id == templateId, cancellationToken);
        if (template is not { Active: true } || template.Channel != channel)
            throw new DomainException(new DomainError("message.unknown_template",
                $"No active {JsonNamingPolicy.SnakeCaseLower.ConvertName(channel.ToString())} template has the id {templateId}."));
        return template;
    }
}

public sealed record ListCampaigns(int? Page, int? PageSize) : IRequest<Page<CampaignView>>;

public sealed class ListCampaignsHandler(GuideDbContext db) : IRequestHandler<ListCampaigns, Page<CampaignView>>
{
    public async Task<Page<CampaignView>> Handle(ListCampaigns request, CancellationToken cancellationToken) =>
        (await db.Campaigns.AsNoTracking().OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id).PageAsync(request.Page, request.PageSize, cancellationToken))
        .Map(c => CampaignView.Of(c, null));
}

public sealed record GetCampaign(Guid CampaignId) : IRequest<CampaignView>;

public sealed class GetCampaignHandler(GuideDbContext db) : IRequestHandler<GetCampaign, CampaignView>
{
    public async Task<CampaignView> Handle(GetCampaign request, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.CampaignId, cancellationToken)
            ?? throw CampaignErrors.NotFound(request.CampaignId);
        var rows = await db.OutboundMessages.AsNoTracking().Where(m => m.CampaignId == campaign.Id)
            .GroupBy(m => new { m.Status, m.Reason, Window = m.Reason == MessageBlockReason.Cap ? m.Detail : null })
            .Select(g => new { g.Key.Status, g.Key.Reason, g.Key.Window, Count = g.Count() }).ToListAsync(cancellationToken);
        int Of(MessageStatus s) => rows.Where(r => r.Status == s).Sum(r => r.Count);
        var blockedBy = rows.Where(r => r.Status == MessageStatus.Blocked)
            .Select(r => new CampaignResultCount(r.Status, r.Reason, r.Window, r.Count)).OrderByDescending(r => r.Messages).ToList();
        var results = new CampaignResults(Of(MessageStatus.Queued), Of(MessageStatus.Sending), Of(MessageStatus.AwaitingGuide), Of(MessageStatus.Sent),
            Of(MessageStatus.Blocked), Of(MessageStatus.Failed), blockedBy);
        return CampaignView.Of(campaign, results);
    }
}

internal static class CampaignErrors
{
    public static DomainException NotFound(Guid id) => new(DomainError.NotFound("campaign.not_found", $"No campaign has the id {id}."));

    public static DomainException AlreadySent() =>
        new(DomainError.Conflict("campaign.already_sent", "The campaign was sent already (or is being sent): a campaign is sent once."));

    public static DomainException NotADraft() =>
        new(DomainError.Conflict("campaign.already_sent", "The campaign was sent already (or is being sent): its audience no longer changes."));
}
