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

    /// <summary>
    /// True for failures that a retry of the whole transaction cures: a deadlock or lock-wait timeout
    /// (MySQL 1213 / 1205) or a busy SQLite database.
    /// </summary>
    public static bool IsTransient(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            var text = x.Message;
            if (text.Contains("Deadlock found", StringComparison.OrdinalIgnoreCase)
                || text.Contains("Lock wait timeout", StringComparison.OrdinalIgnoreCase)
                || text.Contains("database is locked", StringComparison.OrdinalIgnoreCase)
                || text.Contains("Record has changed since last read", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
