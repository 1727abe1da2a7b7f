using Guide.Api.Infrastructure;
using Guide.Api.OpenApi;
using Guide.Domain.Identity;
using Guide.Domain.Integration;
using MediatR;

namespace Guide.Api.Commands;

/// <summary>
/// Operations run with the same binary and configuration as the service:
/// <c>migrate</c>, <c>create-admin USER "DISPLAY NAME"</c> (password from GUIDE_ADMIN_PASSWORD or stdin),
/// <c>create-integration-client KEY_ID "NAME" [--may-charge-by-member-id]</c> (the flag: the online mall only),
/// <c>openapi FILE</c> (writes the OpenAPI document, without a database or a server),
/// <c>expire-points</c> (the expiry job's run, now; safe beside running instances: each lot expires once),
/// <c>reevaluate-levels</c> (the level re-evaluation job's run, now, when one is due; safe beside running instances:
/// its pages take turns on the settings row and a level change is recorded once),
/// <c>generate-care-tasks</c> (the care generation job's run, now; safe beside running instances: a member's task of a
/// plan's period is created once).
/// </summary>
public static class CommandLine
{
    public static readonly string[] Names = ["migrate", "create-admin", "create-integration-client", "openapi", "expire-points", "reevaluate-levels", "generate-care-tasks"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Names.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        try
        {
            switch (args[0])
            {
                case "migrate":
                    await DatabaseMigrator.MigrateAsync(app.Services);
                    Console.WriteLine("Database is up to date.");
                    return 0;
                case "create-admin" when args.Length >= 2:
                {
                    await DatabaseMigrator.MigrateAsync(app.Services);
                    var password = Environment.GetEnvironmentVariable("GUIDE_ADMIN_PASSWORD");
                    if (string.IsNullOrEmpty(password))
                    {
                        Console.Error.Write("Password: ");
                        password = Console.ReadLine() ?? "";
                    }
                    var admin = await SendAsync(app, new CreateAdmin(args[1], args.Length >= 3 ? args[2] : args[1], password));
                    Console.WriteLine($"Created HQ admin {admin.UserName} ({admin.AdminId}).");
                    return 0;
                }
                case "create-integration-client" when args.Length >= 2:
                {
                    await DatabaseMigrator.MigrateAsync(app.Services);
                    var byMemberId = args.Contains("--may-charge-by-member-id");
                    var rest = args.Skip(1).Where(a => a != "--may-charge-by-member-id").ToList();
                    var client = await SendAsync(app, new CreateIntegrationClient(rest[0], rest.Count >= 2 ? rest[1] : rest[0], byMemberId));
                    Console.WriteLine($"Key id: {client.KeyId}");
                    Console.WriteLine($"Secret: {client.Secret}");
                    Console.WriteLine("The secret is shown only now; give it to the client's operator.");
                    return 0;
                }
                case "expire-points":
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    var started = System.Diagnostics.Stopwatch.StartNew();
                    var result = await scope.ServiceProvider.GetRequiredService<Guide.Domain.Points.PointsExpiryRun>().RunAsync(CancellationToken.None);
                    using var self = System.Diagnostics.Process.GetCurrentProcess();
                    Console.WriteLine($"{result} in {started.Elapsed.TotalSeconds:0.0} s; peak working set {self.PeakWorkingSet64 / (1024 * 1024)} MB");
                    return 0;
                }
                case "generate-care-tasks":
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    var started = System.Diagnostics.Stopwatch.StartNew();
                    var result = await scope.ServiceProvider.GetRequiredService<Guide.Domain.Care.CareGenerationRun>().RunAsync(CancellationToken.None);
                    using var self = System.Diagnostics.Process.GetCurrentProcess();
                    Console.WriteLine($"{result} in {started.Elapsed.TotalSeconds:0.0} s; peak working set {self.PeakWorkingSet64 / (1024 * 1024)} MB");
                    return 0;
                }
                case "reevaluate-levels":
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    Console.WriteLine(await scope.ServiceProvider.GetRequiredService<Guide.Domain.Levels.MemberLevelReevaluationRun>().RunAsync(CancellationToken.None));
                    return 0;
                }
                case "openapi" when args.Length >= 2:
                    // Registers the mapped endpoints with routing, which serving would do; the API explorer reads them there.
                    app.UseRouting();
                    app.UseEndpoints(_ => { });
                    await OpenApiExport.WriteAsync(app.Services, args[1]);
                    return 0;
                default:
                    Console.Error.WriteLine("usage: migrate | create-admin USER [DISPLAY_NAME] | create-integration-client KEY_ID [NAME] [--may-charge-by-member-id] | openapi FILE | expire-points | reevaluate-levels | generate-care-tasks");
                    return 2;
            }
        }
        catch (Guide.Domain.Common.RequestValidationException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        catch (Guide.Domain.Common.DomainException e)
        {
            Console.Error.WriteLine($"{e.Error.Code}: {e.Error.Message}");
            return 1;
        }
    }

    private static async Task<T> SendAsync<T>(WebApplication app, IRequest<T> request)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }
}
