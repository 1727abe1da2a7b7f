using Microsoft.Extensions.Logging;

namespace Guide.Domain.Messaging;

/// <summary>A message that passed the gate, with what its channel needs: the member's openid and phone, the template, the values.</summary>
public sealed record MessageDelivery(Guid MessageId, MessageChannel Channel, MessageKind Kind, string OpenId, string? Phone,
    MessageTemplate? Template, IReadOnlyDictionary<string, string> Data, string? Text, string? Page);

/// <summary>
/// Delivered; transient (nothing was delivered and a retry may succeed: connection refused, WeChat busy or rate-limited);
/// rejected for good (bad template data, invalid template); or WeChat's 43101: the member has no accepted subscription left.
/// </summary>
public enum DeliveryOutcome { Delivered, Transient, Rejected, NoSubscribeQuota }

public sealed record DeliveryResult(DeliveryOutcome Outcome, string? Detail = null)
{
    public static readonly DeliveryResult Delivered = new(DeliveryOutcome.Delivered);
}

/// <summary>
/// One channel's way out (the subscribe message through Guide.Weixin, SMS through <see cref="ISmsProvider"/>). WeCom has none:
/// its messages wait on the guide's workbench, and the guide sends them.
/// </summary>
public interface IMessageSender
{
    MessageChannel Channel { get; }

    Task<DeliveryResult> SendAsync(MessageDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>
/// An SMS provider (Aliyun, Tencent Cloud SMS...): a signed request with the provider's template code and its parameters, or a
/// text. Configuration: <c>Sms:Provider</c>, <c>Sms:Endpoint</c>, <c>Sms:AccessKeyId</c>, <c>Sms:AccessKeySecret</c>,
/// <c>Sms:SignName</c>; see <see cref="SmsOptions"/>.
/// </summary>
public interface ISmsProvider
{
    Task<DeliveryResult> SendAsync(string phone, string? templateCode, IReadOnlyDictionary<string, string> parameters, string? text,
        CancellationToken cancellationToken);
}

/// <summary>What a real SMS provider needs (bound from <c>Sms:*</c>); the logging provider reads none of it.</summary>
public sealed class SmsOptions
{
    /// <summary><c>logging</c> (the default: writes each SMS to the log) or the name of a real provider's implementation.</summary>
    public string Provider { get; set; } = "logging";
    public string? Endpoint { get; set; }
    public string? AccessKeyId { get; set; }
    public string? AccessKeySecret { get; set; }
    /// <summary>The signature (签名) the carrier shows before the text, approved with the provider.</summary>
    public string? SignName { get; set; }
    public string? Region { get; set; }
}

/// <summary>The SMS provider until a real one is configured: logs each message (phone masked) and reports it delivered.</summary>
public sealed partial class LoggingSmsProvider(ILogger<LoggingSmsProvider> logger) : ISmsProvider
{
    public Task<DeliveryResult> SendAsync(string phone, string? templateCode, IReadOnlyDictionary<string, string> parameters, string? text,
        CancellationToken cancellationToken)
    {
        Log(logger, Members.Member.MaskPhone(phone) ?? "", templateCode ?? "(text)", parameters.Count, text?.Length ?? 0);
        return Task.FromResult(DeliveryResult.Delivered);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS to {Phone}: template {Template}, {Parameters} parameter(s), {TextLength} character(s) of text")]
    private static partial void Log(ILogger logger, string phone, string template, int parameters, int textLength);
}

/// <summary>SMS through the configured <see cref="ISmsProvider"/>: the member's phone, the template's code and values or the text.</summary>
public sealed class SmsMessageSender(ISmsProvider provider) : IMessageSender
{
    public MessageChannel Channel => MessageChannel.Sms;

    public Task<DeliveryResult> SendAsync(MessageDelivery delivery, CancellationToken cancellationToken) =>
        delivery.Phone is { } phone
            ? provider.SendAsync(phone, delivery.Template?.ExternalId, delivery.Data, delivery.Text, cancellationToken)
            : Task.FromResult(new DeliveryResult(DeliveryOutcome.Rejected, "the member has no phone"));
}
