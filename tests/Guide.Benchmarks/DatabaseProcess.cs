using MySqlConnector;

namespace Guide.Benchmarks;

/// <summary>The MariaDB server process of the benchmark (found through its pid file), to state its CPU per request.</summary>
public sealed class DatabaseProcess(int? pid)
{
    public static async Task<DatabaseProcess> FindAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        var pidFile = (string?)await new MySqlCommand("SELECT @@pid_file", connection).ExecuteScalarAsync();
        int? pid = pidFile is not null && File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var p) ? p : null;
        return new DatabaseProcess(pid);
    }

    /// <summary>User + system CPU time of the server so far (zero when it cannot be read, e.g. a remote server).</summary>
    public TimeSpan CpuTime()
    {
        if (pid is null) return TimeSpan.Zero;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid.Value);
            return process.TotalProcessorTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }
}
