using System.Globalization;
using CsvHelper;
using FluentValidation;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Points;

public enum PointsExpiringGroupBy
{
    Month,
    Store,
    Guide,
    Level,
}

/// <summary>One group: its key (a store or guide id, a level, a brand month <c>yyyy-MM</c>; <c>none</c> when unset), a label, members and points.</summary>
public sealed record PointsExpiringRow(string Key, string Label, int Members, long Points);

public sealed record PointsExpiringReport(int WithinDays, PointsExpiringGroupBy GroupBy, DateTimeOffset From, DateTimeOffset Until, int Members, long Points,
    IReadOnlyList<PointsExpiringRow> Rows);

/// <summary>Points expiring within <paramref name="WithinDays"/> days, by the member's store, exclusive guide, level, or the expiry month.</summary>
public sealed record GetExpiringPoints(int WithinDays, PointsExpiringGroupBy GroupBy) : IRequest<PointsExpiringReport>;

public sealed class GetExpiringPointsValidator : AbstractValidator<GetExpiringPoints>
{
    public GetExpiringPointsValidator()
    {
        RuleFor(x => x.WithinDays).InclusiveBetween(1, 366);
        RuleFor(x => x.GroupBy).IsInEnum();
    }
}

public sealed class GetExpiringPointsHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<GetExpiringPoints, PointsExpiringReport>
{
    public async Task<PointsExpiringReport> Handle(GetExpiringPoints request, CancellationToken cancellationToken)
    {
        var start = clock.UtcNow;
        var until = start.AddDays(request.WithinDays);
        var groups = new Dictionary<string, (HashSet<Guid> Members, long Points)>(StringComparer.Ordinal);
        var all = new HashSet<Guid>();
        // Streamed: one row per due lot with its member's dimensions; only the groups are kept.
        var lots = from l in db.PointsLots.AsNoTracking()
                   join m in db.Members.AsNoTracking() on l.MemberId equals m.Id
                   where l.Remaining > 0 && l.ExpiresAt != null && l.ExpiresAt > start && l.ExpiresAt <= until
                   select new { l.MemberId, l.Remaining, l.ExpiresAt, m.StoreId, m.ExclusiveGuideId, m.Level };
        await foreach (var lot in lots.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var key = request.GroupBy switch
            {
                PointsExpiringGroupBy.Store => lot.StoreId?.ToString() ?? "none",
                PointsExpiringGroupBy.Guide => lot.ExclusiveGuideId?.ToString() ?? "none",
                PointsExpiringGroupBy.Level => lot.Level.ToString(CultureInfo.InvariantCulture),
                _ => clock.ToBrandTime(lot.ExpiresAt!.Value.AddTicks(-1)).ToString("yyyy-MM", CultureInfo.InvariantCulture),
            };
            if (!groups.TryGetValue(key, out var group)) group = ([], 0);
            group.Members.Add(lot.MemberId);
            groups[key] = (group.Members, group.Points + lot.Remaining);
            all.Add(lot.MemberId);
        }
        var labels = await LabelsAsync(request.GroupBy, groups.Keys, cancellationToken);
        var rows = groups.OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PointsExpiringRow(g.Key, labels.GetValueOrDefault(g.Key, g.Key), g.Value.Members.Count, g.Value.Points)).ToList();
        return new PointsExpiringReport(request.WithinDays, request.GroupBy, start, until, all.Count, rows.Sum(r => r.Points), rows);
    }

    private async Task<Dictionary<string, string>> LabelsAsync(PointsExpiringGroupBy by, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string> { ["none"] = "none" };
        if (by is not (PointsExpiringGroupBy.Store or PointsExpiringGroupBy.Guide)) return labels;
        var ids = keys.Where(k => k != "none").Select(Guid.Parse).ToList();
        if (by == PointsExpiringGroupBy.Store)
            foreach (var s in await db.Stores.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.Code, s.Name }).ToListAsync(cancellationToken))
                labels[s.Id.ToString()] = $"{s.Code} {s.Name}";
        else if (by == PointsExpiringGroupBy.Guide)
            foreach (var g in await db.Guides.AsNoTracking().Where(g => ids.Contains(g.Id)).Select(g => new { g.Id, g.Name }).ToListAsync(cancellationToken))
                labels[g.Id.ToString()] = g.Name;
        return labels;
    }
}

public static class ExpiringPointsCsv
{
    /// <summary>The report as CSV: one line per group (key, label, members, points).</summary>
    public static async Task<string> WriteAsync(PointsExpiringReport report, CancellationToken cancellationToken)
    {
        await using var writer = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = CsvWriter.Create(writer, CsvWriterOptions.Default, leaveOpen: true))
        {
            foreach (var column in new[] { "key", "label", "members", "points" }) csv.WriteField(column);
            csv.EndRecord();
            foreach (var row in report.Rows)
            {
                csv.WriteField(row.Key);
                csv.WriteField(row.Label);
                csv.WriteField(row.Members.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(row.Points.ToString(CultureInfo.InvariantCulture));
                csv.EndRecord();
            }
            await csv.FlushAsync(cancellationToken);
        }
        return writer.ToString();
    }
}
