using System.Reflection;

namespace Guide.Migrations.MySql;

/// <summary>
/// The QRTZ_ tables of Quartz.NET's clustered job store, created by our migrations (the store only
/// validates them). The statements come from the script the Quartz package embeds for MySQL InnoDB, so they
/// match the Quartz version we run; every statement is CREATE ... IF NOT EXISTS.
/// </summary>
public static class QuartzSchema
{
    public const string TablePrefix = "QRTZ_";

    public static IEnumerable<string> CreateStatements()
    {
        const string resource = "Quartz.Impl.AdoJobStore.Schema.create_mysql_innodb.sql";
        using var stream = typeof(Quartz.IJob).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The Quartz package no longer embeds {resource}.");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);
        foreach (var piece in script.Split("\n--;;", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var sql = string.Join('\n', piece.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim();
            if (sql.Length > 0) yield return sql;
        }
    }

    /// <summary>The tables the script creates, in creation order (drop them in reverse).</summary>
    public static IEnumerable<string> AllTableNames() =>
        CreateStatements()
            .Select(s => System.Text.RegularExpressions.Regex.Match(s, @"CREATE TABLE IF NOT EXISTS\s+`?(\w+)`?", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            .Where(m => m.Success).Select(m => m.Groups[1].Value);
}
