using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Guide.Domain.Common;

/// <summary>
/// Wires MediatR 5 (the only version our registry restores; its DI package does not) by scanning this
/// assembly for handlers and validators, with the pipeline logging → validation → transaction.
/// </summary>
public static class DomainRegistration
{
    public static IServiceCollection AddGuideDomain(this IServiceCollection services)
    {
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();

        // Registration order is pipeline order: the first is outermost.
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(LoggingBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(TransactionBehavior<,>));

        services.AddScoped<Ledgers.Transactions>();
        services.AddScoped<Ledgers.LedgerWrites>();
        services.AddScoped<Wallets.WalletAccounts>();
        services.AddScoped<Guide.Domain.Points.PointsAccounts>();
        services.AddScoped<Guide.Domain.Mall.MallStock>();
        services.AddScoped<Guide.Domain.Points.PurchasePoints>();
        services.AddScoped<Commissions.CommissionPosting>();
        services.AddScoped<Documents.SalesDocumentRecorder>();
        services.AddScoped<Documents.WaitingRefundRun>();
        services.AddScoped<Guide.Domain.Points.PointsExpiryRun>();
        services.AddScoped<Guide.Domain.Points.PointsExpiryReminderRun>();
        services.TryAddScoped<Guide.Domain.Points.IPointsExpiryReminders, Guide.Domain.Points.GatewayPointsExpiryReminders>();
        services.AddScoped<Levels.MemberLevels>();
        services.AddScoped<Levels.MemberLevelReevaluationRun>();
        services.AddScoped<GroupActions.WeComEventProcessingRun>();
        services.AddScoped<GroupActions.GroupActionLog>();
        services.AddScoped<GroupActions.GroupActionRun>();
        services.AddScoped<GroupActions.MomentPollRun>();
        services.AddScoped<Care.CareGenerationRun>();
        services.AddScoped<Care.CareExpiryRun>();
        services.AddScoped<Messaging.MessageGateway>();
        services.AddScoped<Messaging.MessageDrainRun>();
        services.AddScoped<Messaging.SystemMessages>();
        // Campaigns (issue 20)
        services.AddScoped<Messaging.CampaignMaterializer>();
        services.AddScoped<Messaging.ResumeCampaignsRun>();
        services.TryAddSingleton<Messaging.ISmsProvider, Messaging.LoggingSmsProvider>();
        services.AddScoped<Messaging.IMessageSender, Messaging.SmsMessageSender>();
        services.AddScoped<Levels.IPointsMultiplier, Levels.MemberLevelPointsMultiplier>();
        services.AddScoped<Integration.IntegrationCaller>();
        services.AddSingleton<Organization.StoreDirectory>();
        services.AddSingleton<Wallets.WalletSettingsCache>();

        foreach (var type in typeof(DomainRegistration).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType))
            {
                var definition = contract.GetGenericTypeDefinition();
                // Validators hold no state and only singleton dependencies: built once (their rules and regexes are not cheap).
                if (definition == typeof(IValidator<>))
                    services.AddSingleton(contract, type);
                else if (definition == typeof(IRequestHandler<,>) || definition == typeof(INotificationHandler<>))
                    services.AddScoped(contract, type);
            }
        }
        return services;
    }
}
