using Guide.Domain.Ledgers;

namespace Guide.Api.Auth;

/// <summary>
/// Every integration request records its nonce (and has its client checked against the database) in its
/// first transaction. A request that wrote nothing (a look-up, a refusal, invalid input) records it here, on
/// its own, before it is answered: its replay fails like any other, and a disabled client is refused even
/// where nothing else touches the database. A reused nonce or a disabled client replaces whatever the
/// endpoint answered with the 401 the request deserves.
/// </summary>
public sealed class IntegrationFactsFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var transactions = context.HttpContext.RequestServices.GetRequiredService<Transactions>();
        var aborted = context.HttpContext.RequestAborted;
        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await transactions.RecordFactsAsync(aborted); // a refusal here (reused nonce) wins over the endpoint's
            throw;
        }
        await transactions.RecordFactsAsync(aborted);
        return result;
    }
}
