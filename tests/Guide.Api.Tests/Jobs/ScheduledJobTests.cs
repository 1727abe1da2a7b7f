using Guide.Api.Tests.Support;
using Guide.Domain.Jobs;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;

namespace Guide.Api.Tests.Jobs;

/// <summary>
/// Quartz.NET on each provider: the in-memory store on SQLite, the clustered ADO.NET store on MySQL, where
/// two hosts on one database run each due fire of a job once between them.
/// </summary>
public sealed class ScheduledJobTests
{
    private static Dictionary<string, string?> JobSettings() => new()
    {
        ["Auth:SigningKey"] = ApiFixture.SigningKey,
        ["Serilog:MinimumLevel:Default"] = "Warning",
        ["Jobs:Enabled"] = "true",
        ["Jobs:PurgeIntegrationNonces:Cron"] = "0/2 * * * * ?", // every two seconds
        ["Jobs:IdleWaitSeconds"] = "1",
        ["Jobs:ClusterCheckinSeconds"] = "2",
    };

    private static async Task<List<JobRun>> RunsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GuideDbContext>().JobRuns.AsNoTracking()
            .Where(r => r.JobName == "PurgeIntegrationNonces").ToListAsync();
    }

    [Fact]
    public async Task On_sqlite_the_in_memory_scheduler_runs_due_jobs_and_records_them()
    {
        var folder = Path.Combine(Path.GetTempPath(), "guide-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = JobSettings();
        settings["Database:Provider"] = "Sqlite";
        settings["ConnectionStrings:Guide"] = $"Data Source={Path.Combine(folder, "guide.db")}";
        await using var host = new GuideApiFactory(settings);
        _ = host.Server;

        var runs = await WaitForRunsAsync(() => RunsAsync(host.Services), atLeast: 2, TimeSpan.FromSeconds(20));
        Assert.All(runs, r => Assert.StartsWith("purged", r.Outcome));
        Assert.Equal(runs.Count, runs.Select(r => r.ScheduledFireTime).Distinct().Count());
    }

    [Fact]
    public async Task A_job_whose_work_runs_commands_still_records_its_finish_and_outcome()
    {
        // The commands' transaction policy clears their DbContext; the run's record must not be lost with it.
        var folder = Path.Combine(Path.GetTempPath(), "guide-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = JobSettings();
        settings["Database:Provider"] = "Sqlite";
        settings["ConnectionStrings:Guide"] = $"Data Source={Path.Combine(folder, "guide.db")}";
        settings["Jobs:ProcessWeComEvents:Cron"] = "0/2 * * * * ?";
        await using var host = new GuideApiFactory(settings);
        _ = host.Server;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var facts = new Guide.Domain.GroupActions.WeComEventFacts("test:" + Guid.NewGuid().ToString("N"), "change_external_contact", "edit_external_contact",
                DateTimeOffset.UtcNow, "<xml/>", UserId: "guide", ExternalUserId: "wm-job");
            await scope.ServiceProvider.GetRequiredService<MediatR.IMediator>().Send(new Guide.Domain.GroupActions.RecordWeComEvent(facts));
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var runs = await scope.ServiceProvider.GetRequiredService<GuideDbContext>().JobRuns.AsNoTracking()
                .Where(r => r.JobName == "ProcessWeComEvents").ToListAsync();
            if (runs.Any(r => r.Outcome != null && r.Outcome.StartsWith("processed 1 ", StringComparison.Ordinal) && r.FinishedAt != null)) break;
            if (DateTime.UtcNow > deadline) Assert.Fail("No recorded run of ProcessWeComEvents that processed the event: " +
                                                        string.Join("; ", runs.Select(r => $"{r.FinishedAt}: {r.Outcome}")));
            await Task.Delay(500);
        }
    }

    [SkippableFact]
    public async Task On_mysql_two_hosts_share_the_schedule_and_each_fire_runs_once()
    {
        var unavailable = MySqlApi.CheckAvailable();
        Skip.If(unavailable is not null, unavailable);
        await using var scratch = await MySqlApi.CreateScratchDatabaseAsync("guide_q_");
        var connectionString = scratch.ConnectionString;
        var settings = JobSettings();
        settings["Database:Provider"] = "MySql";
        settings["Database:ServerVersion"] = MySqlApi.ServerVersion;
        settings["ConnectionStrings:Guide"] = connectionString;

        await using var first = new GuideApiFactory(settings);
        _ = first.Server; // migrates, then schedules
        await using var second = new GuideApiFactory(settings);
        _ = second.Server;

        var runs = await WaitForRunsAsync(() => RunsAsync(first.Services), atLeast: 5, TimeSpan.FromSeconds(40));

        // Each planned fire time ran exactly once across the two hosts.
        var duplicates = runs.GroupBy(r => r.ScheduledFireTime).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);

        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        var nodes = Convert.ToInt32(await new MySqlCommand("SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE WHERE SCHED_NAME = 'guide'", connection).ExecuteScalarAsync());
        Assert.Equal(2, nodes);
        var triggers = Convert.ToInt32(await new MySqlCommand("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE SCHED_NAME = 'guide' AND JOB_NAME = 'PurgeIntegrationNonces'", connection).ExecuteScalarAsync());
        Assert.Equal(1, triggers);
    }

    private static async Task<List<JobRun>> WaitForRunsAsync(Func<Task<List<JobRun>>> read, int atLeast, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var runs = await read();
            if (runs.Count(r => r.FinishedAt != null) >= atLeast) return runs;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Only {runs.Count} run(s) of the job within {timeout.TotalSeconds} s.");
            await Task.Delay(500);
        }
    }
}
