using System.Globalization;
using Guide.Domain.Commissions;

namespace Guide.Domain.Tests.Commissions;

public class CommissionReportFormatTests
{
    [Theory]
    [InlineData(1234L, "12.34")]
    [InlineData(-50L, "-0.50")]
    [InlineData(0L, "0.00")]
    [InlineData(7L, "0.07")]
    [InlineData(-100L, "-1.00")]
    [InlineData(99_999_999_999L, "999999999.99")]
    [InlineData(long.MaxValue, "92233720368547758.07")]
    [InlineData(long.MinValue, "-92233720368547758.08")]
    public void Fen_become_yuan_with_two_decimals_exactly(long fen, string yuan) =>
        Assert.Equal(yuan, CommissionEntriesCsv.Yuan(fen).ToString("0.00", CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2026-02", 202602)]
    [InlineData("2000-01", 200001)]
    [InlineData("2999-12", 299912)]
    public void A_posting_month_is_yyyy_MM(string text, int month)
    {
        Assert.True(CommissionMonths.TryParse(text, out var parsed));
        Assert.Equal(month, parsed);
        Assert.Equal(text, CommissionMonths.Text(parsed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("0001-01")]
    [InlineData("9999-12")]
    [InlineData("1999-12")]
    [InlineData("3000-01")]
    [InlineData("2026-2")]
    [InlineData("202602")]
    [InlineData("2026/02")]
    [InlineData("٢٠٢٦-٠٢")]
    [InlineData("2026-02 ")]
    public void Anything_else_is_not_a_posting_month(string? text) => Assert.False(CommissionMonths.TryParse(text, out _));
}
