using Microsoft.EntityFrameworkCore;

namespace Guide.Domain.Common;

public static class DbErrors
{
    /// <summary>
    /// True when a save failed on a unique index (SQLite error 19 / 2067, MySQL 1062). Checked by message
    /// and error number through reflection-free string tests, so the domain needs no provider package.
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException e)
    {
        var inner = e.InnerException;
        if (inner is null) return false;
        var text = inner.Message;
        return text.Contains("UNIQUE constraint failed", StringComparison.OrdinalIgnoreCase) // SQLite
            || text.Contains("Duplicate entry", StringComparison.OrdinalIgnoreCase); // MySQL / MariaDB 1062
    }
}
