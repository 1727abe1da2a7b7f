using System.Text.Json;
using System.Text.Json.Serialization;
using Guide.Api.Auth;
using Guide.Api.Commands;
using Guide.Api.Endpoints;
using Guide.Api.Endpoints.Simulator;
using Guide.Api.Infrastructure;
using Guide.Api.Jobs;
using Guide.Api.Mapping;
using Guide.Api.OpenApi;
using Guide.Api.Simulator;
using Guide.Api.Weixin;
using Guide.Domain.Common;
using Guide.Domain.Persistence;
using Guide.Weixin;
using Guide.Weixin.Fake;
using Guide.Weixin.Tokens;
using Serilog;
using Serilog.Formatting.Compact;

var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;

builder.Host.UseSerilog((context, logger) => logger
    .ReadFrom.Configuration(context.Configuration)
    .Enrich.FromLogContext()
    .WriteTo.Console(new RenderedCompactJsonFormatter()),
    preserveStaticLogger: true); // several hosts may share a process (tests); none owns the static logger

var dataFolder = Path.GetFullPath(configuration["Database:DataFolder"] ?? "data", builder.Environment.ContentRootPath);
var database = DatabaseSettings.From(configuration, builder.Environment.ContentRootPath);
var zone = BrandClock.FindZone(configuration["Brand:TimeZone"] ?? "Asia/Shanghai");

builder.Services.AddSingleton(database);
builder.Services.AddMemoryCache();
builder.Services.AddDbContextPool<GuideDbContext>(database.Configure); // pooled: a context per request without rebuilding its services
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => new BrandClock(sp.GetRequiredService<TimeProvider>(), zone));
builder.Services.AddGuideDomain();
builder.Services.AddAutoMapper(cfg => cfg.LicenseKey = configuration["AutoMapper:LicenseKey"], typeof(MiniProgramProfile));

builder.Services.AddSingleton<IAccessTokenStore, DbAccessTokenStore>();
builder.Services.AddGuideWeixin(configuration);
builder.Services.AddScoped<IWeixinIdentity, WeixinIdentity>();
builder.Services.AddScoped<Guide.Domain.Members.IMiniProgramCodes, MiniProgramCodes>();
builder.Services.AddScoped<WeChatPayOrders>();
builder.Services.AddScoped<Guide.Domain.Wallets.IRechargePayments>(sp => sp.GetRequiredService<WeChatPayOrders>());
builder.Services.AddScoped<Guide.Domain.Common.IWeChatPayOrders>(sp => sp.GetRequiredService<WeChatPayOrders>());
builder.Services.AddScoped<Guide.Domain.GroupActions.IWeComDirectory, WeComDirectory>();
builder.Services.AddScoped<Guide.Domain.Messaging.IMessageSender, SubscribeMessageSender>();
builder.Services.AddGuideSimulator();

builder.Services.AddGuideAuth(configuration, builder.Environment, dataFolder, runningCommand: CommandLine.IsCommand(args));
builder.Services.AddGuideProblems();
builder.Services.AddGuideJobs(configuration, database, zone);
builder.Services.AddHealthChecks().AddDbContextCheck<GuideDbContext>("database", tags: ["ready"]);
builder.Services.AddGuideOpenApi();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
    o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict; // "amount":"100" is refused, not charged
});

var app = builder.Build();
app.MapGuideEndpoints();

if (CommandLine.IsCommand(args)) return await CommandLine.RunAsync(app, args);

// Started after Build (the fake is a web host of its own, and a test host must see ours first) and only to
// serve: the commands call no WeChat. WeChat options bind lazily, so the fake's addresses are in place in time.
FakeWeixinServer? simulator = SimulatorMode.IsEnabled(configuration) ? await SimulatorMode.StartAsync(app) : null;

if (database.MigrateOnStartup) await DatabaseMigrator.MigrateAsync(app.Services);
if (simulator is not null)
{
    app.Lifetime.ApplicationStopped.Register(() => simulator.DisposeAsync().AsTask().GetAwaiter().GetResult());
    await SimulatorMode.SeedAsync(app.Services, configuration, app.Logger);
    app.MapSimulatorEndpoints();
}

app.UseMiddleware<RequestIdMiddleware>();
app.UseSerilogRequestLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<RequestCharsetMiddleware>();

app.UseSwaggerUI(o =>
{
    o.SwaggerEndpoint("/openapi/v1.json", "Guide API v1");
    o.RoutePrefix = "swagger";
    o.EnablePersistAuthorization();
});

await app.RunAsync();
return 0;

/// <summary>The host's entry point; public so that the tests' WebApplicationFactory can start it.</summary>
public partial class Program;
