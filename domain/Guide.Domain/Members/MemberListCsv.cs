using CsvHelper;
using Guide.Domain.Common;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Members;

/// <summary>A member named by an imported list, with their store and the list line that named them first.</summary>
public sealed record ListedMember(Guid Id, Guid? StoreId, int Line);

/// <summary>
/// An imported list of members (a care plan's, a campaign's): CSV with a header of one column, <c>phone</c> (11-digit mainland
/// mobile; the earliest registered member with it) or <c>member_id</c>, one member per line. Every bad line is reported with its
/// number (empty, malformed, no such member, outside the caller's stores, the same member again) in one refusal under
/// <c>errorCode</c> with <c>lineErrors</c>; nothing is read into the database by the caller then.
/// </summary>
public static class MemberListCsv
{
    private const int Chunk = 500;

    public static async Task<IReadOnlyList<ListedMember>> ReadAsync(GuideDbContext db, byte[] bytes, int maxMembers, string errorCode,
        Func<Guid?, bool>? covers, CancellationToken cancellationToken)
    {
        var (column, rows) = await ReadRowsAsync(bytes, maxMembers, errorCode, cancellationToken);
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

        var seen = new Dictionary<Guid, ListedMember>();
        foreach (var (line, value) in wellFormed)
        {
            var key = byPhone ? value : Guid.Parse(value).ToString("D");
            if (!found.TryGetValue(key, out var member))
                errors.Add(new(line, column, byPhone ? $"No member has the phone {value}." : $"No member has the id {value}."));
            else if (covers is not null && !covers(member.StoreId))
                errors.Add(new(line, column, "This member is not in the stores you manage."));
            else if (seen.TryGetValue(member.Id, out var first))
                errors.Add(new(line, column, $"The same member as line {first.Line}."));
            else seen[member.Id] = new ListedMember(member.Id, member.StoreId, line);
        }
        if (rows.Count == 0) errors.Add(new(2, "file", "The file has no members: one per line after the header."));
        if (errors.Count > 0) throw BadList(errorCode, errors.OrderBy(e => e.Line).ToList());
        return seen.Values.ToList();
    }

    private static bool IsMobile(string text) => text.Length == 11 && text[0] == '1' && text.All(char.IsAsciiDigit);

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private static async Task<(string Column, List<(int Line, string Value)> Rows)> ReadRowsAsync(byte[] bytes, int maxMembers, string errorCode,
        CancellationToken cancellationToken)
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
                throw BadList(errorCode, [new ImportLineError(1, "header", "The first line is the header, with one column 'phone' or 'member_id' (not both).")]);
            var column = phone >= 0 ? phone : memberId;
            name = phone >= 0 ? "phone" : "member_id";
            while (await csv.ReadAsync(cancellationToken))
            {
                var line = (int)csv.LineNumber;
                if (rows.Count == maxMembers)
                    throw BadList(errorCode, [new ImportLineError(line, "file", $"At most {maxMembers} members per list.")]);
                rows.Add((line, (csv.GetString(column) ?? "").Trim()));
            }
        }
        catch (CsvFormatException e)
        {
            throw BadList(errorCode, [new ImportLineError((int)e.LineNumber, "file", "The file is not valid CSV: " + e.Message.Split('\n')[0])]);
        }
        return (name, rows);
    }

    private static DomainException BadList(string errorCode, IReadOnlyList<ImportLineError> errors) =>
        new(new DomainError(errorCode,
            $"The list was not imported: {errors.Count} problem(s), first on line {errors[0].Line}: {errors[0].Message} Nothing was saved.")
        {
            Details = new Dictionary<string, object?> { ["lineErrors"] = errors },
        });
}
