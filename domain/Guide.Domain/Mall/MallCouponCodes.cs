using System.Security.Cryptography;
using CsvHelper;
using Guide.Domain.Common;
using Guide.Domain.Ledgers;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Mall;

/// <summary>
/// One code of a coupon item's pool, imported by HQ; handed out once (<see cref="RedemptionId"/>). A coupon item's
/// stock is its unused codes: an import adds as many units as codes, a redemption takes a unit and a code together,
/// both under the item row's lock that the stock's conditional UPDATE holds until commit.
/// </summary>
public sealed class MallCouponCode
{
    public const int CodeMaxLength = 64;

    private MallCouponCode() { }

    internal MallCouponCode(Guid itemId, string code, DateTimeOffset importedAt)
    {
        Id = Ids.New();
        ItemId = itemId;
        Code = code;
        ImportedAt = importedAt;
    }

    public Guid Id { get; private set; }
    public Guid ItemId { get; private set; }
    public string Code { get; private set; } = "";
    public Guid? RedemptionId { get; private set; }
    public DateTimeOffset ImportedAt { get; private set; }
    public DateTimeOffset? IssuedAt { get; private set; }
}

internal sealed class MallCouponCodeConfiguration : IEntityTypeConfiguration<MallCouponCode>
{
    public void Configure(EntityTypeBuilder<MallCouponCode> b)
    {
        b.ToTable("mall_coupon_codes");
        b.HasKey(x => x.Id);
        b.Property(x => x.Code).HasMaxLength(MallCouponCode.CodeMaxLength).IsRequired();
        b.HasIndex(x => new { x.ItemId, x.Code }).IsUnique();
        b.HasIndex(x => new { x.ItemId, x.RedemptionId });
        b.HasOne<MallItem>().WithMany().HasForeignKey(x => x.ItemId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>
/// HQ imports a coupon item's codes from CSV (a <c>code</c> column). Every line is checked first; a bad line, a code
/// repeated in the file or already in the pool rejects the whole file (line-numbered errors), nothing written.
/// The console's Idempotency-Key makes a resent file apply once.
/// </summary>
public sealed record ImportMallCouponCodes(Guid ItemId, byte[] Csv, string ClientKey) : ICommand<MallCodesImported>, IIdempotentCommand
{
    public const int MaxCodes = 5000;

    public string IdempotencyKey => $"mall-codes:{ItemId:N}:{ClientKey}";
    public object IdempotencyPayload => new { Sha256 = Convert.ToHexStringLower(SHA256.HashData(Csv)) };
    public DomainError KeyReused => HqIdempotency.KeyReused(ClientKey);
}

public sealed record MallCodesImported(Guid ItemId, int Imported, long Stock, bool Replayed = false) : IReplayable<MallCodesImported>
{
    public MallCodesImported AsReplayed() => this with { Replayed = true };
}

public sealed class ImportMallCouponCodesHandler(GuideDbContext db, MallStock stock, BrandClock clock) : IRequestHandler<ImportMallCouponCodes, MallCodesImported>
{
    public async Task<MallCodesImported> Handle(ImportMallCouponCodes request, CancellationToken cancellationToken)
    {
        if (!HqIdempotency.IsValidKey(request.ClientKey)) throw new DomainException(HqIdempotency.KeyRequired);
        var kind = await db.MallItems.AsNoTracking().Where(i => i.Id == request.ItemId).Select(i => (MallItemKind?)i.Kind).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(MallItem.NotFound);
        if (kind != MallItemKind.Coupon) throw Invalid([new ImportLineError(1, "item", "Codes are imported for coupon items only.")]);

        var rows = await ReadAsync(request.Csv, cancellationToken);
        var errors = new List<ImportLineError>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, code) in rows)
        {
            if (code.Length is 0 or > MallCouponCode.CodeMaxLength || !code.All(c => c is >= '!' and <= '~'))
                errors.Add(new ImportLineError(line, "code", $"A code is 1 to {MallCouponCode.CodeMaxLength} printable ASCII characters."));
            else if (seen.TryGetValue(code, out var first)) errors.Add(new ImportLineError(line, "code", $"Repeats line {first}."));
            else seen[code] = line;
        }
        var codes = seen.Keys.ToList();
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in codes.Chunk(500))
            existing.UnionWith(await db.MallCouponCodes.Where(c => c.ItemId == request.ItemId && chunk.Contains(c.Code)).Select(c => c.Code).ToListAsync(cancellationToken));
        errors.AddRange(existing.Select(c => new ImportLineError(seen[c], "code", "This code is in the pool already.")));
        if (rows.Count == 0) errors.Add(new ImportLineError(2, "file", "The file has no codes."));
        if (errors.Count > 0) throw Invalid(errors.OrderBy(e => e.Line).ToList());

        var now = clock.UtcNow;
        db.MallCouponCodes.AddRange(codes.Select(c => new MallCouponCode(request.ItemId, c, now)));
        var entry = new MallStockEntry(request.ItemId, MallStockEntryKind.CodeImport, codes.Count, request.IdempotencyKey, null, now);
        var after = await stock.GiveAsync(request.ItemId, codes.Count, entry, cancellationToken) ?? throw new DomainException(MallItem.NotFound);
        return new MallCodesImported(request.ItemId, codes.Count, after);
    }

    private static async Task<List<(int Line, string Code)>> ReadAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await using var stream = new MemoryStream(bytes, writable: false);
        await using var csv = CsvReader.Create(stream, GuideCsv.ReaderOptions, leaveOpen: true);
        var rows = new List<(int, string)>();
        try
        {
            await csv.ReadHeaderAsync(cancellationToken);
            var column = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList().IndexOf("code");
            if (column < 0) throw Invalid([new ImportLineError(1, "header", "The first line is the header, with a column 'code'.")]);
            while (await csv.ReadAsync(cancellationToken))
            {
                var line = (int)csv.LineNumber;
                if (rows.Count == ImportMallCouponCodes.MaxCodes)
                    throw Invalid([new ImportLineError(line, "file", $"At most {ImportMallCouponCodes.MaxCodes} codes per file.")]);
                rows.Add((line, (csv.GetString(column) ?? "").Trim()));
            }
        }
        catch (CsvFormatException e)
        {
            throw Invalid([new ImportLineError((int)e.LineNumber, "file", "The file is not valid CSV: " + e.Message.Split('\n')[0])]);
        }
        return rows;
    }

    private static DomainException Invalid(IReadOnlyList<ImportLineError> errors) =>
        new(new DomainError("mall.codes_invalid",
            $"The codes were not imported: {errors.Count} problem(s), first on line {errors[0].Line}: {errors[0].Message} Nothing was saved.")
        {
            Details = new Dictionary<string, object?> { ["lineErrors"] = errors },
        });
}
