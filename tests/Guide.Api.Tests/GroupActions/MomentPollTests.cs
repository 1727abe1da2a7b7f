using Guide.Api.Tests.Support;
using Guide.Domain.GroupActions;
using Guide.Weixin.Fake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.GroupActions;

/// <summary>
/// The moment poll against the fake WeCom: listings in windows of at most 30 days and pages of 20, resumed at the
/// saved cursor after a failed page; likes and comments of customers (not colleagues) recorded once each per
/// customer, moment and kind however often the moment is polled. The listing's position and the moments are one
/// per database, so each test starts them (and the fake's moments) afresh: this class owns its fixture.
/// </summary>
public abstract class MomentPollTests<TFixture>(TFixture fixture) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    private const string Moment = "moment";

    // WeCom counts in whole seconds.
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private async Task StartAfreshAsync()
    {
        Api.Weixin.ClearMoments();
        await Api.InScopeAsync(async db =>
        {
            await db.WeComMomentPolls.ExecuteDeleteAsync();
            await db.WeComMoments.ExecuteDeleteAsync();
        });
    }

    private Task<string> RunAsync(MomentPollOptions options) =>
        Api.InScopeAsync(sp => sp.GetRequiredService<MomentPollRun>().RunAsync(options, CancellationToken.None));

    private static MomentPollOptions Days(int lookBack, int pollWithin = 30) => new(TimeSpan.FromDays(lookBack), TimeSpan.FromDays(pollWithin));

    private Task<List<WeComMoment>> MomentsAsync(string prefix) =>
        Api.DbAsync(db => db.WeComMoments.AsNoTracking().Where(m => m.MomentId.StartsWith(prefix)).ToListAsync());

    private Task<List<GroupAction>> ActionsAsync(string prefix) =>
        Api.DbAsync(db => db.GroupActions.AsNoTracking().Where(a => a.Target.StartsWith(prefix)).ToListAsync());

    private Task<WeComMomentPoll?> PollAsync() => Api.DbAsync(db => db.WeComMomentPolls.AsNoTracking().SingleOrDefaultAsync());

    private static FakeMomentInteraction Customer(string externalUserId, DateTimeOffset at) => new(externalUserId, null, at);
    private static FakeMomentInteraction Colleague(string userId, DateTimeOffset at) => new(null, userId, at);

    private static string Snapshot(IEnumerable<GroupAction> actions) =>
        string.Join("\n", actions.OrderBy(a => a.Target).ThenBy(a => a.Kind).ThenBy(a => a.ExternalUserId)
            .Select(a => $"{a.Target} {a.Kind} {a.ExternalUserId} {a.GuideUserId} {a.OccurredAt.ToUnixTimeSeconds()} {a.Id} {a.RecordedAt.UtcTicks}"));

    [SkippableFact]
    public async Task Forty_five_moments_over_seventy_days_are_all_listed_in_windows_of_at_most_thirty_days()
    {
        await StartAfreshAsync();
        var prefix = ApiFixture.Unique(Moment);
        var guide = ApiFixture.Unique("guide");
        // Look back 75 days from now (R): windows [R-75d, R-45d], [R-45d-10min, R-15d-10min], [R-15d-20min, R]
        // (each starts 10 minutes before the last ended). 21 moments in the first (2 pages), 21 in the second (2 pages),
        // 3 in the third (1 page): 5 list calls. None lies in an overlap.
        var times = Enumerable.Range(0, 21).Select(i => Now.AddDays(-72).AddHours(i))
            .Concat(Enumerable.Range(0, 21).Select(i => Now.AddDays(-40).AddHours(i)))
            .Concat(Enumerable.Range(0, 3).Select(i => Now.AddDays(-2).AddHours(i)))
            .ToList();
        for (var i = 0; i < times.Count; i++) Api.Weixin.AddMoment(new FakeMoment($"{prefix}-{i:D2}", guide, times[i]));
        var calls = Api.Weixin.Calls(FakeWeixinApis.MomentList);

        await RunAsync(Days(75));

        // A window over 30 days would have been refused (40058 in the fake, before the call in the client): moments missing.
        Assert.Equal(5, Api.Weixin.Calls(FakeWeixinApis.MomentList) - calls);
        var moments = await MomentsAsync(prefix);
        Assert.Equal(45, moments.Count);
        Assert.Equal(times.Order(), moments.Select(m => m.CreatedAt).Order());
        Assert.All(moments, m => Assert.Equal(guide, m.CreatorUserId));
        var poll = Assert.IsType<WeComMomentPoll>(await PollAsync());
        Assert.False(poll.InWindow);
        Assert.True(poll.ListedUntil >= Now, $"listed until {poll.ListedUntil:o}");

        // The next run lists only since then (one page, nothing new); the moments of the last 30 days were polled.
        calls = Api.Weixin.Calls(FakeWeixinApis.MomentList);
        await RunAsync(Days(75));
        Assert.Equal(1, Api.Weixin.Calls(FakeWeixinApis.MomentList) - calls);
        moments = await MomentsAsync(prefix);
        Assert.Equal(45, moments.Count);
        Assert.Equal(3, moments.Count(m => m.PolledCount == 2));
        Assert.Equal(42, moments.Count(m => m.PolledCount == 0));
    }

    [SkippableFact]
    public async Task Likes_and_comments_are_one_action_each_per_customer_moment_and_kind_however_often_polled()
    {
        await StartAfreshAsync();
        var prefix = ApiFixture.Unique(Moment);
        var (guide, otherGuide) = (ApiFixture.Unique("guide"), ApiFixture.Unique("guide"));
        var (c1, c2, c3) = (ApiFixture.Unique("wm"), ApiFixture.Unique("wm"), ApiFixture.Unique("wm"));
        var posted = Now.AddHours(-3);
        Api.Weixin.AddMoment(new FakeMoment(prefix + "-a", guide, posted)
        {
            Likes = [Customer(c1, posted.AddMinutes(1)), Customer(c2, posted.AddMinutes(2)), Colleague(otherGuide, posted.AddMinutes(3))],
            // c1 comments twice: one action, at the first comment.
            Comments = [Customer(c1, posted.AddMinutes(5)), Customer(c3, posted.AddMinutes(6)), Customer(c1, posted.AddMinutes(7)),
                Colleague(otherGuide, posted.AddMinutes(8))],
        });
        Api.Weixin.AddMoment(new FakeMoment(prefix + "-b", otherGuide, posted.AddMinutes(30)) { Likes = [Customer(c1, posted.AddMinutes(31))] });

        await RunAsync(Days(1));

        var actions = await ActionsAsync(prefix);
        string Key(GroupAction a) => $"{a.Target}|{a.Kind}|{a.ExternalUserId}|{a.GuideUserId}|{a.OccurredAt.ToUnixTimeSeconds()}";
        var expected = new[]
        {
            $"{prefix}-a|{GroupActionKind.LikeMoment}|{c1}|{guide}|{posted.AddMinutes(1).ToUnixTimeSeconds()}",
            $"{prefix}-a|{GroupActionKind.LikeMoment}|{c2}|{guide}|{posted.AddMinutes(2).ToUnixTimeSeconds()}",
            $"{prefix}-a|{GroupActionKind.CommentMoment}|{c1}|{guide}|{posted.AddMinutes(5).ToUnixTimeSeconds()}",
            $"{prefix}-a|{GroupActionKind.CommentMoment}|{c3}|{guide}|{posted.AddMinutes(6).ToUnixTimeSeconds()}",
            $"{prefix}-b|{GroupActionKind.LikeMoment}|{c1}|{otherGuide}|{posted.AddMinutes(31).ToUnixTimeSeconds()}",
        };
        Assert.Equal(expected.Order(), actions.Select(Key).Order());
        Assert.All(actions, a => Assert.Equal(GroupActionStatus.Pending, a.Status));
        Assert.DoesNotContain(actions, a => a.ExternalUserId == otherGuide);

        // Polled again (twice): the same lists, nothing new, nothing changed.
        var first = Snapshot(actions);
        await RunAsync(Days(1));
        await RunAsync(Days(1));
        Assert.Equal(first, Snapshot(await ActionsAsync(prefix)));
        Assert.All(await MomentsAsync(prefix), m => Assert.Equal(3, m.PolledCount));
    }

    [SkippableFact]
    public async Task A_like_that_comes_after_the_first_poll_is_found_by_a_later_one()
    {
        await StartAfreshAsync();
        var prefix = ApiFixture.Unique(Moment);
        var guide = ApiFixture.Unique("guide");
        var (c1, c2) = (ApiFixture.Unique("wm"), ApiFixture.Unique("wm"));
        var posted = Now.AddDays(-2);
        var moment = new FakeMoment(prefix + "-a", guide, posted) { Likes = [Customer(c1, posted.AddHours(1))] };
        Api.Weixin.AddMoment(moment);

        await RunAsync(Days(3));
        var first = Assert.Single(await ActionsAsync(prefix));
        Assert.Equal((GroupActionKind.LikeMoment, c1), (first.Kind, first.ExternalUserId));

        // A day later c2 likes and comments; the moment is already listed, the poll reads its lists again.
        Api.Weixin.AddMoment(moment with
        {
            Likes = [Customer(c1, posted.AddHours(1)), Customer(c2, posted.AddDays(1))],
            Comments = [Customer(c2, posted.AddDays(1).AddMinutes(1))],
        });
        await RunAsync(Days(3));

        var actions = await ActionsAsync(prefix);
        Assert.Equal(3, actions.Count);
        Assert.Equal(first.Id, Assert.Single(actions, a => a.ExternalUserId == c1).Id);
        Assert.Equal(posted.AddDays(1), Assert.Single(actions, a => a is { Kind: GroupActionKind.LikeMoment } && a.ExternalUserId == c2).OccurredAt);
        Assert.Equal(posted.AddDays(1).AddMinutes(1), Assert.Single(actions, a => a is { Kind: GroupActionKind.CommentMoment } && a.ExternalUserId == c2).OccurredAt);
        Assert.Single(await MomentsAsync(prefix));
    }

    [SkippableFact]
    public async Task A_listing_stopped_by_a_failed_page_goes_on_at_the_saved_cursor_and_records_nothing_twice()
    {
        await StartAfreshAsync();
        var prefix = ApiFixture.Unique(Moment);
        var guide = ApiFixture.Unique("guide");
        var (liker, commenter) = (ApiFixture.Unique("wm"), ApiFixture.Unique("wm"));
        // Look back 40 days from now (R): windows [R-40d, R-10d] and [R-10d-10min, R]. 41 moments in the first
        // (pages of 20, 20, 1), 4 in the second (1 page). Every moment liked by one customer, every fifth commented by another.
        var times = Enumerable.Range(0, 41).Select(i => Now.AddDays(-39).AddMinutes(10 * i))
            .Concat(Enumerable.Range(0, 4).Select(i => Now.AddDays(-5).AddHours(i))).ToList();
        for (var i = 0; i < times.Count; i++)
        {
            Api.Weixin.AddMoment(new FakeMoment($"{prefix}-{i:D2}", guide, times[i])
            {
                Likes = [Customer(liker, times[i].AddMinutes(1))],
                Comments = i % 5 == 0 ? [Customer(commenter, times[i].AddMinutes(2)), Customer(commenter, times[i].AddMinutes(3))] : [],
            });
        }
        var options = Days(40, pollWithin: 45);
        // The third page fails, as a crash after two pages would leave it.
        Api.Weixin.FailNext(FakeWeixinApis.MomentList, 45009, "api freq out of limit", afterCalls: 2);
        var calls = Api.Weixin.Calls(FakeWeixinApis.MomentList);

        await RunAsync(options);

        Assert.Equal(3, Api.Weixin.Calls(FakeWeixinApis.MomentList) - calls);
        Assert.Equal(40, (await MomentsAsync(prefix)).Count);
        var poll = Assert.IsType<WeComMomentPoll>(await PollAsync());
        Assert.True(poll.InWindow);
        Assert.True(poll.ListedUntil < Now.AddDays(-39));
        // The 40 moments listed were polled: 40 likes, 8 comments.
        var actions = await ActionsAsync(prefix);
        Assert.Equal(40, actions.Count(a => a.Kind == GroupActionKind.LikeMoment));
        Assert.Equal(8, actions.Count(a => a.Kind == GroupActionKind.CommentMoment));

        // The next run asks for the third page (its saved cursor), then the second window: 2 calls, not the 4 from scratch.
        calls = Api.Weixin.Calls(FakeWeixinApis.MomentList);
        await RunAsync(options);
        Assert.Equal(2, Api.Weixin.Calls(FakeWeixinApis.MomentList) - calls);
        var moments = await MomentsAsync(prefix);
        Assert.Equal(45, moments.Count);
        Assert.Equal(times.Order(), moments.Select(m => m.CreatedAt).Order());
        poll = Assert.IsType<WeComMomentPoll>(await PollAsync());
        Assert.False(poll.InWindow);
        Assert.True(poll.ListedUntil >= Now);

        actions = await ActionsAsync(prefix);
        Assert.Equal(45, actions.Count(a => a.Kind == GroupActionKind.LikeMoment));
        Assert.Equal(9, actions.Count(a => a.Kind == GroupActionKind.CommentMoment));
        Assert.Equal(actions.Count, actions.Select(a => (a.Kind, a.ExternalUserId, a.Target)).Distinct().Count());

        var settled = Snapshot(actions);
        await RunAsync(options);
        Assert.Equal(settled, Snapshot(await ActionsAsync(prefix)));
        Assert.Equal(45, (await MomentsAsync(prefix)).Count);
    }

    [SkippableFact]
    public async Task A_page_read_by_two_runs_is_saved_by_the_first_only()
    {
        await StartAfreshAsync();
        var prefix = ApiFixture.Unique(Moment);
        var guide = ApiFixture.Unique("guide");
        var (start, end) = (Now.AddDays(-30), Now);
        WeComMomentFacts[] page = [new(prefix + "-a", guide, Now.AddDays(-1)), new(prefix + "-b", guide, Now.AddDays(-1).AddMinutes(1))];

        // Both read the listing before either saved (version 0): the later save finds it moved on and applies nothing.
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Api.SendAsync(new RecordMomentPage(0, start, end, page, "20"))));

        Assert.Equal([2], results.Where(r => r is not null).Select(r => r!.Value));
        Assert.Single(results, r => r is null);
        Assert.Equal(2, (await MomentsAsync(prefix)).Count);
        var poll = Assert.IsType<WeComMomentPoll>(await PollAsync());
        Assert.Equal((1, "20", start, end), (poll.Version, poll.Cursor, poll.WindowStart!.Value, poll.WindowEnd!.Value));
    }

    [SkippableFact]
    public async Task A_failing_moment_does_not_stop_the_others_and_is_polled_first_next_run()
    {
        await StartAfreshAsync();
        var prefix = ApiFixture.Unique(Moment);
        var guide = ApiFixture.Unique("guide");
        var customer = ApiFixture.Unique("wm");
        var posted = Now.AddHours(-5);
        for (var i = 0; i < 3; i++)
            Api.Weixin.AddMoment(new FakeMoment($"{prefix}-{i}", guide, posted.AddHours(i)) { Likes = [Customer(customer, posted.AddHours(i).AddMinutes(1))] });
        await RunAsync(Days(1)); // listed and polled once: 3 likes
        Assert.Equal(3, (await ActionsAsync(prefix)).Count);

        Api.Weixin.AddMoment(new FakeMoment($"{prefix}-3", guide, Now.AddMinutes(-1)) { Likes = [Customer(customer, Now)] });
        // The moments are polled least recently polled first: the new one first, whose read fails.
        Api.Weixin.FailNext(FakeWeixinApis.MomentComments, 45009, "api freq out of limit");
        await RunAsync(Days(1));
        var moments = (await MomentsAsync(prefix)).ToDictionary(m => m.MomentId);
        Assert.Equal(0, moments[$"{prefix}-3"].PolledCount);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(2, moments[$"{prefix}-{i}"].PolledCount));
        Assert.Equal(3, (await ActionsAsync(prefix)).Count);

        await RunAsync(Days(1));
        Assert.Equal(1, (await MomentsAsync(prefix)).Single(m => m.MomentId == $"{prefix}-3").PolledCount);
        Assert.Equal(4, (await ActionsAsync(prefix)).Count);
    }

    [SkippableFact]
    public async Task A_known_members_like_is_awarded_by_the_same_run_once()
    {
        await StartAfreshAsync();
        var prefix = ApiFixture.Unique(Moment);
        var guide = ApiFixture.Unique("guide");
        var (customer, unionId) = (ApiFixture.Unique("wm"), ApiFixture.Unique("union"));
        // The like rule is the class's own (one live rule per kind); the comment has none.
        await Api.InScopeAsync(async db =>
        {
            if (!await db.GroupActionRules.AnyAsync(r => r.LiveKind == GroupActionKind.LikeMoment))
            {
                db.GroupActionRules.Add(new GroupActionRule(GroupActionKind.LikeMoment, "点赞朋友圈", 10, null, null, null, false, null, DateTimeOffset.UtcNow));
                await db.SaveChangesAsync();
            }
        });
        var member = await Api.LogInMemberAsync(unionId: unionId);
        await Api.SendAsync(new LearnWeComCustomer(customer, unionId, null));
        var posted = Now.AddHours(-1);
        Api.Weixin.AddMoment(new FakeMoment(prefix + "-a", guide, posted)
        {
            Likes = [Customer(customer, posted.AddMinutes(1))],
            Comments = [Customer(customer, posted.AddMinutes(2))],
        });

        await RunAsync(Days(1));
        await RunAsync(Days(1));

        var actions = await ActionsAsync(prefix);
        var like = Assert.Single(actions, a => a.Kind == GroupActionKind.LikeMoment);
        Assert.Equal((GroupActionStatus.Awarded, member.Id, 10L), (like.Status, like.MemberId!.Value, like.Points));
        var comment = Assert.Single(actions, a => a.Kind == GroupActionKind.CommentMoment);
        Assert.Equal((GroupActionStatus.NotAwarded, GroupActionOutcome.NoRule), (comment.Status, comment.Outcome));
        var entries = await Api.DbAsync(db => db.PointsEntries.AsNoTracking().Where(e => e.MemberId == member.Id).ToListAsync());
        var entry = Assert.Single(entries);
        Assert.Equal((10L, like.PointsEntryId), (entry.Delta, (Guid?)entry.Id));
    }

    [SkippableFact]
    public async Task Colleagues_likes_and_comments_are_not_actions_and_corp_moments_are_listed_but_not_polled()
    {
        await StartAfreshAsync();
        var prefix = ApiFixture.Unique(Moment);
        var (guide, colleague) = (ApiFixture.Unique("guide"), ApiFixture.Unique("guide"));
        var customer = ApiFixture.Unique("wm");
        var posted = Now.AddHours(-2);
        Api.Weixin.AddMoment(new FakeMoment(prefix + "-guide", guide, posted)
        {
            Likes = [Colleague(colleague, posted.AddMinutes(1))],
            Comments = [Colleague(colleague, posted.AddMinutes(2))],
        });
        // Posted by the corp (no creator): only get_moment_task would say which guides' copies to read.
        Api.Weixin.AddMoment(new FakeMoment(prefix + "-corp", "", posted.AddMinutes(10), CreateType: 0) { Likes = [Customer(customer, posted.AddMinutes(11))] });
        var comments = Api.Weixin.Calls(FakeWeixinApis.MomentComments);

        await RunAsync(Days(1));

        Assert.Empty(await ActionsAsync(prefix));
        var moments = (await MomentsAsync(prefix)).ToDictionary(m => m.MomentId);
        Assert.Equal(2, moments.Count);
        Assert.Equal(1, moments[prefix + "-guide"].PolledCount);
        Assert.Null(moments[prefix + "-corp"].CreatorUserId);
        Assert.Equal(0, moments[prefix + "-corp"].PolledCount);
        Assert.Equal(1, Api.Weixin.Calls(FakeWeixinApis.MomentComments) - comments);
    }
}

public sealed class MomentPollTestsOnSqlite(SqliteApi fixture) : MomentPollTests<SqliteApi>(fixture), IClassFixture<SqliteApi>;

public sealed class MomentPollTestsOnMySql(MySqlApi fixture) : MomentPollTests<MySqlApi>(fixture), IClassFixture<MySqlApi>;
