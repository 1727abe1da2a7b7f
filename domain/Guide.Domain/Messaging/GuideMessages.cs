using Guide.Domain.Common;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Messaging;

/// <summary>The member a WeCom message goes to, as the guide sees them (the phone masked).</summary>
public sealed record GuideMessageMember(Guid Id, string? Nickname, string? MaskedPhone);

/// <summary>A WeCom message waiting on the guide's workbench: its text (or template values), kind, campaign and member.</summary>
public sealed record GuideMessageItem(Guid Id, MessageKind Kind, string? Text, string? DataJson, Guid? CampaignId, MessageStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset? GatedAt, DateTimeOffset? SentAt, GuideMessageMember Member);

/// <summary>The calling guide's WeCom messages waiting for them to send (oldest passed first, paged).</summary>
public sealed record ListMyGuideMessages(Guid GuideId, int? Page, int? PageSize) : IRequest<Page<GuideMessageItem>>;

public sealed class ListMyGuideMessagesHandler(GuideDbContext db) : IRequestHandler<ListMyGuideMessages, Page<GuideMessageItem>>
{
    public async Task<Page<GuideMessageItem>> Handle(ListMyGuideMessages request, CancellationToken cancellationToken)
    {
        await GuideScope.LoadAsync(db, request.GuideId, cancellationToken);
        var (number, size) = Paging.Normalize(request.Page, request.PageSize);
        var query = db.OutboundMessages.AsNoTracking().Where(m => m.GuideId == request.GuideId && m.Status == MessageStatus.AwaitingGuide);
        var total = await query.CountAsync(cancellationToken);
        var items = total == 0
            ? []
            : await GuideMessageRules.ItemsAsync(db, query.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Skip((number - 1) * size).Take(size), cancellationToken);
        return new Page<GuideMessageItem>(items, number, size, total);
    }
}

/// <summary>
/// The guide sent the message from WeCom: it is sent (SentAt now). Only its own guide marks it, only while it awaits them; a
/// second mark is refused (message.not_awaiting).
/// </summary>
public sealed record MarkGuideMessageSent(Guid GuideId, Guid MessageId) : ICommand<GuideMessageItem>;

public sealed class MarkGuideMessageSentHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<MarkGuideMessageSent, GuideMessageItem>
{
    public async Task<GuideMessageItem> Handle(MarkGuideMessageSent request, CancellationToken cancellationToken)
    {
        await GuideScope.LoadAsync(db, request.GuideId, cancellationToken);
        var message = await db.OutboundMessages.SingleOrDefaultAsync(m => m.Id == request.MessageId && m.Channel == MessageChannel.WeCom, cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("message.not_found", "No such WeCom message."));
        if (message.GuideId != request.GuideId)
            throw new DomainException(DomainError.Forbidden("message.not_yours", "This message is on another guide's workbench (or nobody's)."));
        if (message.Status != MessageStatus.AwaitingGuide)
            throw new DomainException(DomainError.Conflict("message.not_awaiting", $"The message is {message.Status.ToString().ToLowerInvariant()}, not awaiting its guide."));
        message.Status = MessageStatus.Sent;
        message.SentAt = clock.UtcNow;
        message.Version++;
        await db.SaveChangesAsync(cancellationToken);
        return (await GuideMessageRules.ItemsAsync(db, db.OutboundMessages.AsNoTracking().Where(m => m.Id == message.Id), cancellationToken)).Single();
    }
}

internal static class GuideMessageRules
{
    public static async Task<IReadOnlyList<GuideMessageItem>> ItemsAsync(GuideDbContext db, IQueryable<OutboundMessage> messages, CancellationToken cancellationToken)
    {
        var rows = await (from o in messages
                          join m in db.Members on o.MemberId equals m.Id
                          select new { Message = o, m.Nickname, m.Phone }).ToListAsync(cancellationToken);
        return rows.Select(r => new GuideMessageItem(r.Message.Id, r.Message.Kind, r.Message.Text, r.Message.DataJson, r.Message.CampaignId, r.Message.Status,
            r.Message.CreatedAt, r.Message.GatedAt, r.Message.SentAt,
            new GuideMessageMember(r.Message.MemberId, r.Nickname, Members.Member.MaskPhone(r.Phone)))).ToList();
    }
}
