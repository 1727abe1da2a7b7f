using System.Text.Json;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Documents;

/// <summary>
/// A sale was recorded (or resent): the refunds that came before it and wait for it are posted now, each in a
/// transaction of its own (each locks its own points account and commission gate). Not a transaction itself.
/// </summary>
public sealed record PostWaitingRefunds(Guid ClientId, string SaleNumber) : IRequest<int>;

/// <summary>
/// The waiting refunds of one sale, found by a locking UPDATE: a refund parking at this moment (its row not yet
/// committed) is waited for and seen, so no refund is left waiting for a sale that has come.
/// </summary>
public sealed record FindWaitingRefunds(Guid ClientId, string SaleNumber) : ICommand<IReadOnlyList<Guid>>;

/// <summary>Posts one waiting refund as a refund document, or records why it cannot be (it does not fit the sale).</summary>
public sealed record PostWaitingRefund(Guid WaitingRefundId) : ICommand<WaitingRefundStatus?>;

public sealed class PostWaitingRefundsHandler(IMediator mediator) : IRequestHandler<PostWaitingRefunds, int>
{
    public async Task<int> Handle(PostWaitingRefunds request, CancellationToken cancellationToken)
    {
        var posted = 0;
        foreach (var id in await mediator.Send(new FindWaitingRefunds(request.ClientId, request.SaleNumber), cancellationToken))
            if (await mediator.Send(new PostWaitingRefund(id), cancellationToken) == WaitingRefundStatus.Posted) posted++;
        return posted;
    }
}

public sealed class FindWaitingRefundsHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<FindWaitingRefunds, IReadOnlyList<Guid>>
{
    public async Task<IReadOnlyList<Guid>> Handle(FindWaitingRefunds request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var waiting = db.WaitingRefunds.Where(w => w.ClientId == request.ClientId && w.OriginalDocumentNumber == request.SaleNumber
                                                   && w.Status == WaitingRefundStatus.Waiting);
        if (await waiting.ExecuteUpdateAsync(s => s.SetProperty(w => w.CheckedAt, now), cancellationToken) == 0) return [];
        return await waiting.OrderBy(w => w.ReceivedAt).ThenBy(w => w.Id).Select(w => w.Id).ToListAsync(cancellationToken);
    }
}

public sealed class PostWaitingRefundHandler(GuideDbContext db, SalesDocumentRecorder recorder, BrandClock clock)
    : IRequestHandler<PostWaitingRefund, WaitingRefundStatus?>
{
    public async Task<WaitingRefundStatus?> Handle(PostWaitingRefund request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        // Claimed by a conditional UPDATE: a second instance posting the same refund finds it posted and does nothing.
        if (await db.WaitingRefunds.Where(w => w.Id == request.WaitingRefundId && w.Status == WaitingRefundStatus.Waiting)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.CheckedAt, now), cancellationToken) == 0)
            return null;
        var waiting = await db.WaitingRefunds.SingleAsync(w => w.Id == request.WaitingRefundId, cancellationToken);
        var refund = JsonSerializer.Deserialize<RecordSalesDocument>(waiting.Request, LedgerRequest.Json)
                     ?? throw new InvalidOperationException($"Waiting refund {waiting.Id} has no request.");
        // The client's resend of the refund answers what happened to it: the posted document, or (refused) a fresh
        // judgement of the resend against the sale, which gives the client the reason.
        var answer = db.Set<LedgerRequest>().Where(r => r.RequestKey == refund.IdempotencyKey);
        try
        {
            // Everything that can refuse a refund (member, guide, store, points paid, the sale's lines) is checked
            // before anything is written; a refusal leaves only the waiting refund's mark.
            var document = await recorder.RecordAsync(refund, waiting, cancellationToken);
            waiting.Posted(document.Id, now);
            var json = JsonSerializer.Serialize(document, LedgerRequest.Json);
            await answer.ExecuteUpdateAsync(s => s.SetProperty(r => r.Result, json), cancellationToken);
        }
        catch (DomainException e)
        {
            waiting.Refused(e.Error, now);
            await answer.ExecuteDeleteAsync(cancellationToken);
        }
        return waiting.Status;
    }
}

/// <summary>
/// The sweep (a job, every minute): waiting refunds whose sale is recorded are posted. The sale's own request posts
/// them at once; this catches a sale whose request ended before it could (a crash between the two).
/// </summary>
public sealed class WaitingRefundRun(GuideDbContext db, IMediator mediator)
{
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var sales = await (from w in db.WaitingRefunds
                           where w.Status == WaitingRefundStatus.Waiting
                                 && db.SalesDocuments.Any(d => d.ClientId == w.ClientId && d.DocumentNumber == w.OriginalDocumentNumber && d.Kind == DocumentKind.Sale)
                           select new { w.ClientId, w.OriginalDocumentNumber }).Distinct().Take(1_000).ToListAsync(cancellationToken);
        var posted = 0;
        foreach (var sale in sales)
            posted += await mediator.Send(new PostWaitingRefunds(sale.ClientId, sale.OriginalDocumentNumber), cancellationToken);
        return $"{sales.Count} sales, {posted} refunds posted";
    }
}

public sealed record WaitingRefundView(Guid Id, Guid ClientId, string DocumentNumber, string OriginalDocumentNumber, WaitingRefundStatus Status,
    DateTimeOffset ReceivedAt, DateTimeOffset? ResolvedAt, Guid? DocumentId, string? RefusalCode, string? RefusalMessage);

/// <summary>HQ: refunds that came before their sale, newest first; by status (waiting, posted, refused).</summary>
public sealed record ListWaitingRefunds(WaitingRefundStatus? Status, int? Page, int? PageSize) : IRequest<Page<WaitingRefundView>>;

public sealed class ListWaitingRefundsHandler(GuideDbContext db) : IRequestHandler<ListWaitingRefunds, Page<WaitingRefundView>>
{
    public Task<Page<WaitingRefundView>> Handle(ListWaitingRefunds request, CancellationToken cancellationToken) =>
        db.WaitingRefunds.AsNoTracking()
            .Where(w => request.Status == null || w.Status == request.Status)
            .OrderByDescending(w => w.ReceivedAt).ThenByDescending(w => w.Id)
            .Select(w => new WaitingRefundView(w.Id, w.ClientId, w.DocumentNumber, w.OriginalDocumentNumber, w.Status, w.ReceivedAt, w.ResolvedAt,
                w.DocumentId, w.RefusalCode, w.RefusalMessage))
            .PageAsync(request.Page, request.PageSize, cancellationToken);
}
