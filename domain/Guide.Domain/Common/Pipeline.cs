using System.Diagnostics;
using FluentValidation;
using Guide.Domain.Ledgers;
using MediatR;
using Microsoft.Extensions.Logging;

namespace Guide.Domain.Common;

/// <summary>A request that changes state: it runs inside one database transaction of the policy (<see cref="Transactions"/>).</summary>
public interface ICommand<out TResult> : IRequest<TResult>;

/// <summary>Runs the FluentValidation validators of a request; field errors become one 400 problem.</summary>
public sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var failures = new List<FieldError>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(request, cancellationToken);
            failures.AddRange(result.Errors.Select(e => new FieldError(ToCamelCase(e.PropertyName), e.ErrorMessage, e.ErrorCode)));
        }
        if (failures.Count > 0) throw new RequestValidationException(failures);
        return await next();
    }

    private static string ToCamelCase(string path) =>
        string.Join('.', path.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}

/// <summary>Logs every request with its elapsed time (debug), refusals by rule at information, the rest as errors.</summary>
public sealed class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var name = typeof(TRequest).Name;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            // Debug: the request log line is the one event per request; refusals and failures below add theirs.
            logger.LogDebug("{Request} handled in {ElapsedMs:0.0} ms", name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception e) when (e is DomainException or RequestValidationException)
        {
            logger.LogInformation("{Request} refused in {ElapsedMs:0.0} ms: {Reason}", name, Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.Message);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "{Request} failed in {ElapsedMs:0.0} ms", name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }
}

/// <summary>
/// Runs every <see cref="ICommand{TResult}"/> under the one transaction policy (<see cref="Transactions"/>):
/// all of its writes land or none do, retried whole on races; an <see cref="IIdempotentCommand"/> is applied
/// once per key and a resend answers its first result (marked replayed when the result can say so).
/// A command sent from inside another joins the outer transaction.
/// </summary>
public sealed class TransactionBehavior<TRequest, TResponse>(Transactions transactions) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommand<TResponse>) return await next();
        var outcome = await transactions.RunAsync(request as IIdempotentCommand, () => next(), cancellationToken);
        return outcome.Replayed && outcome.Result is IReplayable<TResponse> replayable ? replayable.AsReplayed() : outcome.Result;
    }
}
