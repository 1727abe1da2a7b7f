using Guide.Domain.Messaging;

namespace Guide.Domain.Tests.Messaging;

/// <summary>
/// <see cref="FatigueGate.Check"/> against the scenario's numbers: brand time is Asia/Shanghai (UTC+8, no DST), so a brand day runs
/// from 16:00 UTC the day before.
/// </summary>
public class FatigueGateTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly TimeSpan Eight = TimeSpan.FromHours(8);

    /// <summary>A Shanghai wall-clock instant, "yyyy-MM-dd HH:mm[:ss]".</summary>
    private static DateTimeOffset Sh(string local) => new(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), Eight);

    private static PastTouch Touch(DateTimeOffset at, MessageChannel channel = MessageChannel.Subscribe) =>
        new(channel, at, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Shanghai).DateTime));

    private static FatigueRules Rules(IReadOnlyList<FatigueWindow>? windows = null, QuietHours? quiet = null, IReadOnlyList<DoNotDisturbPeriod>? holidays = null) =>
        new(windows ?? [], quiet, holidays ?? [], [], CapAccountMessages: false);

    private static FatigueWindow All(int max, int days, FatigueWindowKind kind) => new(null, max, days, kind);

    private static GateDecision Check(FatigueRules rules, DateTimeOffset now, IReadOnlyCollection<PastTouch> touches,
        MessageChannel channel = MessageChannel.Subscribe, bool whitelisted = false) =>
        FatigueGate.Check(rules, channel, whitelisted, now, Shanghai, touches);

    private static void AssertCap(GateDecision decision, string detail)
    {
        var block = Assert.IsType<GateDecision.Block>(decision);
        Assert.Equal(MessageBlockReason.Cap, block.Reason);
        Assert.Equal(detail, block.Detail);
    }

    private static void AssertPostponedUntil(GateDecision decision, DateTimeOffset until) =>
        Assert.Equal(until, Assert.IsType<GateDecision.Postpone>(decision).Until);

    // --- rolling and calendar windows at their boundaries ----------------------------------------------------------------

    [Fact]
    public void Rolling_window_forgets_a_touch_exactly_its_days_ago_but_not_one_second_inside()
    {
        var rules = Rules([All(1, 7, FatigueWindowKind.Rolling)]);
        var now = Sh("2027-03-10 12:00");
        Assert.IsType<GateDecision.Pass>(Check(rules, now, [Touch(now.AddDays(-7))]));
        AssertCap(Check(rules, now, [Touch(now.AddDays(-7).AddSeconds(1))]), "all channels: 1 in 7 rolling day(s)");
    }

    [Fact]
    public void Calendar_day_is_the_brand_day_in_shanghai_from_midnight()
    {
        var rules = Rules([All(1, 1, FatigueWindowKind.Calendar)]);
        var now = Sh("2027-03-10 00:05");
        var lateYesterday = Sh("2027-03-09 23:59");
        var earlyToday = Sh("2027-03-10 00:01");
        Assert.Equal(new DateTimeOffset(2027, 3, 9, 15, 59, 0, TimeSpan.Zero), lateYesterday);
        Assert.Equal(new DateTimeOffset(2027, 3, 9, 16, 1, 0, TimeSpan.Zero), earlyToday);

        Assert.IsType<GateDecision.Pass>(Check(rules, now, [Touch(lateYesterday)]));
        AssertCap(Check(rules, now, [Touch(earlyToday)]), "all channels: 1 in 1 calendar day(s)");
        // The same touch 6 minutes ago fills a rolling day: the calendar and rolling windows differ exactly here.
        AssertCap(Check(Rules([All(1, 1, FatigueWindowKind.Rolling)]), now, [Touch(lateYesterday)]), "all channels: 1 in 1 rolling day(s)");
    }

    [Fact]
    public void Calendar_window_of_seven_days_is_today_and_the_six_brand_days_before()
    {
        var rules = Rules([All(1, 7, FatigueWindowKind.Calendar)]);
        var now = Sh("2027-03-10 12:00");
        Assert.IsType<GateDecision.Pass>(Check(rules, now, [Touch(Sh("2027-03-03 23:59"))]));
        AssertCap(Check(rules, now, [Touch(Sh("2027-03-04 00:00"))]), "all channels: 1 in 7 calendar day(s)");
    }

    // --- per-channel and all-channel windows together -------------------------------------------------------------------

    [Fact]
    public void Channel_window_and_all_channel_window_apply_together()
    {
        var rules = Rules([new FatigueWindow(MessageChannel.Sms, 1, 1, FatigueWindowKind.Calendar), All(2, 1, FatigueWindowKind.Calendar)]);
        var now = Sh("2027-03-10 12:00");
        PastTouch[] oneSms = [Touch(Sh("2027-03-10 10:00"), MessageChannel.Sms)];
        AssertCap(Check(rules, now, oneSms, MessageChannel.Sms), "sms: 1 in 1 calendar day(s)");
        Assert.IsType<GateDecision.Pass>(Check(rules, now, oneSms, MessageChannel.Subscribe));

        PastTouch[] smsAndSubscribe = [.. oneSms, Touch(Sh("2027-03-10 11:00"), MessageChannel.Subscribe)];
        AssertCap(Check(rules, now, smsAndSubscribe, MessageChannel.WeCom), "all channels: 2 in 1 calendar day(s)");
    }

    [Fact]
    public void Channel_window_counts_only_its_channel()
    {
        var rules = Rules([new FatigueWindow(MessageChannel.WeCom, 1, 7, FatigueWindowKind.Rolling)]);
        var now = Sh("2027-03-10 12:00");
        PastTouch[] others = [Touch(now.AddHours(-1), MessageChannel.Sms), Touch(now.AddHours(-2), MessageChannel.Subscribe)];
        Assert.IsType<GateDecision.Pass>(Check(rules, now, others, MessageChannel.WeCom));
        AssertCap(Check(rules, now, [.. others, Touch(now.AddDays(-6), MessageChannel.WeCom)], MessageChannel.WeCom), "we_com: 1 in 7 rolling day(s)");
    }

    // --- several windows at once: 1 a day, 3 in 7 days, 8 in 30 days ----------------------------------------------------

    private static readonly FatigueRules Several = Rules(
        [All(1, 1, FatigueWindowKind.Calendar), All(3, 7, FatigueWindowKind.Rolling), All(8, 30, FatigueWindowKind.Rolling)]);

    private static readonly DateTimeOffset SeveralNow = Sh("2027-03-10 12:00");

    /// <summary>One touch an hour before noon, <paramref name="days"/> days ago each.</summary>
    private static PastTouch[] DaysAgo(params int[] days) => days.Select(d => Touch(SeveralNow.AddDays(-d).AddHours(-1))).ToArray();

    [Fact]
    public void Several_windows_the_daily_one_blocks_a_second_message_today() =>
        AssertCap(Check(Several, SeveralNow, [Touch(Sh("2027-03-10 08:00"))]), "all channels: 1 in 1 calendar day(s)");

    [Fact]
    public void Several_windows_two_in_the_last_week_pass_the_third_fills_it()
    {
        Assert.IsType<GateDecision.Pass>(Check(Several, SeveralNow, DaysAgo(1, 2)));
        AssertCap(Check(Several, SeveralNow, DaysAgo(1, 2, 3)), "all channels: 3 in 7 rolling day(s)");
        // 7 days ago and an hour: outside the week.
        Assert.IsType<GateDecision.Pass>(Check(Several, SeveralNow, DaysAgo(1, 2, 7)));
    }

    [Fact]
    public void Several_windows_eight_in_thirty_days_block_although_the_week_and_the_day_have_room()
    {
        AssertCap(Check(Several, SeveralNow, DaysAgo(1, 2, 8, 9, 10, 15, 16, 17)), "all channels: 8 in 30 rolling day(s)");
        Assert.IsType<GateDecision.Pass>(Check(Several, SeveralNow, DaysAgo(1, 2, 8, 9, 10, 15, 16, 30)));
    }

    // --- the whitelist skips our windows, not WeCom's monthly limit --------------------------------------------------------

    [Fact]
    public void Whitelisted_member_skips_the_windows()
    {
        PastTouch[] today = [Touch(Sh("2027-03-10 08:00")), Touch(Sh("2027-03-10 09:00"))];
        AssertCap(Check(Several, SeveralNow, today), "all channels: 1 in 1 calendar day(s)");
        Assert.IsType<GateDecision.Pass>(Check(Several, SeveralNow, today, whitelisted: true));
    }

    /// <summary>One WeCom touch a day at 10:00 Shanghai, from <paramref name="first"/> for <paramref name="count"/> days.</summary>
    private static PastTouch[] WeComDaily(string first, int count, MessageChannel channel = MessageChannel.WeCom) =>
        Enumerable.Range(0, count).Select(i => Touch(Sh(first + " 10:00").AddDays(i), channel)).ToArray();

    [Theory]
    [InlineData("2027-03-31 12:00", "2027-03-01", 31)] // 31 in a 31-day month
    [InlineData("2027-04-30 12:00", "2027-04-01", 30)]
    [InlineData("2027-02-28 12:00", "2027-02-01", 28)] // 28 in February 2027
    [InlineData("2028-02-29 12:00", "2028-02-01", 29)] // 29 in February 2028 (leap year)
    public void WeCom_monthly_limit_is_the_months_days_even_for_the_whitelist(string now, string monthStart, int limit)
    {
        var at = Sh(now);
        foreach (var whitelisted in new[] { true, false })
        {
            var rules = Rules(); // no windows of ours: only WeCom's limit
            Assert.IsType<GateDecision.Pass>(Check(rules, at, WeComDaily(monthStart, limit - 1), MessageChannel.WeCom, whitelisted));
            var block = Assert.IsType<GateDecision.Block>(Check(rules, at, WeComDaily(monthStart, limit), MessageChannel.WeCom, whitelisted));
            Assert.Equal(MessageBlockReason.WeComMonthlyLimit, block.Reason);
            Assert.Equal($"wecom: {limit} broadcasts in {monthStart[..7]} reached", block.Detail);
        }
        // Another channel's touches do not count, and the whitelisted member's windows are skipped.
        Assert.IsType<GateDecision.Pass>(Check(Several, at, WeComDaily(monthStart, limit, MessageChannel.Subscribe), MessageChannel.WeCom, whitelisted: true));
    }

    [Fact]
    public void WeCom_monthly_limit_counts_this_month_only()
    {
        // 31 broadcasts from 2027-01-29 to 2027-02-28: 28 of them in February, the limit reached; on 2027-03-01 none count.
        var touches = WeComDaily("2027-01-29", 31);
        Assert.IsType<GateDecision.Block>(Check(Rules(), Sh("2027-02-28 12:00"), touches, MessageChannel.WeCom, whitelisted: true));
        Assert.IsType<GateDecision.Pass>(Check(Rules(), Sh("2027-03-01 00:00"), touches, MessageChannel.WeCom, whitelisted: true));
    }

    // --- quiet hours ------------------------------------------------------------------------------------------------------

    private static readonly FatigueRules QuietWrapping = Rules(quiet: new QuietHours("21:00", "09:00", QuietAction.Postpone));

    [Theory]
    [InlineData("2027-03-10 20:59", null)]
    [InlineData("2027-03-10 21:00", "2027-03-11 09:00")] // before midnight: the next day's 09:00
    [InlineData("2027-03-10 23:59:59", "2027-03-11 09:00")]
    [InlineData("2027-03-11 00:00", "2027-03-11 09:00")]
    [InlineData("2027-03-11 08:59", "2027-03-11 09:00")] // after midnight: the same day's 09:00
    [InlineData("2027-03-11 09:00", null)]
    public void Quiet_hours_that_wrap_midnight_postpone_to_their_end(string now, string? until)
    {
        var decision = Check(QuietWrapping, Sh(now), []);
        if (until is null) Assert.IsType<GateDecision.Pass>(decision);
        else AssertPostponedUntil(decision, Sh(until));
    }

    [Theory]
    [InlineData("2027-03-10 11:59", null)]
    [InlineData("2027-03-10 12:00", "2027-03-10 14:00")]
    [InlineData("2027-03-10 13:59", "2027-03-10 14:00")]
    [InlineData("2027-03-10 14:00", null)]
    [InlineData("2027-03-10 23:00", null)]
    public void Quiet_hours_within_a_day_postpone_to_the_same_days_end(string now, string? until)
    {
        var decision = Check(Rules(quiet: new QuietHours("12:00", "14:00", QuietAction.Postpone)), Sh(now), []);
        if (until is null) Assert.IsType<GateDecision.Pass>(decision);
        else AssertPostponedUntil(decision, Sh(until));
    }

    [Fact]
    public void Quiet_hours_with_drop_block_and_apply_to_the_whitelist_too()
    {
        var drop = Rules(quiet: new QuietHours("21:00", "09:00", QuietAction.Drop));
        var block = Assert.IsType<GateDecision.Block>(Check(drop, Sh("2027-03-10 21:30"), [], whitelisted: true));
        Assert.Equal(MessageBlockReason.QuietHours, block.Reason);
        Assert.Equal("quiet hours 21:00 to 09:00", block.Detail);
        Assert.IsType<GateDecision.Pass>(Check(drop, Sh("2027-03-10 20:59"), []));
        AssertPostponedUntil(Check(QuietWrapping, Sh("2027-03-10 22:00"), [], whitelisted: true), Sh("2027-03-11 09:00"));
    }

    [Fact]
    public void Quiet_hours_come_before_the_windows()
    {
        // A full day and quiet hours: postponed (tomorrow the day window is empty again), not blocked.
        var rules = Several with { QuietHours = new QuietHours("21:00", "09:00", QuietAction.Postpone) };
        AssertPostponedUntil(Check(rules, Sh("2027-03-10 22:00"), [Touch(Sh("2027-03-10 10:00"))]), Sh("2027-03-11 09:00"));
    }

    // --- holidays ---------------------------------------------------------------------------------------------------------

    private static FatigueRules SpringFestival(QuietAction action, QuietHours? quiet = null) =>
        Rules(quiet: quiet, holidays: [new DoNotDisturbPeriod("春节", new DateOnly(2027, 2, 6), new DateOnly(2027, 2, 12), action)]);

    [Theory]
    [InlineData("2027-02-05 23:59", false)]
    [InlineData("2027-02-06 00:00", true)]
    [InlineData("2027-02-09 12:00", true)]
    [InlineData("2027-02-12 23:59", true)]
    [InlineData("2027-02-13 00:00", false)]
    public void Holiday_postpones_to_the_day_after_at_midnight_brand_time(string now, bool held)
    {
        var decision = Check(SpringFestival(QuietAction.Postpone), Sh(now), [], whitelisted: true);
        if (!held)
        {
            Assert.IsType<GateDecision.Pass>(decision);
            return;
        }
        AssertPostponedUntil(decision, new DateTimeOffset(2027, 2, 12, 16, 0, 0, TimeSpan.Zero)); // 2027-02-13 00:00 in Shanghai
        Assert.Equal("holiday '春节' 2027-02-06 to 2027-02-12", ((GateDecision.Postpone)decision).Detail);
    }

    [Fact]
    public void Holiday_starts_at_brand_midnight_which_is_16_00_utc()
    {
        var rules = SpringFestival(QuietAction.Postpone);
        Assert.IsType<GateDecision.Pass>(Check(rules, new DateTimeOffset(2027, 2, 5, 15, 59, 0, TimeSpan.Zero), []));
        Assert.IsType<GateDecision.Postpone>(Check(rules, new DateTimeOffset(2027, 2, 5, 16, 0, 0, TimeSpan.Zero), []));
    }

    [Fact]
    public void Holiday_with_drop_blocks()
    {
        var block = Assert.IsType<GateDecision.Block>(Check(SpringFestival(QuietAction.Drop), Sh("2027-02-08 10:00"), []));
        Assert.Equal(MessageBlockReason.Holiday, block.Reason);
        Assert.IsType<GateDecision.Pass>(Check(SpringFestival(QuietAction.Drop), Sh("2027-02-13 10:00"), []));
    }

    [Fact]
    public void Holiday_comes_before_quiet_hours_and_quiet_hours_then_hold_the_midnight_release()
    {
        var rules = SpringFestival(QuietAction.Postpone, new QuietHours("21:00", "09:00", QuietAction.Postpone));
        var release = Sh("2027-02-13 00:00");
        AssertPostponedUntil(Check(rules, Sh("2027-02-08 22:00"), []), release);
        AssertPostponedUntil(Check(rules, release, []), Sh("2027-02-13 09:00"));
    }

    // --- how far back the drain reads ---------------------------------------------------------------------------------------

    [Fact]
    public void Touches_are_read_back_far_enough_for_the_longest_window_and_wecoms_month()
    {
        var now = Sh("2027-03-31 23:59");
        Assert.True(FatigueGate.TouchesSince(Rules(), now) <= Sh("2027-03-01 00:00"));
        Assert.True(FatigueGate.TouchesSince(Rules([All(1, 90, FatigueWindowKind.Calendar)]), now) <= Sh("2027-01-01 00:00"));
    }
}
