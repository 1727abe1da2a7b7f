using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;

namespace Guide.Domain.Common;

/// <summary>
/// Database failures classified by the server's error number, never by message text: MySQL and MariaDB
/// translate their messages (<c>lc_messages</c>: "Doppelter Eintrag", "Deadlock beim Versuch..."), so a
/// test on message text turns a harmless race into a 500 on a server set to German or Chinese. The tests run
/// MariaDB with <c>--lc-messages=de_DE</c> for that reason.
/// </summary>
public static class DbErrors
{
    // MySQL / MariaDB server error numbers (include/mysqld_error.h).
    private const int ErDupEntry = 1062;              // SQLSTATE 23000, "Duplicate entry ... for key ..."
    private const int ErDupEntryWithKeyName = 1586;   // SQLSTATE 23000, the same with the key's name
    private const int ErLockWaitTimeout = 1205;       // SQLSTATE HY000
    private const int ErLockDeadlock = 1213;          // SQLSTATE 40001
    private const int ErCheckread = 1020;             // "Record has changed since last read" (MariaDB snapshot isolation)
    private const int ErBadNullError = 1048;          // SQLSTATE 23000, "Column ... cannot be null"

    // SQLite result codes (sqlite.org/rescode.html).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteConstraintUnique = 2067;     // SQLITE_CONSTRAINT_UNIQUE
    private const int SqliteConstraintPrimaryKey = 1555; // SQLITE_CONSTRAINT_PRIMARYKEY
    private const int SqliteConstraintNotNull = 1299;    // SQLITE_CONSTRAINT_NOTNULL

    /// <summary>True when a statement failed on a unique index or primary key (a duplicate of an external fact).</summary>
    public static bool IsUniqueViolation(Exception e) => Find(e) switch
    {
        MySqlException m => m.Number is ErDupEntry or ErDupEntryWithKeyName,
        SqliteException s => s.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        _ => false,
    };

    /// <summary>True when a statement put NULL into a NOT NULL column (a conditional insert that found nothing to insert).</summary>
    public static bool IsNotNullViolation(Exception e) => Find(e) switch
    {
        MySqlException m => m.Number == ErBadNullError,
        SqliteException s => s.SqliteExtendedErrorCode == SqliteConstraintNotNull,
        _ => false,
    };

    /// <summary>
    /// True for failures that a retry of the whole transaction cures: a deadlock or lock-wait timeout, a row
    /// changed under a snapshot (MySQL / MariaDB), or a busy or locked SQLite database.
    /// </summary>
    public static bool IsTransient(Exception e) => Find(e) switch
    {
        MySqlException m => m.Number is ErLockDeadlock or ErLockWaitTimeout or ErCheckread,
        SqliteException s => s.SqliteErrorCode is SqliteBusy or SqliteLocked,
        _ => false,
    };

    /// <summary>True for every failure the transaction policy retries whole: transient ones, unique races and lost concurrency tokens.</summary>
    public static bool IsRetryable(Exception e) => e is DbUpdateConcurrencyException || IsUniqueViolation(e) || IsTransient(e);

    /// <summary>The provider's exception in the chain (EF wraps it in DbUpdateException, sometimes twice).</summary>
    private static Exception? Find(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is MySqlException or SqliteException) return x;
        return null;
    }
}
