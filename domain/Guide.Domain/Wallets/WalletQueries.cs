using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Wallets;

public sealed record WalletLotView(Guid Id, WalletLotSource Source, Guid? SourceId, long Principal, long Gift,
    long PrincipalRemaining, long GiftRemaining, DateTimeOffset CreatedAt);

/// <summary>A wallet as its member or HQ sees it; a member who never had money has an empty wallet.</summary>
public sealed record WalletView(Guid MemberId, long Principal, long Gift, IReadOnlyList<WalletLotView> Lots)
{
    public long Total => Principal + Gift;
}

public sealed record WalletEntryView(Guid Id, WalletEntryKind Kind, long PrincipalDelta, long GiftDelta, long PrincipalAfter, long GiftAfter,
    string? Reference, string? Note, Guid? StoreId, string SourceKey, DateTimeOffset OccurredAt);

/// <summary>The member's wallet; <paramref name="WithLots"/> adds the lots still holding money (HQ).</summary>
public sealed record GetWallet(Guid MemberId, bool WithLots = false) : IRequest<WalletView>;

public sealed class GetWalletHandler(GuideDbContext db) : IRequestHandler<GetWallet, WalletView>
{
    public async Task<WalletView> Handle(GetWallet request, CancellationToken cancellationToken)
    {
        var wallet = await db.Wallets.AsNoTracking().Where(w => w.MemberId == request.MemberId)
            .Select(w => new { w.Principal, w.Gift }).SingleOrDefaultAsync(cancellationToken);
        if (wallet is null && !await db.Members.AnyAsync(m => m.Id == request.MemberId, cancellationToken))
            throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        IReadOnlyList<WalletLotView> lots = [];
        if (request.WithLots && wallet is not null)
        {
            lots = await db.WalletLots.AsNoTracking()
                .Where(l => l.MemberId == request.MemberId && (l.PrincipalRemaining > 0 || l.GiftRemaining > 0))
                .OrderBy(l => l.CreatedAt).ThenBy(l => l.Id)
                .Select(l => new WalletLotView(l.Id, l.Source, l.SourceId, l.Principal, l.Gift, l.PrincipalRemaining, l.GiftRemaining, l.CreatedAt))
                .ToListAsync(cancellationToken);
        }
        return new WalletView(request.MemberId, wallet?.Principal ?? 0, wallet?.Gift ?? 0, lots);
    }
}

/// <summary>The wallet's ledger, newest first.</summary>
public sealed record ListWalletEntries(Guid MemberId, int? Page, int? PageSize) : IRequest<Page<WalletEntryView>>;

public sealed class ListWalletEntriesHandler(GuideDbContext db) : IRequestHandler<ListWalletEntries, Page<WalletEntryView>>
{
    public async Task<Page<WalletEntryView>> Handle(ListWalletEntries request, CancellationToken cancellationToken)
    {
        if (!await db.Members.AnyAsync(m => m.Id == request.MemberId, cancellationToken))
            throw new DomainException(DomainError.NotFound("member.not_found", "No such member."));
        return await db.WalletEntries.AsNoTracking().Where(e => e.MemberId == request.MemberId)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
            .Select(e => new WalletEntryView(e.Id, e.Kind, e.PrincipalDelta, e.GiftDelta, e.PrincipalAfter, e.GiftAfter,
                e.Reference, e.Note, e.StoreId, e.SourceKey, e.OccurredAt))
            .PageAsync(request.Page, request.PageSize, cancellationToken);
    }
}
