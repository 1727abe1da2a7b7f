using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Messaging;

/// <summary>One subscribe template the member may accept, with how many of its messages their acceptances still allow.</summary>
public sealed record SubscribeQuotaItem(string TemplateId, string Name, MessageKind Kind, int Remaining);

/// <summary>
/// A member's message preferences: marketing per channel (subscribed unless they unsubscribed), whether their guide may contact
/// them for care tasks, when they last changed either, and the remaining one-time subscriptions per active subscribe template.
/// </summary>
public sealed record MemberSubscriptions(bool SubscribeMarketing, bool WeComMarketing, bool SmsMarketing, bool GuideContact, DateTimeOffset? UpdatedAt,
    IReadOnlyList<SubscribeQuotaItem> Quotas);

public sealed record GetMemberSubscriptions(Guid MemberId) : IRequest<MemberSubscriptions>;

public sealed class GetMemberSubscriptionsHandler(GuideDbContext db) : IRequestHandler<GetMemberSubscriptions, MemberSubscriptions>
{
    public Task<MemberSubscriptions> Handle(GetMemberSubscriptions request, CancellationToken cancellationToken) =>
        MemberSubscriptionRules.ReadAsync(db, request.MemberId, cancellationToken);
}

/// <summary>
/// The member changes their own preferences: only what is given changes. Only the member does (no HQ or guide route
/// subscribes anyone again). Guide contact is <see cref="Members.Member.GuideContactConsent"/>, which care task generation reads.
/// </summary>
public sealed record UpdateMemberSubscriptions(Guid MemberId, bool? SubscribeMarketing, bool? WeComMarketing, bool? SmsMarketing, bool? GuideContact)
    : ICommand<MemberSubscriptions>;

public sealed class UpdateMemberSubscriptionsHandler(GuideDbContext db, Transactions transactions, BrandClock clock)
    : IRequestHandler<UpdateMemberSubscriptions, MemberSubscriptions>
{
    public async Task<MemberSubscriptions> Handle(UpdateMemberSubscriptions request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var member = await db.Members.SingleOrDefaultAsync(m => m.Id == request.MemberId, cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        if (request.SubscribeMarketing is null && request.WeComMarketing is null && request.SmsMarketing is null && request.GuideContact is null)
            return await MemberSubscriptionRules.ReadAsync(db, member.Id, cancellationToken);
        // The row may not exist yet (default subscribed): created if missing (a racing first write creates it once), then changed; it
        // records when the member last changed any preference (guide contact included).
        var batch = new StatementBatch(db, transactions);
        var insert = "INSERT INTO member_message_consents (MemberId, SubscribeMarketing, WeComMarketing, SmsMarketing, UpdatedAt, Version) " +
                     $"VALUES ({batch.P(member.Id)}, {batch.P(true)}, {batch.P(true)}, {batch.P(true)}, {batch.P(now)}, 0)";
        batch.Execute(batch.Dialect == SqlDialect.MySql ? insert + " ON DUPLICATE KEY UPDATE MemberId = MemberId" : insert + " ON CONFLICT (MemberId) DO NOTHING",
            rows: 0);
        await batch.ExecuteAsync(cancellationToken);
        var consent = await db.MemberMessageConsents.SingleAsync(c => c.MemberId == member.Id, cancellationToken);
        consent.SubscribeMarketing = request.SubscribeMarketing ?? consent.SubscribeMarketing;
        consent.WeComMarketing = request.WeComMarketing ?? consent.WeComMarketing;
        consent.SmsMarketing = request.SmsMarketing ?? consent.SmsMarketing;
        consent.UpdatedAt = now;
        consent.Version++;
        if (request.GuideContact is { } contact) member.GuideContactConsent = contact;
        await db.SaveChangesAsync(cancellationToken);
        return await MemberSubscriptionRules.ReadAsync(db, member.Id, cancellationToken);
    }
}

/// <summary>
/// After <c>wx.requestSubscribeMessage</c>: the WeChat template ids the member accepted, each allowing one more message of it
/// (+1 per template, added in the database: two racing calls add 2). Every id must be an active subscribe template of HQ's, else
/// nothing is written.
/// </summary>
public sealed record AcceptSubscribeTemplates(Guid MemberId, IReadOnlyList<string>? TemplateIds) : ICommand<MemberSubscriptions>;

public sealed class AcceptSubscribeTemplatesValidator : AbstractValidator<AcceptSubscribeTemplates>
{
    public const int MaxTemplates = 20;

    public AcceptSubscribeTemplatesValidator()
    {
        RuleFor(x => x.TemplateIds).NotEmpty().Must(t => t!.Count <= MaxTemplates).WithMessage($"At most {MaxTemplates} template ids.")
            .When(x => x.TemplateIds is { Count: > 0 });
        RuleFor(x => x.TemplateIds).NotEmpty();
        RuleForEach(x => x.TemplateIds).NotEmpty().MaximumLength(MessageTemplate.ExternalIdMaxLength);
    }
}

public sealed class AcceptSubscribeTemplatesHandler(GuideDbContext db, Transactions transactions, BrandClock clock)
    : IRequestHandler<AcceptSubscribeTemplates, MemberSubscriptions>
{
    public async Task<MemberSubscriptions> Handle(AcceptSubscribeTemplates request, CancellationToken cancellationToken)
    {
        var ids = request.TemplateIds!.Distinct(StringComparer.Ordinal).ToList();
        if (!await db.Members.AnyAsync(m => m.Id == request.MemberId, cancellationToken))
            throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        var known = await db.MessageTemplates.AsNoTracking()
            .Where(t => t.Channel == MessageChannel.Subscribe && t.Active && ids.Contains(t.ExternalId)).Select(t => t.ExternalId).ToListAsync(cancellationToken);
        var unknown = ids.Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new DomainException(new DomainError("message.unknown_template",
                "Not an active subscribe template of ours: " + string.Join(", ", unknown)) { Details = new Dictionary<string, object?> { ["templateIds"] = unknown } });

        var now = clock.UtcNow;
        var batch = new StatementBatch(db, transactions);
        foreach (var id in ids)
        {
            var insert = $"INSERT INTO subscribe_quotas (MemberId, WeixinTemplateId, Remaining, UpdatedAt) VALUES ({batch.P(request.MemberId)}, {batch.P(id)}, 1, {batch.P(now)})";
            batch.Execute(batch.Dialect == SqlDialect.MySql
                ? insert + " ON DUPLICATE KEY UPDATE Remaining = Remaining + 1, UpdatedAt = VALUES(UpdatedAt)"
                : insert + " ON CONFLICT (MemberId, WeixinTemplateId) DO UPDATE SET Remaining = Remaining + 1, UpdatedAt = excluded.UpdatedAt", rows: 0);
        }
        await batch.ExecuteAsync(cancellationToken);
        return await MemberSubscriptionRules.ReadAsync(db, request.MemberId, cancellationToken);
    }
}

internal static class MemberSubscriptionRules
{
    public static async Task<MemberSubscriptions> ReadAsync(GuideDbContext db, Guid memberId, CancellationToken cancellationToken)
    {
        var guideContact = await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => (bool?)m.GuideContactConsent).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        var consent = await db.MemberMessageConsents.AsNoTracking().SingleOrDefaultAsync(c => c.MemberId == memberId, cancellationToken);
        var templates = await db.MessageTemplates.AsNoTracking().Where(t => t.Channel == MessageChannel.Subscribe && t.Active)
            .Select(t => new { t.ExternalId, t.Name, t.Kind }).ToListAsync(cancellationToken);
        var quotas = await db.SubscribeQuotas.AsNoTracking().Where(q => q.MemberId == memberId)
            .ToDictionaryAsync(q => q.WeixinTemplateId, q => q.Remaining, StringComparer.Ordinal, cancellationToken);
        return new MemberSubscriptions(consent?.SubscribeMarketing ?? true, consent?.WeComMarketing ?? true, consent?.SmsMarketing ?? true, guideContact,
            consent?.UpdatedAt,
            templates.OrderBy(t => t.ExternalId, StringComparer.Ordinal)
                .Select(t => new SubscribeQuotaItem(t.ExternalId, t.Name, t.Kind, quotas.GetValueOrDefault(t.ExternalId))).ToList());
    }
}
