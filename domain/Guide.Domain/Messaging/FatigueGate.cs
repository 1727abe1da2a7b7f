namespace Guide.Domain.Messaging;

/// <summary>What the gate says about one capped message.</summary>
public abstract record GateDecision
{
    public sealed record Pass : GateDecision;

    /// <summary>Held until <paramref name="Until"/> (quiet hours or a holiday with the postpone action).</summary>
    public sealed record Postpone(DateTimeOffset Until, string Detail) : GateDecision;

    public sealed record Block(MessageBlockReason Reason, string Detail) : GateDecision;

    public static readonly GateDecision Allowed = new Pass();
}

/// <summary>One earlier touch of the member, as the windows count it.</summary>
public readonly record struct PastTouch(MessageChannel Channel, DateTimeOffset At, DateOnly Day);

/// <summary>
/// The fatigue rules applied to one capped message at one instant, given the member's earlier touches: holidays, then quiet
/// hours, then WeCom's monthly limit, then every window of ours that covers the channel (unless the member is whitelisted).
/// Pure: the caller locks the member and reads the touches (<see cref="MessageGateway"/>).
/// </summary>
public static class FatigueGate
{
    public static GateDecision Check(FatigueRules rules, MessageChannel channel, bool whitelisted, DateTimeOffset now, TimeZoneInfo zone,
        IReadOnlyCollection<PastTouch> touches)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var today = DateOnly.FromDateTime(local.DateTime);

        foreach (var holiday in rules.Holidays)
        {
            if (today < holiday.From || today > holiday.To) continue;
            var detail = $"holiday '{holiday.Name}' {holiday.From:yyyy-MM-dd} to {holiday.To:yyyy-MM-dd}";
            if (holiday.Action == QuietAction.Drop) return new GateDecision.Block(MessageBlockReason.Holiday, detail);
            return new GateDecision.Postpone(StartOf(holiday.To.AddDays(1), TimeOnly.MinValue, zone), detail);
        }

        if (rules.QuietHours is { } quiet && quiet.Covers(TimeOnly.FromDateTime(local.DateTime)))
        {
            var detail = $"quiet hours {quiet.Start} to {quiet.End}";
            if (quiet.Action == QuietAction.Drop) return new GateDecision.Block(MessageBlockReason.QuietHours, detail);
            // The end's next occurrence: today, or tomorrow when the quiet hours wrap midnight and it is before midnight.
            var endDay = quiet.StartTime > quiet.EndTime && TimeOnly.FromDateTime(local.DateTime) >= quiet.StartTime ? today.AddDays(1) : today;
            return new GateDecision.Postpone(StartOf(endDay, quiet.EndTime, zone), detail);
        }

        if (channel == MessageChannel.WeCom)
        {
            var monthStart = new DateOnly(today.Year, today.Month, 1);
            var limit = DateTime.DaysInMonth(today.Year, today.Month);
            var used = touches.Count(t => t.Channel == MessageChannel.WeCom && t.Day >= monthStart && t.Day <= today);
            if (used >= limit)
                return new GateDecision.Block(MessageBlockReason.WeComMonthlyLimit, $"wecom: {limit} broadcasts in {today:yyyy-MM} reached");
        }

        if (whitelisted) return GateDecision.Allowed;
        foreach (var window in rules.Windows)
        {
            if (window.Channel is { } only && only != channel) continue;
            var inWindow = window.Kind == FatigueWindowKind.Rolling
                ? touches.Where(t => t.At > now.AddDays(-window.Days) && t.At <= now)
                : touches.Where(t => t.Day > today.AddDays(-window.Days) && t.Day <= today);
            var used = window.Channel is null ? inWindow.Count() : inWindow.Count(t => t.Channel == window.Channel);
            if (used >= window.Max) return new GateDecision.Block(MessageBlockReason.Cap, window.Describe());
        }
        return GateDecision.Allowed;
    }

    /// <summary>How many days back the gate must read touches for <paramref name="rules"/> at <paramref name="now"/> (WeCom's month included).</summary>
    public static DateTimeOffset TouchesSince(FatigueRules rules, DateTimeOffset now) => now.AddDays(-Math.Max(rules.LongestDays, 31) - 1);

    /// <summary>The instant brand day <paramref name="day"/> reaches <paramref name="time"/>.</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
