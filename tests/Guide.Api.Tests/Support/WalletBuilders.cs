using System.Net.Http.Json;
using Guide.Domain.Wallets;
using Microsoft.EntityFrameworkCore;

namespace Guide.Api.Tests.Support;

/// <summary>Test data and invariant checks for stored value.</summary>
public static class WalletBuilders
{
    /// <summary>Credits a wallet as an HQ adjustment would (a new lot).</summary>
    public static Task<WalletAdjustment> CreditAsync(this ApiFixture api, Guid memberId, long principal, long gift = 0) =>
        api.SendAsync(new AdjustWallet(memberId, principal, gift, "test credit", Guid.NewGuid(), Guid.NewGuid().ToString()));

    public static Task SetWalletSettingsAsync(this ApiFixture api, SplitPolicy policy, long passwordFreeLimit = WalletSettings.DefaultPasswordFreeLimit) =>
        api.SendAsync(new UpdateWalletSettings(policy, passwordFreeLimit));

    public static Task<HttpResponseMessage> ChargeAsync(this HttpClient pos, object body) =>
        pos.PostAsJsonAsync("/api/integration/wallet/charges", body);

    public static Task<HttpResponseMessage> RefundAsync(this HttpClient pos, object body) =>
        pos.PostAsJsonAsync("/api/integration/wallet/refunds", body);

    public static async Task<(long Principal, long Gift)> BalanceAsync(this ApiFixture api, Guid memberId) =>
        await api.DbAsync(async db => await db.Wallets.AsNoTracking().Where(w => w.MemberId == memberId)
            .Select(w => new ValueTuple<long, long>(w.Principal, w.Gift)).SingleOrDefaultAsync());

    public static Task<int> EntryCountAsync(this ApiFixture api, Guid memberId) =>
        api.DbAsync(db => db.WalletEntries.CountAsync(e => e.MemberId == memberId));

    /// <summary>
    /// The ledger's invariants for one wallet: no balance or lot below zero or above what it brought; each
    /// balance equals the sum of its entries and the sum of its lots' remainders; each entry equals the sum of
    /// its lot lines; each lot's remainder equals what its lines moved.
    /// </summary>
    public static Task AssertWalletConsistentAsync(this ApiFixture api, Guid memberId) =>
        api.InScopeAsync(db => AssertWalletConsistentAsync(db, memberId));

    public static async Task AssertWalletConsistentAsync(Guide.Domain.Persistence.GuideDbContext db, Guid memberId)
    {
        var wallet = await db.Wallets.AsNoTracking().SingleOrDefaultAsync(w => w.MemberId == memberId);
        var entries = await db.WalletEntries.AsNoTracking().Where(e => e.MemberId == memberId).ToListAsync();
        var lines = await db.WalletEntryLines.AsNoTracking()
            .Where(l => db.WalletEntries.Any(e => e.Id == l.EntryId && e.MemberId == memberId)).ToListAsync();
        var lots = await db.WalletLots.AsNoTracking().Where(l => l.MemberId == memberId).ToListAsync();
        if (wallet is null)
        {
            Assert.Empty(entries);
            return;
        }
        Assert.True(wallet.Principal >= 0 && wallet.Gift >= 0, $"negative balance {wallet.Principal}/{wallet.Gift}");
        Assert.Equal(wallet.Principal, entries.Sum(e => e.PrincipalDelta));
        Assert.Equal(wallet.Gift, entries.Sum(e => e.GiftDelta));
        Assert.Equal(wallet.Principal, lots.Sum(l => l.PrincipalRemaining));
        Assert.Equal(wallet.Gift, lots.Sum(l => l.GiftRemaining));
        foreach (var lot in lots)
        {
            Assert.InRange(lot.PrincipalRemaining, 0, lot.Principal);
            Assert.InRange(lot.GiftRemaining, 0, lot.Gift);
            Assert.Equal(lot.PrincipalRemaining, lines.Where(l => l.LotId == lot.Id).Sum(l => l.PrincipalDelta));
            Assert.Equal(lot.GiftRemaining, lines.Where(l => l.LotId == lot.Id).Sum(l => l.GiftDelta));
        }
        foreach (var entry in entries)
        {
            Assert.Equal(entry.PrincipalDelta, lines.Where(l => l.EntryId == entry.Id).Sum(l => l.PrincipalDelta));
            Assert.Equal(entry.GiftDelta, lines.Where(l => l.EntryId == entry.Id).Sum(l => l.GiftDelta));
            Assert.True(entry.PrincipalAfter >= 0 && entry.GiftAfter >= 0);
        }
        if (entries.Count > 0)
            Assert.Contains(entries, e => e.PrincipalAfter == wallet.Principal && e.GiftAfter == wallet.Gift);
        Assert.Equal(entries.Count, entries.Select(e => e.SourceKey).Distinct().Count());
    }
}
