using System.Globalization;
using CsvHelper;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Documents;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Care;

/// <summary>What a metrics row is per: the task's plan, its store's area, its store, or its guide (unassigned is a row of its own).</summary>
public enum CareMetricsGroupBy
{
    Plan,
    Area,
    Store,
    Guide,
}

/// <summary>
/// Which tasks the metrics read (docs/decisions/0002, Metrics): those issued on the brand dates [<see cref="From"/>, <see cref="To"/>],
/// optionally of one plan, one store or one area's stores (the store's area now). <see cref="By"/> is the text of
/// <see cref="CareMetricsGroupBy"/> (plan, area, store, guide); <see cref="EffectDays"/> the effect window (1-90, default 7).
/// </summary>
public sealed record CareMetricsFilter(DateOnly? From, DateOnly? To, string? By, Guid? PlanId = null, Guid? StoreId = null, string? Area = null,
    int? EffectDays = null)
{
    public const int DefaultEffectDays = 7;
    public const int MaxSpanDays = 366;
    internal static readonly DateOnly Earliest = new(2000, 1, 1), Latest = new(2999, 12, 31);

    public CareMetricsGroupBy Grouping => Enum.TryParse<CareMetricsGroupBy>(By, ignoreCase: true, out var by) ? by : CareMetricsGroupBy.Plan;

    internal static bool IsGrouping(string? by) =>
        by is not null && by.All(char.IsAsciiLetterLower) && Enum.TryParse<CareMetricsGroupBy>(by, ignoreCase: true, out var g) && Enum.IsDefined(g);
}

internal static class CareMetricsFilterRules
{
    public static void Check<T>(AbstractValidator<T> validator, Func<T, CareMetricsFilter> filter)
    {
        validator.RuleFor(x => filter(x).From).NotNull().InclusiveBetween(CareMetricsFilter.Earliest, CareMetricsFilter.Latest).WithName("from");
        validator.RuleFor(x => filter(x).To).NotNull().InclusiveBetween(CareMetricsFilter.Earliest, CareMetricsFilter.Latest).WithName("to");
        validator.RuleFor(x => filter(x)).Must(f => f.From is not { } from || f.To is not { } to || from <= to).WithName("to")
            .WithMessage("'to' is before 'from'.");
        validator.RuleFor(x => filter(x)).Must(f => f.From is not { } from || f.To is not { } to || to.DayNumber - from.DayNumber + 1 <= CareMetricsFilter.MaxSpanDays)
            .WithName("to").WithMessage($"The period spans more than {CareMetricsFilter.MaxSpanDays} days.");
        validator.RuleFor(x => filter(x).By).Must(CareMetricsFilter.IsGrouping).WithName("by").WithMessage("'by' is one of plan, area, store, guide.");
        validator.RuleFor(x => filter(x).EffectDays).InclusiveBetween(1, 90).When(x => filter(x).EffectDays is not null).WithName("effectDays");
        validator.RuleFor(x => filter(x).Area).MaximumLength(64).WithName("area");
    }
}

/// <summary>
/// The numbers of a set of tasks. <see cref="Due"/>: issued in the period; <see cref="Pending"/>, <see cref="Completed"/>,
/// <see cref="Abandoned"/>, <see cref="Expired"/>: of those, by status now. <see cref="CompletionRate"/>: completed / due in
/// basis points (7500 = 75%), rounded half away from zero (0 when none is due). <see cref="ReachedMembers"/>: the distinct members of
/// the tasks completed as reached who have a sale with its document time in (closed at, closed at + effect days];
/// <see cref="Amount"/>: those sales' paid amount net of every refund of them recorded so far (whenever the refund happened), fen.
/// </summary>
public sealed record CareMetricsNumbers(int Due, int Pending, int Completed, int Abandoned, int Expired, int CompletionRate, int ReachedMembers, long Amount)
{
    public static readonly CareMetricsNumbers Zero = new(0, 0, 0, 0, 0, 0, 0, 0);

    public static int Rate(int completed, int due) => due == 0 ? 0 : (int)Math.Round(completed * 10_000m / due, MidpointRounding.AwayFromZero);

    public CareMetricsNumbers Add(CareMetricsNumbers other)
    {
        var due = checked(Due + other.Due);
        var completed = checked(Completed + other.Completed);
        return new CareMetricsNumbers(due, checked(Pending + other.Pending), completed, checked(Abandoned + other.Abandoned), checked(Expired + other.Expired),
            Rate(completed, due), checked(ReachedMembers + other.ReachedMembers), checked(Amount + other.Amount));
    }
}

/// <summary>
/// One group: <see cref="Id"/> is the plan, store or guide (null: tasks without a store, or unassigned tasks); <see cref="Area"/>
/// the area (by area; null: tasks without a store); <see cref="Name"/> the plan's, store's, guide's or area's name.
/// </summary>
public sealed record CareMetricsRow(Guid? Id, string? Area, string? Code, string? Name, CareMetricsNumbers Numbers);

/// <summary>
/// The metrics of a period per group, and <see cref="Totals"/>: the sums of the rows (so <c>reachedMembers</c> counts a member once
/// per group that reached them; the completion rate is recomputed from the summed counts).
/// </summary>
public sealed record CareMetricsReport(DateOnly From, DateOnly To, CareMetricsGroupBy By, int EffectDays, IReadOnlyList<CareMetricsRow> Rows,
    CareMetricsNumbers Totals);

/// <summary>HQ's care-task metrics (every store).</summary>
public sealed record GetCareMetrics(CareMetricsFilter Filter) : IRequest<CareMetricsReport>;

public sealed class GetCareMetricsValidator : AbstractValidator<GetCareMetrics>
{
    public GetCareMetricsValidator() => CareMetricsFilterRules.Check(this, x => x.Filter);
}

public sealed class GetCareMetricsHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<GetCareMetrics, CareMetricsReport>
{
    public Task<CareMetricsReport> Handle(GetCareMetrics request, CancellationToken cancellationToken) =>
        CareMetricsQuery.RunAsync(db, clock, request.Filter, scopeStores: null, cancellationToken);
}

/// <summary>
/// A store or area manager's care-task metrics: only the tasks of the stores of their <see cref="GuideScope"/>. A plain guide is
/// <c>guide.not_a_manager</c>; a <c>storeId</c> outside the scope, or an area none of whose stores is in it, <c>care_task.outside_scope</c>.
/// </summary>
public sealed record GetTeamCareMetrics(Guid CallerId, CareMetricsFilter Filter) : IRequest<CareMetricsReport>
{
    public static readonly DomainError OutsideScope =
        DomainError.Forbidden("care_task.outside_scope", "This store or area is not one you manage.");
}

public sealed class GetTeamCareMetricsValidator : AbstractValidator<GetTeamCareMetrics>
{
    public GetTeamCareMetricsValidator() => CareMetricsFilterRules.Check(this, x => x.Filter);
}

public sealed class GetTeamCareMetricsHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<GetTeamCareMetrics, CareMetricsReport>
{
    public async Task<CareMetricsReport> Handle(GetTeamCareMetrics request, CancellationToken cancellationToken)
    {
        var scope = await GuideScope.LoadManagerAsync(db, request.CallerId, cancellationToken);
        if (request.Filter.StoreId is { } store && !scope.Covers(store)) throw new DomainException(GetTeamCareMetrics.OutsideScope);
        if (!string.IsNullOrEmpty(request.Filter.Area))
        {
            var area = request.Filter.Area;
            var stores = scope.StoreIds.ToList();
            if (!await db.Stores.AsNoTracking().AnyAsync(s => s.Area == area && stores.Contains(s.Id), cancellationToken))
                throw new DomainException(GetTeamCareMetrics.OutsideScope);
        }
        return await CareMetricsQuery.RunAsync(db, clock, request.Filter, scope.StoreIds, cancellationToken);
    }
}

/// <summary>A task as the metrics group it: its key (plan, store or guide id; or area) and what is counted of it.</summary>
internal sealed class CareTaskFact<TKey>
{
    public TKey Key { get; init; } = default!;
    public Guid TaskId { get; init; }
    public Guid MemberId { get; init; }
    public CareTaskStatus Status { get; init; }
    public CareOutcome? Outcome { get; init; }
}

/// <summary>A reached task and a sale of its member inside its effect window.</summary>
internal sealed record CareEffectPair(Guid TaskId, Guid SaleId);

internal static class CareMetricsQuery
{
    /// <summary>
    /// Two GROUP BYs in the database, never the tasks in memory: the counts per key, then the effect per key over the distinct
    /// (key, sale) pairs, so a sale inside the windows of two of a group's tasks counts once. Names are looked up for the groups.
    /// </summary>
    public static async Task<CareMetricsReport> RunAsync(GuideDbContext db, BrandClock clock, CareMetricsFilter filter, IReadOnlyList<Guid>? scopeStores,
        CancellationToken cancellationToken)
    {
        var from = filter.From!.Value;
        var to = filter.To!.Value;
        var effectDays = filter.EffectDays ?? CareMetricsFilter.DefaultEffectDays;
        var start = StartOf(clock, from);
        var end = StartOf(clock, to.AddDays(1));
        var tasks = db.CareTasks.AsNoTracking().Where(t => t.IssuedAt >= start && t.IssuedAt < end);
        if (filter.PlanId is { } plan) tasks = tasks.Where(t => t.PlanId == plan);
        if (filter.StoreId is { } store) tasks = tasks.Where(t => t.StoreId == store);
        if (!string.IsNullOrEmpty(filter.Area))
        {
            var area = filter.Area;
            tasks = tasks.Where(t => db.Stores.Where(s => s.Area == area).Select(s => (Guid?)s.Id).Contains(t.StoreId));
        }
        if (scopeStores is not null)
        {
            var stores = scopeStores.Select(s => (Guid?)s).ToList();
            tasks = tasks.Where(t => stores.Contains(t.StoreId));
        }

        var pairs = EffectPairs(db, effectDays);
        var by = filter.Grouping;
        List<CareMetricsRow> rows;
        if (by == CareMetricsGroupBy.Area)
        {
            var facts = from t in tasks
                        join s in db.Stores.AsNoTracking() on t.StoreId equals (Guid?)s.Id into ss
                        from s in ss.DefaultIfEmpty()
                        select new CareTaskFact<string?> { Key = s != null ? s.Area : null, TaskId = t.Id, MemberId = t.MemberId, Status = t.Status, Outcome = t.Outcome };
            var numbers = await NumbersAsync(db, facts, pairs, cancellationToken);
            rows = numbers.Select(n => new CareMetricsRow(null, n.Key, null, n.Key, n.Value))
                .OrderBy(r => r.Area is null).ThenBy(r => r.Area, StringComparer.Ordinal).ToList();
        }
        else
        {
            var facts = by switch
            {
                CareMetricsGroupBy.Plan => tasks.Select(t => new CareTaskFact<Guid?> { Key = t.PlanId, TaskId = t.Id, MemberId = t.MemberId, Status = t.Status, Outcome = t.Outcome }),
                CareMetricsGroupBy.Store => tasks.Select(t => new CareTaskFact<Guid?> { Key = t.StoreId, TaskId = t.Id, MemberId = t.MemberId, Status = t.Status, Outcome = t.Outcome }),
                _ => tasks.Select(t => new CareTaskFact<Guid?> { Key = t.GuideId, TaskId = t.Id, MemberId = t.MemberId, Status = t.Status, Outcome = t.Outcome }),
            };
            var numbers = await NumbersAsync(db, facts, pairs, cancellationToken);
            var ids = numbers.Select(n => n.Key).OfType<Guid>().ToList();
            var names = by switch
            {
                CareMetricsGroupBy.Plan => (await db.CarePlans.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, Code = (string?)null, p.Name })
                    .ToListAsync(cancellationToken)).ToDictionary(p => p.Id, p => (p.Code, p.Name)),
                CareMetricsGroupBy.Store => (await db.Stores.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, Code = (string?)s.Code, s.Name })
                    .ToListAsync(cancellationToken)).ToDictionary(s => s.Id, s => (s.Code, s.Name)),
                _ => (await db.Guides.AsNoTracking().Where(g => ids.Contains(g.Id)).Select(g => new { g.Id, Code = (string?)g.WeComUserId, g.Name })
                    .ToListAsync(cancellationToken)).ToDictionary(g => g.Id, g => (g.Code, g.Name)),
            };
            rows = numbers.Select(n =>
                {
                    var (code, name) = n.Key is { } id && names.TryGetValue(id, out var found) ? found : (null, null);
                    return new CareMetricsRow(n.Key, null, code, name, n.Value);
                })
                .OrderBy(r => r.Id is null).ThenBy(r => by == CareMetricsGroupBy.Store ? r.Code : r.Name, StringComparer.Ordinal).ThenBy(r => r.Id).ToList();
        }
        return new CareMetricsReport(from, to, by, effectDays, rows, rows.Aggregate(CareMetricsNumbers.Zero, (t, r) => t.Add(r.Numbers)));
    }

    private static async Task<List<(TKey Key, CareMetricsNumbers Value)>> NumbersAsync<TKey>(GuideDbContext db, IQueryable<CareTaskFact<TKey>> facts,
        IQueryable<CareEffectPair> pairs, CancellationToken cancellationToken)
    {
        var counts = await facts.GroupBy(f => f.Key).Select(g => new
        {
            g.Key,
            Due = g.Count(),
            Pending = g.Sum(f => f.Status == CareTaskStatus.Pending ? 1 : 0),
            Completed = g.Sum(f => f.Status == CareTaskStatus.Completed ? 1 : 0),
            Abandoned = g.Sum(f => f.Status == CareTaskStatus.Abandoned ? 1 : 0),
            Expired = g.Sum(f => f.Status == CareTaskStatus.Expired ? 1 : 0),
        }).ToListAsync(cancellationToken);

        // Each sale once per group (with its member and its net amount), then the group's distinct members and sum.
        var sales = (from f in facts
                     where f.Status == CareTaskStatus.Completed && f.Outcome == CareOutcome.Reached
                     join p in pairs on f.TaskId equals p.TaskId
                     join d in db.SalesDocuments.AsNoTracking() on p.SaleId equals d.Id
                     select new
                     {
                         f.Key,
                         SaleId = d.Id,
                         f.MemberId,
                         Net = d.TotalPaid - (db.SalesDocuments.Where(r => r.Kind == DocumentKind.Refund && r.OriginalDocumentId == d.Id)
                             .Sum(r => (long?)r.TotalPaid) ?? 0L),
                     }).Distinct();
        var effects = await sales.GroupBy(s => s.Key)
            .Select(g => new { g.Key, Members = g.Select(s => s.MemberId).Distinct().Count(), Amount = g.Sum(s => s.Net) })
            .ToListAsync(cancellationToken);
        var byKey = effects.ToDictionary(e => new Box<TKey>(e.Key), e => (e.Members, e.Amount));

        return counts.Select(c =>
        {
            var (members, amount) = byKey.TryGetValue(new Box<TKey>(c.Key), out var e) ? e : (0, 0L);
            return (c.Key, new CareMetricsNumbers(c.Due, c.Pending, c.Completed, c.Abandoned, c.Expired, CareMetricsNumbers.Rate(c.Completed, c.Due), members, amount));
        }).ToList();
    }

    /// <summary>A null key (tasks without a store, unassigned tasks) is a key like any other (a dictionary takes no null key).</summary>
    private readonly record struct Box<T>(T Value);

    /// <summary>
    /// Every reached task with each sale of its member whose document time is in (closed at, closed at + N days]. The window's end
    /// is date arithmetic on a column, which EF translates for neither provider here (SQLite keeps instants as UTC ticks), so
    /// this one join is SQL, written per provider; EF composes it with the filters and groups (both databases merge it into the
    /// outer query). Backquoted names are valid on both.
    /// </summary>
    private static IQueryable<CareEffectPair> EffectPairs(GuideDbContext db, int effectDays)
    {
        var sqlite = db.Database.ProviderName?.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) == true;
        var windowEnd = sqlite
            ? $"t.`ClosedAt` + {(effectDays * TimeSpan.TicksPerDay).ToString(CultureInfo.InvariantCulture)}"
            : $"DATE_ADD(t.`ClosedAt`, INTERVAL {effectDays.ToString(CultureInfo.InvariantCulture)} DAY)";
#pragma warning disable EF1002 // effectDays is a validated int (1-90), formatted invariantly: nothing a client types reaches the text.
        return db.Database.SqlQueryRaw<CareEffectPair>(
            "SELECT t.`Id` AS `TaskId`, d.`Id` AS `SaleId` FROM `care_tasks` AS t JOIN `sales_documents` AS d ON d.`MemberId` = t.`MemberId` "
            + "AND d.`Kind` = 'Sale' AND d.`DocumentTime` > t.`ClosedAt` AND d.`DocumentTime` <= " + windowEnd
            + " WHERE t.`Status` = 'Completed' AND t.`Outcome` = 'Reached'");
#pragma warning restore EF1002
    }

    private static DateTimeOffset StartOf(BrandClock clock, DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, clock.Zone.GetUtcOffset(local)).ToUniversalTime();
    }
}

/// <summary>The metrics as CSV for Excel: UTF-8 with a byte order mark, Chinese column names, the JSON's numbers (money in yuan).</summary>
public static class CareMetricsCsv
{
    public static readonly string[] Columns =
        ["分组ID", "区域", "编码", "名称", "下发任务数", "待完成", "已完成", "已放弃", "已过期", "完成率(基点)", "触达后购买会员数", "触达后购买金额(元)"];

    /// <summary>One line per row, then a line named 合计 with the totals. The completion rate is the JSON's basis points.</summary>
    public static async Task WriteAsync(CareMetricsReport report, Stream destination, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(destination, new CsvWriterOptions { Injection = CsvInjection.Escape, WriteByteOrderMark = true }, leaveOpen: true);
        foreach (var column in Columns) csv.WriteField(column);
        await csv.EndRecordAsync(cancellationToken);
        foreach (var r in report.Rows) await WriteLineAsync(csv, r.Id?.ToString() ?? "", r.Area ?? "", r.Code ?? "", r.Name ?? "", r.Numbers, cancellationToken);
        await WriteLineAsync(csv, "", "", "", "合计", report.Totals, cancellationToken);
        await csv.FlushAsync(cancellationToken);
    }

    private static async Task WriteLineAsync(CsvWriter csv, string id, string area, string code, string name, CareMetricsNumbers n, CancellationToken ct)
    {
        csv.WriteField(id);
        csv.WriteField(area);
        csv.WriteField(code);
        csv.WriteField(name);
        csv.WriteField(n.Due, "");
        csv.WriteField(n.Pending, "");
        csv.WriteField(n.Completed, "");
        csv.WriteField(n.Abandoned, "");
        csv.WriteField(n.Expired, "");
        csv.WriteField(n.CompletionRate, "");
        csv.WriteField(n.ReachedMembers, "");
        csv.WriteField(Commissions.CommissionEntriesCsv.Yuan(n.Amount), "0.00");
        await csv.EndRecordAsync(ct);
    }
}
