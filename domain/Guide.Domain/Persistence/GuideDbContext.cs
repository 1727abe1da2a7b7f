using Guide.Domain.Identity;
using Guide.Domain.Integration;
using Guide.Domain.Jobs;
using Guide.Domain.Members;
using Guide.Domain.Organization;
using Guide.Domain.Wallets;
using Guide.Domain.Weixin;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Guide.Domain.Persistence;

/// <summary>
/// The one model of Guide, provider-neutral: the host picks SQLite or MySQL, and each provider has its own
/// migrations project generated from this model.
/// </summary>
public sealed class GuideDbContext(DbContextOptions<GuideDbContext> options) : DbContext(options)
{
    /// <summary>The transaction policy's attempt running on this context, if any (set and cleared by <see cref="Ledgers.Transactions"/>).</summary>
    internal Ledgers.AttemptTransaction? Attempt { get; set; }

    public DbSet<Store> Stores => Set<Store>();
    public DbSet<ShoppingGuide> Guides => Set<ShoppingGuide>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<MemberGuideChange> MemberGuideChanges => Set<MemberGuideChange>();
    public DbSet<GuideQrCode> GuideQrCodes => Set<GuideQrCode>();
    public DbSet<HqAdmin> HqAdmins => Set<HqAdmin>();
    public DbSet<IntegrationClient> IntegrationClients => Set<IntegrationClient>();
    public DbSet<IntegrationNonce> IntegrationNonces => Set<IntegrationNonce>();
    public DbSet<WeixinAccessToken> WeixinAccessTokens => Set<WeixinAccessToken>();
    public DbSet<JobRun> JobRuns => Set<JobRun>();
    public DbSet<Wallet> Wallets => Set<Wallet>();
    public DbSet<WalletLot> WalletLots => Set<WalletLot>();
    public DbSet<WalletEntry> WalletEntries => Set<WalletEntry>();
    public DbSet<WalletEntryLine> WalletEntryLines => Set<WalletEntryLine>();
    public DbSet<WalletSettings> WalletSettings => Set<WalletSettings>();
    public DbSet<WalletToken> WalletTokens => Set<WalletToken>();
    public DbSet<WalletCharge> WalletCharges => Set<WalletCharge>();
    public DbSet<WalletChargeRefund> WalletChargeRefunds => Set<WalletChargeRefund>();
    public DbSet<RechargePackage> RechargePackages => Set<RechargePackage>();
    public DbSet<Recharge> Recharges => Set<Recharge>();
    public DbSet<RechargeRefund> RechargeRefunds => Set<RechargeRefund>();
    public DbSet<Documents.SalesDocument> SalesDocuments => Set<Documents.SalesDocument>();
    public DbSet<Documents.SalesDocumentLine> SalesDocumentLines => Set<Documents.SalesDocumentLine>();
    public DbSet<Documents.WaitingRefund> WaitingRefunds => Set<Documents.WaitingRefund>();
    public DbSet<Points.PointsAccount> PointsAccounts => Set<Points.PointsAccount>();
    public DbSet<Points.PointsLot> PointsLots => Set<Points.PointsLot>();
    public DbSet<Points.PointsDeduction> PointsDeductions => Set<Points.PointsDeduction>();
    public DbSet<Points.PointsDeductionRefund> PointsDeductionRefunds => Set<Points.PointsDeductionRefund>();
    public DbSet<Points.PointsEntry> PointsEntries => Set<Points.PointsEntry>();
    public DbSet<Points.PointsEntryLine> PointsEntryLines => Set<Points.PointsEntryLine>();
    public DbSet<Points.PointsSettings> PointsSettings => Set<Points.PointsSettings>();
    public DbSet<Levels.MemberLevel> MemberLevels => Set<Levels.MemberLevel>();
    public DbSet<Levels.MemberLevelSettings> MemberLevelSettings => Set<Levels.MemberLevelSettings>();
    public DbSet<Levels.MemberLevelChange> MemberLevelChanges => Set<Levels.MemberLevelChange>();
    public DbSet<Mall.MallItem> MallItems => Set<Mall.MallItem>();
    public DbSet<Mall.MallStockEntry> MallStockEntries => Set<Mall.MallStockEntry>();
    public DbSet<Mall.MallRedemption> MallRedemptions => Set<Mall.MallRedemption>();
    public DbSet<Mall.MallCouponCode> MallCouponCodes => Set<Mall.MallCouponCode>();
    public DbSet<GroupActions.WeComEvent> WeComEvents => Set<GroupActions.WeComEvent>();
    public DbSet<GroupActions.WeComExternalContact> WeComExternalContacts => Set<GroupActions.WeComExternalContact>();
    public DbSet<GroupActions.WeComCustomerGroup> WeComCustomerGroups => Set<GroupActions.WeComCustomerGroup>();
    public DbSet<GroupActions.WeComGroupMember> WeComGroupMembers => Set<GroupActions.WeComGroupMember>();
    public DbSet<GroupActions.WeComCustomer> WeComCustomers => Set<GroupActions.WeComCustomer>();
    public DbSet<GroupActions.GroupActionRule> GroupActionRules => Set<GroupActions.GroupActionRule>();
    public DbSet<GroupActions.GroupAction> GroupActions => Set<GroupActions.GroupAction>();
    public DbSet<GroupActions.WeComMoment> WeComMoments => Set<GroupActions.WeComMoment>();
    public DbSet<GroupActions.WeComMomentPoll> WeComMomentPolls => Set<GroupActions.WeComMomentPoll>();
    public DbSet<Commissions.CommissionRule> CommissionRules => Set<Commissions.CommissionRule>();
    public DbSet<Commissions.CommissionSettings> CommissionSettings => Set<Commissions.CommissionSettings>();
    public DbSet<Commissions.CommissionEntry> CommissionEntries => Set<Commissions.CommissionEntry>();
    public DbSet<Commissions.CommissionPeriod> CommissionPeriods => Set<Commissions.CommissionPeriod>();
    public DbSet<Commissions.CommissionPeriodChange> CommissionPeriodChanges => Set<Commissions.CommissionPeriodChange>();

    public DbSet<Care.CarePlan> CarePlans => Set<Care.CarePlan>();
    public DbSet<Care.CarePlanListMember> CarePlanListMembers => Set<Care.CarePlanListMember>();
    public DbSet<Care.CareTask> CareTasks => Set<Care.CareTask>();
    public DbSet<Care.GuideHandover> GuideHandovers => Set<Care.GuideHandover>();
    public DbSet<Messaging.OutboundMessage> OutboundMessages => Set<Messaging.OutboundMessage>();
    public DbSet<Messaging.Touch> Touches => Set<Messaging.Touch>();
    public DbSet<Messaging.MemberMessageConsent> MemberMessageConsents => Set<Messaging.MemberMessageConsent>();
    public DbSet<Messaging.SubscribeQuota> SubscribeQuotas => Set<Messaging.SubscribeQuota>();
    public DbSet<Messaging.MessageTemplate> MessageTemplates => Set<Messaging.MessageTemplate>();
    public DbSet<Messaging.FatigueSettings> FatigueSettings => Set<Messaging.FatigueSettings>();
    public DbSet<Messaging.Campaign> Campaigns => Set<Messaging.Campaign>();
    public DbSet<Messaging.CampaignMember> CampaignMembers => Set<Messaging.CampaignMember>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(GuideDbContext).Assembly);
        WeixinIds.Apply(modelBuilder, binaryCollation: Database.ProviderName != "Microsoft.EntityFrameworkCore.Sqlite");
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date-time type: EF stores DateTimeOffset as text and cannot compare or order it in
        // SQL. All our instants are UTC, so SQLite stores UTC ticks (an ordered integer). MySQL keeps datetime(6).
        if (Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        }
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}
