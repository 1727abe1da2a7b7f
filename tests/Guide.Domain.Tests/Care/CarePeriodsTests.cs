using Guide.Domain.Care;

namespace Guide.Domain.Tests.Care;

public class CarePeriodsTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static CarePlan Plan(CareSchedule schedule, DateOnly startsOn, DateOnly? endsOn = null, int? monthDay = null, int deadlineDays = 2) =>
        new("p", CarePlanOwner.Hq, null, DateTimeOffset.UnixEpoch)
        {
            Schedule = schedule, StartsOn = startsOn, EndsOn = endsOn, MonthDay = monthDay, IssueTime = new TimeOnly(9, 0), DeadlineDays = deadlineDays,
        };

    [Theory]
    [InlineData("2027-01-31", true)]
    [InlineData("2027-02-27", false)]
    [InlineData("2027-02-28", true)] // February 2027 has no 31st: its last day
    [InlineData("2028-02-28", false)]
    [InlineData("2028-02-29", true)]
    [InlineData("2027-04-30", true)]
    [InlineData("2027-04-29", false)]
    public void Monthly_on_the_31st_issues_on_a_shorter_months_last_day(string day, bool issues)
    {
        var plan = Plan(CareSchedule.Monthly, new DateOnly(2027, 1, 1), monthDay: 31);
        Assert.Equal(issues, CarePeriods.IssuesOn(plan, DateOnly.Parse(day), out var period));
        if (issues) Assert.Equal(day[..7], period);
    }

    [Fact]
    public void Once_daily_and_the_plans_dates()
    {
        var once = Plan(CareSchedule.Once, new DateOnly(2027, 3, 3));
        Assert.True(CarePeriods.IssuesOn(once, new DateOnly(2027, 3, 3), out var p));
        Assert.Equal("once", p);
        Assert.False(CarePeriods.IssuesOn(once, new DateOnly(2027, 3, 4), out _));
        var daily = Plan(CareSchedule.Daily, new DateOnly(2027, 3, 3), new DateOnly(2027, 3, 5));
        Assert.False(CarePeriods.IssuesOn(daily, new DateOnly(2027, 3, 2), out _));
        Assert.True(CarePeriods.IssuesOn(daily, new DateOnly(2027, 3, 5), out p));
        Assert.Equal("2027-03-05", p);
        Assert.False(CarePeriods.IssuesOn(daily, new DateOnly(2027, 3, 6), out _));
    }

    [Fact]
    public void Issued_at_the_issue_time_and_due_at_the_start_of_the_day_after_the_deadline_in_brand_time()
    {
        var plan = Plan(CareSchedule.Daily, new DateOnly(2027, 3, 1), deadlineDays: 2);
        Assert.Equal(new DateTimeOffset(2027, 3, 3, 1, 0, 0, TimeSpan.Zero), CarePeriods.IssuedAt(plan, new DateOnly(2027, 3, 3), Shanghai));
        // Issued 3 March with 2 days: due through 5 March, DueAt 6 March 00:00 Shanghai = 5 March 16:00 UTC.
        Assert.Equal(new DateTimeOffset(2027, 3, 5, 16, 0, 0, TimeSpan.Zero), CarePeriods.DueAt(plan, new DateOnly(2027, 3, 3), Shanghai));
    }

    [Theory]
    [InlineData("1990-12-25", "2026-12-25", 0, true)]
    [InlineData("1990-01-04", "2026-12-25", 10, true)]  // across the year end
    [InlineData("1990-01-05", "2026-12-25", 10, false)]
    [InlineData("1990-12-24", "2026-12-25", 10, false)] // yesterday: next year's is 364 days away
    [InlineData("1992-02-29", "2027-02-28", 0, true)]   // 29 February on 28 February in a year without one
    [InlineData("1992-02-29", "2028-02-28", 0, false)]  // ... but on its own day in a leap year
    [InlineData("1992-02-29", "2028-02-29", 0, true)]
    [InlineData("1992-03-01", "2027-02-28", 0, false)]
    [InlineData("1992-03-01", "2027-02-28", 1, true)]
    public void Birthday_within_days(string birthday, string day, int days, bool within)
    {
        Assert.Equal(within, CarePeriods.IsBirthdayWithinDays(DateOnly.Parse(birthday), DateOnly.Parse(day), days));
        // The SQL's key ranges say the same.
        var b = DateOnly.Parse(birthday);
        var key = b.Month * 100 + b.Day;
        Assert.Equal(within, CarePeriods.BirthdayKeyRanges(CareTargetKind.BirthdayWithinDays, DateOnly.Parse(day), days).Any(r => key >= r.From && key <= r.To));
    }

    [Fact]
    public void Key_ranges_agree_with_the_rule_for_every_birthday_and_window()
    {
        foreach (var day in new[] { new DateOnly(2027, 2, 20), new DateOnly(2028, 2, 20), new DateOnly(2027, 12, 1), new DateOnly(2028, 3, 1) })
        foreach (var days in new[] { 0, 8, 9, 31, 200, 365 })
        for (var b = new DateOnly(2000, 1, 1); b.Year == 2000; b = b.AddDays(1))
        {
            var key = b.Month * 100 + b.Day;
            Assert.True(CarePeriods.IsBirthdayWithinDays(b, day, days) ==
                        CarePeriods.BirthdayKeyRanges(CareTargetKind.BirthdayWithinDays, day, days).Any(r => key >= r.From && key <= r.To), $"{b} {day} {days}");
        }
    }

    [Theory]
    [InlineData("2012-02-29", "2015-02-28", true)]
    [InlineData("2014-02-28", "2015-02-28", true)]
    [InlineData("2015-02-28", "2015-02-28", false)] // not a year yet
    [InlineData("2012-02-29", "2016-02-29", true)]
    [InlineData("2012-02-28", "2016-02-29", false)]
    [InlineData("2013-03-01", "2015-02-28", false)]
    public void Anniversary(string registered, string day, bool anniversary) =>
        Assert.Equal(anniversary, CarePeriods.IsAnniversary(DateOnly.Parse(registered), DateOnly.Parse(day)));

    [Fact]
    public void A_late_plan_issues_from_its_creation_day_and_only_periods_not_yet_past_their_deadline()
    {
        var plan = Plan(CareSchedule.Daily, new DateOnly(2027, 1, 1), deadlineDays: 2);
        Assert.Equal([new DateOnly(2027, 3, 10)], CarePeriods.CandidateDays(plan, new DateOnly(2027, 3, 10), createdOn: new DateOnly(2027, 3, 10)));
        Assert.Equal([new DateOnly(2027, 3, 8), new DateOnly(2027, 3, 9), new DateOnly(2027, 3, 10)],
            CarePeriods.CandidateDays(plan, new DateOnly(2027, 3, 10), createdOn: new DateOnly(2026, 12, 1)));
    }
}
