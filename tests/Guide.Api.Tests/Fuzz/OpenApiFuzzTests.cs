using Guide.Api.Tests.Support;
using Xunit.Abstractions;

namespace Guide.Api.Tests.Fuzz;

/// <summary>
/// Every operation of the OpenAPI document, called with valid credentials of its audience and a valid-looking
/// request, then with one thing wrong at a time (each field with wrong types and extreme values, each
/// parameter, malformed and huge bodies, wrong content types, junk headers and signatures). Nothing a
/// client sends may produce a 5xx, and every refusal is a problem with a stable code. An operation the fuzz
/// cannot build a request for (or whose base request its credentials cannot open) fails the test, so a new
/// route is fuzzed from the day it appears in the document.
/// </summary>
public abstract class OpenApiFuzzTests<TFixture>(TFixture fixture, ITestOutputHelper output) : ApiTest<TFixture>(fixture) where TFixture : ApiFixture
{
    /// <summary>Fixed, so that a failure comes back on the next run (and the GUIDs the fuzz makes up are the same).</summary>
    private const int Seed = 20_261_201;

    [SkippableFact]
    public async Task Every_operation_answers_hostile_input_below_500_with_a_problem_and_a_code()
    {
        var api = Api;
        var document = await (await api.Client().GetAsync("/openapi/v1.json")).JsonAsync();
        var (operations, unreadable) = OpenApiModel.Read(document);
        Assert.True(operations.Count >= 40, $"only {operations.Count} operations in the OpenAPI document");

        var context = await FuzzContext.CreateAsync(api);
        var fuzzer = new OperationFuzzer(context, new Random(Seed));
        foreach (var operation in operations) await fuzzer.FuzzAsync(operation);
        await fuzzer.ReadAgainAsync(operations);
        output.WriteLine(fuzzer.Summary());

        var problems = unreadable.Select(u => "NOT EXERCISED " + u).Concat(fuzzer.NotExercised).Concat(fuzzer.Failures).ToList();
        Assert.True(problems.Count == 0,
            $"{problems.Count} problems ({fuzzer.Failures.Count} bad answers):\n" + string.Join("\n", problems.Take(200))
            + (problems.Count > 200 ? $"\n... and {problems.Count - 200} more" : ""));
    }
}

public sealed class OpenApiFuzzTestsOnSqlite(SqliteApi fixture, ITestOutputHelper output) : OpenApiFuzzTests<SqliteApi>(fixture, output), IClassFixture<SqliteApi>;

public sealed class OpenApiFuzzTestsOnMySql(MySqlApi fixture, ITestOutputHelper output) : OpenApiFuzzTests<MySqlApi>(fixture, output), IClassFixture<MySqlApi>;
