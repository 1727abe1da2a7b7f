using CsvHelper;
using Guide.Domain.Common;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Care;

/// <summary>
/// The members of an imported_list plan from CSV (UTF-8, BOM and CRLF allowed): a header row with a column <c>phone</c>
/// (an 11-digit mainland mobile) or <c>member_id</c> (also <c>memberId</c>), other columns ignored. Every line is checked
/// first: an unknown member, a malformed phone or id, a member named twice, a member outside a manager's stores: each is
/// reported with its line number and nothing is written. A good file replaces the plan's whole list. A phone several
/// members share picks the earliest registered, as the POS lookup does.
/// </summary>
public sealed record ImportCarePlanList(CarePlanActor Actor, Guid PlanId, byte[] Csv) : ICommand<CarePlanListImported>
{
    public const int MaxMembers = 100_000;
    /// <summary>The endpoints refuse a larger body before reading it (request.too_large).</summary>
    public const int MaxBytes = 10 * 1024 * 1024;
}

public sealed record CarePlanListImported(Guid PlanId, int Members);

public sealed class ImportCarePlanListHandler(GuideDbContext db, BrandClock clock) : IRequestHandler<ImportCarePlanList, CarePlanListImported>
{
    private const int Chunk = 500;

    public async Task<CarePlanListImported> Handle(ImportCarePlanList request, CancellationToken cancellationToken)
    {
        // The plan's row is locked first (InnoDB: an exclusive row lock to commit; SQLite: the write lock), so two imports of
        // one list, or an import and a change of the plan, run one after the other and the list is one file's members.
        await db.CarePlans.Where(p => p.Id == request.PlanId && p.DeletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.UpdatedAt, clock.UtcNow), cancellationToken);
        var (plan, scope) = await new CarePlanAccess(db).LoadAsync(request.Actor, request.PlanId, forChange: true, tracked: false, cancellationToken);
        if (plan.TargetKind != CareTargetKind.ImportedList)
            throw new DomainException(DomainError.Conflict("care_plan.not_a_list_plan",
                "Only an imported_list plan takes a list of members; this plan selects its members by its target."));

        var (column, rows) = await ReadAsync(request.Csv, cancellationToken);
        var errors = new List<ImportLineError>();
        var byPhone = column == "phone";

        // Malformed values first; the well-formed are looked up in chunks.
        var wellFormed = new List<(int Line, string Value)>();
        foreach (var (line, value) in rows)
        {
            if (value.Length == 0) errors.Add(new(line, column, "Empty: one member per line."));
            else if (byPhone && !IsMobile(value)) errors.Add(new(line, column, $"'{Clip(value)}' is not an 11-digit mainland mobile number."));
            else if (!byPhone && !Guid.TryParse(value, out _)) errors.Add(new(line, column, $"'{Clip(value)}' is not a member id."));
            else wellFormed.Add((line, value));
        }

        var found = new Dictionary<string, (Guid Id, Guid? StoreId)>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in wellFormed.Select(r => r.Value).Distinct(StringComparer.OrdinalIgnoreCase).Chunk(Chunk))
        {
            if (byPhone)
            {
                var list = chunk.ToList();
                var members = await db.Members.AsNoTracking().Where(m => m.Phone != null && list.Contains(m.Phone))
                    .Select(m => new { m.Id, m.Phone, m.StoreId, m.RegisteredAt }).ToListAsync(cancellationToken);
                foreach (var g in members.GroupBy(m => m.Phone!))
                {
                    var first = g.OrderBy(m => m.RegisteredAt).ThenBy(m => m.Id).First();
                    found[g.Key] = (first.Id, first.StoreId);
                }
            }
            else
            {
                var ids = chunk.Select(Guid.Parse).ToList();
                var members = await db.Members.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => new { m.Id, m.StoreId }).ToListAsync(cancellationToken);
                foreach (var m in members) found[m.Id.ToString("D")] = (m.Id, m.StoreId);
            }
        }

        var seen = new Dictionary<Guid, int>();
        foreach (var (line, value) in wellFormed)
        {
            var key = byPhone ? value : Guid.Parse(value).ToString("D");
            if (!found.TryGetValue(key, out var member))
                errors.Add(new(line, column, byPhone ? $"No member has the phone {value}." : $"No member has the id {value}."));
            else if (scope is not null && !scope.Covers(member.StoreId))
                errors.Add(new(line, column, "This member is not in the stores you manage."));
            else if (seen.TryGetValue(member.Id, out var firstLine))
                errors.Add(new(line, column, $"The same member as line {firstLine}."));
            else seen[member.Id] = line;
        }
        if (rows.Count == 0) errors.Add(new(2, "file", "The file has no members: one per line after the header."));
        if (errors.Count > 0) throw BadList(errors.OrderBy(e => e.Line).ToList());

        await db.CarePlanListMembers.Where(m => m.PlanId == plan.Id).ExecuteDeleteAsync(cancellationToken);
        db.CarePlanListMembers.AddRange(seen.Select(s => new CarePlanListMember(plan.Id, s.Key, s.Value)));
        await db.SaveChangesAsync(cancellationToken);
        return new CarePlanListImported(plan.Id, seen.Count);
    }

    private static bool IsMobile(string text) => text.Length == 11 && text[0] == '1' && text.All(char.IsAsciiDigit);

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private static async Task<(string Column, List<(int Line, string Value)> Rows)> ReadAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await using var stream = new MemoryStream(bytes, writable: false);
        await using var csv = CsvReader.Create(stream, GuideCsv.ReaderOptions, leaveOpen: true);
        var rows = new List<(int, string)>();
        string name;
        try
        {
            await csv.ReadHeaderAsync(cancellationToken);
            var header = csv.Headers.Select(h => h.Trim().Replace("_", "", StringComparison.Ordinal).ToLowerInvariant()).ToList();
            var phone = header.IndexOf("phone");
            var memberId = header.IndexOf("memberid");
            if ((phone < 0) == (memberId < 0))
                throw BadList([new ImportLineError(1, "header", "The first line is the header, with one column 'phone' or 'member_id' (not both).")]);
            var column = phone >= 0 ? phone : memberId;
            name = phone >= 0 ? "phone" : "member_id";
            while (await csv.ReadAsync(cancellationToken))
            {
                var line = (int)csv.LineNumber;
                if (rows.Count == ImportCarePlanList.MaxMembers)
                    throw BadList([new ImportLineError(line, "file", $"At most {ImportCarePlanList.MaxMembers} members per list.")]);
                rows.Add((line, (csv.GetString(column) ?? "").Trim()));
            }
        }
        catch (CsvFormatException e)
        {
            throw BadList([new ImportLineError((int)e.LineNumber, "file", "The file is not valid CSV: " + e.Message.Split('\n')[0])]);
        }
        return (name, rows);
    }

    private static DomainException BadList(IReadOnlyList<ImportLineError> errors) =>
        new(new DomainError("care_plan.bad_list",
            $"The list was not imported: {errors.Count} problem(s), first on line {errors[0].Line}: {errors[0].Message} Nothing was saved.")
        {
            Details = new Dictionary<string, object?> { ["lineErrors"] = errors },
        });
}
