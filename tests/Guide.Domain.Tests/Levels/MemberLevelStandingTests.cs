using Guide.Domain.Common;
using Guide.Domain.Levels;
using Guide.Domain.Wallets;
using Microsoft.Extensions.Time.Testing;

namespace Guide.Domain.Tests.Levels;

public class MemberLevelStandingTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 4, 0, 0, TimeSpan.Zero);

    private static readonly MemberLevel[] Levels =
    [
        new(1, "银卡", 100_000, 1.0m, Now), new(2, "金卡", 500_000, 1.2m, Now), new(3, "钻石卡", 2_000_000, 1.5m, Now),
    ];

    private static LevelGrant Grant(int rank, DateTimeOffset? until, RechargeStatus status = RechargeStatus.Paid) => new(Guid.NewGuid(), status, rank, until);

    [Theory]
    [InlineData(0L, 0)]
    [InlineData(99_999L, 0)]
    [InlineData(100_000L, 1)]   // the threshold itself reaches the level
    [InlineData(499_999L, 1)]
    [InlineData(500_000L, 2)]
    [InlineData(-30_000L, 0)]   // refunds of sales outside the window cannot push below nothing into a level
    public void The_threshold_gives_the_highest_level_the_paid_amount_reaches(long paid, int rank) =>
        Assert.Equal(rank, MemberLevelStanding.Decide(Levels, ThresholdBasis.Lifetime, paid, [], Now).Rank);

    [Fact]
    public void An_archived_level_is_not_reached_by_threshold()
    {
        var levels = new[] { new MemberLevel(1, "银卡", 100_000, 1.0m, Now), new MemberLevel(2, "旧金卡", 500_000, 1.2m, Now) };
        levels[1].Archive();
        Assert.Equal(1, MemberLevelStanding.Decide(levels, ThresholdBasis.Lifetime, 600_000, [], Now).Rank);
    }

    [Fact]
    public void The_highest_of_threshold_and_a_still_valid_grant_wins()
    {
        var granted = MemberLevelStanding.Decide(Levels, ThresholdBasis.Lifetime, 500_000, [Grant(3, Now.AddDays(1))], Now);
        Assert.Equal((3, LevelSource.Grant, Now.AddDays(1)), (granted.Rank, granted.Source, granted.GrantValidUntil));
        var reached = MemberLevelStanding.Decide(Levels, ThresholdBasis.Lifetime, 2_000_000, [Grant(2, null)], Now);
        Assert.Equal((3, LevelSource.Threshold), (reached.Rank, reached.Source));
        var equal = MemberLevelStanding.Decide(Levels, ThresholdBasis.Lifetime, 500_000, [Grant(2, null)], Now);
        Assert.Equal(LevelSource.Threshold, equal.Source); // the threshold does not lapse
    }

    [Fact]
    public void A_grant_ends_at_its_validity_and_with_its_recharge_refunded()
    {
        Assert.Equal(0, MemberLevelStanding.Decide(Levels, ThresholdBasis.Lifetime, 0, [Grant(3, Now)], Now).Rank);
        Assert.Equal(0, MemberLevelStanding.Decide(Levels, ThresholdBasis.Lifetime, 0, [Grant(3, null, RechargeStatus.Refunding)], Now).Rank);
        Assert.Equal(0, MemberLevelStanding.Decide(Levels, ThresholdBasis.Lifetime, 0, [Grant(3, null, RechargeStatus.Refunded)], Now).Rank);
        var forGood = MemberLevelStanding.Decide(Levels, ThresholdBasis.Lifetime, 0, [Grant(3, Now.AddDays(30)), Grant(3, null)], Now);
        Assert.Equal((3, (DateTimeOffset?)null), (forGood.Rank, forGood.GrantValidUntil)); // the longest grant of the top rank: for good
    }

    [Fact]
    public void The_trailing_window_opens_at_brand_midnight_twelve_months_ago()
    {
        // 2026-06-01 04:00 UTC is noon on 1 June in Shanghai: the window opens 2025-06-01 00:00 +08:00 = 2025-05-31 16:00 UTC.
        var clock = new BrandClock(new FakeTimeProvider(Now), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Equal(new DateTimeOffset(2025, 5, 31, 16, 0, 0, TimeSpan.Zero), MemberLevels.TrailingWindowStart(clock));
    }
}
