using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Guide.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without starting the API.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<GuideDbContext>
{
    public GuideDbContext CreateDbContext(string[] args) => new(Options());

    public static DbContextOptions<GuideDbContext> Options(string connectionString = "Data Source=design-time.db") =>
        new DbContextOptionsBuilder<GuideDbContext>()
            .UseSqlite(connectionString, b => b.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
            .Options;
}
