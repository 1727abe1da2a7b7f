namespace Guide.Domain.Common;

/// <summary>An amount of Chinese yuan in whole fen. Never floating point; arithmetic is checked.</summary>
public readonly record struct Money(long Fen) : IComparable<Money>
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

    public int CompareTo(Money other) => Fen.CompareTo(other.Fen);

    /// <summary>"¥12.34" style, for people; APIs always carry fen.</summary>
    public override string ToString()
    {
        // Unsigned, so that long.MinValue (whose absolute value no long holds) formats too.
        var abs = Fen < 0 ? (ulong)(-(Fen + 1)) + 1 : (ulong)Fen;
        return (Fen < 0 ? "-" : "") + "¥" + (abs / 100).ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + (abs % 100).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
    }
}
