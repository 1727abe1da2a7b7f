using System.Numerics;

namespace Guide.Domain.Ledgers;

/// <summary>
/// What a ledger counts: <see cref="Common.Money"/> (fen) or <see cref="Common.Points"/>. The lots helper is
/// generic over it, so a wallet lot cannot be drawn in points nor a points lot in fen.
/// </summary>
public interface ILedgerAmount<TSelf> : IAdditionOperators<TSelf, TSelf, TSelf>, ISubtractionOperators<TSelf, TSelf, TSelf>,
    IComparisonOperators<TSelf, TSelf, bool>, IAdditiveIdentity<TSelf, TSelf>, IComparable<TSelf>
    where TSelf : struct, ILedgerAmount<TSelf>
{
    static abstract TSelf Zero { get; }
    static abstract TSelf Min(TSelf a, TSelf b);
}

/// <summary>One lot's share of a movement: how much of the amount it gives (a draw) or takes back (a return).</summary>
public readonly record struct LotShare<TLot, TAmount>(TLot Lot, TAmount Amount);

/// <summary>
/// Drawing from lots and returning to them, for every ledger that keeps lots (wallet: oldest first, in each
/// bucket; points: earliest expiry first). The caller orders the lots; the helper takes what each holds until
/// the amount is covered, and a return gives back no lot more than it gave, so a refund returns exactly what
/// was taken and every lot stays between zero and what it brought.
/// </summary>
public static class Lots
{
    /// <summary>
    /// Takes <paramref name="amount"/> from <paramref name="lotsInOrder"/>, each giving at most its
    /// <paramref name="remaining"/>. Returns null when the lots together hold less (nothing is taken then).
    /// </summary>
    public static IReadOnlyList<LotShare<TLot, TAmount>>? Draw<TLot, TAmount>(IEnumerable<TLot> lotsInOrder, TAmount amount, Func<TLot, TAmount> remaining)
        where TAmount : struct, ILedgerAmount<TAmount>
    {
        if (amount < TAmount.Zero) throw new ArgumentOutOfRangeException(nameof(amount), "A draw is not negative.");
        var shares = new List<LotShare<TLot, TAmount>>();
        var need = amount;
        foreach (var lot in lotsInOrder)
        {
            if (need == TAmount.Zero) break;
            var take = TAmount.Min(need, remaining(lot));
            if (take <= TAmount.Zero) continue;
            shares.Add(new LotShare<TLot, TAmount>(lot, take));
            need -= take;
        }
        return need == TAmount.Zero ? shares : null;
    }

    /// <summary>
    /// Gives <paramref name="amount"/> back to the lots a movement took it from: each lot gets at most what it
    /// gave (<paramref name="taken"/>) less what earlier returns gave it back (<paramref name="returnedBefore"/>),
    /// in the order of <paramref name="lotsInReturnOrder"/>. Throws when more is returned than is left to return:
    /// the caller checks the refundable amount first, so that would be a bug, not a client error.
    /// </summary>
    public static IReadOnlyList<LotShare<TLot, TAmount>> Return<TLot, TAmount>(IEnumerable<TLot> lotsInReturnOrder, TAmount amount,
        Func<TLot, TAmount> taken, Func<TLot, TAmount> returnedBefore)
        where TAmount : struct, ILedgerAmount<TAmount>
    {
        if (amount < TAmount.Zero) throw new ArgumentOutOfRangeException(nameof(amount), "A return is not negative.");
        var shares = new List<LotShare<TLot, TAmount>>();
        var left = amount;
        foreach (var lot in lotsInReturnOrder)
        {
            if (left == TAmount.Zero) break;
            var give = TAmount.Min(left, taken(lot) - returnedBefore(lot));
            if (give <= TAmount.Zero) continue;
            shares.Add(new LotShare<TLot, TAmount>(lot, give));
            left -= give;
        }
        if (left != TAmount.Zero) throw new InvalidOperationException($"The lots can take back only {amount - left} of {amount}.");
        return shares;
    }
}
