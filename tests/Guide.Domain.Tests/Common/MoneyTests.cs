using System.Globalization;
using Guide.Domain.Common;

namespace Guide.Domain.Tests.Common;

public class MoneyTests
{
    [Fact]
    public void FromYuan_counts_one_hundred_fen_per_yuan()
    {
        Assert.Equal(new Money(1200), Money.FromYuan(12));
        Assert.Equal(new Money(-500), Money.FromYuan(-5));
        Assert.Equal(Money.Zero, Money.FromYuan(0));
    }

    [Fact]
    public void FromYuan_throws_instead_of_wrapping_around_when_the_fen_do_not_fit_a_long()
    {
        Assert.Throws<OverflowException>(() => Money.FromYuan(long.MaxValue / 100 + 1));
        Assert.Throws<OverflowException>(() => Money.FromYuan(long.MinValue / 100 - 1));
    }

    [Fact]
    public void Addition_subtraction_and_negation_work_in_whole_fen()
    {
        var a = new Money(1999);
        var b = new Money(1);

        Assert.Equal(new Money(2000), a + b);
        Assert.Equal(new Money(1998), a - b);
        Assert.Equal(new Money(-1999), -a);
        Assert.Equal(new Money(-1998), b - a);
        Assert.Equal(a, a + Money.Zero);
    }

    [Fact]
    public void Addition_throws_on_overflow()
    {
        Assert.Throws<OverflowException>(() => new Money(long.MaxValue) + new Money(1));
        Assert.Throws<OverflowException>(() => new Money(long.MinValue) + new Money(-1));
    }

    [Fact]
    public void Subtraction_throws_on_overflow()
    {
        Assert.Throws<OverflowException>(() => new Money(long.MinValue) - new Money(1));
        Assert.Throws<OverflowException>(() => new Money(long.MaxValue) - new Money(-1));
    }

    [Fact]
    public void Negating_the_smallest_amount_throws_on_overflow()
    {
        Assert.Throws<OverflowException>(() => -new Money(long.MinValue));
    }

    [Fact]
    public void Sign_properties_tell_negative_zero_and_positive_apart()
    {
        Assert.True(new Money(-1).IsNegative);
        Assert.False(new Money(-1).IsPositive);
        Assert.False(Money.Zero.IsNegative);
        Assert.False(Money.Zero.IsPositive);
        Assert.True(new Money(1).IsPositive);
        Assert.False(new Money(1).IsNegative);
    }

    [Fact]
    public void Comparison_operators_and_CompareTo_order_by_fen()
    {
        var small = new Money(-100);
        var big = new Money(250);

        Assert.True(small < big);
        Assert.True(big > small);
        Assert.True(small <= big && small <= new Money(-100));
        Assert.True(big >= small && big >= new Money(250));
        Assert.False(big < small);
        Assert.True(small.CompareTo(big) < 0);
        Assert.Equal(0, big.CompareTo(new Money(250)));
        Assert.Equal(new[] { small, Money.Zero, big }, new[] { big, small, Money.Zero }.Order());
    }

    [Fact]
    public void Amounts_with_the_same_fen_are_equal()
    {
        Assert.Equal(new Money(42), new Money(42));
        Assert.True(new Money(42) == new Money(42));
        Assert.NotEqual(new Money(42), new Money(43));
    }

    [Theory]
    [InlineData(0, "¥0.00")]
    [InlineData(5, "¥0.05")]
    [InlineData(50, "¥0.50")]
    [InlineData(100, "¥1.00")]
    [InlineData(1234, "¥12.34")]
    [InlineData(123456789, "¥1234567.89")]
    [InlineData(-5, "-¥0.05")]
    [InlineData(-100, "-¥1.00")]
    [InlineData(-1234, "-¥12.34")]
    [InlineData(long.MaxValue, "¥92233720368547758.07")]
    [InlineData(long.MinValue + 1, "-¥92233720368547758.07")]
    public void ToString_formats_yuan_with_two_fen_digits_and_a_leading_minus(long fen, string expected)
    {
        Assert.Equal(expected, new Money(fen).ToString());
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    [InlineData("zh-CN")]
    public void ToString_does_not_depend_on_the_current_culture(string culture)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            Assert.Equal("¥1234567.89", new Money(123456789).ToString());
            Assert.Equal("-¥0.05", new Money(-5).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
