using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;

namespace Guide.Domain.Messaging;

/// <summary>
/// Rolling: the last N×24 hours before the message. Calendar: the message's brand day and the N−1 brand days before it
/// (1 calendar day = today in Shanghai time, from midnight).
/// </summary>
public enum FatigueWindowKind { Rolling, Calendar }

/// <summary>What quiet hours or a holiday do to a capped message: hold it until they end, or drop it.</summary>
public enum QuietAction { Postpone, Drop }

/// <summary>At most <see cref="Max"/> capped messages in <see cref="Days"/> days, on one channel or (no channel) across all channels.</summary>
public sealed record FatigueWindow(MessageChannel? Channel, int Max, int Days, FatigueWindowKind Kind)
{
    public string Describe() =>
        $"{(Channel is { } c ? JsonNamingPolicy.SnakeCaseLower.ConvertName(c.ToString()) : "all channels")}: {Max} in {Days} " +
        $"{(Kind == FatigueWindowKind.Calendar ? "calendar" : "rolling")} day(s)";
}

/// <summary>Brand-time quiet hours, <c>HH:mm</c>; a start after the end wraps midnight (21:00 to 09:00).</summary>
public sealed record QuietHours(string Start, string End, QuietAction Action)
{
    [JsonIgnore]
    public TimeOnly StartTime => TimeOnly.ParseExact(Start, "HH:mm", CultureInfo.InvariantCulture);
    [JsonIgnore]
    public TimeOnly EndTime => TimeOnly.ParseExact(End, "HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Whether brand time <paramref name="t"/> is inside (start inclusive, end exclusive).</summary>
    public bool Covers(TimeOnly t) => StartTime <= EndTime ? t >= StartTime && t < EndTime : t >= StartTime || t < EndTime;
}

/// <summary>A do-not-disturb period of whole brand days, <see cref="From"/> to <see cref="To"/> inclusive.</summary>
public sealed record DoNotDisturbPeriod(string Name, DateOnly From, DateOnly To, QuietAction Action);

/// <summary>
/// HQ's fatigue rules: every window applies at once (per channel and across channels); quiet hours and holidays for capped
/// messages; whitelisted members skip the windows (not WeCom's own monthly limit, not consent, not quiet hours); account
/// messages (points and wallet changes) are capped only when <see cref="CapAccountMessages"/>.
/// </summary>
public sealed record FatigueRules(
    IReadOnlyList<FatigueWindow> Windows, QuietHours? QuietHours, IReadOnlyList<DoNotDisturbPeriod> Holidays, IReadOnlyList<Guid> Whitelist,
    bool CapAccountMessages)
{
    public const int MaxWindows = 20;
    public const int MaxWindowDays = 366;
    public const int MaxHolidays = 100;
    public const int MaxWhitelist = 1000;

    /// <summary>Until HQ says otherwise: across all channels 1 a calendar day, 3 in 7 days, 8 in 30 days; quiet 21:00 to 09:00, postponed.</summary>
    public static FatigueRules Default { get; } = new(
        [
            new FatigueWindow(null, 1, 1, FatigueWindowKind.Calendar),
            new FatigueWindow(null, 3, 7, FatigueWindowKind.Rolling),
            new FatigueWindow(null, 8, 30, FatigueWindowKind.Rolling),
        ],
        new QuietHours("21:00", "09:00", QuietAction.Postpone), [], [], CapAccountMessages: false);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string DefaultJson => JsonSerializer.Serialize(Default, Json);

    public static FatigueRules Parse(string json) => JsonSerializer.Deserialize<FatigueRules>(json, Json) ?? Default;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The longest window in days (how far back the gate reads a member's touches).</summary>
    [JsonIgnore]
    public int LongestDays => Windows.Count == 0 ? 0 : Windows.Max(w => w.Days);
}

/// <summary>
/// Rules that contradict themselves are refused (<c>fatigue.conflicting_windows</c>): two windows of one scope and kind with the
/// same days and different caps, or a longer window that allows fewer than a shorter one of the same scope and kind (the
/// shorter could never fill); also a channel's window allowing more than the all-channel window of the same days and kind.
/// </summary>
public sealed class FatigueRulesValidator : AbstractValidator<FatigueRules>
{
    public FatigueRulesValidator()
    {
        RuleFor(x => x.Windows).NotNull().Must(w => w is null || w.Count <= FatigueRules.MaxWindows)
            .WithMessage($"At most {FatigueRules.MaxWindows} windows.");
        RuleForEach(x => x.Windows).ChildRules(w =>
        {
            w.RuleFor(x => x.Channel).IsInEnum();
            w.RuleFor(x => x.Kind).IsInEnum();
            w.RuleFor(x => x.Max).InclusiveBetween(0, 10_000);
            w.RuleFor(x => x.Days).InclusiveBetween(1, FatigueRules.MaxWindowDays);
        });
        RuleFor(x => x.QuietHours!).ChildRules(q =>
        {
            q.RuleFor(x => x.Start).Must(BeTime).WithMessage("Quiet hours start is HH:mm (00:00 to 23:59).");
            q.RuleFor(x => x.End).Must(BeTime).WithMessage("Quiet hours end is HH:mm (00:00 to 23:59).");
            q.RuleFor(x => x.End).NotEqual(x => x.Start).WithMessage("Quiet hours must not start and end at the same time.");
            q.RuleFor(x => x.Action).IsInEnum();
        }).When(x => x.QuietHours is not null);
        RuleFor(x => x.Holidays).NotNull().Must(h => h is null || h.Count <= FatigueRules.MaxHolidays)
            .WithMessage($"At most {FatigueRules.MaxHolidays} holidays.");
        RuleForEach(x => x.Holidays).ChildRules(h =>
        {
            h.RuleFor(x => x.Name).NotEmpty().MaximumLength(64);
            h.RuleFor(x => x.To).GreaterThanOrEqualTo(x => x.From).WithMessage("A holiday ends on or after its first day.");
            h.RuleFor(x => x.From).Must(d => d.Year is >= 2000 and <= 2100).WithMessage("A holiday is between 2000 and 2100.");
            h.RuleFor(x => x.To).Must(d => d.Year is >= 2000 and <= 2100).WithMessage("A holiday is between 2000 and 2100.");
            h.RuleFor(x => x.Action).IsInEnum();
        });
        RuleFor(x => x.Whitelist).NotNull().Must(w => w is null || w.Count <= FatigueRules.MaxWhitelist)
            .WithMessage($"The whitelist holds at most {FatigueRules.MaxWhitelist} members.");
    }

    private static bool BeTime(string? s) => s is { Length: 5 } && TimeOnly.TryParseExact(s, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>The first contradiction between windows, or null (checked after the shape rules pass).</summary>
    public static string? Contradiction(IReadOnlyList<FatigueWindow> windows)
    {
        foreach (var a in windows)
        foreach (var b in windows)
        {
            if (ReferenceEquals(a, b) || a.Kind != b.Kind) continue;
            if (a.Channel == b.Channel)
            {
                if (a.Days == b.Days && a.Max != b.Max)
                    return $"'{a.Describe()}' and '{b.Describe()}' cap the same window differently.";
                if (a.Days < b.Days && a.Max > b.Max)
                    return $"'{b.Describe()}' allows fewer than '{a.Describe()}' over a longer window: the shorter one could never fill.";
            }
            else if (a.Channel is not null && b.Channel is null && a.Days == b.Days && a.Max > b.Max)
                return $"'{a.Describe()}' allows more than '{b.Describe()}' across all channels over the same window.";
        }
        return null;
    }
}
