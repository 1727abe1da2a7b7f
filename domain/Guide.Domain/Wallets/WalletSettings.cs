using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Wallets;

/// <summary>HQ's stored-value settings: one row for the brand (absent = the defaults).</summary>
public sealed class WalletSettings
{
    public const int SingletonId = 1;
    /// <summary>200 yuan: above it a wallet payment needs the member's confirmation.</summary>
    public const long DefaultPasswordFreeLimit = 20_000;

    private WalletSettings() { }

    public WalletSettings(SplitPolicy splitPolicy, long passwordFreeLimit)
    {
        Id = SingletonId;
        SplitPolicy = splitPolicy;
        PasswordFreeLimit = passwordFreeLimit;
    }

    public static WalletSettings Defaults => new(SplitPolicy.Proportional, DefaultPasswordFreeLimit);

    public int Id { get; private set; }
    public SplitPolicy SplitPolicy { get; private set; }
    public long PasswordFreeLimit { get; private set; }

    /// <summary>
    /// The password-free limit (免密额度): above it a wallet payment needs the member's fresh, single-use consent
    /// to that exact amount (a confirmation from the mini program); at or below it the payment code suffices.
    /// </summary>
    public bool NeedsConfirmation(Common.Money amount) => amount.Fen > PasswordFreeLimit;

    public void Change(SplitPolicy splitPolicy, long passwordFreeLimit)
    {
        SplitPolicy = splitPolicy;
        PasswordFreeLimit = passwordFreeLimit;
    }

    internal static async Task<WalletSettings> ReadAsync(GuideDbContext db, CancellationToken cancellationToken) =>
        await db.WalletSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == SingletonId, cancellationToken) ?? Defaults;
}

public sealed record WalletSettingsView(SplitPolicy SplitPolicy, long PasswordFreeLimit);

/// <summary>
/// HQ's wallet settings as a charge reads them: from the database at most every <see cref="Lifetime"/> per
/// instance (every charge reads them; they change a few times a year), and at once on the instance that
/// changed them. Another instance applies a change within the lifetime.
/// </summary>
public sealed class WalletSettingsCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    private (WalletSettings Settings, long ReadAt)? _current;

    public WalletSettings? Current =>
        _current is { } c && time.GetElapsedTime(c.ReadAt) < Lifetime ? c.Settings : null;

    public void Remember(WalletSettings settings) => _current = (settings, time.GetTimestamp());

    public void Forget() => _current = null;
}

public sealed record GetWalletSettings : IRequest<WalletSettingsView>;

public sealed class GetWalletSettingsHandler(GuideDbContext db) : IRequestHandler<GetWalletSettings, WalletSettingsView>
{
    public async Task<WalletSettingsView> Handle(GetWalletSettings request, CancellationToken cancellationToken)
    {
        var settings = await WalletSettings.ReadAsync(db, cancellationToken);
        return new WalletSettingsView(settings.SplitPolicy, settings.PasswordFreeLimit);
    }
}

public sealed record UpdateWalletSettings(SplitPolicy SplitPolicy, long PasswordFreeLimit) : ICommand<WalletSettingsView>;

public sealed class UpdateWalletSettingsValidator : AbstractValidator<UpdateWalletSettings>
{
    public UpdateWalletSettingsValidator()
    {
        RuleFor(x => x.SplitPolicy).IsInEnum();
        RuleFor(x => x.PasswordFreeLimit).InclusiveBetween(0, WalletLimits.MaxAmount);
    }
}

public sealed class UpdateWalletSettingsHandler(GuideDbContext db, WalletSettingsCache cache) : IRequestHandler<UpdateWalletSettings, WalletSettingsView>
{
    public async Task<WalletSettingsView> Handle(UpdateWalletSettings request, CancellationToken cancellationToken)
    {
        cache.Forget();
        var settings = await db.WalletSettings.SingleOrDefaultAsync(s => s.Id == WalletSettings.SingletonId, cancellationToken);
        if (settings is null) db.WalletSettings.Add(new WalletSettings(request.SplitPolicy, request.PasswordFreeLimit));
        else settings.Change(request.SplitPolicy, request.PasswordFreeLimit);
        await db.SaveChangesAsync(cancellationToken);
        return new WalletSettingsView(request.SplitPolicy, request.PasswordFreeLimit);
    }
}

public static class WalletLimits
{
    /// <summary>10 million yuan: larger amounts are typing errors, and far from overflowing a long.</summary>
    public const long MaxAmount = 1_000_000_000;
}

internal sealed class WalletSettingsConfiguration : IEntityTypeConfiguration<WalletSettings>
{
    public void Configure(EntityTypeBuilder<WalletSettings> b)
    {
        b.ToTable("wallet_settings");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.SplitPolicy).HasConversion<string>().HasMaxLength(16);
    }
}
