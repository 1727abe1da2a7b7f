using System.Numerics;
using Guide.Domain.Ledgers;

namespace Guide.Domain.Common;

/// <summary>
/// An amount of Chinese yuan in whole fen. Never floating point; arithmetic is checked. Ledgers draw and
/// return it through <see cref="Lots"/>, which cannot be handed <see cref="Points"/> by mistake: the two
/// amounts are different types.
/// </summary>
public readonly record struct Money(long Fen) : ILedgerAmount<Money>
{
    public static Money Zero => new(0);

    public static Money FromYuan(long yuan) => new(checked(yuan * 100));

    public bool IsNegative => Fen < 0;
    public bool IsPositive => Fen > 0;

    public static Money operator +(Money a, Money b) => new(checked(a.Fen + b.Fen));
    public static Money operator -(Money a, Money b) => new(checked(a.Fen - b.Fen));
    public static Money operator -(Money a) => new(checked(-a.Fen));
    public static bool operator <(Money a, Money b) => a.Fen < b.Fen;
    public static bool operator >(Money a, Money b) => a.Fen > b.Fen;
    public static bool operator <=(Money a, Money b) => a.Fen <= b.Fen;
    public static bool operator >=(Money a, Money b) => a.Fen >= b.Fen;

    static Money IAdditiveIdentity<Money, Money>.AdditiveIdentity => Zero;

    public int CompareTo(Money other) => Fen.CompareTo(other.Fen);

    public static Money Min(Money a, Money b) => a.Fen <= b.Fen ? a : b;

    /// <summary>"¥12.34" style, for people; APIs always carry fen.</summary>
    public override string ToString()
    {
        // Unsigned, so that long.MinValue (whose absolute value no long holds) formats too.
        var abs = Fen < 0 ? (ulong)(-(Fen + 1)) + 1 : (ulong)Fen;
        return (Fen < 0 ? "-" : "") + "¥" + (abs / 100).ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + (abs % 100).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>A number of points (积分). Not money: a points lot can never be drawn as fen, nor fen as points.</summary>
public readonly record struct Points(long Value) : ILedgerAmount<Points>
{
    public static Points Zero => new(0);

    public bool IsNegative => Value < 0;
    public bool IsPositive => Value > 0;

    public static Points operator +(Points a, Points b) => new(checked(a.Value + b.Value));
    public static Points operator -(Points a, Points b) => new(checked(a.Value - b.Value));
    public static Points operator -(Points a) => new(checked(-a.Value));
    public static bool operator <(Points a, Points b) => a.Value < b.Value;
    public static bool operator >(Points a, Points b) => a.Value > b.Value;
    public static bool operator <=(Points a, Points b) => a.Value <= b.Value;
    public static bool operator >=(Points a, Points b) => a.Value >= b.Value;

    static Points IAdditiveIdentity<Points, Points>.AdditiveIdentity => Zero;

    public int CompareTo(Points other) => Value.CompareTo(other.Value);

    public static Points Min(Points a, Points b) => a.Value <= b.Value ? a : b;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture) + " pts";
}
