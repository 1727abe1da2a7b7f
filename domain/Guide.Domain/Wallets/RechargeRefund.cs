using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Wallets;

public enum RefundChannel
{
    /// <summary>JSON <c>wechat_pay</c>, as sales documents name the payment method.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("wechat_pay")]
    WeChatPay,
    /// <summary>More than 365 days after payment WeChat Pay refunds nothing: HQ pays back outside, with a recorded reason.</summary>
    OffChannel,
}

public enum RechargeRefundStatus
{
    Processing,
    Succeeded,
    /// <summary>WeChat Pay closed it: the money went back into the wallet.</summary>
    Closed,
    /// <summary>WeChat Pay could not pay it out (e.g. the member's card closed): HQ settles it off-channel.</summary>
    Abnormal,
}

/// <summary>
/// HQ refunding a recharge (one lot): what remains of the lot's principal and gift leaves the wallet, and
/// <see cref="Amount"/> goes back to the member through WeChat Pay (or off-channel): the whole payment for an
/// untouched lot, the payment less everything used from the lot (gift included) for a forced one. The money
/// leaves the wallet when the refund starts, so it cannot be spent while WeChat Pay works; a closed refund
/// puts it back. Every retry of one refund reuses its out_refund_no.
/// </summary>
public sealed class RechargeRefund
{
    public static readonly TimeSpan WeChatPayRefundWindow = TimeSpan.FromDays(365);

    private RechargeRefund() { }

    internal RechargeRefund(Recharge recharge, RechargeRefundTerms terms, RefundChannel channel, bool forced, string? reason, Guid adminId, DateTimeOffset at)
    {
        Id = Ids.New();
        OutRefundNo = "RR" + Id.ToString("N");
        RechargeId = recharge.Id;
        MemberId = recharge.MemberId;
        Principal = terms.TakenPrincipal;
        Gift = terms.TakenGift;
        Amount = terms.Refund;
        Channel = channel;
        Forced = forced;
        Reason = reason;
        AdminId = adminId;
        CreatedAt = at;
        Status = channel == RefundChannel.OffChannel ? RechargeRefundStatus.Succeeded : RechargeRefundStatus.Processing;
        if (channel == RefundChannel.OffChannel) CompletedAt = at;
    }

    public Guid Id { get; private set; }
    public string OutRefundNo { get; private set; } = "";
    public Guid RechargeId { get; private set; }
    public Guid MemberId { get; private set; }
    /// <summary>The principal taken out of the wallet (what remained of the lot's).</summary>
    public long Principal { get; private set; }
    /// <summary>The gift taken out of the wallet (what remained of the lot's).</summary>
    public long Gift { get; private set; }
    /// <summary>What the member gets back, in fen: never more than was paid, less whatever of the lot was used.</summary>
    public long Amount { get; private set; }
    public RefundChannel Channel { get; private set; }
    public RechargeRefundStatus Status { get; private set; }
    /// <summary>HQ refunded although part of the lot was spent (the refund is smaller than the payment).</summary>
    public bool Forced { get; private set; }
    public string? Reason { get; private set; }
    public Guid AdminId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public int Version { get; private set; }

    internal void Finish(RechargeRefundStatus status, DateTimeOffset at)
    {
        Status = status;
        CompletedAt = at;
        Version++;
    }
}

/// <summary>
/// What refunding a recharge's lot means (product.md §2, 赠送金已使用部分从退款中扣除): the member used
/// <see cref="PrincipalUsed"/> and <see cref="GiftUsed"/> of it; the refund takes what remains of both out of
/// the wallet and pays back the payment less everything used. An untouched lot refunds in full; a touched one
/// only when HQ forces it, so the gift is never a way to take money out.
/// </summary>
public sealed record RechargeRefundTerms(long Paid, long PrincipalUsed, long GiftUsed, long TakenPrincipal, long TakenGift)
{
    public static RechargeRefundTerms Of(WalletLot lot) =>
        new(lot.Principal, lot.Principal - lot.PrincipalRemaining, lot.Gift - lot.GiftRemaining, lot.PrincipalRemaining, lot.GiftRemaining);

    public long Used => PrincipalUsed + GiftUsed;
    public bool Untouched => Used == 0;

    /// <summary>What goes back to the member: the payment less everything used from the lot, never below zero.</summary>
    public long Refund => Math.Max(0, Paid - Used);

    /// <summary>Refuses a touched lot unless forced, and a refund of nothing.</summary>
    public void Check(bool force)
    {
        var details = new Dictionary<string, object?>
        {
            ["paid"] = Paid, ["principalUsed"] = PrincipalUsed, ["giftUsed"] = GiftUsed, ["used"] = Used, ["refundable"] = Refund, ["gap"] = Paid - Refund,
        };
        if (Refund == 0)
            throw new DomainException(new DomainError("recharge.nothing_to_refund",
                $"{PrincipalUsed} fen of principal and {GiftUsed} fen of gift of this recharge were used: nothing of its {Paid} fen is left to refund.", ErrorKind.Conflict)
            { Details = details });
        if (!Untouched && !force)
            throw new DomainException(new DomainError("recharge.partly_spent",
                $"The member used {PrincipalUsed} fen of principal and {GiftUsed} fen of gift of this recharge; a refund would return {Refund} of the {Paid} fen paid. Force it (with a reason) to refund that.",
                ErrorKind.Conflict) { Details = details });
    }
}

public sealed record RechargeRefundView(Guid Id, Guid RechargeId, string OutRefundNo, long Principal, long Gift, long Amount, RefundChannel Channel,
    RechargeRefundStatus Status, bool Forced, string? Reason, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, bool Replayed = false)
    : Ledgers.IReplayable<RechargeRefundView>
{
    internal static RechargeRefundView Of(RechargeRefund r) =>
        new(r.Id, r.RechargeId, r.OutRefundNo, r.Principal, r.Gift, r.Amount, r.Channel, r.Status, r.Forced, r.Reason, r.CreatedAt, r.CompletedAt);

    public RechargeRefundView AsReplayed() => this with { Replayed = true };
}

/// <summary>
/// HQ refunds a paid recharge (<see cref="RechargeRefundTerms"/>): refused with what was used and what a refund
/// would return when part of the lot was used, unless <paramref name="Force"/> (with a reason). Posting it
/// again while WeChat Pay works retries the same refund (same out_refund_no); <paramref name="ClientKey"/> is
/// the console's <c>Idempotency-Key</c>.
/// </summary>
public sealed record RefundRecharge(Guid RechargeId, Guid AdminId, string? Reason, bool Force, string ClientKey) : IRequest<RechargeRefundView>;

public sealed class RefundRechargeValidator : AbstractValidator<RefundRecharge>
{
    public RefundRechargeValidator()
    {
        RuleFor(x => x.Reason).MaximumLength(200);
        RuleFor(x => x.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).When(x => x.Force).WithMessage("A forced refund needs a reason.");
        RuleFor(x => x.ClientKey).Must(Ledgers.HqIdempotency.IsValidKey).WithMessage(Ledgers.HqIdempotency.KeyRule);
    }
}

public sealed class RefundRechargeHandler(GuideDbContext db, IRechargePayments payments, IMediator mediator)
    : IRequestHandler<RefundRecharge, RechargeRefundView>
{
    public async Task<RechargeRefundView> Handle(RefundRecharge request, CancellationToken cancellationToken)
    {
        var recharge = await db.Recharges.AsNoTracking().SingleOrDefaultAsync(r => r.Id == request.RechargeId, cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("recharge.not_found", "No such recharge."));

        var started = await mediator.Send(new StartRechargeRefund(request.RechargeId, request.AdminId, request.Reason, request.Force, request.ClientKey), cancellationToken);
        var refund = await db.RechargeRefunds.AsNoTracking().SingleAsync(r => r.Id == started.Id, cancellationToken);
        if (refund.Status != RechargeRefundStatus.Processing) return RechargeRefundView.Of(refund) with { Replayed = started.Replayed };

        // Outside any transaction: ask WeChat Pay (again, with the same out_refund_no when retried).
        var state = await payments.RefundAsync(refund, recharge.OutTradeNo, recharge.Price, cancellationToken);
        if (state.Status is "SUCCESS" or "CLOSED" or "ABNORMAL")
            await mediator.Send(new CompleteRechargeRefund(state), cancellationToken);
        return RechargeRefundView.Of(await db.RechargeRefunds.AsNoTracking().SingleAsync(r => r.Id == refund.Id, cancellationToken))
            with { Replayed = started.Replayed };
    }
}

/// <summary>
/// Takes the lot's remainder out of the wallet and records the refund (processing, or done when off-channel);
/// while one is processing, answers that one (a retry goes to WeChat Pay with the same out_refund_no).
/// </summary>
internal sealed record StartRechargeRefund(Guid RechargeId, Guid AdminId, string? Reason, bool Force, string ClientKey)
    : ICommand<RechargeRefundView>, Ledgers.IIdempotentCommand
{
    public string IdempotencyKey => $"recharge-refund:{RechargeId:N}:{ClientKey}";
    public object IdempotencyPayload => new { Reason, Force };
    public DomainError KeyReused => Ledgers.HqIdempotency.KeyReused(ClientKey);
}

internal sealed class StartRechargeRefundHandler(GuideDbContext db, WalletAccounts wallets, Levels.MemberLevels levels, BrandClock clock,
    Messaging.SystemMessages messages)
    : IRequestHandler<StartRechargeRefund, RechargeRefundView>
{
    public async Task<RechargeRefundView> Handle(StartRechargeRefund request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var memberId = await db.Recharges.AsNoTracking().Where(r => r.Id == request.RechargeId).Select(r => r.MemberId).SingleAsync(cancellationToken);
        var account = await wallets.LockAsync(memberId, now, cancellationToken);
        var recharge = await db.Recharges.SingleAsync(r => r.Id == request.RechargeId, cancellationToken);
        if (recharge.Status == RechargeStatus.Refunding
            && await db.RechargeRefunds.AsNoTracking().SingleOrDefaultAsync(r => r.RechargeId == recharge.Id && r.Status == RechargeRefundStatus.Processing,
                cancellationToken) is { } processing)
            return RechargeRefundView.Of(processing);
        if (recharge.Status != RechargeStatus.Paid)
            throw new DomainException(DomainError.Conflict("recharge.not_refundable", $"The recharge is {recharge.Status.ToString().ToLowerInvariant()}; only a paid one can be refunded."));
        var lot = await db.WalletLots.SingleAsync(l => l.Id == recharge.LotId, cancellationToken);
        var terms = RechargeRefundTerms.Of(lot);
        terms.Check(request.Force);
        var channel = recharge.PaidAt + RechargeRefund.WeChatPayRefundWindow > now ? RefundChannel.WeChatPay : RefundChannel.OffChannel;
        if (channel == RefundChannel.OffChannel && string.IsNullOrWhiteSpace(request.Reason))
            throw new DomainException(new DomainError("recharge.reason_required",
                "This recharge was paid more than 365 days ago: WeChat Pay cannot refund it; refund it off-channel and state the reason."));

        var refund = new RechargeRefund(recharge, terms, channel, forced: !terms.Untouched, request.Reason?.Trim(), request.AdminId, now);
        account.Post(WalletEntryKind.RechargeRefund, $"recharge-refund:{refund.Id:N}", now,
            [new LotMovement(lot, new Money(-terms.TakenPrincipal), new Money(-terms.TakenGift))], reference: refund.OutRefundNo, note: refund.Reason,
            storeId: recharge.StoreId);
        db.RechargeRefunds.Add(refund);
        recharge.StartRefund(completed: channel == RefundChannel.OffChannel);
        await RechargeLevels.ReevaluateAsync(levels, recharge, cancellationToken);
        if (refund.Status == RechargeRefundStatus.Succeeded) await RechargeMessages.QueueRefundedAsync(messages, refund, now, cancellationToken);
        return RechargeRefundView.Of(refund);
    }
}

/// <summary>
/// WeChat Pay's answer about a recharge refund (notification, query, or the refund call itself): SUCCESS
/// completes it; CLOSED puts the money back into its lot (and the recharge is paid again); ABNORMAL leaves it
/// for HQ. Applied once: a refund no longer processing is left alone.
/// </summary>
public sealed record CompleteRechargeRefund(RechargeRefundState State) : ICommand<bool>;

public sealed class CompleteRechargeRefundHandler(GuideDbContext db, WalletAccounts wallets, Levels.MemberLevels levels, BrandClock clock,
    Messaging.SystemMessages messages) : IRequestHandler<CompleteRechargeRefund, bool>
{
    public async Task<bool> Handle(CompleteRechargeRefund request, CancellationToken cancellationToken)
    {
        var state = request.State;
        var known = await db.RechargeRefunds.AsNoTracking().Where(r => r.OutRefundNo == state.OutRefundNo)
            .Select(r => new { r.MemberId, r.Status }).SingleOrDefaultAsync(cancellationToken);
        if (known is null || known.Status != RechargeRefundStatus.Processing || state.Status is not ("SUCCESS" or "CLOSED" or "ABNORMAL")) return false;

        var now = clock.UtcNow;
        var wallet = await wallets.LockAsync(known.MemberId, now, cancellationToken);
        var refund = await db.RechargeRefunds.SingleAsync(r => r.OutRefundNo == state.OutRefundNo, cancellationToken);
        if (refund.Status != RechargeRefundStatus.Processing) return false;
        var recharge = await db.Recharges.SingleAsync(r => r.Id == refund.RechargeId, cancellationToken);
        switch (state.Status)
        {
            case "SUCCESS":
                refund.Finish(RechargeRefundStatus.Succeeded, state.SuccessTime ?? now);
                recharge.FinishRefund(succeeded: true);
                await RechargeMessages.QueueRefundedAsync(messages, refund, state.SuccessTime ?? now, cancellationToken);
                break;
            case "CLOSED":
                var lot = await db.WalletLots.SingleAsync(l => l.Id == recharge.LotId, cancellationToken);
                wallet.Post(WalletEntryKind.RechargeRefundReversal, $"recharge-refund-closed:{refund.Id:N}", now,
                    [new LotMovement(lot, new Money(refund.Principal), new Money(refund.Gift))], reference: refund.OutRefundNo, storeId: recharge.StoreId);
                refund.Finish(RechargeRefundStatus.Closed, now);
                recharge.FinishRefund(succeeded: false);
                await RechargeLevels.ReevaluateAsync(levels, recharge, cancellationToken);
                break;
            default:
                refund.Finish(RechargeRefundStatus.Abnormal, now);
                break;
        }
        return true;
    }
}

internal static class RechargeLevels
{
    /// <summary>储值即会员 in reverse: a refunded recharge's grant ends (and comes back when the refund closes); the member keeps what else holds.</summary>
    public static async Task ReevaluateAsync(Levels.MemberLevels levels, Recharge changed, CancellationToken cancellationToken)
    {
        if (changed.LevelGranted is null) return;
        await levels.ReevaluateAsync(changed.MemberId, Levels.LevelChangeCause.RechargeRefund, changed.OutTradeNo, cancellationToken);
    }
}

/// <summary>HQ lists a recharge's refunds.</summary>
public sealed record ListRechargeRefunds(Guid RechargeId) : IRequest<IReadOnlyList<RechargeRefundView>>;

public sealed class ListRechargeRefundsHandler(GuideDbContext db) : IRequestHandler<ListRechargeRefunds, IReadOnlyList<RechargeRefundView>>
{
    public async Task<IReadOnlyList<RechargeRefundView>> Handle(ListRechargeRefunds request, CancellationToken cancellationToken) =>
        (await db.RechargeRefunds.AsNoTracking().Where(r => r.RechargeId == request.RechargeId).OrderBy(r => r.CreatedAt).ToListAsync(cancellationToken))
            .Select(RechargeRefundView.Of).ToList();
}

internal sealed class RechargeRefundConfiguration : IEntityTypeConfiguration<RechargeRefund>
{
    public void Configure(EntityTypeBuilder<RechargeRefund> b)
    {
        b.ToTable("recharge_refunds");
        b.HasKey(x => x.Id);
        b.Property(x => x.OutRefundNo).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.OutRefundNo).IsUnique();
        b.HasIndex(x => new { x.RechargeId, x.Status });
        b.HasIndex(x => new { x.Status, x.CreatedAt });
        b.Property(x => x.Channel).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Reason).HasMaxLength(200);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<Recharge>().WithMany().HasForeignKey(x => x.RechargeId).OnDelete(DeleteBehavior.Restrict);
    }
}
