using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Commissions;

/// <summary>What the commissionable amount includes of what a document was paid with (cash, card and WeChat Pay are <see cref="IncludeCash"/>).</summary>
public sealed record CommissionSettingsView(bool IncludeCash, bool IncludeWalletPrincipal, bool IncludeWalletGift, bool IncludePoints, bool IncludeCoupons,
    DateTimeOffset? UpdatedAt)
{
    internal static CommissionSettingsView Of(CommissionSettings s) =>
        new(s.IncludeCash, s.IncludeWalletPrincipal, s.IncludeWalletGift, s.IncludePoints, s.IncludeCoupons, s.UpdatedAt);
}

public sealed record GetCommissionSettings : IRequest<CommissionSettingsView>;

public sealed class GetCommissionSettingsHandler(GuideDbContext db) : IRequestHandler<GetCommissionSettings, CommissionSettingsView>
{
    public async Task<CommissionSettingsView> Handle(GetCommissionSettings request, CancellationToken cancellationToken) =>
        CommissionSettingsView.Of(await db.CommissionSettings.AsNoTracking().SingleAsync(x => x.Id == CommissionSettings.SingletonId, cancellationToken));
}

/// <summary>
/// HQ switches what the base includes, every switch stated. Entries posted already keep their amounts (they are never edited);
/// documents posted from now on use the new switches. The UPDATE waits for postings in flight (they hold the row shared).
/// </summary>
public sealed record UpdateCommissionSettings(bool? IncludeCash, bool? IncludeWalletPrincipal, bool? IncludeWalletGift, bool? IncludePoints,
    bool? IncludeCoupons) : ICommand<CommissionSettingsView>;

public sealed class UpdateCommissionSettingsValidator : AbstractValidator<UpdateCommissionSettings>
{
    public UpdateCommissionSettingsValidator()
    {
        const string Required = "Every switch is stated: true or false.";
        RuleFor(x => x.IncludeCash).NotNull().WithMessage(Required);
        RuleFor(x => x.IncludeWalletPrincipal).NotNull().WithMessage(Required);
        RuleFor(x => x.IncludeWalletGift).NotNull().WithMessage(Required);
        RuleFor(x => x.IncludePoints).NotNull().WithMessage(Required);
        RuleFor(x => x.IncludeCoupons).NotNull().WithMessage(Required);
    }
}

public sealed class UpdateCommissionSettingsHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<UpdateCommissionSettings, CommissionSettingsView>
{
    public async Task<CommissionSettingsView> Handle(UpdateCommissionSettings r, CancellationToken cancellationToken)
    {
        var settings = await db.CommissionSettings.SingleAsync(x => x.Id == CommissionSettings.SingletonId, cancellationToken);
        settings.Change(r.IncludeCash!.Value, r.IncludeWalletPrincipal!.Value, r.IncludeWalletGift!.Value, r.IncludePoints!.Value, r.IncludeCoupons!.Value,
            clock.UtcNow);
        return CommissionSettingsView.Of(settings);
    }
}
