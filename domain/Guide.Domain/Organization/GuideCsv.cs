using System.Globalization;
using System.Text;
using CsvHelper;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Organization;

/// <summary>
/// The guides file HQ exchanges with its HR system. Columns (header required, UTF-8, BOM allowed):
/// <c>wecom_user_id,name,store_code,role,managed_areas,mobile,active</c>; role is <c>guide</c>,
/// <c>store_manager</c> or <c>area_manager</c>; managed_areas is ';'-separated; active is true/false.
/// </summary>
public static class GuideCsv
{
    public static readonly string[] Columns = ["wecom_user_id", "name", "store_code", "role", "managed_areas", "mobile", "active"];

    public static string RoleText(GuideRole role) => role switch
    {
        GuideRole.StoreManager => "store_manager",
        GuideRole.AreaManager => "area_manager",
        _ => "guide",
    };

    public static GuideRole? ParseRole(string text) => text.Trim().ToLowerInvariant() switch
    {
        "guide" => GuideRole.Guide,
        "store_manager" => GuideRole.StoreManager,
        "area_manager" => GuideRole.AreaManager,
        _ => null,
    };

    internal static CsvReaderOptions ReaderOptions => new()
    {
        Separator = ',',
        HasHeader = true,
        TrimWhitespace = true,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
    };
}

/// <summary>One refused line of an imported file.</summary>
public sealed record ImportLineError(int Line, string Field, string Message);

public sealed record GuideImportResult(int Created, int Updated, int Unchanged);

/// <summary>
/// HQ imports guides: every line is checked first; one bad line rejects the whole file and nothing is
/// saved. Guides are matched by WeCom user id, so importing the same file again changes nothing.
/// </summary>
public sealed record ImportGuides(Stream Csv) : ICommand<GuideImportResult>;

public sealed class ImportGuidesHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<ImportGuides, GuideImportResult>
{
    private const int MaxRows = 20_000;

    public async Task<GuideImportResult> Handle(ImportGuides request, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(request.Csv, cancellationToken);
        var errors = new List<ImportLineError>();

        var storeCodes = rows.Select(r => r.StoreCode).Where(c => c.Length > 0).Distinct().ToList();
        var stores = await db.Stores.Where(s => storeCodes.Contains(s.Code)).ToDictionaryAsync(s => s.Code, cancellationToken);

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var valid = new List<(CsvRow Row, GuideRole Role, Store Store, bool Active)>();
        foreach (var row in rows)
        {
            var before = errors.Count;
            if (row.WeComUserId.Length == 0) errors.Add(new(row.Line, "wecom_user_id", "Required."));
            else if (row.WeComUserId.Length > ShoppingGuide.WeComUserIdMaxLength) errors.Add(new(row.Line, "wecom_user_id", $"At most {ShoppingGuide.WeComUserIdMaxLength} characters."));
            else if (seen.TryGetValue(row.WeComUserId, out var firstLine)) errors.Add(new(row.Line, "wecom_user_id", $"Repeats line {firstLine}."));
            else seen[row.WeComUserId] = row.Line;

            if (row.Name.Length == 0) errors.Add(new(row.Line, "name", "Required."));
            else if (row.Name.Length > 64) errors.Add(new(row.Line, "name", "At most 64 characters."));

            stores.TryGetValue(row.StoreCode, out var store);
            if (row.StoreCode.Length == 0) errors.Add(new(row.Line, "store_code", "Required."));
            else if (store is null) errors.Add(new(row.Line, "store_code", $"No store has code '{row.StoreCode}'."));

            var role = GuideCsv.ParseRole(row.Role);
            if (role is null) errors.Add(new(row.Line, "role", "Must be guide, store_manager or area_manager."));
            var areas = SplitAreas(row.ManagedAreas);
            if (role == GuideRole.AreaManager && areas.Count == 0) errors.Add(new(row.Line, "managed_areas", "An area manager manages at least one area."));
            if (row.ManagedAreas.Length > 1000) errors.Add(new(row.Line, "managed_areas", "At most 1000 characters."));

            if (row.Mobile.Length > 0 && !IsMobile(row.Mobile)) errors.Add(new(row.Line, "mobile", "Must be an 11-digit mainland mobile number."));

            bool? active = row.Active.Length == 0 ? true : bool.TryParse(row.Active, out var a) ? a : null;
            if (active is null) errors.Add(new(row.Line, "active", "Must be true or false."));

            if (errors.Count == before) valid.Add((row, role!.Value, store!, active!.Value));
        }

        if (errors.Count > 0)
            throw new DomainException(new DomainError("guides.import_invalid",
                $"The file was not imported: {errors.Count} problem(s) on {errors.Select(e => e.Line).Distinct().Count()} line(s). Nothing was saved.")
            {
                Details = new Dictionary<string, object?> { ["lineErrors"] = errors },
            });

        var ids = valid.Select(v => v.Row.WeComUserId).ToList();
        var existing = await db.Guides.Where(g => ids.Contains(g.WeComUserId)).ToDictionaryAsync(g => g.WeComUserId, cancellationToken);
        int created = 0, updated = 0, unchanged = 0;
        foreach (var (row, role, store, active) in valid)
        {
            var areas = SplitAreas(row.ManagedAreas);
            var mobile = row.Mobile.Length == 0 ? null : row.Mobile;
            if (existing.TryGetValue(row.WeComUserId, out var guide))
            {
                if (guide.Update(row.Name, store.Id, role, areas, mobile, active)) updated++;
                else unchanged++;
            }
            else
            {
                guide = new ShoppingGuide(row.WeComUserId, row.Name, store.Id, role, areas, mobile, clock.UtcNow);
                if (!active) guide.Update(row.Name, store.Id, role, areas, mobile, false);
                db.Guides.Add(guide);
                created++;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return new GuideImportResult(created, updated, unchanged);
    }

    private static List<string> SplitAreas(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static bool IsMobile(string text) => text.Length == 11 && text[0] == '1' && text.All(char.IsAsciiDigit);

    private sealed record CsvRow(int Line, string WeComUserId, string Name, string StoreCode, string Role, string ManagedAreas, string Mobile, string Active);

    private static async Task<List<CsvRow>> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var csv = CsvReader.Create(stream, GuideCsv.ReaderOptions, leaveOpen: true);
        var rows = new List<CsvRow>();
        try
        {
            await csv.ReadHeaderAsync(cancellationToken);
            var header = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
            if (header.Count == 0 || header.All(h => h.Length == 0))
                throw Invalid(1, "header", "The file is empty; the first line must be the header.");
            var missing = GuideCsv.Columns.Take(4).Where(c => !header.Contains(c)).ToList();
            if (missing.Count > 0)
                throw Invalid(1, "header", $"Missing column(s): {string.Join(", ", missing)}. Expected: {string.Join(",", GuideCsv.Columns)}.");
            var index = GuideCsv.Columns.ToDictionary(c => c, c => header.IndexOf(c));

            string Field(string name) => index[name] is var i and >= 0 ? (csv.GetString(i) ?? "").Trim() : "";

            while (await csv.ReadAsync(cancellationToken))
            {
                var line = (int)csv.LineNumber;
                if (rows.Count == MaxRows) throw Invalid(line, "file", $"At most {MaxRows} guides per file.");
                rows.Add(new CsvRow(line, Field("wecom_user_id"), Field("name"), Field("store_code"), Field("role"),
                    Field("managed_areas"), Field("mobile"), Field("active")));
            }
        }
        catch (CsvFormatException e)
        {
            throw Invalid((int)e.LineNumber, "file", "The file is not valid CSV: " + e.Message.Split('\n')[0]);
        }
        return rows;
    }

    private static DomainException Invalid(int line, string field, string message) =>
        new(new DomainError("guides.import_invalid", $"The file was not imported: line {line}: {message}")
        {
            Details = new Dictionary<string, object?> { ["lineErrors"] = new[] { new ImportLineError(line, field, message) } },
        });
}

/// <summary>Every guide as the same CSV the import reads, so export-then-import changes nothing.</summary>
public sealed record ExportGuides : IRequest<string>;

public sealed class ExportGuidesHandler(GuideDbContext db) : IRequestHandler<ExportGuides, string>
{
    public async Task<string> Handle(ExportGuides request, CancellationToken cancellationToken)
    {
        var rows = await (from g in db.Guides.AsNoTracking()
                          join s in db.Stores.AsNoTracking() on g.StoreId equals s.Id
                          orderby g.WeComUserId
                          select new { g, s.Code }).ToListAsync(cancellationToken);
        await using var writer = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = CsvWriter.Create(writer, CsvWriterOptions.Default, leaveOpen: true))
        {
            foreach (var column in GuideCsv.Columns) csv.WriteField(column);
            csv.EndRecord();
            foreach (var r in rows)
            {
                csv.WriteField(r.g.WeComUserId);
                csv.WriteField(r.g.Name);
                csv.WriteField(r.Code);
                csv.WriteField(GuideCsv.RoleText(r.g.Role));
                csv.WriteField(string.Join(';', r.g.ManagedAreas));
                csv.WriteField(r.g.Mobile ?? "");
                csv.WriteField(r.g.Active ? "true" : "false");
                csv.EndRecord();
            }
            await csv.FlushAsync(cancellationToken);
        }
        return writer.ToString();
    }
}
