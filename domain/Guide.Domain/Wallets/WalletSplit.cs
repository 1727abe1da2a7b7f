using Guide.Domain.Common;

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
/// The bucket split of a charge and of a partial refund. Proportional means the gift share is the exact
/// proportional share rounded to the nearest fen, half to even (product.md §2): a rule that always rounds one
/// way moves real money from one bucket to the other over millions of small charges, and a 1-fen charge from a
/// wallet that is mostly gift must be able to touch gift. The share is then bounded by what each bucket holds;
/// the two parts always add up to the amount.
/// </summary>
public static class WalletSplit
{
    public static (Money Principal, Money Gift) Charge(Money amount, Money principal, Money gift, SplitPolicy policy)
    {
        if (amount <= Money.Zero || amount > principal + gift) throw new ArgumentOutOfRangeException(nameof(amount));
        var g = policy switch
        {
            SplitPolicy.PrincipalFirst => amount - Money.Min(amount, principal),
            SplitPolicy.GiftFirst => Money.Min(amount, gift),
            _ => Bounded(amount, RoundHalfToEven(amount.Fen, gift.Fen, principal.Fen + gift.Fen), principal, gift),
        };
        return (amount - g, g);
    }

    /// <summary>
    /// A refund of <paramref name="amount"/> out of what of a charge is still refundable, in the proportion of
    /// what remains of each bucket (nearest fen, half to even): partial refunds drift by at most a fen, and the
    /// last one returns exactly the rest.
    /// </summary>
    public static (Money Principal, Money Gift) Refund(Money amount, Money refundablePrincipal, Money refundableGift)
    {
        if (amount <= Money.Zero || amount > refundablePrincipal + refundableGift) throw new ArgumentOutOfRangeException(nameof(amount));
        var g = Bounded(amount, RoundHalfToEven(amount.Fen, refundableGift.Fen, refundablePrincipal.Fen + refundableGift.Fen),
            refundablePrincipal, refundableGift);
        return (amount - g, g);
    }

    /// <summary>The gift share kept within what the gift bucket holds and leaving the principal bucket no more than it holds.</summary>
    private static Money Bounded(Money amount, long gift, Money principalHeld, Money giftHeld)
    {
        var g = new Money(Math.Clamp(gift, 0, giftHeld.Fen));
        if (amount - g > principalHeld) g = amount - principalHeld;
        return g;
    }

    /// <summary>amount · part / whole rounded to the nearest integer, ties to the even one, without overflow.</summary>
    internal static long RoundHalfToEven(long amount, long part, long whole)
    {
        if (whole == 0) return 0;
        var product = (Int128)amount * part;
        var quotient = product / whole;
        var twiceRemainder = (product % whole) * 2;
        if (twiceRemainder > whole || (twiceRemainder == whole && quotient % 2 != 0)) quotient++;
        return (long)quotient;
    }
}
