using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Guide.Benchmarks;

/// <summary>
/// The API as its own process on loopback (the built Guide.Api.dll), for the benchmark and for tests that
/// must kill it (SIGKILL) or run its operations commands. Shared by tests/Guide.Api.Tests as a linked file.
/// </summary>
public sealed class GuideProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GuideProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The operating system's id of the API process (for /proc/&lt;pid&gt;/status: its working set).</summary>
    public int ProcessId => _process.Id;

    /// <summary>CPU time the API process used so far (user + system), to state a phase's cost per request.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The API's own build output for a configuration (Debug or Release), found from the solution root.</summary>
    public static string LocateApiDll(string configuration) =>
        Path.Combine(RepositoryRoot(), "api", "Guide.Api", "bin", configuration, "net10.0", "Guide.Api.dll");

    /// <summary>The folder of Guide.sln, above the running assembly.</summary>
    public static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Guide.sln"))) root = root.Parent;
        return root?.FullName ?? throw new InvalidOperationException("Guide.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Kills the process at once (SIGKILL on Linux): no shutdown, no flush, as a power cut would.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public static Dictionary<string, string> Environment(string connectionString, string serverVersion, string signingKey) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Benchmark",
        ["Database__Provider"] = serverVersion == "" ? "Sqlite" : "MySql",
        ["Database__ServerVersion"] = serverVersion,
        ["ConnectionStrings__Guide"] = connectionString,
        ["Auth__SigningKey"] = signingKey,
        ["Jobs__Enabled"] = "false",
        ["Simulator__Enabled"] = "true",
        ["Serilog__MinimumLevel__Default"] = "Warning",
        ["Serilog__MinimumLevel__Override__Serilog.AspNetCore.RequestLoggingMiddleware"] = "Warning",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>Runs one operations command of the binary (migrate, create-integration-client ...); throws unless it succeeds.</summary>
    public static async Task<string> RunCommandAsync(string apiDll, Dictionary<string, string> environment, params string[] args)
    {
        var (exitCode, output) = await TryRunCommandAsync(apiDll, environment, args);
        if (exitCode != 0) throw new InvalidOperationException($"{string.Join(' ', args)} failed ({exitCode}): {output}");
        return output;
    }

    /// <summary>Runs one operations command of the binary; its exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> TryRunCommandAsync(string apiDll, Dictionary<string, string> environment, params string[] args) =>
        TryRunCommandAsync(apiDll, environment, TimeSpan.FromMinutes(2), args);

    public static async Task<(int ExitCode, string Output)> TryRunCommandAsync(string apiDll, Dictionary<string, string> environment, TimeSpan timeLimit,
        params string[] args)
    {
        var start = Start(apiDll, environment, args);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(timeLimit);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    public static async Task<GuideProcess> StartAsync(string apiDll, Dictionary<string, string> environment)
    {
        var port = FreePort();
        var start = Start(apiDll, environment, []);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var process = Process.Start(start)!;
        // Drain the logs so the pipes never fill and block the server.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var guide = new GuideProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = guide.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The API exited with {process.ExitCode} during start-up.");
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return guide;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        await guide.DisposeAsync();
        throw new TimeoutException("The API did not become ready within 60 s.");
    }

    private static ProcessStartInfo Start(string apiDll, Dictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(apiDll)! };
        start.ArgumentList.Add(apiDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return start;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
