namespace Guide.Domain.Wallets;

/// <summary>In which order a wallet payment draws principal (本金) and gift (赠送金); HQ chooses.</summary>
public enum SplitPolicy
{
    /// <summary>In proportion to the two balances (the default).</summary>
    Proportional,
    PrincipalFirst,
    GiftFirst,
}

/// <summary>
/// The bucket split of a charge and of a partial refund. Rounding: the gift share is rounded down and the
/// fen left over is principal, so a split never asks a bucket for more than it holds (ceil(a·P/T) ≤ P when
/// a ≤ T) and the two parts always add up to the amount.
/// </summary>
public static class WalletSplit
{
    public static (long Principal, long Gift) Charge(long amount, long principal, long gift, SplitPolicy policy)
    {
        if (amount <= 0 || amount > principal + gift) throw new ArgumentOutOfRangeException(nameof(amount));
        long g = policy switch
        {
            SplitPolicy.PrincipalFirst => amount - Math.Min(amount, principal),
            SplitPolicy.GiftFirst => Math.Min(amount, gift),
            _ => Proportional(amount, gift, principal + gift),
        };
        return (amount - g, g);
    }

    /// <summary>
    /// A refund of <paramref name="amount"/> out of what of a charge is still refundable, in the proportion of
    /// what remains of each bucket: partial refunds drift by at most a fen, and the last one returns exactly the rest.
    /// </summary>
    public static (long Principal, long Gift) Refund(long amount, long refundablePrincipal, long refundableGift)
    {
        if (amount <= 0 || amount > refundablePrincipal + refundableGift) throw new ArgumentOutOfRangeException(nameof(amount));
        var g = Proportional(amount, refundableGift, refundablePrincipal + refundableGift);
        return (amount - g, g);
    }

    /// <summary>floor(amount · part / whole) without overflow.</summary>
    private static long Proportional(long amount, long part, long whole) =>
        whole == 0 ? 0 : (long)((Int128)amount * part / whole);
}
