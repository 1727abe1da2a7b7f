using Guide.Weixin.Callbacks;
using Guide.Weixin.Http;
using Guide.Weixin.MiniProgram;
using Guide.Weixin.Pay;
using Guide.Weixin.Tokens;
using Guide.Weixin.WeCom;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Guide.Weixin;

/// <summary>Registers Guide.Weixin: options, HttpClients, token provider and the clients.</summary>
public static class WeixinServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="WeixinOptions"/> from the <c>Weixin</c> section and registers the clients as
    /// singletons. An <see cref="IAccessTokenStore"/> registered before (the API's database store) wins;
    /// otherwise tokens live in memory.
    /// </summary>
    public static IServiceCollection AddGuideWeixin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WeixinOptions>().Bind(configuration.GetSection(WeixinOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAccessTokenStore>(sp => new InMemoryAccessTokenStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<AccessTokenProvider>();
        services.TryAddSingleton(sp => new WeixinCallPolicy(
            sp.GetRequiredService<IOptionsMonitor<WeixinOptions>>(),
            sp.GetRequiredService<AccessTokenProvider>(),
            sp.GetRequiredService<ILogger<WeixinCallPolicy>>()));

        foreach (var name in new[] { WeixinHttpClientNames.MiniProgram, WeixinHttpClientNames.WeCom, WeixinHttpClientNames.Pay })
        {
            services.AddHttpClient(name)
                .ConfigureHttpClient((sp, client) =>
                {
                    var seconds = sp.GetRequiredService<IOptionsMonitor<WeixinOptions>>().CurrentValue.HttpTimeoutSeconds;
                    client.Timeout = TimeSpan.FromSeconds(seconds > 0 ? seconds : 10);
                    client.DefaultRequestHeaders.UserAgent.ParseAdd("Guide.Weixin/1.0");
                })
                // The default request logging writes URLs, and URLs carry secrets and access tokens.
                .RemoveAllLoggers();
        }

        services.TryAddSingleton<IMiniProgramClient>(sp => new MiniProgramClient(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptionsMonitor<WeixinOptions>>(),
            sp.GetRequiredService<WeixinCallPolicy>()));
        services.TryAddSingleton<IWeComClient>(sp => new WeComClient(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptionsMonitor<WeixinOptions>>(),
            sp.GetRequiredService<WeixinCallPolicy>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<MiniProgramPush>();
        services.TryAddSingleton<WeChatPayKeys>();
        services.TryAddSingleton<WeChatPayVerifier>();
        services.TryAddSingleton<WeChatPayNotificationReader>();
        services.TryAddSingleton<IWeChatPayClient, WeChatPayClient>();
        services.TryAddSingleton<WeComCallbackReader>();
        return services;
    }
}
