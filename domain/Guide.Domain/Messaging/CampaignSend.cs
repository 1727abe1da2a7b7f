using System.Globalization;
using System.Text;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Members;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Messaging;

public sealed record SendCampaign(Guid CampaignId) : IRequest<CampaignView>;

/// <summary>
/// Sends a draft: an empty audience is refused (<c>campaign.empty_audience</c>, nothing written); then one conditional update
/// (<c>WHERE Status = 'Draft'</c>) makes it sending, so of two sends one wins and the other is <c>campaign.already_sent</c>;
/// then <see cref="CampaignMaterializer"/> queues the audience into the outbox. The drain gates and delivers.
/// </summary>
public sealed class SendCampaignHandler(GuideDbContext db, Transactions transactions, BrandClock clock, CampaignMaterializer materializer, IMediator mediator)
    : IRequestHandler<SendCampaign, CampaignView>
{
    public async Task<CampaignView> Handle(SendCampaign request, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.CampaignId, cancellationToken)
            ?? throw CampaignErrors.NotFound(request.CampaignId);
        if (campaign.Status != CampaignStatus.Draft) throw CampaignErrors.AlreadySent();
        if (campaign.TemplateId is { } templateId) await CampaignTemplates.CheckAsync(db, templateId, campaign.Channel, cancellationToken);
        await StartAsync(campaign, cancellationToken);
        await materializer.RunAsync(campaign.Id, int.MaxValue, cancellationToken);
        return await mediator.Send(new GetCampaign(campaign.Id), cancellationToken);
    }

    /// <summary>Counts the audience and marks the draft sending, in one transaction; refuses an empty audience or a campaign no longer a draft.</summary>
    public Task StartAsync(Campaign campaign, CancellationToken cancellationToken) =>
        transactions.RunAsync(async () =>
        {
            var now = clock.UtcNow;
            var b = new StatementBatch(db, transactions);
            var audience = 0;
            b.Query($"SELECT COUNT(*) FROM members m WHERE {CampaignAudienceSql.Where(b, campaign, now)}", row => audience = row.Int(0));
            await b.ExecuteAsync(cancellationToken);
            if (audience == 0)
                throw new DomainException(new DomainError("campaign.empty_audience",
                    "The campaign's audience has no members now: nothing was sent.", ErrorKind.Unprocessable));
            var started = await db.Campaigns.Where(c => c.Id == campaign.Id && c.Status == CampaignStatus.Draft)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CampaignStatus.Sending).SetProperty(c => c.AudienceCount, audience)
                    .SetProperty(c => c.SendStartedAt, now).SetProperty(c => c.ProgressAt, now).SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
            if (started == 0) throw CampaignErrors.AlreadySent();
            return true;
        }, cancellationToken);
}

/// <summary>
/// Writes a sending campaign's audience into the outbox, <see cref="BatchSize"/> members a transaction, in member id order:
/// each batch locks the campaign's row (a second materializer waits, then continues after it), reads how far the send got,
/// inserts the next members' messages with one <c>INSERT ... SELECT</c> (source key <c>campaign:{id}:{member}</c>, unique:
/// never twice, even if the progress were lost), and records the last member queued. The last batch marks the campaign sent.
/// A send that stopped (the process died) is continued by <see cref="ResumeCampaignsRun"/>.
/// </summary>
public sealed class CampaignMaterializer(GuideDbContext db, Transactions transactions, BrandClock clock)
{
    public const int BatchSize = 2_000;

    /// <summary>Runs up to <paramref name="maxBatches"/> batches; answers whether the campaign is now fully queued.</summary>
    public async Task<bool> RunAsync(Guid campaignId, int maxBatches, CancellationToken cancellationToken, int batchSize = BatchSize)
    {
        for (var i = 0; i < maxBatches; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var done = await transactions.RunAsync(() => BatchAsync(campaignId, batchSize, cancellationToken), cancellationToken);
            db.ChangeTracker.Clear();
            if (done) return true;
        }
        return false;
    }

    private async Task<bool> BatchAsync(Guid campaignId, int batchSize, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        // The row lock first (InnoDB: until commit; SQLite: the write lock): one batch of a campaign at a time.
        var locked = await db.Campaigns.Where(c => c.Id == campaignId && c.Status == CampaignStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ProgressAt, now), cancellationToken);
        if (locked == 0) return true;
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId, cancellationToken);
        var template = campaign.TemplateId is { } t ? await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(x => x.Id == t, cancellationToken) : null;
        var started = campaign.SendStartedAt ?? now;

        var page = new StatementBatch(db, transactions);
        Guid? upTo = null;
        var where = CampaignAudienceSql.Where(page, campaign, started);
        var after = campaign.LastMemberId is { } last ? $"m.Id > {page.P(last)} AND " : "";
        page.Query($"SELECT m.Id FROM members m WHERE {after}{where} ORDER BY m.Id LIMIT 1 OFFSET {batchSize - 1}", row => upTo = row.Guid(0));
        await page.ExecuteAsync(cancellationToken);

        var b = new StatementBatch(db, transactions);
        var range = new StringBuilder();
        if (campaign.LastMemberId is { } lo) range.Append($"m.Id > {b.P(lo)} AND ");
        if (upTo is { } hi) range.Append($"m.Id <= {b.P(hi)} AND ");
        b.Execute(InsertSql(b, campaign, template?.Page, range.ToString() + CampaignAudienceSql.Where(b, campaign, started), now), rows: 0);
        var inserted = 0;
        b.Query($"SELECT {b.RowCount}", row => inserted = row.Int(0));
        await b.ExecuteAsync(cancellationToken);

        var isLast = upTo is null;
        await db.Campaigns.Where(c => c.Id == campaignId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.QueuedCount, c => c.QueuedCount + inserted)
            .SetProperty(c => c.LastMemberId, c => upTo ?? c.LastMemberId)
            .SetProperty(c => c.Status, isLast ? CampaignStatus.Sent : CampaignStatus.Sending)
            .SetProperty(c => c.SentAt, c => isLast ? now : c.SentAt)
            .SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
        return isLast;
    }

    /// <summary>The set-based outbox insert of the members matching <paramref name="memberCondition"/> (those already queued are skipped).</summary>
    public static string InsertSql(StatementBatch b, Campaign c, string? page, string memberCondition, DateTimeOffset now)
    {
        var mysql = b.Dialect == SqlDialect.MySql;
        var id = mysql
            ? "UUID()"
            : "hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6))";
        var prefix = b.P($"campaign:{c.Id:D}:");
        var sourceKey = mysql ? $"CONCAT({prefix}, LOWER(m.Id))" : $"{prefix} || lower(m.Id)";
        var select = $"SELECT {id}, m.Id, {b.P(c.Channel)}, {b.P(MessageKind.Marketing)}, {sourceKey}, {b.P(c.TemplateId)}, {b.P(c.DataJson)}, " +
                     $"{b.P(c.Text)}, {b.P(page)}, {b.P(c.Id)}, {c.Priority.ToString(CultureInfo.InvariantCulture)}, {b.P(MessageStatus.Queued)}, " +
                     $"{b.P(c.ScheduledAt is { } at && at > now ? at : now)}, {b.P(now)}, 0, 0 FROM members m WHERE {memberCondition} " +
                     // Members queued already are skipped here (so the row count is the messages this statement queued: MySQL
                     // counts a duplicate key "updated" as found); the unique source key still refuses a racing duplicate.
                     $"AND NOT EXISTS (SELECT 1 FROM outbound_messages o WHERE o.SourceKey = {sourceKey})";
        var insert = "INSERT INTO outbound_messages (Id, MemberId, Channel, Kind, SourceKey, TemplateId, DataJson, Text, Page, CampaignId, Priority, " +
                     $"Status, NotBefore, CreatedAt, Attempts, Version) {select}";
        return mysql ? insert + " ON DUPLICATE KEY UPDATE Id = outbound_messages.Id" : insert + " ON CONFLICT (SourceKey) DO NOTHING";
    }
}

/// <summary>
/// The <c>ResumeCampaigns</c> job: continues every campaign left sending with no progress for <see cref="Stalled"/> (its process
/// stopped halfway), from the last member it queued.
/// </summary>
public sealed class ResumeCampaignsRun(GuideDbContext db, BrandClock clock, CampaignMaterializer materializer)
{
    public static readonly TimeSpan Stalled = TimeSpan.FromMinutes(1);

    public async Task<string> RunAsync(CancellationToken cancellationToken) => await RunAsync(Stalled, cancellationToken);

    public async Task<string> RunAsync(TimeSpan stalled, CancellationToken cancellationToken)
    {
        var before = clock.UtcNow - stalled;
        var ids = await db.Campaigns.AsNoTracking().Where(c => c.Status == CampaignStatus.Sending && (c.ProgressAt == null || c.ProgressAt <= before))
            .Select(c => c.Id).ToListAsync(cancellationToken);
        foreach (var id in ids) await materializer.RunAsync(id, int.MaxValue, cancellationToken);
        return $"resumed {ids.Count} campaign(s)";
    }
}

/// <summary>
/// A campaign's imported list from CSV (UTF-8): a header with a column <c>phone</c> or <c>member_id</c>; every bad line
/// (malformed, unknown member, repeated) is reported with its line number and nothing is saved; a good file replaces the
/// list and makes the audience the list's (with the other conditions). Only a draft's list changes.
/// </summary>
public sealed record ImportCampaignMembers(Guid CampaignId, byte[] Csv) : ICommand<CampaignView>
{
    public const int MaxMembers = 100_000;
    public const int MaxBytes = 10 * 1024 * 1024;
}

public sealed class ImportCampaignMembersHandler(GuideDbContext db) : IRequestHandler<ImportCampaignMembers, CampaignView>
{
    public async Task<CampaignView> Handle(ImportCampaignMembers request, CancellationToken cancellationToken)
    {
        // The campaign's row first (a lock until commit): an import and a send of one campaign run one after the other.
        var draft = await db.Campaigns.Where(c => c.Id == request.CampaignId && c.Status == CampaignStatus.Draft)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
        var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == request.CampaignId, cancellationToken)
            ?? throw CampaignErrors.NotFound(request.CampaignId);
        if (draft == 0) throw CampaignErrors.NotADraft();

        var listed = await MemberListCsv.ReadAsync(db, request.Csv, ImportCampaignMembers.MaxMembers, "campaign.bad_list", null, cancellationToken);

        await db.CampaignMembers.Where(m => m.CampaignId == campaign.Id).ExecuteDeleteAsync(cancellationToken);
        db.CampaignMembers.AddRange(listed.Select(m => new CampaignMember(campaign.Id, m.Id, m.Line)));
        campaign.ImportedList = true;
        campaign.ImportedMembers = listed.Count;
        await db.SaveChangesAsync(cancellationToken);
        return CampaignView.Of(campaign, null);
    }
}
