using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Integration;
using Guide.Domain.Ledgers;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using Guide.Domain.Wallets;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Points;

/// <summary>
/// <see cref="PointsPerYuan"/> points pay one yuan; only whole fen are paid, so points are spent (and refunded) in
/// multiples of <see cref="Step"/> points, each worth <see cref="StepFen"/> fen.
/// </summary>
public sealed record PointsRate(int PointsPerYuan)
{
    private long Gcd => (long)System.Numerics.BigInteger.GreatestCommonDivisor(PointsPerYuan, 100);

    /// <summary>The fewest points worth a whole number of fen.</summary>
    public long Step => PointsPerYuan / Gcd;

    public long StepFen => 100 / Gcd;

    public bool IsWholeFen(long points) => points % Step == 0;

    public long FenOf(long points) => points / Step * StepFen;
}

/// <summary>
/// HQ's rule for paying with points (积分抵现): points at <see cref="Rate"/>; at most <see cref="MaxSharePercent"/> of the
/// document; at least <see cref="MinPoints"/>.
/// </summary>
public sealed record PointsSpending(int PointsPerYuan, int MaxSharePercent, int MinPoints, bool SpendFrozen)
{
    public PointsRate Rate => new(PointsPerYuan);

    /// <summary>The most points that may pay a document of <paramref name="documentAmount"/> fen (whole fen, within the share).</summary>
    public long MaxPointsFor(long documentAmount) => documentAmount * MaxSharePercent / 100 / Rate.StepFen * Rate.Step;
}

/// <summary>
/// Points a till or the online mall took from a member to pay part of one document: one per (client, document
/// number), unique in the database. The points entry's lines say which lots they came from; refunds give them back.
/// </summary>
public sealed class PointsDeduction
{
    public const int NumberMaxLength = 64;

    private PointsDeduction() { }

    internal PointsDeduction(Guid clientId, string documentNumber, Guid memberId, long points, long amount, int pointsPerYuan, long documentAmount,
        Guid? storeId, Guid entryId, DateTimeOffset at)
    {
        Id = Ids.New();
        ClientId = clientId;
        DocumentNumber = documentNumber;
        MemberId = memberId;
        Points = points;
        Amount = amount;
        PointsPerYuan = pointsPerYuan;
        DocumentAmount = documentAmount;
        StoreId = storeId;
        EntryId = entryId;
        CreatedAt = at;
    }

    public Guid Id { get; private set; }
    public Guid ClientId { get; private set; }
    public string DocumentNumber { get; private set; } = "";
    public Guid MemberId { get; private set; }
    public long Points { get; private set; }
    /// <summary>What the points paid, in fen (at <see cref="PointsPerYuan"/>).</summary>
    public long Amount { get; private set; }
    /// <summary>The rate when deducted: refunds return points at it, whatever HQ sets later.</summary>
    public int PointsPerYuan { get; private set; }
    public long DocumentAmount { get; private set; }
    public Guid? StoreId { get; private set; }
    public Guid EntryId { get; private set; }
    public long RefundedPoints { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Refunds change it under the member's points lock; the token guards anything else.</summary>
    public int Version { get; private set; }

    public long RefundablePoints => Points - RefundedPoints;

    internal void Refunded(long points)
    {
        if (points <= 0 || points > RefundablePoints) throw new InvalidOperationException("A refund returns at most what is left of the deduction.");
        RefundedPoints += points;
        Version++;
    }
}

/// <summary>Points of a deduction given back (a refund at the till or of the online order): one per (client, refund number).</summary>
public sealed class PointsDeductionRefund
{
    private PointsDeductionRefund() { }

    internal PointsDeductionRefund(PointsDeduction deduction, string refundNumber, long points, long amount, long expiredPoints, Guid entryId, DateTimeOffset at)
    {
        Id = Ids.New();
        DeductionId = deduction.Id;
        ClientId = deduction.ClientId;
        RefundNumber = refundNumber;
        MemberId = deduction.MemberId;
        Points = points;
        Amount = amount;
        ExpiredPoints = expiredPoints;
        EntryId = entryId;
        CreatedAt = at;
    }

    public Guid Id { get; private set; }
    public Guid DeductionId { get; private set; }
    public Guid ClientId { get; private set; }
    public string RefundNumber { get; private set; } = "";
    public Guid MemberId { get; private set; }
    public long Points { get; private set; }
    public long Amount { get; private set; }
    /// <summary>Of <see cref="Points"/>, those whose lot had expired meanwhile: they came back expired (recorded, not spendable).</summary>
    public long ExpiredPoints { get; private set; }
    public Guid EntryId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}

internal sealed class PointsDeductionConfiguration : IEntityTypeConfiguration<PointsDeduction>, IEntityTypeConfiguration<PointsDeductionRefund>
{
    public void Configure(EntityTypeBuilder<PointsDeduction> b)
    {
        b.ToTable("points_deductions");
        b.HasKey(x => x.Id);
        b.Property(x => x.DocumentNumber).HasMaxLength(PointsDeduction.NumberMaxLength).IsRequired();
        b.HasIndex(x => new { x.ClientId, x.DocumentNumber }).IsUnique();
        b.HasIndex(x => x.MemberId);
        b.Ignore(x => x.RefundablePoints);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasOne<Members.Member>().WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<PointsDeductionRefund> b)
    {
        b.ToTable("points_deduction_refunds");
        b.HasKey(x => x.Id);
        b.Property(x => x.RefundNumber).HasMaxLength(PointsDeduction.NumberMaxLength).IsRequired();
        b.HasIndex(x => new { x.ClientId, x.RefundNumber }).IsUnique();
        b.HasIndex(x => x.DeductionId);
        b.HasOne<PointsDeduction>().WithMany().HasForeignKey(x => x.DeductionId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>What a deduction or its refund leaves the member with: spendable now, and the whole balance (frozen included, minus debt).</summary>
public sealed record PointsAfter(long Available, long Balance);

public sealed record PointsDeductionResult(Guid DeductionId, string DocumentNumber, Guid MemberId, long Points, long Amount, PointsAfter Balance,
    bool Replayed) : IReplayable<PointsDeductionResult>
{
    public PointsDeductionResult AsReplayed() => this with { Replayed = true };
}

/// <summary>
/// A till (by the member's payment code) or the online mall (by member id, if HQ allowed it) pays part of a document with
/// points: <see cref="Points"/> points, spent earliest expiry first, worth whole fen at HQ's rate, within HQ's largest share
/// of <see cref="DocumentAmount"/> and at least HQ's minimum. Idempotent by (client, document number) with payload comparison.
/// A payment code pays the points part and the wallet part of the document it first paid, once each, and nothing else.
/// </summary>
public sealed record DeductPoints(Guid ClientId, string DocumentNumber, long Points, long DocumentAmount, Guid? MemberId, string? PaymentCode,
    string? StoreCode) : ICommand<PointsDeductionResult>, IIdempotentCommand
{
    public const long MaxPoints = 1_000_000_000;

    public string IdempotencyKey => $"points-deduction:{ClientId:N}:{DocumentNumber}";

    /// <summary>The payment code is not part of it: a till resending after a time-out may have scanned a new one.</summary>
    public object IdempotencyPayload => new { Points, DocumentAmount, MemberId, StoreCode };

    public DomainError KeyReused => new("points.document_number_reused",
        $"Points were deducted for document {DocumentNumber} already, with other points, amount, member or store.", ErrorKind.Conflict);
}

public sealed class DeductPointsValidator : AbstractValidator<DeductPoints>
{
    public DeductPointsValidator()
    {
        RuleFor(x => x.DocumentNumber).NotEmpty().MaximumLength(PointsDeduction.NumberMaxLength).Matches("^[!-~]+$")
            .WithMessage("A document number: 1 to 64 printable ASCII characters without spaces.");
        RuleFor(x => x.Points).InclusiveBetween(1, DeductPoints.MaxPoints);
        RuleFor(x => x.DocumentAmount).InclusiveBetween(1, WalletLimits.MaxAmount).WithMessage("documentAmount is the document's amount in fen, positive.");
        RuleFor(x => x).Must(x => (x.MemberId is not null) != !string.IsNullOrEmpty(x.PaymentCode)).WithName("memberId")
            .WithMessage("Name the member by memberId or by paymentCode (exactly one).");
        RuleFor(x => x.MemberId).NotEqual(Guid.Empty);
        RuleFor(x => x.PaymentCode).MaximumLength(32).Matches("^[0-9]+$").When(x => x.PaymentCode is not null);
        RuleFor(x => x.StoreCode).MaximumLength(Store.CodeMaxLength);
    }
}

public sealed class DeductPointsHandler(GuideDbContext db, PointsAccounts accounts, Transactions transactions, LedgerWrites writes, IntegrationCaller caller,
    StoreDirectory stores, BrandClock clock) : IRequestHandler<DeductPoints, PointsDeductionResult>
{
    public async Task<PointsDeductionResult> Handle(DeductPoints request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var storeId = await stores.IdOfAsync(db, request.StoreCode, cancellationToken);
        Guid memberId;
        if (request.MemberId is { } id)
        {
            memberId = id;
            await caller.RequireMemberIdChargesAsync(request.ClientId, cancellationToken);
        }
        else
        {
            // The code first (as a wallet charge takes it): one lock order, token then account.
            var batch = new StatementBatch(db, transactions);
            var use = PaymentCodeUse.AddTo(batch, request.PaymentCode!, request.ClientId, request.DocumentNumber, PaymentCodeParts.Points, now);
            await batch.ExecuteAsync(cancellationToken);
            memberId = use.MemberId(now);
        }
        var points = await accounts.LockAsync(memberId, now, cancellationToken);
        var spending = (await PointsSettings.ReadAsync(db, cancellationToken)).Spending;

        if (request.Points < spending.MinPoints)
            throw new DomainException(new DomainError("points.below_minimum", $"At least {spending.MinPoints} points per deduction.", ErrorKind.Conflict)
            {
                Details = new Dictionary<string, object?> { ["minPoints"] = spending.MinPoints },
            });
        if (!spending.Rate.IsWholeFen(request.Points)) throw new DomainException(NotWholeFen(spending.Rate, request.Points));
        var maxPoints = spending.MaxPointsFor(request.DocumentAmount);
        if (request.Points > maxPoints)
            throw new DomainException(new DomainError("points.share_exceeded",
                $"Points may pay at most {spending.MaxSharePercent}% of the document: {maxPoints} points here.", ErrorKind.Conflict)
            {
                Details = new Dictionary<string, object?>
                {
                    ["maxPoints"] = maxPoints, ["maxAmount"] = spending.Rate.FenOf(maxPoints), ["maxSharePercent"] = spending.MaxSharePercent,
                },
            });

        var entry = points.Spend(PointsEntryKind.Deduction, request.IdempotencyKey, now, request.Points, request.DocumentNumber, null, frozenToo: spending.SpendFrozen);
        var deduction = new PointsDeduction(request.ClientId, request.DocumentNumber, memberId, request.Points, spending.Rate.FenOf(request.Points),
            spending.PointsPerYuan, request.DocumentAmount, storeId, entry.Id, now);
        writes.Insert(deduction);
        return new PointsDeductionResult(deduction.Id, deduction.DocumentNumber, memberId, deduction.Points, deduction.Amount, After(points, now), false);
    }

    internal static PointsAfter After(LockedPoints points, DateTimeOffset now) => new(points.SpendableAt(now), points.Account.Balance);

    internal static DomainError NotWholeFen(PointsRate rate, long points)
    {
        var lower = points / rate.Step * rate.Step;
        return new DomainError("points.not_whole_fen",
            $"At {rate.PointsPerYuan} points per yuan only multiples of {rate.Step} points are whole fen: {(lower > 0 ? $"{lower} or " : "")}{lower + rate.Step}.",
            ErrorKind.Conflict)
        {
            Details = new Dictionary<string, object?>
            {
                ["step"] = rate.Step, ["lower"] = lower > 0 ? lower : null, ["higher"] = lower + rate.Step, ["pointsPerYuan"] = rate.PointsPerYuan,
            },
        };
    }
}

public sealed record PointsDeductionRefundResult(Guid RefundId, string RefundNumber, Guid DeductionId, string DocumentNumber, Guid MemberId, long Points,
    long Amount, long ExpiredPoints, PointsAfter Balance, bool Replayed) : IReplayable<PointsDeductionRefundResult>
{
    public PointsDeductionRefundResult AsReplayed() => this with { Replayed = true };
}

/// <summary>
/// A refund gives back <see cref="Points"/> of a deduction of the same client: to the lots they came from, each with
/// its original expiry, the points spent last coming back first (a full refund restores every lot; partial refunds
/// add up to it). Points whose lot expired meanwhile come back expired, recorded as an expiry: the member cannot
/// gain time. Idempotent by (client, refund number) with payload comparison.
/// </summary>
public sealed record RefundPointsDeduction(Guid ClientId, string RefundNumber, string DocumentNumber, long Points)
    : ICommand<PointsDeductionRefundResult>, IIdempotentCommand
{
    public string IdempotencyKey => $"points-deduction-refund:{ClientId:N}:{RefundNumber}";
    public object IdempotencyPayload => new { DocumentNumber, Points };

    public DomainError KeyReused => new("points.refund_number_reused",
        $"Refund {RefundNumber} was recorded already for another document or number of points.", ErrorKind.Conflict);
}

public sealed class RefundPointsDeductionValidator : AbstractValidator<RefundPointsDeduction>
{
    public RefundPointsDeductionValidator()
    {
        RuleFor(x => x.RefundNumber).NotEmpty().MaximumLength(PointsDeduction.NumberMaxLength).Matches("^[!-~]+$")
            .WithMessage("A refund number: 1 to 64 printable ASCII characters without spaces.");
        RuleFor(x => x.DocumentNumber).NotEmpty().MaximumLength(PointsDeduction.NumberMaxLength).Matches("^[!-~]+$")
            .WithMessage("A document number: 1 to 64 printable ASCII characters without spaces.");
        RuleFor(x => x.Points).InclusiveBetween(1, DeductPoints.MaxPoints);
    }
}

public sealed class RefundPointsDeductionHandler(GuideDbContext db, PointsAccounts accounts, LedgerWrites writes, BrandClock clock)
    : IRequestHandler<RefundPointsDeduction, PointsDeductionRefundResult>
{
    public async Task<PointsDeductionRefundResult> Handle(RefundPointsDeduction request, CancellationToken cancellationToken)
    {
        var memberId = await db.PointsDeductions.AsNoTracking().Where(d => d.ClientId == request.ClientId && d.DocumentNumber == request.DocumentNumber)
            .Select(d => (Guid?)d.MemberId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("points.deduction_not_found", $"This client deducted no points for document {request.DocumentNumber}."));
        var now = clock.UtcNow;
        // The member's account lock serializes the refunds of the deduction: each sees what the others returned.
        var points = await accounts.LockAsync(memberId, now, cancellationToken);
        var deduction = await db.PointsDeductions.SingleAsync(d => d.ClientId == request.ClientId && d.DocumentNumber == request.DocumentNumber, cancellationToken);
        if (request.Points > deduction.RefundablePoints)
            throw new DomainException(new DomainError("points.refund_exceeds_deduction",
                $"Document {request.DocumentNumber} has {deduction.RefundablePoints} deducted points left to refund.", ErrorKind.Conflict)
            {
                Details = new Dictionary<string, object?> { ["deducted"] = deduction.Points, ["refundable"] = deduction.RefundablePoints },
            });
        var rate = new PointsRate(deduction.PointsPerYuan);
        if (!rate.IsWholeFen(request.Points)) throw new DomainException(DeductPointsHandler.NotWholeFen(rate, request.Points));

        // The deduction's lots in the order they were drawn; refunds return from the end: the last drawn comes back first.
        var stack = (await PointsDraws.OfEntryAsync(db, deduction.EntryId, cancellationToken)).Reverse().ToList();
        var parts = new List<(long Points, DateTimeOffset? ExpiresAt)>();
        long skip = deduction.RefundedPoints, left = request.Points;
        foreach (var d in stack)
        {
            var available = d.Points - Math.Min(skip, d.Points);
            skip -= Math.Min(skip, d.Points);
            var take = Math.Min(available, left);
            if (take > 0) parts.Add((take, d.ExpiresAt));
            left -= take;
        }
        if (left != 0) throw new InvalidOperationException($"Deduction {deduction.Id}'s lines do not hold its points.");

        var before = points.Lots.ToHashSet();
        var entry = points.GiveBack(PointsEntryKind.DeductionRefund, request.IdempotencyKey, now, parts, PointsLotSource.DeductionRefund, deduction.Id,
            request.RefundNumber);
        long expired = 0;
        foreach (var lot in points.Lots.Where(l => !before.Contains(l) && l.Remaining > 0 && l.IsExpiredAt(now)).ToList())
        {
            expired += lot.Remaining;
            points.Expire(lot, now);
        }
        deduction.Refunded(request.Points);
        var refund = new PointsDeductionRefund(deduction, request.RefundNumber, request.Points, rate.FenOf(request.Points), expired, entry.Id, now);
        writes.Insert(refund);
        return new PointsDeductionRefundResult(refund.Id, refund.RefundNumber, deduction.Id, deduction.DocumentNumber, memberId, refund.Points, refund.Amount,
            expired, DeductPointsHandler.After(points, now), false);
    }
}
