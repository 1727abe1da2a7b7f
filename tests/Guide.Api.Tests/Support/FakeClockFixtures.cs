using Guide.Api.Auth;
using Guide.Domain.Common;
using Guide.Domain.Members;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Guide.Api.Tests.Support;

/// <summary>A fixture whose host reads the time from a <see cref="FakeTimeProvider"/> the test sets.</summary>
public interface IFakeClockFixture
{
    /// <summary>The host's clock: every "now" of the host (ledger times, tokens, signatures) comes from it.</summary>
    FakeTimeProvider Time { get; }
}

/// <summary>A host whose <see cref="TimeProvider"/> (and so its BrandClock) is <paramref name="time"/>.</summary>
internal sealed class FakeClockApiFactory(IReadOnlyDictionary<string, string?> settings, FakeTimeProvider time) : GuideApiFactory(settings)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(time);
        });
    }
}

/// <summary>
/// SQLite with a fake clock, on a database of its own: a test class that uses it owns every wallet in it, so
/// database-wide sums (the liability report's outstanding) are exact.
/// </summary>
public sealed class FakeClockSqliteApi : SqliteApi, IFakeClockFixture
{
    public FakeTimeProvider Time { get; } = new(FakeClock.Start);

    private protected override GuideApiFactory CreateFactory(IReadOnlyDictionary<string, string?> settings) => new FakeClockApiFactory(settings, Time);
}

/// <summary>MySQL with a fake clock, on a database of its own (see <see cref="FakeClockSqliteApi"/>).</summary>
public sealed class FakeClockMySqlApi : MySqlApi, IFakeClockFixture
{
    public FakeTimeProvider Time { get; } = new(FakeClock.Start);

    private protected override GuideApiFactory CreateFactory(IReadOnlyDictionary<string, string?> settings) => new FakeClockApiFactory(settings, Time);
}

public static class FakeClock
{
    /// <summary>Where a fake clock starts: noon of 2026-03-14 in Shanghai. Tests move it forward (it cannot go back).</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 14, 12, 0, 0, TimeSpan.FromHours(8));
}

/// <summary>
/// Tokens for a host on a fake clock. The host issues tokens at its own (fake) time, but JwtBearer checks their
/// lifetime against the system clock, so a token issued at a fake time in the past arrives expired. These are
/// issued by the host's own <see cref="TokenIssuer"/> (its key and audiences) over the real clock instead.
/// </summary>
public static class RealClockTokens
{
    private static TokenIssuer Issuer(ApiFixture api) =>
        new(api.Factory.Services.GetRequiredService<IOptions<AuthOptions>>(),
            new BrandClock(TimeProvider.System, api.Factory.Services.GetRequiredService<BrandClock>().Zone));

    public static async Task<string> AdminTokenAsync(this ApiFixture api) => Issuer(api).ForAdmin(await api.CreateAdminAsync()).AccessToken;

    /// <summary>A guide token for an existing guide (as the WeCom log-in would issue it).</summary>
    public static string GuideToken(this ApiFixture api, Guide.Domain.Organization.ShoppingGuide guide) =>
        Issuer(api).ForGuide(new Guide.Domain.Organization.GuideSession(guide.Id, guide.WeComUserId, guide.Name, guide.Role, guide.StoreId)).AccessToken;

    /// <summary>A member token for an existing member (<see cref="ApiFixture.LogInMemberAsync"/> creates one).</summary>
    public static string MemberToken(this ApiFixture api, Guid memberId) =>
        Issuer(api).ForMember(new ShopperSession(memberId, "", FirstLogIn: false)).AccessToken;
}
