using System.Globalization;
using System.Text;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Care;

/// <summary>
/// The generation job's work (docs/decisions/0002): every live plan (not paused, not deleted) issues each period whose
/// issue instant has passed and which it has not finished yet (<see cref="CarePlan.LastIssuedPeriod"/>).
/// <para>
/// Which periods: issue days from the later of the plan's start and its creation day (a plan made today at 10:00 with
/// issue time 09:00 issues today's period at once; it never issues periods from before it existed) through today, whose
/// deadline has not passed (a run after downtime catches up on those; an older one would be born expired).
/// </para>
/// <para>
/// How: members are walked in keyset pages of <see cref="BatchSize"/> ids; each page is ONE set-based
/// <c>INSERT ... SELECT</c> (selection, consent, filters and assignment in SQL) in one short transaction of the policy.
/// A member who already has the task is skipped by <c>NOT EXISTS</c>; a second instance inserting the same page at the
/// same moment hits the unique key <c>(PlanId, MemberId, Period)</c>, and the policy retries the page whole, which then
/// finds the rows committed and inserts nothing. So a second run, a second instance or a restart mid-run creates
/// nothing new, and no other failure (a primary key, a NOT NULL) is ever swallowed as an "ignore" would. Memory is a
/// page's ids, whatever the number of members.
/// </para>
/// <para>
/// The selections' windows, in brand days of issue day D at issue instant I: "the last N days" are D-N+1 through D
/// (today included, as for birthdays), up to I, so a run that comes late selects what an on-time run would have.
/// A paid sale is a <c>Sale</c> document with <c>TotalPaid</c> &gt; 0; a refund counts against its sale (the levels'
/// rule). No purchase for N days: no paid sale in the window and registered before it (members who never bought count
/// from registration). N days after a purchase: a paid sale on brand day D-N.
/// </para>
/// </summary>
public sealed class CareGenerationRun(GuideDbContext db, Transactions transactions, BrandClock clock)
{
    public const int BatchSize = 5_000;

    public Task<string> RunAsync(CancellationToken cancellationToken) => RunAsync(clock.UtcNow, cancellationToken);

    /// <param name="now">The run's instant (tests run it at chosen brand times).</param>
    public async Task<string> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var plans = await db.CarePlans.AsNoTracking().Where(p => !p.Paused && p.DeletedAt == null).ToListAsync(cancellationToken);
        var today = DateOnly.FromDateTime(clock.ToBrandTime(now).DateTime);
        int periods = 0, tasks = 0;
        foreach (var plan in plans)
        {
            var createdOn = DateOnly.FromDateTime(clock.ToBrandTime(plan.CreatedAt).DateTime);
            foreach (var day in CarePeriods.CandidateDays(plan, today, createdOn))
            {
                if (!CarePeriods.IssuesOn(plan, day, out var period) || !CarePeriods.IsAfter(period, plan.LastIssuedPeriod)) continue;
                var issuedAt = CarePeriods.IssuedAt(plan, day, clock.Zone);
                var dueAt = CarePeriods.DueAt(plan, day, clock.Zone);
                if (issuedAt > now || dueAt <= now) continue;
                tasks += await IssueAsync(plan, day, period, issuedAt, dueAt, cancellationToken);
                await FinishAsync(plan.Id, period, cancellationToken);
                plan.LastIssuedPeriod = period;
                periods++;
            }
        }
        return $"issued {tasks} task(s) in {periods} period(s) of {plans.Count} live plan(s)";
    }

    /// <summary>Issues one period of a plan, page by page; answers the tasks created (0 when all were there).</summary>
    public async Task<int> IssueAsync(CarePlan plan, DateOnly day, string period, DateTimeOffset issuedAt, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        DateTimeOffset? firstRegistration = plan.TargetKind == CareTargetKind.MembershipAnniversary
            ? await db.Members.MinAsync(m => (DateTimeOffset?)m.RegisteredAt, cancellationToken)
            : null;
        var created = 0;
        Guid? after = null;
        while (true)
        {
            var (inserted, upTo, last) = await transactions.RunAsync(
                () => InsertPageAsync(plan, day, period, issuedAt, dueAt, firstRegistration, after, cancellationToken), cancellationToken);
            created += inserted;
            if (last) break;
            after = upTo;
        }
        return created;
    }

    private async Task<(int Inserted, Guid? UpTo, bool Last)> InsertPageAsync(CarePlan plan, DateOnly day, string period, DateTimeOffset issuedAt,
        DateTimeOffset dueAt, DateTimeOffset? firstRegistration, Guid? after, CancellationToken cancellationToken)
    {
        // The page's last member id first (an index-only walk of the primary key), then the page's insert: one round trip.
        var batch = new StatementBatch(db, transactions);
        Guid? upTo = null;
        var from = after is { } a ? $"WHERE Id > {batch.P(a)} " : "";
        batch.Query($"SELECT Id FROM members {from}ORDER BY Id LIMIT 1 OFFSET {BatchSize - 1}", row => upTo = row.Guid(0));
        await batch.ExecuteAsync(cancellationToken);

        var insert = new StatementBatch(db, transactions);
        var range = new StringBuilder();
        if (after is { } lo) range.Append($"m.Id > {insert.P(lo)} AND ");
        if (upTo is { } hi) range.Append($"m.Id <= {insert.P(hi)} AND ");
        insert.Execute(InsertSql(insert, plan, day, period, issuedAt, dueAt, firstRegistration, range.ToString(), clock.Zone));
        var inserted = 0;
        insert.Query($"SELECT {insert.RowCount}", row => inserted = row.Int(0));
        await insert.ExecuteAsync(cancellationToken);
        return (inserted, upTo, upTo is null);
    }

    /// <summary>
    /// The set-based insert of one page: the plan's selection with consent and filters, assigned to the exclusive guide
    /// if active, else the store's default guide if active, else nobody; the store is the member's, else the guide's.
    /// </summary>
    public static string InsertSql(StatementBatch b, CarePlan plan, DateOnly day, string period, DateTimeOffset issuedAt, DateTimeOffset dueAt,
        DateTimeOffset? firstRegistration, string memberRange, TimeZoneInfo zone)
    {
        var planId = b.P(plan.Id);
        var periodP = b.P(period);
        var id = b.Dialect == SqlDialect.MySql
            ? "UUID()"
            : "hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6))";
        return "INSERT INTO care_tasks (Id, PlanId, MemberId, Period, GuideId, StoreId, Status, IssuedAt, DueAt, UrgeCount, Version) " +
               $"SELECT {id}, {planId}, m.Id, {periodP}, COALESCE(eg.Id, dg.Id), COALESCE(m.StoreId, eg.StoreId), 'Pending', {b.P(issuedAt)}, {b.P(dueAt)}, 0, 0 " +
               "FROM members m " +
               "LEFT JOIN guides eg ON eg.Id = m.ExclusiveGuideId AND eg.Active = 1 " +
               "LEFT JOIN stores s ON s.Id = m.StoreId " +
               "LEFT JOIN guides dg ON dg.Id = s.DefaultGuideId AND dg.Active = 1 " +
               $"WHERE {memberRange}m.GuideContactConsent = 1 AND {Selection(b, plan, day, issuedAt, firstRegistration, zone)}{Filters(b, plan)} " +
               $"AND NOT EXISTS (SELECT 1 FROM care_tasks t WHERE t.PlanId = {planId} AND t.MemberId = m.Id AND t.Period = {periodP})";
    }

    /// <summary>The target's condition on member <c>m</c> for issue day <paramref name="day"/>.</summary>
    public static string Selection(StatementBatch b, CarePlan plan, DateOnly day, DateTimeOffset issuedAt, DateTimeOffset? firstRegistration, TimeZoneInfo zone)
    {
        var days = plan.TargetDays ?? 0;
        var windowStart = b.P(CarePeriods.StartOf(day.AddDays(1 - days), zone));
        var issued = b.P(issuedAt);
        string PaidSales(string alias) => $"{alias}.MemberId = m.Id AND {alias}.Kind = 'Sale' AND {alias}.TotalPaid > 0";
        switch (plan.TargetKind)
        {
            case CareTargetKind.BirthdayThisMonth:
            case CareTargetKind.BirthdayWithinDays:
            {
                var key = b.Dialect == SqlDialect.MySql
                    ? "(MONTH(m.Birthday) * 100 + DAYOFMONTH(m.Birthday))"
                    : "CAST(substr(m.Birthday, 6, 2) || substr(m.Birthday, 9, 2) AS INTEGER)";
                var ranges = CarePeriods.BirthdayKeyRanges(plan.TargetKind, day, days)
                    .Select(r => string.Create(CultureInfo.InvariantCulture, $"{key} BETWEEN {r.From} AND {r.To}"));
                return $"m.Birthday IS NOT NULL AND ({string.Join(" OR ", ranges)})";
            }
            case CareTargetKind.MembershipAnniversary:
            {
                var ranges = new List<string>();
                var firstYear = firstRegistration is { } f ? f.ToOffset(zone.GetUtcOffset(f)).Year - 1 : day.Year;
                for (var year = day.Year - 1; year >= firstYear; year--)
                {
                    if (CarePeriods.AnniversaryRegistrations(day, year) is not { } span) continue;
                    ranges.Add($"(m.RegisteredAt >= {b.P(CarePeriods.StartOf(span.First, zone))} AND m.RegisteredAt < {b.P(CarePeriods.StartOf(span.Last.AddDays(1), zone))})");
                }
                return ranges.Count == 0 ? "1 = 0" : "(" + string.Join(" OR ", ranges) + ")";
            }
            case CareTargetKind.NoPurchaseForDays:
                return $"m.RegisteredAt < {windowStart} AND NOT EXISTS (SELECT 1 FROM sales_documents d WHERE {PaidSales("d")} " +
                       $"AND d.DocumentTime >= {windowStart} AND d.DocumentTime < {issued})";
            case CareTargetKind.SpentAtLeast:
                return $"(SELECT COALESCE(SUM(d.TotalPaid), 0) FROM sales_documents d WHERE d.MemberId = m.Id AND d.Kind = 'Sale' " +
                       $"AND d.DocumentTime >= {windowStart} AND d.DocumentTime < {issued}) - " +
                       "(SELECT COALESCE(SUM(r.TotalPaid), 0) FROM sales_documents d JOIN sales_documents r ON r.OriginalDocumentId = d.Id " +
                       $"WHERE d.MemberId = m.Id AND d.Kind = 'Sale' AND d.DocumentTime >= {windowStart} AND d.DocumentTime < {issued} " +
                       $"AND r.Kind = 'Refund' AND r.DocumentTime < {issued}) >= {b.P(plan.TargetAmount ?? 1)}";
            case CareTargetKind.PurchasesAtLeast:
                return $"(SELECT COUNT(*) FROM sales_documents d WHERE {PaidSales("d")} AND d.DocumentTime >= {windowStart} AND d.DocumentTime < {issued}) " +
                       $">= {b.P(plan.TargetCount ?? 1)}";
            case CareTargetKind.DaysAfterPurchase:
            {
                var start = CarePeriods.StartOf(day.AddDays(-days), zone);
                var end = CarePeriods.StartOf(day.AddDays(1 - days), zone);
                if (end > issuedAt) end = issuedAt;
                return $"EXISTS (SELECT 1 FROM sales_documents d WHERE {PaidSales("d")} AND d.DocumentTime >= {b.P(start)} AND d.DocumentTime < {b.P(end)})";
            }
            case CareTargetKind.ImportedList:
                return $"EXISTS (SELECT 1 FROM care_plan_list_members l WHERE l.PlanId = {b.P(plan.Id)} AND l.MemberId = m.Id)";
            default:
                return "1 = 0";
        }
    }

    /// <summary>The plan's level filter (ranks) and store filter (the member's store), when set.</summary>
    public static string Filters(StatementBatch b, CarePlan plan)
    {
        var sql = new StringBuilder();
        if (plan.LevelFilter is { Count: > 0 } levels)
            sql.Append(" AND m.Level IN (").Append(string.Join(", ", levels.Select(l => l.ToString(CultureInfo.InvariantCulture)))).Append(')');
        if (plan.StoreFilter is { Count: > 0 } stores)
            sql.Append(" AND m.StoreId IN (").Append(string.Join(", ", stores.Select(s => b.P(s)))).Append(')');
        return sql.ToString();
    }

    /// <summary>Records the period as finished; never moves a plan back (another instance may have finished a later one).</summary>
    private Task FinishAsync(Guid planId, string period, CancellationToken cancellationToken) =>
        transactions.RunAsync(async () =>
        {
            var batch = new StatementBatch(db, transactions);
            var p = batch.P(period);
            batch.Execute($"UPDATE care_plans SET LastIssuedPeriod = {p} WHERE Id = {batch.P(planId)} " +
                          $"AND (LastIssuedPeriod IS NULL OR LENGTH(LastIssuedPeriod) <> LENGTH({p}) OR LastIssuedPeriod < {p})");
            await batch.ExecuteAsync(cancellationToken);
            return true;
        }, cancellationToken);
}

/// <summary>
/// The expiry job's work: pending tasks whose deadline has passed (<c>DueAt</c> &lt;= now) become <c>Expired</c>, closed
/// now, their version bumped, in pages of <see cref="BatchSize"/>, each one conditional UPDATE in a short transaction
/// (<c>WHERE Status = 'Pending'</c>): a task completed meanwhile, by a guide who won the race, is not touched.
/// </summary>
public sealed class CareExpiryRun(GuideDbContext db, Transactions transactions, BrandClock clock)
{
    public const int BatchSize = 5_000;

    public Task<string> RunAsync(CancellationToken cancellationToken) => RunAsync(clock.UtcNow, cancellationToken);

    public async Task<string> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expired = 0;
        while (true)
        {
            var page = await transactions.RunAsync(async () =>
            {
                var batch = new StatementBatch(db, transactions);
                var at = batch.P(now);
                const string set = "SET Status = 'Expired', ClosedAt = {0}, Version = Version + 1";
                batch.Execute(batch.Dialect == SqlDialect.MySql
                    // MySQL cannot name the updated table in a subquery; its UPDATE takes a LIMIT (over the (Status, DueAt) index).
                    ? $"UPDATE care_tasks {string.Format(CultureInfo.InvariantCulture, set, at)} WHERE Status = 'Pending' AND DueAt <= {at} LIMIT {BatchSize}"
                    : $"UPDATE care_tasks {string.Format(CultureInfo.InvariantCulture, set, at)} WHERE Id IN " +
                      $"(SELECT Id FROM care_tasks WHERE Status = 'Pending' AND DueAt <= {at} LIMIT {BatchSize})");
                var rows = 0;
                batch.Query($"SELECT {batch.RowCount}", row => rows = row.Int(0));
                await batch.ExecuteAsync(cancellationToken);
                return rows;
            }, cancellationToken);
            expired += page;
            if (page < BatchSize) break;
        }
        return $"expired {expired} care task(s)";
    }
}
