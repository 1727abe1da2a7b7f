using System.Globalization;

namespace Guide.Domain.Care;

/// <summary>
/// The calendar rules of care plans (docs/decisions/0002), pure: which brand days a plan issues on and under which
/// period key, when a period is issued and due, and which birthdays and anniversaries an issue day selects.
/// Brand dates are <see cref="DateOnly"/> in the brand's zone; instants are UTC.
/// </summary>
public static class CarePeriods
{
    public const string OncePeriod = "once";

    /// <summary>Whether the plan issues on brand day <paramref name="day"/>, and the period key it issues under.</summary>
    public static bool IssuesOn(CarePlan plan, DateOnly day, out string period)
    {
        period = "";
        if (day < plan.StartsOn || (plan.EndsOn is { } end && day > end)) return false;
        switch (plan.Schedule)
        {
            case CareSchedule.Once:
                if (day != plan.StartsOn) return false;
                period = OncePeriod;
                return true;
            case CareSchedule.Daily:
                period = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return true;
            case CareSchedule.Monthly:
                if (plan.MonthDay is not { } monthDay || day.Day != MonthlyIssueDay(day.Year, day.Month, monthDay)) return false;
                period = day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The day of the month a monthly plan on <paramref name="monthDay"/> issues: a month without that day issues on its last.</summary>
    public static int MonthlyIssueDay(int year, int month, int monthDay) => Math.Clamp(monthDay, 1, DateTime.DaysInMonth(year, month));

    /// <summary>The brand day's start as a UTC instant.</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone) => At(day, TimeOnly.MinValue, zone);

    /// <summary>A brand date and time of day as a UTC instant (a time skipped by a DST change: the zone's offset before it).</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>When the period of issue day <paramref name="day"/> is issued: the day at the plan's issue time.</summary>
    public static DateTimeOffset IssuedAt(CarePlan plan, DateOnly day, TimeZoneInfo zone) => At(day, plan.IssueTime, zone);

    /// <summary>
    /// The deadline: the start of the brand day after issue day + <see cref="CarePlan.DeadlineDays"/> (issued 3 March with
    /// 2 days: due through 5 March, <c>DueAt</c> = 6 March 00:00 brand time).
    /// </summary>
    public static DateTimeOffset DueAt(CarePlan plan, DateOnly day, TimeZoneInfo zone) => StartOf(day.AddDays(plan.DeadlineDays + 1), zone);

    /// <summary>The day a birthday is celebrated in <paramref name="year"/>: 29 February is 28 February in a year without one.</summary>
    public static DateOnly Celebrated(DateOnly birthday, int year) =>
        birthday is { Month: 2, Day: 29 } && !DateTime.IsLeapYear(year) ? new DateOnly(year, 2, 28) : new DateOnly(year, birthday.Month, birthday.Day);

    /// <summary>Birthday this month: the birthday's month is the issue day's (a 29 February birthday is February's in every year).</summary>
    public static bool IsBirthdayThisMonth(DateOnly birthday, DateOnly day) => birthday.Month == day.Month;

    /// <summary>Birthday within <paramref name="days"/> days: the next celebration on or after the issue day is at most that many days away (across the year end too).</summary>
    public static bool IsBirthdayWithinDays(DateOnly birthday, DateOnly day, int days)
    {
        var next = Celebrated(birthday, day.Year);
        if (next < day) next = Celebrated(birthday, day.Year + 1);
        return next.DayNumber - day.DayNumber <= days;
    }

    /// <summary>Membership anniversary: registered (brand date) on the issue day's month and day, at least a year before (29 February: 28 February in other years).</summary>
    public static bool IsAnniversary(DateOnly registered, DateOnly day) => registered.Year < day.Year && Celebrated(registered, day.Year) == day;

    /// <summary>
    /// The birthdays a birthday target selects, as ranges of <c>month * 100 + day</c> keys, for set-based SQL: birthday
    /// this month is one range; within N days one range per calendar year the window touches. In a year without 29
    /// February, a range that ends on 28 February takes 29 February birthdays too (they are celebrated that day).
    /// </summary>
    public static IReadOnlyList<(int From, int To)> BirthdayKeyRanges(CareTargetKind kind, DateOnly day, int days)
    {
        if (kind == CareTargetKind.BirthdayThisMonth) return [(day.Month * 100 + 1, day.Month * 100 + 31)];
        if (kind != CareTargetKind.BirthdayWithinDays) throw new ArgumentOutOfRangeException(nameof(kind));
        var ranges = new List<(int, int)>();
        var last = day.AddDays(Math.Clamp(days, 0, 366));
        for (var from = day; from <= last;)
        {
            var yearEnd = new DateOnly(from.Year, 12, 31);
            var to = last < yearEnd ? last : yearEnd;
            var toKey = Key(to);
            if (toKey == 228 && !DateTime.IsLeapYear(to.Year)) toKey = 229;
            ranges.Add((Key(from), toKey));
            from = to.AddDays(1);
        }
        return ranges;
    }

    /// <summary>
    /// The registration dates in <paramref name="year"/> whose anniversary is issue day <paramref name="day"/>, as a
    /// first and last date (null: none, or not a year before the issue day). Usually one date; on 28 February of a year
    /// without 29 February, a leap year's 28 and 29 February.
    /// </summary>
    public static (DateOnly First, DateOnly Last)? AnniversaryRegistrations(DateOnly day, int year)
    {
        if (year >= day.Year) return null;
        DateOnly? first = null, last = null;
        foreach (var candidate in new[] { (day.Month, day.Day), (2, 28), (2, 29) }.Distinct())
        {
            if (candidate.Item2 > DateTime.DaysInMonth(year, candidate.Item1)) continue;
            var date = new DateOnly(year, candidate.Item1, candidate.Item2);
            if (!IsAnniversary(date, day)) continue;
            if (first is null || date < first) first = date;
            if (last is null || date > last) last = date;
        }
        return first is { } f ? (f, last!.Value) : null;
    }

    private static int Key(DateOnly d) => d.Month * 100 + d.Day;

    /// <summary>
    /// The issue days whose periods a run at <paramref name="today"/> may still issue: from the later of the plan's start
    /// and its creation day (a plan issues no period from before it existed) through today, and only days whose deadline
    /// has not passed (a period issued late would be born expired).
    /// </summary>
    public static IEnumerable<DateOnly> CandidateDays(CarePlan plan, DateOnly today, DateOnly createdOn)
    {
        var first = today.AddDays(-plan.DeadlineDays);
        if (plan.StartsOn > first) first = plan.StartsOn;
        if (createdOn > first) first = createdOn;
        for (var d = first; d <= today; d = d.AddDays(1)) yield return d;
    }

    /// <summary>Whether <paramref name="period"/> comes after the plan's last finished period (a key of another schedule's shape: not comparable, so yes).</summary>
    public static bool IsAfter(string period, string? lastIssued) =>
        lastIssued is null || lastIssued.Length != period.Length || string.CompareOrdinal(period, lastIssued) > 0;
}
