using MySqlConnector;

namespace Guide.Api.Tests.Support;

/// <summary>SQLite: a fresh file per fixture.</summary>
public class SqliteApi : ApiFixture
{
    private string? _folder;

    public override string Provider => "Sqlite";

    protected override Task<IReadOnlyDictionary<string, string?>?> CreateDatabaseAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "guide-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        return Task.FromResult<IReadOnlyDictionary<string, string?>?>(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataFolder"] = _folder,
            ["ConnectionStrings:Guide"] = $"Data Source={Path.Combine(_folder, "guide.db")}",
        });
    }

    protected override Task DropDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { if (_folder is not null) Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a file still held open; the temp folder is cleaned by the OS */ }
        return Task.CompletedTask;
    }
}

/// <summary>
/// MySQL (MariaDB in tests): a fresh database per fixture on the private server that scripts/test.sh starts
/// (<c>GUIDE_TEST_MYSQL</c>, <c>GUIDE_TEST_MYSQL_VERSION</c>). Without it the tests skip, except under CI=true,
/// where a missing MySQL is a failure.
/// </summary>
public class MySqlApi : ApiFixture
{
    private string? _database;

    public override string Provider => "MySql";

    public static string? ServerConnectionString => Environment.GetEnvironmentVariable("GUIDE_TEST_MYSQL");
    public static string ServerVersion => Environment.GetEnvironmentVariable("GUIDE_TEST_MYSQL_VERSION") ?? "10.11.0-mariadb";

    public string ConnectionString => $"{ServerConnectionString?.TrimEnd(';')};Database={_database};";

    /// <summary>A throw-away database on the test server; dropped when the result is disposed.</summary>
    public static async Task<ScratchDatabase> CreateScratchDatabaseAsync(string prefix, string charset = "utf8mb4")
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..12];
        await ExecuteOnServerAsync($"CREATE DATABASE `{name}` CHARACTER SET {charset}");
        return new ScratchDatabase(name, $"{ServerConnectionString!.TrimEnd(';')};Database={name};");
    }

    internal static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new MySqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static string? CheckAvailable()
    {
        if (!string.IsNullOrEmpty(ServerConnectionString)) return null;
        var reason = "GUIDE_TEST_MYSQL is not set: run scripts/test.sh, which starts a private MariaDB.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException("CI=true and " + reason + " MySQL tests may not be skipped in CI.");
        return reason;
    }

    protected override async Task<IReadOnlyDictionary<string, string?>?> CreateDatabaseAsync()
    {
        Unavailable = CheckAvailable();
        if (Unavailable is not null) return null;
        _database = "guide_t_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteOnServerAsync($"CREATE DATABASE `{_database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        return new Dictionary<string, string?>
        {
            ["Database:Provider"] = "MySql",
            ["Database:ServerVersion"] = ServerVersion,
            ["ConnectionStrings:Guide"] = ConnectionString,
        };
    }

    protected override async Task DropDatabaseAsync()
    {
        if (_database is null) return;
        MySqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS `{_database}`");
    }
}

public sealed record ScratchDatabase(string Name, string ConnectionString) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        MySqlConnection.ClearAllPools();
        await MySqlApi.ExecuteOnServerAsync($"DROP DATABASE IF EXISTS `{Name}`");
    }
}
