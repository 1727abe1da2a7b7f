using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Common;

/// <summary>One page of a list; pages count from 1.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total)
{
    /// <summary>The same page with each item mapped (a view made after the query).</summary>
    public Page<TOut> Map<TOut>(Func<T, TOut> map) => new(Items.Select(map).ToList(), PageNumber, PageSize, Total);
}

public static class Paging
{
    public const int MaxPageSize = 100;

    /// <summary>Pages past this are empty anyway; the bound keeps (page - 1) * size inside an int.</summary>
    public const int MaxPage = int.MaxValue / MaxPageSize;

    public static (int Page, int Size) Normalize(int? page, int? size) =>
        (Math.Clamp(page ?? 1, 1, MaxPage), Math.Clamp(size ?? 20, 1, MaxPageSize));

    /// <summary>
    /// One page of an ordered query (its order decides the page; give it a unique last key): the total over the
    /// whole query, then the page's rows, with page and size normalized.
    /// </summary>
    public static async Task<Page<T>> PageAsync<T>(this IQueryable<T> ordered, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var (number, size) = Normalize(page, pageSize);
        var total = await ordered.CountAsync(cancellationToken);
        var items = await ordered.Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new Page<T>(items, number, size, total);
    }
}
