using Guide.Domain.Common;
using Guide.Domain.Wallets;

namespace Guide.Domain.Tests.Wallets;

public class WalletSplitTests
{
    private static (long, long) Split(long amount, long principal, long gift, SplitPolicy policy = SplitPolicy.Proportional)
    {
        var (p, g) = WalletSplit.Charge(new Money(amount), new Money(principal), new Money(gift), policy);
        return (p.Fen, g.Fen);
    }

    [Theory]
    [InlineData(1001, 9000, 1000, 901, 100)]   // gift 100.1 → 100
    [InlineData(1, 100, 900, 0, 1)]            // gift 0.9 → 1: a 1-fen charge from a mostly-gift wallet touches gift
    [InlineData(1, 500, 500, 1, 0)]            // 0.5 → 0 (even)
    [InlineData(3, 500, 500, 1, 2)]            // 1.5 → 2 (even)
    [InlineData(5, 500, 500, 3, 2)]            // 2.5 → 2 (even)
    [InlineData(7, 500, 500, 3, 4)]            // 3.5 → 4 (even)
    [InlineData(100, 1, 99, 1, 99)]            // everything goes, whatever the rounding
    [InlineData(1, 0, 5, 0, 1)]
    [InlineData(5, 5, 0, 5, 0)]
    public void Proportional_rounds_the_gift_share_to_the_nearest_fen_half_to_even(long amount, long principal, long gift, long expectedPrincipal, long expectedGift)
    {
        var split = Split(amount, principal, gift);
        Assert.Equal((expectedPrincipal, expectedGift), split);
    }

    [Fact]
    public void Proportional_never_asks_a_bucket_for_more_than_it_holds_and_favours_neither()
    {
        var random = new Random(42);
        long giftTaken = 0, exactGift = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var principal = random.NextInt64(0, 100_000);
            var gift = random.NextInt64(0, 100_000);
            if (principal + gift == 0) continue;
            var amount = random.NextInt64(1, principal + gift + 1);
            var (p, g) = Split(amount, principal, gift);
            Assert.True(p >= 0 && g >= 0 && p <= principal && g <= gift && p + g == amount, $"{amount} of {principal}/{gift} -> {p}/{g}");
            Assert.True(Math.Abs(g * (principal + gift) - amount * gift) <= (principal + gift) / 2 + 1, $"{amount} of {principal}/{gift}: gift {g} is not the nearest fen");
            giftTaken += g;
            exactGift += amount * gift / (principal + gift);
        }
        // Rounding down took about half a fen per charge from gift to principal; to the nearest, it evens out.
        Assert.True(Math.Abs(giftTaken - exactGift - 10_000) < 1_000, $"gift {giftTaken}, floor sum {exactGift}");
    }

    [Theory]
    [InlineData(SplitPolicy.PrincipalFirst, 1200, 1000, 500, 1000, 200)]
    [InlineData(SplitPolicy.PrincipalFirst, 800, 1000, 500, 800, 0)]
    [InlineData(SplitPolicy.GiftFirst, 1200, 1000, 500, 700, 500)]
    [InlineData(SplitPolicy.GiftFirst, 300, 1000, 500, 0, 300)]
    public void Ordered_policies_drain_one_bucket_first(SplitPolicy policy, long amount, long principal, long gift, long expectedPrincipal, long expectedGift) =>
        Assert.Equal((expectedPrincipal, expectedGift), Split(amount, principal, gift, policy));

    [Fact]
    public void Partial_refunds_add_up_to_the_charge_exactly()
    {
        long refundableP = 1600, refundableG = 800, totalP = 0, totalG = 0;
        foreach (var amount in new long[] { 1000, 333, 1, 1066 })
        {
            var (p, g) = WalletSplit.Refund(new Money(amount), new Money(refundableP), new Money(refundableG));
            Assert.Equal(amount, p.Fen + g.Fen);
            refundableP -= p.Fen;
            refundableG -= g.Fen;
            totalP += p.Fen;
            totalG += g.Fen;
            Assert.True(refundableP >= 0 && refundableG >= 0);
        }
        Assert.Equal((1600L, 800L), (totalP, totalG));
    }
}

public class WalletTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 2, 0, 0, TimeSpan.Zero);
    private static readonly Guid MemberId = Guid.CreateVersion7();

    private static LotMovement Move(WalletLot lot, long principal, long gift) => new(lot, new Money(principal), new Money(gift));

    private static (Wallet Wallet, WalletLot Lot) Credited(long principal, long gift, Wallet? wallet = null, int minutes = 0)
    {
        wallet ??= new Wallet(MemberId, T0);
        var lot = new WalletLot(MemberId, WalletLotSource.Recharge, Guid.CreateVersion7(), principal, gift, T0.AddMinutes(minutes));
        wallet.Post(WalletEntryKind.Recharge, "recharge:" + lot.Id, T0, [Move(lot, principal, gift)]);
        return (wallet, lot);
    }

    [Fact]
    public void A_credit_fills_its_lot_and_the_entry_states_the_balances_after()
    {
        var (wallet, lot) = Credited(50_000, 5_000);
        Assert.Equal(new WalletBalance(50_000, 5_000), wallet.Balance);
        Assert.Equal((50_000L, 5_000L), (lot.PrincipalRemaining, lot.GiftRemaining));
        var entry = wallet.Post(WalletEntryKind.Charge, "charge:1", T0, [Move(lot, -100, -10)]);
        Assert.Equal((-100L, -10L, 49_900L, 4_990L), (entry.PrincipalDelta, entry.GiftDelta, entry.PrincipalAfter, entry.GiftAfter));
        Assert.Equal(-100, Assert.Single(entry.Lines).PrincipalDelta);
    }

    [Fact]
    public void Draw_takes_the_oldest_lots_first_in_each_bucket()
    {
        var (wallet, older) = Credited(300, 0, minutes: 0);
        var (_, newer) = Credited(1000, 200, wallet, minutes: 5);
        var moves = Wallet.Draw([newer, older], new Money(500), new Money(50));
        Assert.Equal([(older.Id, -300L, 0L), (newer.Id, -200L, -50L)], moves.Select(m => (m.Lot.Id, m.Principal.Fen, m.Gift.Fen)));
    }

    [Fact]
    public void Nothing_can_take_a_balance_or_a_lot_below_zero()
    {
        var (wallet, lot) = Credited(100, 0);
        var e = Assert.Throws<DomainException>(() => wallet.Post(WalletEntryKind.Adjustment, "a", T0, [Move(lot, -101, 0)]));
        Assert.Equal("wallet.insufficient_balance", e.Error.Code);
        Assert.Equal(100, wallet.Principal);
        Assert.Equal(100, lot.PrincipalRemaining);
        Assert.Equal("wallet.insufficient_balance", Assert.Throws<DomainException>(() => Wallet.Draw([lot], Money.Zero, new Money(1))).Error.Code);
        Assert.Equal("wallet.insufficient_balance", Assert.Throws<DomainException>(() => wallet.SplitCharge(new Money(101), SplitPolicy.Proportional)).Error.Code);
        Assert.Throws<InvalidOperationException>(() => wallet.Post(WalletEntryKind.ChargeRefund, "b", T0, [Move(lot, 1, 0)]));
    }

    [Theory]
    [InlineData(20_000, false)]
    [InlineData(20_001, true)]
    [InlineData(1, false)]
    public void Above_the_password_free_limit_a_charge_needs_the_member_s_confirmation(long amount, bool needed) =>
        Assert.Equal(needed, WalletSettings.Defaults.NeedsConfirmation(new Money(amount)));
}

/// <summary>The refund of a recharge's lot (product.md §2): the gift is never a way to take money out.</summary>
public class RechargeRefundTermsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static RechargeRefundTerms Terms(long paid, long gift, long principalUsed, long giftUsed)
    {
        var memberId = Guid.NewGuid();
        var lot = new WalletLot(memberId, WalletLotSource.Recharge, Guid.NewGuid(), paid, gift, T0);
        var wallet = new Wallet(memberId, T0);
        wallet.Post(WalletEntryKind.Recharge, "r", T0, [new LotMovement(lot, new Money(paid), new Money(gift))]);
        if (principalUsed + giftUsed > 0)
            wallet.Post(WalletEntryKind.Charge, "c", T0, [new LotMovement(lot, new Money(-principalUsed), new Money(-giftUsed))]);
        return RechargeRefundTerms.Of(lot);
    }

    [Fact]
    public void An_untouched_lot_refunds_its_whole_payment_and_takes_its_gift_back()
    {
        var terms = Terms(50_000, 5_000, 0, 0);
        terms.Check(force: false);
        Assert.Equal((50_000L, 50_000L, 5_000L), (terms.Refund, terms.TakenPrincipal, terms.TakenGift));
    }

    [Fact]
    public void A_lot_whose_gift_alone_was_spent_is_refused_and_a_forced_refund_pays_back_the_payment_less_the_gift_used()
    {
        var terms = Terms(50_000, 5_000, 0, 5_000);
        var e = Assert.Throws<DomainException>(() => terms.Check(force: false));
        Assert.Equal("recharge.partly_spent", e.Error.Code);
        Assert.Equal(45_000L, e.Error.Details["refundable"]);
        Assert.Equal(5_000L, e.Error.Details["giftUsed"]);
        terms.Check(force: true);
        Assert.Equal((45_000L, 50_000L, 0L), (terms.Refund, terms.TakenPrincipal, terms.TakenGift));
    }

    [Fact]
    public void A_lot_used_up_to_its_payment_has_nothing_to_refund_even_when_forced()
    {
        var terms = Terms(10_000, 1_000, 9_500, 1_000);
        Assert.Equal(0, terms.Refund);
        Assert.Equal("recharge.nothing_to_refund", Assert.Throws<DomainException>(() => terms.Check(force: true)).Error.Code);
    }
}
