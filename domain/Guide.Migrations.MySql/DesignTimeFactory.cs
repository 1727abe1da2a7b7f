using Guide.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Guide.Migrations.MySql;

/// <summary>
/// Lets <c>dotnet ef</c> build the MySQL model without a server: migrations are generated for MySQL 8.0
/// (production) and run unchanged on MariaDB 10.11 (tests and CI).
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<GuideDbContext>
{
    public static readonly ServerVersion DesignServerVersion = ServerVersion.Parse("8.0.36-mysql");

    public GuideDbContext CreateDbContext(string[] args) => new(Options());

    public static DbContextOptions<GuideDbContext> Options(string connectionString = "Server=localhost;Database=guide_design") =>
        new DbContextOptionsBuilder<GuideDbContext>()
            .UseMySql(connectionString, DesignServerVersion, b => b.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
            .Options;
}
