namespace Guide.Domain.Common;

/// <summary>Client-generated, time-ordered ids, so no identity column differs between SQLite and MySQL.</summary>
public static class Ids
{
    public static Guid New() => Guid.CreateVersion7();
}
