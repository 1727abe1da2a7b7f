using Guide.Domain.Common;
using Guide.Domain.Wallets;

namespace Guide.Domain.Tests.Wallets;

public class RechargePackageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(50_000L, 5_000L, null, 5_000L)]
    [InlineData(50_000L, null, 10, 5_000L)]
    [InlineData(9_999L, null, 10, 999L)]   // a percent is rounded down to the fen
    [InlineData(9_999L, null, null, 0L)]
    public void The_gift_is_a_fixed_amount_or_a_percent_of_the_price(long price, long? amount, int? percent, long gift) =>
        Assert.Equal(gift, new RechargePackage("p", price, amount, percent, null, null, null, null, T0).Gift);

    [Fact]
    public void A_package_is_on_sale_inside_its_window_until_archived()
    {
        var package = new RechargePackage("p", 100, null, null, null, T0, T0.AddDays(7), null, T0);
        Assert.False(package.IsOnSaleAt(T0.AddSeconds(-1)));
        Assert.True(package.IsOnSaleAt(T0));
        Assert.False(package.IsOnSaleAt(T0.AddDays(7)));
        package.Archive();
        Assert.False(package.IsOnSaleAt(T0.AddDays(1)));
    }

    [Fact]
    public void The_per_member_limit_counts_paid_refunding_and_still_payable_purchases()
    {
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var paid = new RechargePurchase(Guid.NewGuid(), RechargeStatus.Paid, now.AddDays(-1), "p");
        var payable = new RechargePurchase(Guid.NewGuid(), RechargeStatus.Pending, now.AddMinutes(10), "p2");
        var expired = new RechargePurchase(Guid.NewGuid(), RechargeStatus.Pending, now.AddMinutes(-1), "p3");
        var failed = new RechargePurchase(Guid.NewGuid(), RechargeStatus.Failed, now.AddMinutes(10), null);
        var neverPrepared = new RechargePurchase(Guid.NewGuid(), RechargeStatus.Pending, now.AddMinutes(10), null);
        Assert.True(paid.CountsAgainstLimitAt(now));
        Assert.True(payable.CountsAgainstLimitAt(now));
        Assert.False(expired.CountsAgainstLimitAt(now));
        Assert.False(failed.CountsAgainstLimitAt(now));
        Assert.True(payable.IsOpenAt(now));
        Assert.False(neverPrepared.IsOpenAt(now)); // a purchase WeChat Pay never got cannot be answered again
        Assert.False(expired.IsOpenAt(now));

        var package = new RechargePackage("限购", 10_000, null, null, null, null, null, 2, now);
        package.CheckPerMemberLimit(1);
        Assert.Equal("recharge.limit_reached", Assert.Throws<DomainException>(() => package.CheckPerMemberLimit(2)).Error.Code);
    }
}

public class WalletChargeTests
{
    [Fact]
    public void A_refund_beyond_what_is_left_of_a_charge_is_refused_with_the_refundable_amount()
    {
        var charge = new WalletCharge(Guid.NewGuid(), "D-1", Guid.NewGuid(), null, 1600, 800, Guid.NewGuid(), 0, 0, T0, "payload-hash");
        var (p, g) = charge.SplitRefund(new Money(1000));
        Assert.Equal((667L, 333L), (p.Fen, g.Fen));
        charge.RecordRefund(p, g);
        var e = Assert.Throws<DomainException>(() => charge.SplitRefund(new Money(1401)));
        Assert.Equal("wallet.refund_exceeds_charge", e.Error.Code);
        Assert.Equal(1400L, e.Error.Details["refundable"]);
        var rest = charge.SplitRefund(new Money(1400));
        Assert.Equal((933L, 467L), (rest.Principal.Fen, rest.Gift.Fen));
    }

    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
}
