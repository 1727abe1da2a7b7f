using Guide.Api.Infrastructure;
using Guide.Domain.Common;
using Guide.Domain.Jobs;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Guide.Api.Jobs;

/// <summary>
/// Quartz.NET: on MySQL its clustered ADO.NET store (tables created by our MySQL migrations), so a job
/// fires on one instance of the chain; on SQLite (one process) the in-memory store.
/// Schedules are cron expressions in configuration (<c>Jobs:{JobName}:Cron</c>), in the brand's time zone.
/// </summary>
public static class JobSetup
{
    public static IServiceCollection AddGuideJobs(this IServiceCollection services, IConfiguration configuration, DatabaseSettings database, TimeZoneInfo zone)
    {
        if (!configuration.GetValue("Jobs:Enabled", true)) return services;

        services.AddQuartz(q =>
        {
            // Every node of a cluster shares the name; each generates its own instance id at start-up.
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "guide";
                s.GenerateInstanceId = true;
                s.IdleWaitTime = TimeSpan.FromSeconds(configuration.GetValue("Jobs:IdleWaitSeconds", 30.0));
            });
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = 4);
            if (database.Provider == DatabaseProvider.MySql)
            {
                q.UsePersistentStore(store =>
                {
                    store.UseMySqlConnector(database.ConnectionString);
                    store.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(configuration.GetValue("Jobs:ClusterCheckinSeconds", 7.5)));
                    // Our MySQL migrations create the QRTZ_ tables; the store only checks them (the default).
                    store.ConfigureStore(o => o.SchemaProvisioning = SchemaProvisioning.Validate);
                });
            }

            Schedule<PurgeIntegrationNoncesJob>(q, configuration, zone, "0 17 * * * ?");
            Schedule<SettleRechargesJob>(q, configuration, zone, "0 0/5 * * * ?");
            Schedule<SettleMallPaymentsJob>(q, configuration, zone, "30 0/2 * * * ?");
            Schedule<PurgeWalletTokensJob>(q, configuration, zone, "0 23 4 * * ?");
            Schedule<ExpirePointsJob>(q, configuration, zone, "0 5 0 * * ?");
            Schedule<RemindExpiringPointsJob>(q, configuration, zone, "0 0 10 * * ?");
            Schedule<ExpireLevelGrantsJob>(q, configuration, zone, "0 10 0 * * ?");
            Schedule<ReevaluateMemberLevelsJob>(q, configuration, zone, "0 * * * * ?");
            Schedule<ProcessWeComEventsJob>(q, configuration, zone, "0/10 * * * * ?");
            Schedule<PollWeComMomentsJob>(q, configuration, zone, "0 0/15 * * * ?");
            Schedule<PostWaitingRefundsJob>(q, configuration, zone, "45 * * * * ?");
            Schedule<GenerateCareTasksJob>(q, configuration, zone, "15 0/5 * * * ?");
            Schedule<ExpireCareTasksJob>(q, configuration, zone, "40 0/5 * * * ?");
            Schedule<SendMessagesJob>(q, configuration, zone, "0/10 * * * * ?");
            Schedule<ResumeCampaignsJob>(q, configuration, zone, "20 * * * * ?");
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    private static void Schedule<TJob>(IQuartzBuilder q, IConfiguration configuration, TimeZoneInfo zone, string defaultCron)
        where TJob : IJob
    {
        var name = typeof(TJob).Name.Replace("Job", "", StringComparison.Ordinal);
        var cron = configuration[$"Jobs:{name}:Cron"] ?? defaultCron;
        var key = new JobKey(name, "guide");
        q.AddJob<TJob>(j => j.WithIdentity(key).StoreDurably().DisallowConcurrentExecution());
        // A cron start (not StartNow) so that a second instance re-registering the trigger at start-up adds no fire.
        q.AddTrigger(t => t.ForJob(key).WithIdentity(name + ".trigger", "guide")
            .WithSchedule(CronScheduleBuilder.Create(cron).InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
    }
}

/// <summary>
/// Base of our jobs: records each run in <see cref="JobRun"/> (what ran, on which instance, how it ended),
/// and gives the job a fresh scope. The work itself is idempotent by unique keys, so a double run changes nothing.
/// </summary>
public abstract class GuideJob(IServiceScopeFactory scopes, ILogger logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // The run's record has a scope (and DbContext) of its own: the work's commands clear their context's change
        // tracker (the transaction policy), which would otherwise drop the record's finish.
        await using var recordScope = scopes.CreateAsyncScope();
        await using var scope = scopes.CreateAsyncScope();
        var db = recordScope.ServiceProvider.GetRequiredService<GuideDbContext>();
        var clock = recordScope.ServiceProvider.GetRequiredService<BrandClock>();
        var run = new JobRun(context.JobDetail.Key.Name, context.FireInstanceId, context.Scheduler.SchedulerInstanceId,
            context.ScheduledFireTimeUtc ?? clock.UtcNow, clock.UtcNow);
        db.JobRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            var outcome = await RunAsync(scope.ServiceProvider, cancellationToken);
            run.Finish(clock.UtcNow, outcome);
            logger.LogInformation("Job {Job} finished: {Outcome}", context.JobDetail.Key.Name, outcome);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            run.Finish(clock.UtcNow, "failed: " + e.Message);
            logger.LogError(e, "Job {Job} failed", context.JobDetail.Key.Name);
        }
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Does the work; returns a short outcome for the run record.</summary>
    protected abstract Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken);
}

/// <summary>Every minute: refunds that came before their sale are posted once the sale is recorded (the sale's own request usually did).</summary>
public sealed class PostWaitingRefundsJob(IServiceScopeFactory scopes, ILogger<PostWaitingRefundsJob> logger) : GuideJob(scopes, logger)
{
    protected override Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Guide.Domain.Documents.WaitingRefundRun>().RunAsync(cancellationToken);
}

/// <summary>Forgets integration nonces older than twice the timestamp window: they can no longer be replayed.</summary>
public sealed class PurgeIntegrationNoncesJob(IServiceScopeFactory scopes, ILogger<PurgeIntegrationNoncesJob> logger) : GuideJob(scopes, logger)
{
    protected override async Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<GuideDbContext>();
        var clock = services.GetRequiredService<BrandClock>();
        var window = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Auth.AuthOptions>>().Value.IntegrationTimestampWindow;
        var before = clock.UtcNow - window - window;
        var purged = await db.IntegrationNonces.Where(n => n.SeenAt < before).ExecuteDeleteAsync(cancellationToken);
        return $"purged {purged} nonce(s)";
    }
}

/// <summary>
/// Recharges whose WeChat Pay notification never came: queried at WeChat Pay after
/// <c>Jobs:SettleRecharges:MinimumAgeMinutes</c> (default 5), credited when paid, closed when expired unpaid.
/// </summary>
public sealed class SettleRechargesJob(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<SettleRechargesJob> logger) : GuideJob(scopes, logger)
{
    protected override Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<MediatR.IMediator>().Send(new Guide.Domain.Wallets.SettlePendingRecharges(
            TimeSpan.FromMinutes(configuration.GetValue("Jobs:SettleRecharges:MinimumAgeMinutes", 5.0))), cancellationToken);
}

/// <summary>
/// Points + cash redemptions whose WeChat Pay notification never came: queried after
/// <c>Jobs:SettleMallPayments:MinimumAgeMinutes</c> (default 2), released for fulfilment when paid, their points and
/// stock given back when the order closed or expired unpaid (every 2 minutes: held stock of a flash sale must not wait).
/// </summary>
public sealed class SettleMallPaymentsJob(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<SettleMallPaymentsJob> logger) : GuideJob(scopes, logger)
{
    protected override Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<MediatR.IMediator>().Send(new Guide.Domain.Mall.SettlePendingMallPayments(
            TimeSpan.FromMinutes(configuration.GetValue("Jobs:SettleMallPayments:MinimumAgeMinutes", 2.0))), cancellationToken);
}

/// <summary>
/// Forgets payment codes and confirmations expired more than two days ago (a sales document may still name its
/// member by a spent payment code for a day).
/// </summary>
public sealed class PurgeWalletTokensJob(IServiceScopeFactory scopes, ILogger<PurgeWalletTokensJob> logger) : GuideJob(scopes, logger)
{
    protected override async Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<GuideDbContext>();
        var before = services.GetRequiredService<BrandClock>().UtcNow.AddDays(-2);
        var purged = await db.WalletTokens.Where(t => t.ExpiresAt < before).ExecuteDeleteAsync(cancellationToken);
        return $"purged {purged} wallet token(s)";
    }
}

/// <summary>Expires due points lots (batches of members, one short transaction each; each lot once, by its key and the account lock).</summary>
public sealed class ExpirePointsJob(IServiceScopeFactory scopes, ILogger<ExpirePointsJob> logger) : GuideJob(scopes, logger)
{
    protected override Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Guide.Domain.Points.PointsExpiryRun>().RunAsync(cancellationToken);
}

/// <summary>Records the members whose points expire within <c>Jobs:RemindExpiringPoints:WithinDays</c> (default 30) for a reminder.</summary>
public sealed class RemindExpiringPointsJob(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<RemindExpiringPointsJob> logger) : GuideJob(scopes, logger)
{
    protected override Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Guide.Domain.Points.PointsExpiryReminderRun>().RunAsync(configuration.GetValue("Jobs:RemindExpiringPoints:WithinDays", 30), cancellationToken);
}

/// <summary>Daily, just after brand midnight: members whose level grant (from a recharge package) has ended are re-evaluated.</summary>
public sealed class ExpireLevelGrantsJob(IServiceScopeFactory scopes, ILogger<ExpireLevelGrantsJob> logger) : GuideJob(scopes, logger)
{
    protected override Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<MediatR.IMediator>().Send(new Guide.Domain.Levels.ExpireLevelGrants(), cancellationToken);
}

/// <summary>
/// Every minute: when HQ changed thresholds, levels or the basis, or (trailing 12 months) the brand day has turned,
/// every member's level is re-evaluated in pages; a pass interrupted (crash, shutdown) goes on from its last page.
/// </summary>
public sealed class ReevaluateMemberLevelsJob(IServiceScopeFactory scopes, ILogger<ReevaluateMemberLevelsJob> logger) : GuideJob(scopes, logger)
{
    protected override Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Guide.Domain.Levels.MemberLevelReevaluationRun>().RunAsync(cancellationToken);
}

/// <summary>
/// Every 10 seconds: WeCom callback events stored by the webhook are applied in WeCom's order (external contact
/// relations, customer groups marked for reconciliation); each event once, claimed by a conditional UPDATE.
/// </summary>
public sealed class ProcessWeComEventsJob(IServiceScopeFactory scopes, ILogger<ProcessWeComEventsJob> logger) : GuideJob(scopes, logger)
{
    protected override Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Guide.Domain.GroupActions.GroupActionRun>().RunAsync(cancellationToken);
}

/// <summary>
/// Every 15 minutes: moments listed since the last listing (from its saved cursor after a crash), the recent guide
/// moments polled for likes and comments (WeCom has no callback for them), the new actions awarded. Days configurable:
/// <c>Jobs:PollWeComMoments:LookBackDays</c> (where the first listing starts, default 30) and
/// <c>Jobs:PollWeComMoments:PollWithinDays</c> (how long a moment is polled after it was posted, default 30).
/// </summary>
public sealed class PollWeComMomentsJob(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<PollWeComMomentsJob> logger) : GuideJob(scopes, logger)
{
    protected override Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var defaults = Guide.Domain.GroupActions.MomentPollOptions.Default;
        var options = defaults with
        {
            LookBack = TimeSpan.FromDays(configuration.GetValue("Jobs:PollWeComMoments:LookBackDays", defaults.LookBack.TotalDays)),
            PollWithin = TimeSpan.FromDays(configuration.GetValue("Jobs:PollWeComMoments:PollWithinDays", defaults.PollWithin.TotalDays)),
        };
        return services.GetRequiredService<Guide.Domain.GroupActions.MomentPollRun>().RunAsync(options, cancellationToken);
    }
}

/// <summary>
/// Every 5 minutes: live care plans issue the periods whose issue time has passed (pages of members, one set-based insert
/// each; the unique key per plan, member and period makes a rerun, a second instance or a restart create nothing new).
/// </summary>
public sealed class GenerateCareTasksJob(IServiceScopeFactory scopes, ILogger<GenerateCareTasksJob> logger) : GuideJob(scopes, logger)
{
    protected override Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Guide.Domain.Care.CareGenerationRun>().RunAsync(cancellationToken);
}

/// <summary>Every 5 minutes: pending care tasks past their deadline become expired (a conditional update per page).</summary>
public sealed class ExpireCareTasksJob(IServiceScopeFactory scopes, ILogger<ExpireCareTasksJob> logger) : GuideJob(scopes, logger)
{
    protected override Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Guide.Domain.Care.CareExpiryRun>().RunAsync(cancellationToken);
}

/// <summary>
/// Every 10 seconds: the message outbox's drain (gate, then channel), up to 8 seconds a run; any number of instances may drain
/// at once (each claims its own messages under a lease).
/// </summary>
public sealed class SendMessagesJob(IServiceScopeFactory scopes, ILogger<SendMessagesJob> logger) : GuideJob(scopes, logger)
{
    protected override Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Guide.Domain.Messaging.MessageDrainRun>().RunAsync(TimeSpan.FromSeconds(8), cancellationToken);
}

/// <summary>Every minute: a campaign left sending with no progress for a minute (its process stopped) continues from the last member it queued.</summary>
public sealed class ResumeCampaignsJob(IServiceScopeFactory scopes, ILogger<ResumeCampaignsJob> logger) : GuideJob(scopes, logger)
{
    protected override Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<Guide.Domain.Messaging.ResumeCampaignsRun>().RunAsync(cancellationToken);
}
