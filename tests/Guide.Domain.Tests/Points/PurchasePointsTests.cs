using Guide.Domain.Documents;
using Guide.Domain.Points;

namespace Guide.Domain.Tests.Points;

/// <summary>The purchase-points arithmetic and the yearly clearing date, on numbers worked out by hand.</summary>
public class PurchasePointsTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void Only_eligible_payments_earn_rounded_down()
    {
        var settings = PointsSettings.Defaults; // 1 point per yuan, principal earns, gift does not
        // 200.00 WeChat + 100.00 principal + 20.00 gift + 9.99 points offset + 5.00 coupon: 300 yuan earn.
        var payments = new[] { (PaymentMethod.WechatPay, 20000L), (PaymentMethod.WalletPrincipal, 10000L), (PaymentMethod.WalletGift, 2000L),
            (PaymentMethod.Points, 999L), (PaymentMethod.Coupon, 500L) };
        Assert.Equal(300, PurchasePoints.PointsOf(33499, payments, settings, 1m));
        Assert.Equal(450, PurchasePoints.PointsOf(33499, payments, settings, 1.5m));
        Assert.Equal(1, PurchasePoints.PointsOf(199, [(PaymentMethod.Cash, 199L)], settings, 1m)); // 1.99 yuan: 1 point
        Assert.Equal(0, PurchasePoints.PointsOf(99, [(PaymentMethod.Cash, 99L)], settings, 1m));
    }

    [Fact]
    public void A_refund_takes_back_the_lines_share_and_never_more_than_it_earned()
    {
        // 300 points over lines of 270 and 50 yuan: 253.125 and 46.875, the remainder goes to line 2: 253 + 47.
        var lines = PurchasePoints.Allocate(300, [(1, 27000L), (2, 5000L)]);
        Assert.Equal(253, lines[1]);
        Assert.Equal(47, lines[2]);
        var paid = new Dictionary<int, long> { [1] = 27000, [2] = 5000 };
        // 180 of 270 yuan: floor(253 * 2/3) = 168; then the last 90 yuan: 253 - 168 = 85. Together exactly 253.
        Assert.Equal(168, PurchasePoints.ReversalOf(lines, paid, new Dictionary<int, long>(), new Dictionary<int, long> { [1] = 18000 }));
        Assert.Equal(85, PurchasePoints.ReversalOf(lines, paid, new Dictionary<int, long> { [1] = 18000 }, new Dictionary<int, long> { [1] = 9000 }));
        // Three refunds of one fen each of a 1-point line take back nothing until the last one.
        var tiny = new Dictionary<int, long> { [1] = 1 };
        var tinyPaid = new Dictionary<int, long> { [1] = 3 };
        Assert.Equal(0, PurchasePoints.ReversalOf(tiny, tinyPaid, new Dictionary<int, long>(), new Dictionary<int, long> { [1] = 1 }));
        Assert.Equal(0, PurchasePoints.ReversalOf(tiny, tinyPaid, new Dictionary<int, long> { [1] = 1 }, new Dictionary<int, long> { [1] = 1 }));
        Assert.Equal(1, PurchasePoints.ReversalOf(tiny, tinyPaid, new Dictionary<int, long> { [1] = 2 }, new Dictionary<int, long> { [1] = 1 }));
    }

    [Fact]
    public void Yearly_clearing_ends_with_the_next_brand_year()
    {
        var lastMinuteOf2025 = new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.FromHours(8)); // 15:59:59 UTC
        var firstMinuteOf2026 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));    // 16:00 UTC on 31 Dec
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)),
            PointsExpiry.Of(PointsExpiryPolicy.YearlyClearing, null, lastMinuteOf2025, Shanghai));
        Assert.Equal(new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)),
            PointsExpiry.Of(PointsExpiryPolicy.YearlyClearing, null, firstMinuteOf2026, Shanghai));
        Assert.Null(PointsExpiry.Of(PointsExpiryPolicy.Never, null, firstMinuteOf2026, Shanghai));
        Assert.Equal(firstMinuteOf2026.AddMonths(6), PointsExpiry.Of(PointsExpiryPolicy.RollingMonths, 6, firstMinuteOf2026, Shanghai));
    }
}
