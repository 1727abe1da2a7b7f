using Guide.Domain.Common;
using Guide.Domain.Ledgers;

namespace Guide.Domain.Tests.Ledgers;

// Guide.Domain.Points (the feature) would hide the amount type here.
using Points = Guide.Domain.Common.Points;

/// <summary>The kernel's lots helper, on points (earliest expiry first) and on money alike.</summary>
public class LotsTests
{
    private sealed record Lot(string Name, long Remaining, DateOnly ExpiresOn);

    private static readonly Lot[] ByExpiry =
    [
        new("march", 30, new DateOnly(2027, 3, 31)),
        new("empty", 0, new DateOnly(2027, 4, 30)),
        new("june", 50, new DateOnly(2027, 6, 30)),
        new("december", 100, new DateOnly(2027, 12, 31)),
    ];

    [Fact]
    public void A_draw_takes_the_lots_in_order_each_up_to_what_it_holds()
    {
        var shares = Lots.Draw(ByExpiry, new Points(60), l => new Points(l.Remaining));
        Assert.NotNull(shares);
        Assert.Equal([("march", 30L), ("june", 30L)], shares.Select(s => (s.Lot.Name, s.Amount.Value)));
    }

    [Fact]
    public void A_draw_of_more_than_the_lots_hold_takes_nothing()
    {
        Assert.Null(Lots.Draw(ByExpiry, new Points(181), l => new Points(l.Remaining)));
        Assert.Equal(3, Lots.Draw(ByExpiry, new Points(180), l => new Points(l.Remaining))!.Count);
        Assert.Empty(Lots.Draw(ByExpiry, Points.Zero, l => new Points(l.Remaining))!);
        Assert.Throws<ArgumentOutOfRangeException>(() => Lots.Draw(ByExpiry, new Points(-1), l => new Points(l.Remaining)));
    }

    [Fact]
    public void A_return_gives_each_lot_at_most_what_it_gave_less_earlier_returns()
    {
        // A draw of 60 took 30 from march and 30 from june; an earlier return gave june 10 back.
        var taken = new Dictionary<string, long> { ["march"] = 30, ["june"] = 30 };
        var returned = new Dictionary<string, long> { ["june"] = 10 };
        var lots = ByExpiry.Where(l => taken.ContainsKey(l.Name)).Reverse().ToList(); // latest expiry first
        var shares = Lots.Return(lots, new Money(35), l => new Money(taken[l.Name]), l => new Money(returned.GetValueOrDefault(l.Name)));
        Assert.Equal([("june", 20L), ("march", 15L)], shares.Select(s => (s.Lot.Name, s.Amount.Fen)));
        Assert.Throws<InvalidOperationException>(() =>
            Lots.Return(lots, new Money(51), l => new Money(taken[l.Name]), l => new Money(returned.GetValueOrDefault(l.Name))));
    }

    [Fact]
    public void Points_and_money_are_different_amounts()
    {
        Assert.Equal(new Points(3), new Points(1) + new Points(2));
        Assert.Equal(Points.Zero, Points.Min(Points.Zero, new Points(5)));
        Assert.Throws<OverflowException>(() => new Points(long.MaxValue) + new Points(1));
        Assert.Equal("12 pts", new Points(12).ToString());
        // new Points(1) + new Money(1) does not compile: a points lot can never be drawn as fen.
        Assert.False(typeof(Points).IsAssignableFrom(typeof(Money)));
    }
}
