using System.Collections.Concurrent;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Organization;

/// <summary>
/// Store codes to store ids, for the POS calls that name their store by code. A store's code never changes
/// (stores are renamed and deactivated, never recoded), so a code found once is remembered for the life of
/// the process; an unknown code is asked again every time (a store HQ creates later is found at once).
/// </summary>
public sealed class StoreDirectory
{
    private readonly ConcurrentDictionary<string, Guid> _ids = new(StringComparer.Ordinal);

    /// <summary>The store's id, null for no code; 404 <c>store.not_found</c> for a code no store has.</summary>
    public async Task<Guid?> IdOfAsync(GuideDbContext db, string? code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(code)) return null;
        if (_ids.TryGetValue(code, out var known)) return known;
        var id = await db.Stores.AsNoTracking().Where(s => s.Code == code).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw new DomainException(DomainError.NotFound("store.not_found", $"No store has the code {code}."));
        _ids.TryAdd(code, id);
        return id;
    }
}
