using Guide.Domain.Common;
using Microsoft.Extensions.Time.Testing;

namespace Guide.Domain.Tests.Common;

public class BrandClockTests
{
    private static readonly TimeZoneInfo Shanghai = BrandClock.FindZone("Asia/Shanghai");

    private static (BrandClock Clock, FakeTimeProvider Time) ClockAt(string utcInstant)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse(utcInstant, System.Globalization.CultureInfo.InvariantCulture));
        return (new BrandClock(time, Shanghai), time);
    }

    [Fact]
    public void Today_is_already_the_next_day_in_Shanghai_at_17_00_UTC()
    {
        var (clock, _) = ClockAt("2026-01-31T17:00:00Z");

        Assert.Equal(new DateOnly(2026, 2, 1), clock.Today);
    }

    [Fact]
    public void Today_is_still_the_same_day_one_second_before_Shanghai_midnight()
    {
        var (clock, _) = ClockAt("2026-01-31T15:59:59Z");

        Assert.Equal(new DateOnly(2026, 1, 31), clock.Today);
    }

    [Fact]
    public void Today_turns_over_at_Shanghai_midnight_when_time_advances()
    {
        var (clock, time) = ClockAt("2026-12-31T15:59:59Z");
        Assert.Equal(new DateOnly(2026, 12, 31), clock.Today);

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(new DateOnly(2027, 1, 1), clock.Today);
    }

    [Fact]
    public void UtcNow_is_the_time_provider_instant_in_UTC()
    {
        var (clock, time) = ClockAt("2026-01-31T17:00:00Z");

        Assert.Equal(time.GetUtcNow(), clock.UtcNow);
        Assert.Equal(TimeSpan.Zero, clock.UtcNow.Offset);
    }

    [Fact]
    public void ToBrandTime_keeps_the_instant_and_shows_it_at_plus_eight_hours()
    {
        var (clock, _) = ClockAt("2026-01-31T17:00:00Z");

        var local = clock.ToBrandTime(clock.UtcNow);

        Assert.Equal(TimeSpan.FromHours(8), local.Offset);
        Assert.Equal(new DateTime(2026, 2, 1, 1, 0, 0), local.DateTime);
        Assert.Equal(clock.UtcNow, local); // same instant
    }

    [Fact]
    public void Today_uses_the_configured_zone_not_the_machine_zone()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 31, 17, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 1, 31), new BrandClock(time, TimeZoneInfo.Utc).Today);
        Assert.Equal(new DateOnly(2026, 2, 1), new BrandClock(time, Shanghai).Today);
    }

    [Fact]
    public void FindZone_knows_Asia_Shanghai()
    {
        Assert.Equal(TimeSpan.FromHours(8), BrandClock.FindZone("Asia/Shanghai").BaseUtcOffset);
    }
}
