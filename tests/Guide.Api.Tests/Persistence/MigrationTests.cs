using Guide.Api.Tests.Support;
using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;

namespace Guide.Api.Tests.Persistence;

/// <summary>Each provider's migrations cover the whole model, and apply to an empty database.</summary>
public sealed class MigrationTests
{
    [Fact]
    public void Sqlite_migrations_cover_every_model_change()
    {
        using var db = new GuideDbContext(Migrations.Sqlite.DesignTimeFactory.Options());
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes no SQLite migration covers: dotnet ef migrations add <Name> --project domain/Guide.Migrations.Sqlite --startup-project domain/Guide.Migrations.Sqlite");
    }

    [Fact]
    public void MySql_migrations_cover_every_model_change()
    {
        using var db = new GuideDbContext(Migrations.MySql.DesignTimeFactory.Options());
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes no MySQL migration covers: dotnet ef migrations add <Name> --project domain/Guide.Migrations.MySql --startup-project domain/Guide.Migrations.MySql");
    }

    [Fact]
    public void Both_providers_have_the_same_migrations_by_name_except_the_quartz_tables()
    {
        static IEnumerable<string> Names(DbContextOptions<GuideDbContext> options)
        {
            using var db = new GuideDbContext(options);
            return db.Database.GetMigrations().Select(m => m[15..]).ToList();
        }
        var sqlite = Names(Migrations.Sqlite.DesignTimeFactory.Options());
        var mysql = Names(Migrations.MySql.DesignTimeFactory.Options()).Where(n => n != "QuartzJobStore");
        Assert.Equal(sqlite, mysql);
    }

    [Fact]
    public async Task Sqlite_migrates_an_empty_file_in_wal_mode()
    {
        var file = Path.Combine(Path.GetTempPath(), $"guide-migrate-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<GuideDbContext>()
                .UseSqlite($"Data Source={file}", b => b.MigrationsAssembly("Guide.Migrations.Sqlite"))
                .AddInterceptors(Guide.Api.Infrastructure.SqlitePragmas.Durable)
                .Options;
            await using var db = new GuideDbContext(options);
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var journal = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();
            Assert.Equal("wal", Assert.Single(journal));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { file, file + "-wal", file + "-shm" }) File.Delete(f);
        }
    }

    [SkippableFact]
    public async Task MySql_migrates_an_empty_database_with_utf8mb4_tables_and_the_quartz_store()
    {
        var unavailable = MySqlApi.CheckAvailable();
        Skip.If(unavailable is not null, unavailable);
        // latin1 on purpose: the migrations must not rely on the server's or database's default charset.
        await using var scratch = await MySqlApi.CreateScratchDatabaseAsync("guide_m_", charset: "latin1");
        var connectionString = scratch.ConnectionString;
        var options = new DbContextOptionsBuilder<GuideDbContext>()
            .UseMySql(connectionString, ServerVersion.Parse(MySqlApi.ServerVersion), b => b.MigrationsAssembly("Guide.Migrations.MySql"))
            .Options;
        await using (var db = new GuideDbContext(options))
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        var charsets = new List<(string Table, string Collation)>();
        await using (var reader = await new MySqlCommand(
            "SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'QRTZ%'", connection).ExecuteReaderAsync())
            while (await reader.ReadAsync()) charsets.Add((reader.GetString(0), reader.GetString(1)));
        Assert.Contains(charsets, c => c.Table == "members");
        Assert.All(charsets, c => Assert.StartsWith("utf8mb4", c.Collation));

        var quartzTables = Convert.ToInt32(await new MySqlCommand(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'QRTZ%'", connection).ExecuteScalarAsync());
        Assert.True(quartzTables >= 11, $"only {quartzTables} Quartz tables");
    }
}
