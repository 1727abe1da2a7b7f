using Guide.Api.Tests.Support;
using Guide.Domain.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Api.Tests.Messaging;

/// <summary>
/// Two drains at once on a real MariaDB (InnoDB row locks; SQLite serializes writers by itself): 50 members with two marketing
/// messages each under a cap of 1 a day. A member's two messages are next to each other in the claim order (same priority, one
/// priority per member). Claiming one message at a time, the two instances gate the same member's messages at the same moment;
/// claiming 7 at a time (odd: a member's pair straddles two claims), each instance gates a batch that shares its first or last
/// member with the other's. Only the consent row's lock keeps both from passing (whether the row is created by the gate, whose
/// insert of a new key already makes the second instance wait, or exists before, when only <c>FOR UPDATE</c> does).
/// </summary>
public sealed class MessageDrainRaceTestsOnMySql(MySqlApi fixture) : ApiTest<MySqlApi>(fixture), IClassFixture<MySqlApi>
{
    private const int Members = 50;

    [SkippableTheory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(7, false)]
    [InlineData(7, true)]
    public async Task Two_drains_at_once_pass_exactly_one_message_per_member_under_a_cap_of_one(int batchSize, bool consentRowsExist)
    {
        await Api.SetFatigueRulesAsync(new FatigueRules([new FatigueWindow(null, 1, 1, FatigueWindowKind.Calendar)], null, [], [], false));
        var members = new List<Guid>();
        for (var i = 0; i < Members; i++)
        {
            var member = await Api.CreateMessagingMemberAsync(phone: true);
            members.Add(member.Id);
            // A member with a consent row already (they set their subscriptions, or were gated before): no insert of a new row
            // serializes the two instances, only the row's lock does.
            if (consentRowsExist)
                await Api.DbAsync(db =>
                {
                    db.Add(new MemberMessageConsent(member.Id, DateTimeOffset.UtcNow));
                    return db.SaveChangesAsync();
                });
            foreach (var n in new[] { 1, 2 })
                await Api.InScopeAsync(sp => sp.GetRequiredService<MessageGateway>().QueueAsync(
                    new MessageRequest(member.Id, MessageChannel.Sms, MessageKind.Marketing, $"race{batchSize}{consentRowsExist}:{member.Id}:{n}", Text: "会员日", Priority: 1000 - i),
                    CancellationToken.None));
        }

        using var start = new SemaphoreSlim(0, 2);
        Task<string> Drain() => Api.InScopeAsync(async sp =>
        {
            var run = sp.GetRequiredService<MessageDrainRun>();
            run.BatchSize = batchSize;
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
