using Guide.Api.Tests.Support;
using Guide.Domain.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Messaging;

/// <summary>
/// Two drains at once on a real MariaDB (InnoDB row locks; SQLite serializes writers by itself): 50 members with two marketing
/// messages each under a cap of 1 a day. Each instance claims one message at a time and a member's two messages are next to each
/// other in the claim order (same priority, one priority per member), so the two instances gate the same member's messages at the
/// same moment: only the consent row's lock keeps them from both passing.
/// </summary>
public sealed class MessageDrainRaceTestsOnMySql(MySqlApi fixture) : ApiTest<MySqlApi>(fixture), IClassFixture<MySqlApi>
{
    private const int Members = 50;

    [SkippableFact]
    public async Task Two_drains_at_once_pass_exactly_one_message_per_member_under_a_cap_of_one()
    {
        await Api.SetFatigueRulesAsync(new FatigueRules([new FatigueWindow(null, 1, 1, FatigueWindowKind.Calendar)], null, [], [], false));
        var members = new List<Guid>();
        for (var i = 0; i < Members; i++)
        {
            var member = await Api.CreateMessagingMemberAsync(phone: true);
            members.Add(member.Id);
            foreach (var n in new[] { 1, 2 })
                await Api.InScopeAsync(sp => sp.GetRequiredService<MessageGateway>().QueueAsync(
                    new MessageRequest(member.Id, MessageChannel.Sms, MessageKind.Marketing, $"race:{member.Id}:{n}", Text: "会员日", Priority: 1000 - i),
                    CancellationToken.None));
        }

        using var start = new SemaphoreSlim(0, 2);
        Task<string> Drain() => Api.InScopeAsync(async sp =>
        {
            var run = sp.GetRequiredService<MessageDrainRun>();
            run.BatchSize = 1;
            await start.WaitAsync();
            return await run.RunAsync(TimeSpan.FromMinutes(2), CancellationToken.None);
        });
        var drains = new[] { Task.Run(Drain), Task.Run(Drain) };
        start.Release(2);
        var summaries = await Task.WhenAll(drains);

        var touches = await Api.DbAsync(db => db.Touches.AsNoTracking().Where(t => members.Contains(t.MemberId))
            .GroupBy(t => t.MemberId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        var messages = await Api.DbAsync(db => db.OutboundMessages.AsNoTracking().Where(m => members.Contains(m.MemberId)).ToListAsync());
        var doubled = touches.Where(t => t.Count != 1).Select(t => t.Key).ToList();
        Assert.True(doubled.Count == 0, $"{doubled.Count} member(s) touched more than once; drains: {string.Join(" | ", summaries)}");
        Assert.Equal(Members, touches.Count);
        foreach (var perMember in messages.GroupBy(m => m.MemberId))
        {
            Assert.Equal(1, perMember.Count(m => m.Status == MessageStatus.Sent));
            var blocked = Assert.Single(perMember, m => m.Status == MessageStatus.Blocked);
            Assert.Equal(MessageBlockReason.Cap, blocked.Reason);
        }
        // Both instances did part of the work (else the test raced nothing).
        Assert.All(summaries, s => Assert.DoesNotContain("sent 0, awaiting guide 0, blocked 0", s));
    }
}
