using Guide.Domain.Documents;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Commissions;

/// <summary>What a commission rule applies to; the most specific rule of a line wins (SKU, then product, then category, then default).</summary>
public enum CommissionScope
{
    Sku,
    Product,
    Category,
    Default,
}

public enum CommissionMethod
{
    /// <summary><see cref="CommissionRule.Value"/> basis points of the line's commissionable amount.</summary>
    Rate,
    /// <summary><see cref="CommissionRule.Value"/> fen per unit sold.</summary>
    FixedPerUnit,
}

/// <summary>
/// HQ's commission rule for one scope (a SKU, a product, a category, or the default), effective over brand dates
/// [<see cref="EffectiveFrom"/>, <see cref="EffectiveTo"/>] (no end: open). Two live rules of the same scope never
/// overlap in time. A line's rule is the one of its document's brand date; a refund uses the rule its sale used.
/// </summary>
public sealed class CommissionRule
{
    public const int ScopeValueMaxLength = 64;
    public const long MaxRateBasisPoints = 10_000;
    public const long MaxFixedPerUnit = 100_000_000;

    private CommissionRule() { }

    public CommissionRule(CommissionScope scope, string? scopeValue, CommissionMethod method, long value, DateOnly effectiveFrom, DateOnly? effectiveTo,
        DateTimeOffset now)
    {
        Id = Common.Ids.New();
        Scope = scope;
        ScopeValue = scope == CommissionScope.Default ? "" : scopeValue ?? "";
        CreatedAt = now;
        Change(method, value, effectiveFrom, effectiveTo, now);
    }

    public Guid Id { get; private set; }
    public CommissionScope Scope { get; private set; }
    /// <summary>The SKU, product or category the rule is for; empty for the default.</summary>
    public string ScopeValue { get; private set; } = "";
    public CommissionMethod Method { get; private set; }
    public long Value { get; private set; }
    public DateOnly EffectiveFrom { get; private set; }
    /// <summary>The last brand date the rule applies (inclusive); null: open-ended.</summary>
    public DateOnly? EffectiveTo { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }

    public bool AppliesOn(DateOnly day) => EffectiveFrom <= day && (EffectiveTo is not { } to || day <= to);

    public bool Overlaps(DateOnly from, DateOnly? to) =>
        (EffectiveTo is not { } end || from <= end) && (to is not { } otherEnd || EffectiveFrom <= otherEnd);

    /// <summary>The commission of <paramref name="quantity"/> units on <paramref name="amount"/> fen (rates round down to the fen).</summary>
    public long CommissionOf(long amount, int quantity) => Method == CommissionMethod.Rate
        ? (long)decimal.Floor(amount * (decimal)Value / 10_000m)
        : Value * quantity;

    public void Change(CommissionMethod method, long value, DateOnly effectiveFrom, DateOnly? effectiveTo, DateTimeOffset now)
    {
        Method = method;
        Value = value;
        EffectiveFrom = effectiveFrom;
        EffectiveTo = effectiveTo;
        UpdatedAt = now;
    }

    public void Delete(DateTimeOffset now)
    {
        DeletedAt = now;
        UpdatedAt = now;
    }
}

/// <summary>
/// What the commissionable amount (and the guide's sales performance, 业绩) includes of what a document was paid
/// with: each payment method a switch, applied per line by the document's payment split. One row, created by the
/// migration. Its row is also the commission ledger's gate: a posting reads it with a shared lock, closing a month
/// takes it exclusively, so nothing is posted into a month after its close commits.
/// </summary>
public sealed class CommissionSettings
{
    public const int SingletonId = 1;

    private CommissionSettings() { }

    internal static CommissionSettings Of(bool cash, bool walletPrincipal, bool walletGift, bool points, bool coupons) => new()
    {
        IncludeCash = cash, IncludeWalletPrincipal = walletPrincipal, IncludeWalletGift = walletGift, IncludePoints = points, IncludeCoupons = coupons,
    };

    public int Id { get; private set; }
    /// <summary>Cash, card and WeChat Pay.</summary>
    public bool IncludeCash { get; private set; } = true;
    public bool IncludeWalletPrincipal { get; private set; } = true;
    public bool IncludeWalletGift { get; private set; } = true;
    public bool IncludePoints { get; private set; }
    public bool IncludeCoupons { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }

    public bool Includes(PaymentMethod method) => method switch
    {
        PaymentMethod.Cash or PaymentMethod.Card or PaymentMethod.WechatPay => IncludeCash,
        PaymentMethod.WalletPrincipal => IncludeWalletPrincipal,
        PaymentMethod.WalletGift => IncludeWalletGift,
        PaymentMethod.Points => IncludePoints,
        PaymentMethod.Coupon => IncludeCoupons,
        _ => false,
    };

    public void Change(bool cash, bool walletPrincipal, bool walletGift, bool points, bool coupons, DateTimeOffset now)
    {
        IncludeCash = cash;
        IncludeWalletPrincipal = walletPrincipal;
        IncludeWalletGift = walletGift;
        IncludePoints = points;
        IncludeCoupons = coupons;
        UpdatedAt = now;
    }
}

public enum CommissionEntryKind
{
    Sale,
    Refund,
    Adjustment,
    /// <summary>One side of a sale line moved to another guide: minus for the guide who held it, plus for the new one.</summary>
    Reattribution,
}

/// <summary>
/// One commission entry (提成明细), append-only: a sale line's commission, a refund line's negative share of it, an
/// adjustment with a reason, or one side of a re-attribution with a reason. Unique by <see cref="SourceKey"/> (the document
/// and line, the adjustment's idempotency key, or the re-attributed line and its turn), so every document counts once. <see cref="DocumentTime"/> is the document's own time;
/// <see cref="PostingMonth"/> (yyyyMM, brand time) is the month it counts in: the document's month, or the first
/// open month after it when that month was closed.
/// </summary>
public sealed class CommissionEntry
{
    public const int SourceKeyMaxLength = 160;

    private CommissionEntry() { }

    public CommissionEntry(CommissionEntryKind kind, string sourceKey, Guid guideId, Guid storeId, Guid? documentId, string? documentNumber,
        DateTimeOffset documentTime, int postingMonth, int? lineNo, string? sku, string? product, string? category, int quantity,
        long commissionableAmount, Guid? ruleId, CommissionMethod? method, long? ruleValue, long commission, Guid? originalEntryId, string? reason,
        DateTimeOffset createdAt, Guid? actorId = null)
    {
        Id = Common.Ids.New();
        Kind = kind;
        SourceKey = sourceKey;
        GuideId = guideId;
        StoreId = storeId;
        DocumentId = documentId;
        DocumentNumber = documentNumber;
        DocumentTime = documentTime;
        PostingMonth = postingMonth;
        LineNo = lineNo;
        Sku = sku;
        Product = product;
        Category = category;
        Quantity = quantity;
        CommissionableAmount = commissionableAmount;
        RuleId = ruleId;
        Method = method;
        RuleValue = ruleValue;
        Commission = commission;
        OriginalEntryId = originalEntryId;
        Reason = reason;
        CreatedAt = createdAt;
        ActorId = actorId;
    }

    public Guid Id { get; private set; }
    public CommissionEntryKind Kind { get; private set; }
    public string SourceKey { get; private set; } = "";
    public Guid GuideId { get; private set; }
    public Guid StoreId { get; private set; }
    public Guid? DocumentId { get; private set; }
    public string? DocumentNumber { get; private set; }
    public DateTimeOffset DocumentTime { get; private set; }
    public int PostingMonth { get; private set; }
    public int? LineNo { get; private set; }
    public string? Sku { get; private set; }
    public string? Product { get; private set; }
    public string? Category { get; private set; }
    /// <summary>Units (negative for a refund).</summary>
    public int Quantity { get; private set; }
    /// <summary>The line's commissionable amount in fen (its sales performance; negative for a refund).</summary>
    public long CommissionableAmount { get; private set; }
    public Guid? RuleId { get; private set; }
    public CommissionMethod? Method { get; private set; }
    /// <summary>The rule's value as applied: basis points or fen per unit.</summary>
    public long? RuleValue { get; private set; }
    /// <summary>Fen, signed.</summary>
    public long Commission { get; private set; }
    /// <summary>A refund's or a re-attribution's sale entry.</summary>
    public Guid? OriginalEntryId { get; private set; }
    public string? Reason { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>The HQ admin who made an adjustment or a re-attribution; none for entries the documents post.</summary>
    public Guid? ActorId { get; private set; }
}

/// <summary>A closed commission month (yyyyMM): nothing is posted into it while closed. Reopening removes the closure.</summary>
public sealed class CommissionPeriod
{
    private CommissionPeriod() { }

    public CommissionPeriod(int month, DateTimeOffset now)
    {
        Month = month;
        UpdatedAt = now;
    }

    public int Month { get; private set; }
    public bool Closed { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public void Close(DateTimeOffset now)
    {
        Closed = true;
        ClosedAt = now;
        UpdatedAt = now;
    }

    public void Reopen(DateTimeOffset now)
    {
        Closed = false;
        UpdatedAt = now;
    }
}

public enum CommissionPeriodAction
{
    Close,
    Reopen,
}

/// <summary>Who closed or reopened a month, when and why.</summary>
public sealed class CommissionPeriodChange
{
    public const int ReasonMaxLength = 200;

    private CommissionPeriodChange() { }

    public CommissionPeriodChange(int month, CommissionPeriodAction action, string? reason, string actor, DateTimeOffset at)
    {
        Id = Common.Ids.New();
        Month = month;
        Action = action;
        Reason = reason;
        Actor = actor;
        At = at;
    }

    public Guid Id { get; private set; }
    public int Month { get; private set; }
    public CommissionPeriodAction Action { get; private set; }
    public string? Reason { get; private set; }
    public string Actor { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
}

internal sealed class CommissionRuleConfiguration : IEntityTypeConfiguration<CommissionRule>
{
    public void Configure(EntityTypeBuilder<CommissionRule> b)
    {
        b.ToTable("commission_rules");
        b.HasKey(x => x.Id);
        b.Property(x => x.Scope).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.ScopeValue).HasMaxLength(CommissionRule.ScopeValueMaxLength).IsCaseSensitiveCode().IsRequired();
        b.Property(x => x.Method).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(x => new { x.Scope, x.ScopeValue });
    }
}

internal sealed class CommissionSettingsConfiguration : IEntityTypeConfiguration<CommissionSettings>
{
    public void Configure(EntityTypeBuilder<CommissionSettings> b)
    {
        b.ToTable("commission_settings");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        // Default: everything paid except points offsets and coupons.
        b.HasData(new
        {
            Id = CommissionSettings.SingletonId, IncludeCash = true, IncludeWalletPrincipal = true, IncludeWalletGift = true,
            IncludePoints = false, IncludeCoupons = false,
        });
    }
}

internal sealed class CommissionEntryConfiguration : IEntityTypeConfiguration<CommissionEntry>
{
    public void Configure(EntityTypeBuilder<CommissionEntry> b)
    {
        b.ToTable("commission_entries");
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.SourceKey).HasMaxLength(CommissionEntry.SourceKeyMaxLength).IsRequired();
        b.HasIndex(x => x.SourceKey).IsUnique();
        b.Property(x => x.DocumentNumber).HasMaxLength(SalesDocument.NumberMaxLength);
        b.Property(x => x.Sku).HasMaxLength(64);
        b.Property(x => x.Product).HasMaxLength(128);
        b.Property(x => x.Category).HasMaxLength(64);
        b.Property(x => x.Method).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Reason).HasMaxLength(200);
        // The reports: a month's lines by store and guide.
        b.HasIndex(x => new { x.PostingMonth, x.StoreId, x.GuideId });
        // The detail table's order (and its CSV, streamed in that order without a sort).
        b.HasIndex(x => new { x.PostingMonth, x.DocumentTime, x.Id });
        b.HasIndex(x => new { x.GuideId, x.PostingMonth });
        b.HasIndex(x => x.DocumentId);
    }
}

internal sealed class CommissionPeriodConfiguration : IEntityTypeConfiguration<CommissionPeriod>
{
    public void Configure(EntityTypeBuilder<CommissionPeriod> b)
    {
        b.ToTable("commission_periods");
        b.HasKey(x => x.Month);
        b.Property(x => x.Month).ValueGeneratedNever();
    }
}

internal sealed class CommissionPeriodChangeConfiguration : IEntityTypeConfiguration<CommissionPeriodChange>
{
    public void Configure(EntityTypeBuilder<CommissionPeriodChange> b)
    {
        b.ToTable("commission_period_changes");
        b.HasKey(x => x.Id);
        b.Property(x => x.Action).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Reason).HasMaxLength(CommissionPeriodChange.ReasonMaxLength);
        b.Property(x => x.Actor).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.Month);
    }
}
