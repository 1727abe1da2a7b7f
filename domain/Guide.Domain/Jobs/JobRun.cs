using Guide.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Jobs;

/// <summary>
/// One run of a scheduled job, keyed by the scheduler's fire id: what ran, where, when and how it ended.
/// HQ reads it to see that jobs run; the unique fire id shows a clustered job ran once.
/// </summary>
public sealed class JobRun
{
    private JobRun() { }

    public JobRun(string jobName, string fireInstanceId, string instanceId, DateTimeOffset scheduledFireTime, DateTimeOffset startedAt)
    {
        ScheduledFireTime = scheduledFireTime;
        Id = Ids.New();
        JobName = jobName;
        FireInstanceId = fireInstanceId;
        InstanceId = instanceId;
        StartedAt = startedAt;
    }

    public Guid Id { get; private set; }
    public string JobName { get; private set; } = "";
    public string FireInstanceId { get; private set; } = "";
    public string InstanceId { get; private set; } = "";
    /// <summary>The fire time the scheduler planned; in a cluster each planned time runs on one instance.</summary>
    public DateTimeOffset ScheduledFireTime { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public string? Outcome { get; private set; }

    public void Finish(DateTimeOffset at, string outcome)
    {
        FinishedAt = at;
        Outcome = outcome.Length > 500 ? outcome[..500] : outcome;
    }
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> b)
    {
        b.ToTable("job_runs");
        b.HasKey(x => x.Id);
        b.Property(x => x.JobName).HasMaxLength(100).IsRequired();
        b.Property(x => x.FireInstanceId).HasMaxLength(200).IsRequired();
        b.HasIndex(x => x.FireInstanceId).IsUnique();
        b.Property(x => x.InstanceId).HasMaxLength(200).IsRequired();
        b.Property(x => x.Outcome).HasMaxLength(500);
        b.HasIndex(x => new { x.JobName, x.StartedAt });
    }
}
