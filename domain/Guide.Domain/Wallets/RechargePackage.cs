using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Wallets;

/// <summary>
/// A recharge package (充值套餐): pay <see cref="Price"/>, receive it as principal plus a gift (a fixed amount
/// or a percent of the price, rounded down), maybe a member level; on sale in a window, at most
/// <see cref="PerMemberLimit"/> paid recharges per member. Archived, never deleted: recharges point at it.
/// </summary>
public sealed class RechargePackage
{
    private RechargePackage() { }

    public RechargePackage(string name, long price, long? giftAmount, int? giftPercent, int? levelGranted,
        DateTimeOffset? onSaleFrom, DateTimeOffset? onSaleUntil, int? perMemberLimit, DateTimeOffset createdAt, int? levelGrantMonths = null)
    {
        Id = Ids.New();
        CreatedAt = createdAt;
        Update(name, price, giftAmount, giftPercent, levelGranted, onSaleFrom, onSaleUntil, perMemberLimit, levelGrantMonths);
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public long Price { get; private set; }
    public long? GiftAmount { get; private set; }
    public int? GiftPercent { get; private set; }
    /// <summary>The rank of the member level a purchase grants (储值即会员), if any.</summary>
    public int? LevelGranted { get; private set; }
    /// <summary>How long the granted level holds, in months from payment; null: for good.</summary>
    public int? LevelGrantMonths { get; private set; }
    public DateTimeOffset? OnSaleFrom { get; private set; }
    public DateTimeOffset? OnSaleUntil { get; private set; }
    public int? PerMemberLimit { get; private set; }
    public bool Archived { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public long Gift => GiftAmount ?? (GiftPercent is { } percent ? Price * percent / 100 : 0);

    /// <summary>The per-member limit (限购): refuses one more purchase when the member's counted purchases reach it.</summary>
    public void CheckPerMemberLimit(int purchasesSoFar)
    {
        if (PerMemberLimit is { } limit && purchasesSoFar >= limit)
            throw new DomainException(DomainError.Conflict("recharge.limit_reached", $"This package can be bought {limit} time(s) per member."));
    }

    public bool IsOnSaleAt(DateTimeOffset now) =>
        !Archived && (OnSaleFrom is null || OnSaleFrom <= now) && (OnSaleUntil is null || now < OnSaleUntil);

    public void Update(string name, long price, long? giftAmount, int? giftPercent, int? levelGranted,
        DateTimeOffset? onSaleFrom, DateTimeOffset? onSaleUntil, int? perMemberLimit, int? levelGrantMonths = null)
    {
        Name = name;
        LevelGrantMonths = levelGranted is null ? null : levelGrantMonths;
        Price = price;
        GiftAmount = giftAmount;
        GiftPercent = giftPercent;
        LevelGranted = levelGranted;
        OnSaleFrom = onSaleFrom;
        OnSaleUntil = onSaleUntil;
        PerMemberLimit = perMemberLimit;
    }

    public void Archive() => Archived = true;
}

public sealed record RechargePackageView(Guid Id, string Name, long Price, long Gift, long? GiftAmount, int? GiftPercent, int? LevelGranted,
    DateTimeOffset? OnSaleFrom, DateTimeOffset? OnSaleUntil, int? PerMemberLimit, bool Archived, int? LevelGrantMonths = null)
{
    internal static RechargePackageView Of(RechargePackage p) =>
        new(p.Id, p.Name, p.Price, p.Gift, p.GiftAmount, p.GiftPercent, p.LevelGranted, p.OnSaleFrom, p.OnSaleUntil, p.PerMemberLimit, p.Archived, p.LevelGrantMonths);
}

/// <summary>HQ creates (<see cref="PackageId"/> null) or changes a package. Changes apply to recharges started afterwards.</summary>
public sealed record SaveRechargePackage(Guid? PackageId, string Name, long Price, long? GiftAmount, int? GiftPercent, int? LevelGranted,
    DateTimeOffset? OnSaleFrom, DateTimeOffset? OnSaleUntil, int? PerMemberLimit, int? LevelGrantMonths = null) : ICommand<RechargePackageView>;

public sealed class SaveRechargePackageValidator : AbstractValidator<SaveRechargePackage>
{
    public SaveRechargePackageValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Price).InclusiveBetween(1, WalletLimits.MaxAmount).WithMessage("The price is in fen and must be positive.");
        RuleFor(x => x.GiftAmount).InclusiveBetween(0, WalletLimits.MaxAmount);
        RuleFor(x => x.GiftPercent).InclusiveBetween(0, 100);
        RuleFor(x => x).Must(x => x.GiftAmount is null || x.GiftPercent is null).WithName("giftAmount")
            .WithMessage("Give either giftAmount or giftPercent, not both.");
        RuleFor(x => x.LevelGranted).InclusiveBetween(1, 100);
        RuleFor(x => x.PerMemberLimit).InclusiveBetween(1, 10_000);
        RuleFor(x => x.LevelGrantMonths).InclusiveBetween(1, 120);
        RuleFor(x => x.LevelGrantMonths).Null().When(x => x.LevelGranted is null).WithMessage("A validity needs a level granted.");
        RuleFor(x => x).Must(x => x.OnSaleFrom is null || x.OnSaleUntil is null || x.OnSaleFrom < x.OnSaleUntil).WithName("onSaleUntil")
            .WithMessage("The sale window ends after it starts.");
    }
}

public sealed class SaveRechargePackageHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<SaveRechargePackage, RechargePackageView>
{
    public async Task<RechargePackageView> Handle(SaveRechargePackage r, CancellationToken cancellationToken)
    {
        RechargePackage package;
        if (r.PackageId is { } id)
        {
            package = await db.RechargePackages.SingleOrDefaultAsync(p => p.Id == id, cancellationToken) ?? throw RechargePackages.NotFound();
            package.Update(r.Name.Trim(), r.Price, r.GiftAmount, r.GiftPercent, r.LevelGranted, r.OnSaleFrom, r.OnSaleUntil, r.PerMemberLimit, r.LevelGrantMonths);
        }
        else
        {
            package = new RechargePackage(r.Name.Trim(), r.Price, r.GiftAmount, r.GiftPercent, r.LevelGranted, r.OnSaleFrom, r.OnSaleUntil, r.PerMemberLimit, clock.UtcNow, r.LevelGrantMonths);
            db.RechargePackages.Add(package);
        }
        await db.SaveChangesAsync(cancellationToken);
        return RechargePackageView.Of(package);
    }
}

/// <summary>HQ withdraws a package from sale for good (paid recharges keep pointing at it).</summary>
public sealed record ArchiveRechargePackage(Guid PackageId) : ICommand<RechargePackageView>;

public sealed class ArchiveRechargePackageHandler(GuideDbContext db) : IRequestHandler<ArchiveRechargePackage, RechargePackageView>
{
    public async Task<RechargePackageView> Handle(ArchiveRechargePackage request, CancellationToken cancellationToken)
    {
        var package = await db.RechargePackages.SingleOrDefaultAsync(p => p.Id == request.PackageId, cancellationToken) ?? throw RechargePackages.NotFound();
        package.Archive();
        await db.SaveChangesAsync(cancellationToken);
        return RechargePackageView.Of(package);
    }
}

/// <summary>HQ lists every package (<paramref name="OnSaleOnly"/>: the mini program's list, what can be bought now).</summary>
public sealed record ListRechargePackages(bool OnSaleOnly) : IRequest<IReadOnlyList<RechargePackageView>>;

public sealed class ListRechargePackagesHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<ListRechargePackages, IReadOnlyList<RechargePackageView>>
{
    public async Task<IReadOnlyList<RechargePackageView>> Handle(ListRechargePackages request, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var query = db.RechargePackages.AsNoTracking();
        if (request.OnSaleOnly)
            query = query.Where(p => !p.Archived && (p.OnSaleFrom == null || p.OnSaleFrom <= now) && (p.OnSaleUntil == null || now < p.OnSaleUntil));
        var packages = await query.OrderBy(p => p.Price).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        return packages.Select(RechargePackageView.Of).ToList();
    }
}

public sealed record GetRechargePackage(Guid PackageId) : IRequest<RechargePackageView>;

public sealed class GetRechargePackageHandler(GuideDbContext db) : IRequestHandler<GetRechargePackage, RechargePackageView>
{
    public async Task<RechargePackageView> Handle(GetRechargePackage request, CancellationToken cancellationToken) =>
        RechargePackageView.Of(await db.RechargePackages.AsNoTracking().SingleOrDefaultAsync(p => p.Id == request.PackageId, cancellationToken)
            ?? throw RechargePackages.NotFound());
}

internal static class RechargePackages
{
    public static DomainException NotFound() => new(DomainError.NotFound("recharge_package.not_found", "No such recharge package."));
}

internal sealed class RechargePackageConfiguration : IEntityTypeConfiguration<RechargePackage>
{
    public void Configure(EntityTypeBuilder<RechargePackage> b)
    {
        b.ToTable("recharge_packages");
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(64).IsRequired();
        b.Ignore(x => x.Gift);
    }
}
