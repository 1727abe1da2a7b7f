using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Points;

public enum PointsExpiryPolicy
{
    Never,
    /// <summary>A lot expires <see cref="PointsSettings.RollingMonths"/> months after it was earned.</summary>
    RollingMonths,
    /// <summary>Points earned in year Y expire at the end of Y+1 (brand time zone).</summary>
    YearlyClearing,
}

public enum PointsRefundPolicy
{
    /// <summary>What a refund cannot take back (spent already) becomes debt that later earnings settle first.</summary>
    Debt,
    /// <summary>The brand absorbs it; the entry records how much.</summary>
    Absorb,
}

/// <summary>HQ's points settings: one row (absent = the defaults). Points-offset and coupon amounts never earn.</summary>
public sealed class PointsSettings
{
    public const int SingletonId = 1;

    private PointsSettings() { }

    public PointsSettings(PointsExpiryPolicy expiryPolicy, int? rollingMonths, int pointsPer100Yuan, bool walletPrincipalEarns, bool walletGiftEarns,
        int returnWindowDays, PointsRefundPolicy refundPolicy)
    {
        Id = SingletonId;
        Change(expiryPolicy, rollingMonths, pointsPer100Yuan, walletPrincipalEarns, walletGiftEarns, returnWindowDays, refundPolicy);
    }

    public static PointsSettings Defaults => new(PointsExpiryPolicy.Never, null, 100, walletPrincipalEarns: true, walletGiftEarns: false, 7, PointsRefundPolicy.Debt);

    public const int DefaultSpendPointsPerYuan = 100;
    public const int DefaultSpendMaxSharePercent = 50;

    public int Id { get; private set; }
    public PointsExpiryPolicy ExpiryPolicy { get; private set; }
    public int? RollingMonths { get; private set; }
    /// <summary>Points per 100 yuan paid (100 = 1 point per yuan): integers only in the API.</summary>
    public int PointsPer100Yuan { get; private set; }
    public bool WalletPrincipalEarns { get; private set; }
    public bool WalletGiftEarns { get; private set; }
    public int ReturnWindowDays { get; private set; }
    public PointsRefundPolicy RefundPolicy { get; private set; }
    /// <summary>Spending at the till or in the online mall (积分抵现): how many points pay one yuan.</summary>
    public int SpendPointsPerYuan { get; private set; } = DefaultSpendPointsPerYuan;
    /// <summary>The largest share of a document's amount points may pay, in percent (0: points cannot pay).</summary>
    public int SpendMaxSharePercent { get; private set; } = DefaultSpendMaxSharePercent;
    /// <summary>The fewest points one deduction may spend.</summary>
    public int SpendMinPoints { get; private set; } = 1;
    /// <summary>Whether points still frozen by the return window may be spent (no by default).</summary>
    public bool SpendFrozen { get; private set; }

    /// <summary>HQ's spending rule; null keeps what is set.</summary>
    public void ChangeSpending(int? pointsPerYuan, int? maxSharePercent, int? minPoints, bool? spendFrozen)
    {
        SpendPointsPerYuan = pointsPerYuan ?? SpendPointsPerYuan;
        SpendMaxSharePercent = maxSharePercent ?? SpendMaxSharePercent;
        SpendMinPoints = minPoints ?? SpendMinPoints;
        SpendFrozen = spendFrozen ?? SpendFrozen;
    }

    public PointsSpending Spending => new(SpendPointsPerYuan, SpendMaxSharePercent, SpendMinPoints, SpendFrozen);

    public void Change(PointsExpiryPolicy expiryPolicy, int? rollingMonths, int pointsPer100Yuan, bool walletPrincipalEarns, bool walletGiftEarns,
        int returnWindowDays, PointsRefundPolicy refundPolicy)
    {
        ExpiryPolicy = expiryPolicy;
        RollingMonths = expiryPolicy == PointsExpiryPolicy.RollingMonths ? rollingMonths : null;
        PointsPer100Yuan = pointsPer100Yuan;
        WalletPrincipalEarns = walletPrincipalEarns;
        WalletGiftEarns = walletGiftEarns;
        ReturnWindowDays = returnWindowDays;
        RefundPolicy = refundPolicy;
    }

    /// <summary>When points earned at <paramref name="earnedAt"/> expire (null: never).</summary>
    public DateTimeOffset? ExpiryOf(DateTimeOffset earnedAt, TimeZoneInfo zone) => PointsExpiry.Of(ExpiryPolicy, RollingMonths, earnedAt, zone);

    public bool Earns(Documents.PaymentMethod method) => method switch
    {
        Documents.PaymentMethod.WalletPrincipal => WalletPrincipalEarns,
        Documents.PaymentMethod.WalletGift => WalletGiftEarns,
        Documents.PaymentMethod.Points or Documents.PaymentMethod.Coupon => false,
        _ => true,
    };

    internal static async Task<PointsSettings> ReadAsync(GuideDbContext db, CancellationToken cancellationToken) =>
        await db.PointsSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == SingletonId, cancellationToken) ?? Defaults;

    internal PointsSettingsView View() =>
        new(ExpiryPolicy, RollingMonths, PointsPer100Yuan, WalletPrincipalEarns, WalletGiftEarns, ReturnWindowDays, RefundPolicy,
            SpendPointsPerYuan, SpendMaxSharePercent, SpendMinPoints, SpendFrozen);
}

public static class PointsExpiry
{
    public static DateTimeOffset? Of(PointsExpiryPolicy policy, int? rollingMonths, DateTimeOffset earnedAt, TimeZoneInfo zone)
    {
        switch (policy)
        {
            case PointsExpiryPolicy.RollingMonths:
                return earnedAt.ToUniversalTime().AddMonths(rollingMonths ?? 12);
            case PointsExpiryPolicy.YearlyClearing:
                // Earned in brand year Y: gone at the first instant of Y+2 in the brand's zone (the end of Y+1).
                var year = TimeZoneInfo.ConvertTime(earnedAt, zone).Year;
                var start = new DateTime(year + 2, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
                return new DateTimeOffset(start, zone.GetUtcOffset(start)).ToUniversalTime();
            default:
                return null;
        }
    }
}

public sealed record PointsSettingsView(PointsExpiryPolicy ExpiryPolicy, int? RollingMonths, int PointsPer100Yuan, bool WalletPrincipalEarns,
    bool WalletGiftEarns, int ReturnWindowDays, PointsRefundPolicy RefundPolicy, int SpendPointsPerYuan, int SpendMaxSharePercent, int SpendMinPoints,
    bool SpendFrozen);

public sealed record GetPointsSettings : IRequest<PointsSettingsView>;

public sealed class GetPointsSettingsHandler(GuideDbContext db) : IRequestHandler<GetPointsSettings, PointsSettingsView>
{
    public async Task<PointsSettingsView> Handle(GetPointsSettings request, CancellationToken cancellationToken) =>
        (await PointsSettings.ReadAsync(db, cancellationToken)).View();
}

public sealed record UpdatePointsSettings(PointsExpiryPolicy ExpiryPolicy, int? RollingMonths, int PointsPer100Yuan, bool WalletPrincipalEarns,
    bool WalletGiftEarns, int ReturnWindowDays, PointsRefundPolicy RefundPolicy, int? SpendPointsPerYuan = null, int? SpendMaxSharePercent = null,
    int? SpendMinPoints = null, bool? SpendFrozen = null) : ICommand<PointsSettingsView>;

public sealed class UpdatePointsSettingsValidator : AbstractValidator<UpdatePointsSettings>
{
    public UpdatePointsSettingsValidator()
    {
        RuleFor(x => x.ExpiryPolicy).IsInEnum();
        RuleFor(x => x.RefundPolicy).IsInEnum();
        RuleFor(x => x.RollingMonths).NotNull().InclusiveBetween(1, 120).When(x => x.ExpiryPolicy == PointsExpiryPolicy.RollingMonths)
            .WithMessage("A rolling expiry names 1 to 120 months.");
        RuleFor(x => x.PointsPer100Yuan).InclusiveBetween(0, 10_000);
        RuleFor(x => x.ReturnWindowDays).InclusiveBetween(0, 365);
        RuleFor(x => x.SpendPointsPerYuan).InclusiveBetween(1, 100_000).When(x => x.SpendPointsPerYuan is not null);
        RuleFor(x => x.SpendMaxSharePercent).InclusiveBetween(0, 100).When(x => x.SpendMaxSharePercent is not null);
        RuleFor(x => x.SpendMinPoints).InclusiveBetween(1, 1_000_000).When(x => x.SpendMinPoints is not null);
    }
}

public sealed class UpdatePointsSettingsHandler(GuideDbContext db) : IRequestHandler<UpdatePointsSettings, PointsSettingsView>
{
    public async Task<PointsSettingsView> Handle(UpdatePointsSettings r, CancellationToken cancellationToken)
    {
        var settings = await db.PointsSettings.SingleOrDefaultAsync(s => s.Id == PointsSettings.SingletonId, cancellationToken);
        if (settings is null)
        {
            settings = new PointsSettings(r.ExpiryPolicy, r.RollingMonths, r.PointsPer100Yuan, r.WalletPrincipalEarns, r.WalletGiftEarns, r.ReturnWindowDays, r.RefundPolicy);
            db.PointsSettings.Add(settings);
        }
        else settings.Change(r.ExpiryPolicy, r.RollingMonths, r.PointsPer100Yuan, r.WalletPrincipalEarns, r.WalletGiftEarns, r.ReturnWindowDays, r.RefundPolicy);
        settings.ChangeSpending(r.SpendPointsPerYuan, r.SpendMaxSharePercent, r.SpendMinPoints, r.SpendFrozen);
        await db.SaveChangesAsync(cancellationToken);
        return settings.View();
    }
}

internal sealed class PointsSettingsConfiguration : IEntityTypeConfiguration<PointsSettings>
{
    public void Configure(EntityTypeBuilder<PointsSettings> b)
    {
        b.ToTable("points_settings");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.ExpiryPolicy).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.RefundPolicy).HasConversion<string>().HasMaxLength(16);
    }
}

