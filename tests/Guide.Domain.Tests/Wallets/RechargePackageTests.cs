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
}

public class WalletChargeTests
{
    [Fact]
    public void A_refund_beyond_what_is_left_of_a_charge_is_refused_with_the_refundable_amount()
    {
        var charge = new WalletCharge(Guid.NewGuid(), "D-1", Guid.NewGuid(), null, 1600, 800, Guid.NewGuid(), 0, 0, T0);
        var (p, g) = charge.SplitRefund(1000);
        Assert.Equal((667L, 333L), (p, g));
        charge.RecordRefund(p, g);
        var e = Assert.Throws<DomainException>(() => charge.SplitRefund(1401));
        Assert.Equal("wallet.refund_exceeds_charge", e.Error.Code);
        Assert.Equal(1400L, e.Error.Details["refundable"]);
        Assert.Equal((933L, 467L), charge.SplitRefund(1400));
    }

    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
}
