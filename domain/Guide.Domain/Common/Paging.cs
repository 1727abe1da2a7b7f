namespace Guide.Domain.Common;

/// <summary>One page of a list; pages count from 1.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total);

public static class Paging
{
    public const int MaxPageSize = 100;

    /// <summary>Pages past this are empty anyway; the bound keeps (page - 1) * size inside an int.</summary>
    public const int MaxPage = int.MaxValue / MaxPageSize;

    public static (int Page, int Size) Normalize(int? page, int? size) =>
        (Math.Clamp(page ?? 1, 1, MaxPage), Math.Clamp(size ?? 20, 1, MaxPageSize));
}
