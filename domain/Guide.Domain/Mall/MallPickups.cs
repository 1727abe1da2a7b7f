using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Messaging;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Mall;

/// <summary>A pickup redemption on the guide's counter list: the member (nickname, masked phone), the item, and when it was put aside.</summary>
public sealed record MallPickupItem(Guid Id, Guid MemberId, string? Nickname, string? MaskedPhone, Guid ItemId, string ItemName, int Quantity, Guid? StoreId,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt, Guid? ReadyAtStoreId);

/// <summary>Which pickups the counter list shows: <c>waiting</c> (not put aside yet) or <c>ready</c> (put aside, not handed out yet).</summary>
public enum MallPickupState
{
    Waiting,
    Ready,
}

/// <summary>
/// A guide has a pickup redemption ready at the counter: the same guides who may hand it out (its store's; any store's when the
/// member had no store) mark it, while it waits to be handed out. In the same transaction the member is told by the PickupReady
/// service message (never capped), once: marking it again answers the same redemption and queues nothing (its source key
/// <c>pickup-ready:{id}</c> is unique too, so two guides marking at once queue one).
/// </summary>
public sealed record MarkMallPickupReady(Guid GuideId, Guid RedemptionId) : ICommand<MallPickupItem>;

public sealed class MarkMallPickupReadyHandler(GuideDbContext db, SystemMessages messages, BrandClock clock) : IRequestHandler<MarkMallPickupReady, MallPickupItem>
{
    public async Task<MallPickupItem> Handle(MarkMallPickupReady request, CancellationToken cancellationToken)
    {
        var guide = await GuideScope.LoadAsync(db, request.GuideId, cancellationToken);
        var redemption = await db.MallRedemptions.SingleOrDefaultAsync(r => r.Id == request.RedemptionId, cancellationToken)
            ?? throw new DomainException(MallRedemption.NotFound);
        var now = clock.UtcNow;
        if (redemption.MarkReady(guide.GuideId, guide.StoreId, now))
        {
            var store = await db.Stores.AsNoTracking().Where(s => s.Id == redemption.ReadyAtStoreId).Select(s => s.Name).SingleOrDefaultAsync(cancellationToken);
            await messages.QueueAsync(MessagePurpose.PickupReady, MessageKind.Service, redemption.MemberId, MallMessages.PickupReadyKey(redemption.Id),
                MallMessages.PickupReadyFacts(redemption, store, now), cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        // Read back as stored (MySQL keeps microseconds), so a second mark answers exactly the first answer.
        return MallPickupRow.Item(await (from r in db.MallRedemptions.AsNoTracking().Where(r => r.Id == redemption.Id)
                                         join m in db.Members on r.MemberId equals m.Id
                                         select new MallPickupRow(r, m.Nickname, m.Phone)).SingleAsync(cancellationToken));
    }
}

/// <summary>
/// The counter list of the guide's own store (area managers too: items are handed out at a counter): pickups not handed out yet,
/// oldest first (paged). <c>waiting</c>: its store's and those of members without a store, not put aside yet; <c>ready</c>: put
/// aside at this store; none: both.
/// </summary>
public sealed record ListMallPickups(Guid GuideId, MallPickupState? State, int? Page, int? PageSize) : IRequest<Page<MallPickupItem>>;

public sealed class ListMallPickupsValidator : AbstractValidator<ListMallPickups>
{
    public ListMallPickupsValidator() => RuleFor(x => x.State).IsInEnum();
}

public sealed class ListMallPickupsHandler(GuideDbContext db) : IRequestHandler<ListMallPickups, Page<MallPickupItem>>
{
    public async Task<Page<MallPickupItem>> Handle(ListMallPickups request, CancellationToken cancellationToken)
    {
        var guide = await GuideScope.LoadAsync(db, request.GuideId, cancellationToken);
        var store = guide.StoreId;
        var waiting = request.State != MallPickupState.Ready;
        var ready = request.State != MallPickupState.Waiting;
        var query = db.MallRedemptions.AsNoTracking().Where(r => r.Kind == MallItemKind.Pickup && r.Status == MallRedemptionStatus.Redeemed
            && ((waiting && r.ReadyAt == null && (r.StoreId == store || r.StoreId == null)) || (ready && r.ReadyAt != null && r.ReadyAtStoreId == store)));
        var page = await (from r in query
                          join m in db.Members on r.MemberId equals m.Id
                          orderby r.CreatedAt, r.Id
                          select new MallPickupRow(r, m.Nickname, m.Phone)).PageAsync(request.Page, request.PageSize, cancellationToken);
        return page.Map(MallPickupRow.Item);
    }
}

/// <summary>The source key and the facts of the pickup-ready service message (one per redemption).</summary>
public static class MallMessages
{
    /// <summary>WeChat's thing.DATA is at most 20 characters (a longer value is refused with 47003).</summary>
    private const int ThingMaxLength = 20;

    public static string PickupReadyKey(Guid redemptionId) => $"pickup-ready:{redemptionId:N}";

    internal static MessageFacts PickupReadyFacts(MallRedemption redemption, string? storeName, DateTimeOffset at) =>
        new(Number: redemption.Quantity, At: at, Thing: Short(redemption.ItemName), Phrase: "待取货", Reference: redemption.PickupCode,
            Place: storeName is null ? null : Short(storeName));

    private static string Short(string text) => text.Length > ThingMaxLength ? text[..ThingMaxLength] : text;
}

internal sealed record MallPickupRow(MallRedemption Redemption, string? Nickname, string? Phone)
{
    public static MallPickupItem Item(MallPickupRow row)
    {
        var r = row.Redemption;
        return new MallPickupItem(r.Id, r.MemberId, row.Nickname, Members.Member.MaskPhone(row.Phone), r.ItemId, r.ItemName, r.Quantity, r.StoreId, r.CreatedAt,
            r.ReadyAt, r.ReadyAtStoreId);
    }
}
