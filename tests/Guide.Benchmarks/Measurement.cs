using System.Diagnostics;

namespace Guide.Benchmarks;

/// <summary>What one phase measured: successes per second and latency percentiles of the successes.</summary>
public sealed record Measurement(string Name, int Concurrency, double Seconds, int Succeeded, int Refused, int Errors, double P50Ms, double P95Ms, double P99Ms,
    long Total)
{
    public double Throughput => Succeeded / Seconds;

    /// <summary>Requests of the measured window, answered one way or another.</summary>
    public int Attempts => Succeeded + Refused + Errors;

    /// <summary>The API process's CPU per request of the measured window (after the warm-up), when measured.</summary>
    public double? ApiCpuMsPerOp { get; init; }

    /// <summary>The database server's CPU per request of the measured window, when measured.</summary>
    public double? DbCpuMsPerOp { get; init; }

    public override string ToString() =>
        $"{Name,-34} c={Concurrency,-3} {Throughput,9:0.0} ops/s  p50 {P50Ms,7:0.00} ms  p95 {P95Ms,7:0.00} ms  p99 {P99Ms,7:0.00} ms  ok {Succeeded}  refused {Refused}  errors {Errors}"
        + (ApiCpuMsPerOp is { } cpu ? $"  API CPU {cpu:0.00} ms/op" : "")
        + (DbCpuMsPerOp is { } db ? $"  DB CPU {db:0.00} ms/op" : "");
}

public enum Outcome { Succeeded, Refused, Error }

/// <summary>
/// The CPU a process used in a closed loop's measured window: <paramref name="cpuTime"/> read after the warm-up and again
/// after the duration (started together with the <see cref="ClosedLoop"/> run it measures).
/// </summary>
public static class CpuWindow
{
    public static async Task<TimeSpan> MeasureAsync(Func<TimeSpan> cpuTime, TimeSpan warmUp, TimeSpan duration)
    {
        await Task.Delay(warmUp);
        var before = cpuTime();
        await Task.Delay(duration);
        return cpuTime() - before;
    }
}

/// <summary>
/// Runs <c>concurrency</c> closed-loop workers for a fixed time (after a warm-up that is not counted): each
/// worker calls <c>operation</c> again as soon as the previous call returns. Bounded in time and count.
/// </summary>
public static class ClosedLoop
{
    public static async Task<Measurement> RunAsync(string name, int concurrency, TimeSpan warmUp, TimeSpan duration,
        Func<int, long, Task<Outcome>> operation, long maxOperations = 2_000_000)
    {
        var started = Stopwatch.GetTimestamp();
        var measureFrom = started + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<double>[concurrency];
        int ok = 0, refused = 0, errors = 0;
        long sequence = 0;

        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<double>(100_000);
            while (true)
            {
                var n = Interlocked.Increment(ref sequence);
                var before = Stopwatch.GetTimestamp();
                if (before >= stopAt || n > maxOperations) return;
                Outcome outcome;
                try { outcome = await operation(worker, n); }
                catch (Exception) { outcome = Outcome.Error; }
                var after = Stopwatch.GetTimestamp();
                if (before < measureFrom || after > stopAt) continue;
                switch (outcome)
                {
                    case Outcome.Succeeded:
                        Interlocked.Increment(ref ok);
                        mine.Add((after - before) * 1000.0 / Stopwatch.Frequency);
                        break;
                    case Outcome.Refused: Interlocked.Increment(ref refused); break;
                    default: Interlocked.Increment(ref errors); break;
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => Percentiles.Of(all, p);
        return new Measurement(name, concurrency, duration.TotalSeconds, ok, refused, errors, Percentile(0.50), Percentile(0.95), Percentile(0.99),
            Math.Min(Interlocked.Read(ref sequence), maxOperations));
    }
}

/// <summary>Nearest-rank percentiles of latencies sorted ascending (NaN when there are none).</summary>
public static class Percentiles
{
    public static double Of(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
