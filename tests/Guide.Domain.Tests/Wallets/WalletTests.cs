using Guide.Domain.Common;
using Guide.Domain.Wallets;

namespace Guide.Domain.Tests.Wallets;

public class WalletSplitTests
{
    [Theory]
    [InlineData(1001, 9000, 1000, 901, 100)]   // gift 100.1 rounded down, the fen left over is principal
    [InlineData(100, 1, 99, 1, 99)]            // everything goes, whatever the rounding
    [InlineData(3, 2, 2, 2, 1)]                // gift floor(1.5) = 1
    [InlineData(1, 0, 5, 0, 1)]
    [InlineData(5, 5, 0, 5, 0)]
    public void Proportional_rounds_the_gift_share_down(long amount, long principal, long gift, long expectedPrincipal, long expectedGift)
    {
        var split = WalletSplit.Charge(amount, principal, gift, SplitPolicy.Proportional);
        Assert.Equal(amount, split.Principal + split.Gift);
        Assert.Equal((expectedPrincipal, expectedGift), split);
    }

    [Fact]
    public void Proportional_never_asks_a_bucket_for_more_than_it_holds()
    {
        var random = new Random(42);
        for (var i = 0; i < 10_000; i++)
        {
            var principal = random.NextInt64(0, 100_000);
            var gift = random.NextInt64(0, 100_000);
            if (principal + gift == 0) continue;
            var amount = random.NextInt64(1, principal + gift + 1);
            var (p, g) = WalletSplit.Charge(amount, principal, gift, SplitPolicy.Proportional);
            Assert.True(p >= 0 && g >= 0 && p <= principal && g <= gift && p + g == amount, $"{amount} of {principal}/{gift} -> {p}/{g}");
        }
    }

    [Theory]
    [InlineData(SplitPolicy.PrincipalFirst, 1200, 1000, 500, 1000, 200)]
    [InlineData(SplitPolicy.PrincipalFirst, 800, 1000, 500, 800, 0)]
    [InlineData(SplitPolicy.GiftFirst, 1200, 1000, 500, 700, 500)]
    [InlineData(SplitPolicy.GiftFirst, 300, 1000, 500, 0, 300)]
    public void Ordered_policies_drain_one_bucket_first(SplitPolicy policy, long amount, long principal, long gift, long expectedPrincipal, long expectedGift) =>
        Assert.Equal((expectedPrincipal, expectedGift), WalletSplit.Charge(amount, principal, gift, policy));

    [Fact]
    public void Partial_refunds_add_up_to_the_charge_exactly()
    {
        long refundableP = 1600, refundableG = 800, totalP = 0, totalG = 0;
        foreach (var amount in new long[] { 1000, 333, 1, 1066 })
        {
            var (p, g) = WalletSplit.Refund(amount, refundableP, refundableG);
            Assert.Equal(amount, p + g);
            refundableP -= p;
            refundableG -= g;
            totalP += p;
            totalG += g;
            Assert.True(refundableP >= 0 && refundableG >= 0);
        }
        Assert.Equal((1600L, 800L), (totalP, totalG));
    }
}

public class WalletTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 2, 0, 0, TimeSpan.Zero);
    private static readonly Guid MemberId = Guid.CreateVersion7();

    private static (Wallet Wallet, WalletLot Lot) Credited(long principal, long gift, Wallet? wallet = null, int minutes = 0)
    {
        wallet ??= new Wallet(MemberId, T0);
        var lot = new WalletLot(MemberId, WalletLotSource.Recharge, Guid.CreateVersion7(), principal, gift, T0.AddMinutes(minutes));
        wallet.Post(WalletEntryKind.Recharge, "recharge:" + lot.Id, T0, [new LotMovement(lot, principal, gift)]);
        return (wallet, lot);
    }

    [Fact]
    public void A_credit_fills_its_lot_and_the_entry_states_the_balances_after()
    {
        var (wallet, lot) = Credited(50_000, 5_000);
        Assert.Equal(new WalletBalance(50_000, 5_000), wallet.Balance);
        Assert.Equal((50_000L, 5_000L), (lot.PrincipalRemaining, lot.GiftRemaining));
        var entry = wallet.Post(WalletEntryKind.Charge, "charge:1", T0, [new LotMovement(lot, -100, -10)]);
        Assert.Equal((-100L, -10L, 49_900L, 4_990L), (entry.PrincipalDelta, entry.GiftDelta, entry.PrincipalAfter, entry.GiftAfter));
        Assert.Equal(-100, Assert.Single(entry.Lines).PrincipalDelta);
    }

    [Fact]
    public void Draw_takes_the_oldest_lots_first_in_each_bucket()
    {
        var (wallet, older) = Credited(300, 0, minutes: 0);
        var (_, newer) = Credited(1000, 200, wallet, minutes: 5);
        var moves = Wallet.Draw([newer, older], 500, 50);
        Assert.Equal([(older.Id, -300L, 0L), (newer.Id, -200L, -50L)], moves.Select(m => (m.Lot.Id, m.Principal, m.Gift)));
    }

    [Fact]
    public void Nothing_can_take_a_balance_or_a_lot_below_zero()
    {
        var (wallet, lot) = Credited(100, 0);
        var e = Assert.Throws<DomainException>(() => wallet.Post(WalletEntryKind.Adjustment, "a", T0, [new LotMovement(lot, -101, 0)]));
        Assert.Equal("wallet.insufficient_balance", e.Error.Code);
        Assert.Equal(100, wallet.Principal);
        Assert.Equal(100, lot.PrincipalRemaining);
        Assert.Equal("wallet.insufficient_balance", Assert.Throws<DomainException>(() => Wallet.Draw([lot], 0, 1)).Error.Code);
        Assert.Equal("wallet.insufficient_balance", Assert.Throws<DomainException>(() => wallet.SplitCharge(101, SplitPolicy.Proportional)).Error.Code);
        Assert.Throws<InvalidOperationException>(() => wallet.Post(WalletEntryKind.ChargeRefund, "b", T0, [new LotMovement(lot, 1, 0)]));
    }
}
