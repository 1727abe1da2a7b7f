using Guide.Weixin.Fake;
using Guide.Weixin.Callbacks;
using Guide.Weixin.MiniProgram;
using Guide.Weixin.Pay;
using Guide.Weixin.WeCom;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Guide.Weixin.Tests;

/// <summary>A fresh fake server and a service provider configured against it, per test.</summary>
internal sealed class WeixinHarness : IAsyncDisposable
{
    private readonly IConfiguration _configuration;
    private readonly bool _ownsFake;

    private WeixinHarness(FakeWeixinServer fake, IConfiguration configuration, Action<IServiceCollection>? configureServices, bool ownsFake)
    {
        Fake = fake;
        _configuration = configuration;
        _ownsFake = ownsFake;
        var services = new ServiceCollection();
        services.AddLogging();
        configureServices?.Invoke(services);
        services.AddGuideWeixin(configuration);
        Services = services.BuildServiceProvider();
    }

    public FakeWeixinServer Fake { get; }
    public ServiceProvider Services { get; }
    public IMiniProgramClient MiniProgram => Services.GetRequiredService<IMiniProgramClient>();
    public IWeComClient WeCom => Services.GetRequiredService<IWeComClient>();
    public IWeChatPayClient Pay => Services.GetRequiredService<IWeChatPayClient>();
    public WeChatPayNotificationReader PayNotifications => Services.GetRequiredService<WeChatPayNotificationReader>();
    public WeComCallbackReader WeComCallbacks => Services.GetRequiredService<WeComCallbackReader>();

    public static async Task<WeixinHarness> StartAsync(FakeWeixinOptions? options = null,
        Action<IServiceCollection>? configureServices = null,
        IEnumerable<KeyValuePair<string, string?>>? extraConfiguration = null)
    {
        var fake = await FakeWeixinServer.StartAsync(options);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(fake.WeixinConfiguration())
            .AddInMemoryCollection(extraConfiguration ?? [])
            .Build();
        return new WeixinHarness(fake, configuration, configureServices, ownsFake: true);
    }

    /// <summary>A second application instance against the same fake (its own provider and caches).</summary>
    public WeixinHarness AnotherInstance(Action<IServiceCollection>? configureServices = null) =>
        new(Fake, _configuration, configureServices, ownsFake: false);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_ownsFake) await Fake.DisposeAsync();
    }
}
