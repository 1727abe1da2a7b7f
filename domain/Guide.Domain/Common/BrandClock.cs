namespace Guide.Domain.Common;

/// <summary>
/// Now, as a UTC instant, plus the brand's time zone for business periods (commission months, daily
/// caps, birthdays). Everything stored is UTC; only periods are computed in the brand's zone.
/// </summary>
public sealed class BrandClock(TimeProvider time, TimeZoneInfo zone)
{
    public TimeZoneInfo Zone { get; } = zone;

    public DateTimeOffset UtcNow => time.GetUtcNow();

    public DateTimeOffset ToBrandTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public DateOnly Today => DateOnly.FromDateTime(ToBrandTime(UtcNow).DateTime);

    public static TimeZoneInfo FindZone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);
}
