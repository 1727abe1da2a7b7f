using System.Data.Common;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Guide.Api.Infrastructure;

public enum DatabaseProvider
{
    Sqlite,
    MySql,
}

/// <summary>
/// <c>Database:Provider</c> (Sqlite | MySql), <c>ConnectionStrings:Guide</c>, and for MySQL
/// <c>Database:ServerVersion</c> (e.g. <c>8.0.36-mysql</c>, <c>10.11.19-mariadb</c>). These names are shared
/// with the deployment scripts, the benchmarks and the test fixtures.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, string? ServerVersion, bool MigrateOnStartup)
{
    /// <summary><c>Database:SqliteSynchronous</c>: FULL (default; every commit reaches the disk) or NORMAL (faster, an answered charge can be lost on power loss).</summary>
    public string SqliteSynchronous { get; init; } = "FULL";

    public const string SqliteMigrationsAssembly = "Guide.Migrations.Sqlite";
    public const string MySqlMigrationsAssembly = "Guide.Migrations.MySql";

    public static DatabaseSettings From(IConfiguration configuration, string contentRoot)
    {
        var providerText = configuration["Database:Provider"] ?? "Sqlite";
        if (!Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var provider))
            throw new InvalidOperationException($"Database:Provider must be Sqlite or MySql, not '{providerText}'.");
        var migrate = configuration.GetValue("Database:MigrateOnStartup", true);
        var connectionString = configuration.GetConnectionString("Guide");

        if (provider == DatabaseProvider.Sqlite)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var folder = Path.GetFullPath(configuration["Database:DataFolder"] ?? "data", contentRoot);
                Directory.CreateDirectory(folder);
                connectionString = $"Data Source={Path.Combine(folder, "guide.db")}";
            }
            // Microsoft.Data.Sqlite retries a busy database until the command timeout: that is the busy timeout.
            var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
            if (builder.DefaultTimeout == 30) builder.DefaultTimeout = 15;
            builder.Pooling = true;
            var synchronous = (configuration["Database:SqliteSynchronous"] ?? "FULL").ToUpperInvariant();
            if (synchronous is not ("FULL" or "NORMAL"))
                throw new InvalidOperationException($"Database:SqliteSynchronous must be FULL or NORMAL, not '{synchronous}'.");
            return new DatabaseSettings(provider, builder.ToString(), null, migrate) { SqliteSynchronous = synchronous };
        }

        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("Database:Provider is MySql but ConnectionStrings:Guide is empty.");
        // A pooled connection is not reset on every checkout (a round trip each time) unless the connection
        // string asks for it: Guide sets no session state beyond the isolation level, which every transaction sets.
        var mysql = new MySqlConnector.MySqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Connection Reset", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("ConnectionReset", StringComparison.OrdinalIgnoreCase))
            mysql.ConnectionReset = false;
        connectionString = mysql.ConnectionString;
        var serverVersion = configuration["Database:ServerVersion"];
        if (string.IsNullOrWhiteSpace(serverVersion))
            throw new InvalidOperationException("Database:ServerVersion is required for MySql (e.g. 8.0.36-mysql or 10.11.19-mariadb).");
        return new DatabaseSettings(provider, connectionString, serverVersion, migrate);
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        switch (Provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(ConnectionString, b => b.MigrationsAssembly(SqliteMigrationsAssembly));
                options.AddInterceptors(SqliteSynchronous == "FULL" ? SqlitePragmas.Durable : SqlitePragmas.Fast);
                break;
            case DatabaseProvider.MySql:
                options.UseMySql(ConnectionString, Microsoft.EntityFrameworkCore.ServerVersion.Parse(ServerVersion),
                    b => b.MigrationsAssembly(MySqlMigrationsAssembly));
                options.AddInterceptors(Guide.Domain.Ledgers.Transactions.MySqlCommands);
                break;
        }
    }
}

/// <summary>
/// WAL lets readers run beside the one writer; the busy timeout makes writers wait instead of fail.
/// <c>synchronous=FULL</c> (the default): in WAL mode NORMAL syncs only at checkpoints, so a charge already
/// answered could vanish on power loss; FULL syncs the WAL at every commit (money: durability first; its cost,
/// measured by scripts/bench-wallet.sh --phases sqlite, is in the README).
/// </summary>
public sealed class SqlitePragmas(string synchronous) : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Durable = new("FULL");
    public static readonly SqlitePragmas Fast = new("NORMAL");

    private readonly string _pragmas = $"PRAGMA journal_mode=WAL; PRAGMA busy_timeout=15000; PRAGMA foreign_keys=ON; PRAGMA synchronous={synchronous};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }
}

public static class DatabaseMigrator
{
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GuideDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
    }
}
