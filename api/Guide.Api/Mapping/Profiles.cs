using AutoMapper;
using Guide.Domain.Common;
using Guide.Domain.Members;
using Guide.Domain.Organization;
using Guide.Domain.Wallets;
using Guide.MiniProgram.Contracts.Workbench;
using Contracts = Guide.MiniProgram.Contracts;

namespace Guide.Api.Mapping;

/// <summary>Domain results to the mini program's contracts. Outward only, never into entities.</summary>
public sealed class MiniProgramProfile : Profile
{
    public MiniProgramProfile()
    {
        CreateMap<Domain.Members.Gender, Contracts.Gender>().ConvertUsing(g => Enum.Parse<Contracts.Gender>(g.ToString()));
        CreateMap<MemberProfile, Contracts.MeResponse>()
            .ForCtorParam(nameof(Contracts.MeResponse.HasExclusiveGuide), o => o.MapFrom(s => s.ExclusiveGuideId != null));
        CreateMap<Domain.Wallets.WalletEntryKind, Contracts.WalletEntryKind>().ConvertUsing(k => Enum.Parse<Contracts.WalletEntryKind>(k.ToString()));
        CreateMap<WalletView, Contracts.WalletResponse>();
        CreateMap<WalletEntryView, Contracts.WalletEntryResponse>();
        CreateMap<PaymentCodeIssued, Contracts.PaymentCodeResponse>();
        CreateMap<WalletConfirmationIssued, Contracts.WalletConfirmationResponse>();
        CreateMap<RechargePackageView, Contracts.RechargePackageResponse>();
        CreateMap<Domain.Wallets.RechargeStatus, Contracts.RechargeStatus>().ConvertUsing(k => Enum.Parse<Contracts.RechargeStatus>(k.ToString()));
        CreateMap<RechargeView, Contracts.RechargeResponse>();
        CreateMap<RequestPayment, Contracts.RequestPaymentResponse>();
        CreateMap<RechargeStarted, Contracts.CreateRechargeResponse>();
        CreateMap<Domain.Points.PointsEntryKind, Contracts.PointsEntryKind>().ConvertUsing(k => Enum.Parse<Contracts.PointsEntryKind>(k.ToString()));
        CreateMap<Domain.Points.PointsView, Contracts.PointsResponse>();
        CreateMap<Domain.Points.PointsEntryView, Contracts.PointsEntryResponse>();
        CreateMap<Domain.Levels.LevelSource, Contracts.LevelSource>().ConvertUsing(k => Enum.Parse<Contracts.LevelSource>(k.ToString()));
        CreateMap<Domain.Levels.ThresholdBasis, Contracts.ThresholdBasis>().ConvertUsing(k => Enum.Parse<Contracts.ThresholdBasis>(k.ToString()));
        CreateMap<Domain.Levels.MyLevelView, Contracts.MemberLevelStatusResponse>()
            .ForCtorParam(nameof(Contracts.MemberLevelStatusResponse.PointsMultiplier), o => o.MapFrom(s => Multipliers.Text(s.PointsMultiplier)));
        CreateMap<Domain.Mall.MallItemKind, Contracts.MallItemKind>().ConvertUsing(k => Enum.Parse<Contracts.MallItemKind>(k.ToString()));
        CreateMap<Domain.Mall.MallRefusal, Contracts.MallRefusal>().ConvertUsing(k => Enum.Parse<Contracts.MallRefusal>(k.ToString()));
        CreateMap<Domain.Mall.MallRedemptionStatus, Contracts.MallRedemptionStatus>().ConvertUsing(k => Enum.Parse<Contracts.MallRedemptionStatus>(k.ToString()));
        CreateMap<Domain.Mall.MallCatalogItem, Contracts.MallItemResponse>();
        CreateMap<Domain.Mall.MallRedemptionView, Contracts.MallRedemptionResponse>();
        CreateMap<ExclusiveGuideView, Contracts.ExclusiveGuideResponse>();
        CreateMap<GuideBindingOutcome, Contracts.GuideBindingResponse>();
    }
}

/// <summary>Domain results to the guide workbench's contracts.</summary>
public sealed class GuideWorkbenchProfile : Profile
{
    public GuideWorkbenchProfile()
    {
        CreateMap<MemberProfile, GuideMemberView>()
            .ForCtorParam(nameof(GuideMemberView.MaskedPhone), o => o.MapFrom(s => Member.MaskPhone(s.Phone)))
            .ForCtorParam(nameof(GuideMemberView.Gender), o => o.MapFrom(s => s.Gender.ToString().ToLowerInvariant()));
        CreateMap<Domain.Organization.GuideRole, Contracts.Workbench.GuideRole>().ConvertUsing(r => Enum.Parse<Contracts.Workbench.GuideRole>(r.ToString()));
        CreateMap<GuideProfile, GuideView>();
        CreateMap<Domain.Commissions.CommissionEntryKind, CommissionLineKind>().ConvertUsing(k => Enum.Parse<CommissionLineKind>(k.ToString()));
        CreateMap<Domain.Commissions.CommissionMethod, CommissionLineMethod>().ConvertUsing(k => Enum.Parse<CommissionLineMethod>(k.ToString()));
        CreateMap<Domain.Commissions.CommissionEntryRow, GuideCommissionLine>();
        CreateMap<Domain.Commissions.CommissionTotals, GuideCommissionTotals>();
    }
}

public static class PageMapping
{
    public static PageView<TView> ToView<TItem, TView>(this IMapper mapper, Page<TItem> page) =>
        new(mapper.Map<IReadOnlyList<TView>>(page.Items), page.PageNumber, page.PageSize, page.Total);

    /// <summary>A page whose items go on the wire as they are (HQ's own views): no mapper copying a record onto itself.</summary>
    public static PageView<T> ToView<T>(this Page<T> page) => new(page.Items, page.PageNumber, page.PageSize, page.Total);
}

/// <summary>Domain results to the HQ console's contracts.</summary>
public sealed class HqConsoleProfile : Profile
{
    public HqConsoleProfile()
    {
        CreateMap<MemberProfile, AdminMemberView>()
            .ForCtorParam(nameof(AdminMemberView.Gender), o => o.MapFrom(s => s.Gender.ToString().ToLowerInvariant()));
        CreateMap<WalletEntryView, WalletEntryView>();
        CreateMap<RechargeView, RechargeView>();
        CreateMap<WalletAdjustment, WalletAdjustmentResponse>();
        CreateMap<Domain.Levels.MemberLevelView, MemberLevelResponse>()
            .ForCtorParam(nameof(MemberLevelResponse.PointsMultiplier), o => o.MapFrom(s => Multipliers.Text(s.PointsMultiplier)));
        CreateMap<Domain.Levels.ThresholdBasis, Contracts.ThresholdBasis>().ConvertUsing(k => Enum.Parse<Contracts.ThresholdBasis>(k.ToString()));
        CreateMap<Domain.Levels.LevelReevaluationView, MemberLevelReevaluationResponse>();
        CreateMap<Domain.Levels.MemberLevelSettingsView, MemberLevelSettingsResponse>();
        CreateMap<Domain.Levels.MemberLevelChangeView, MemberLevelChangeResponse>();
        CreateMap<MemberGuideChangeView, MemberGuideChangeResponse>();
    }
}

/// <summary>Domain results to the contracts of POS, ERP and mall integrations.</summary>
public sealed class IntegrationProfile : Profile
{
    public IntegrationProfile()
    {
        CreateMap<WalletBalance, WalletBalanceView>();
        CreateMap<WalletChargeResult, WalletChargeResponse>();
        CreateMap<WalletChargeRefundResult, WalletRefundResponse>();
        CreateMap<Domain.Points.PointsAfter, PointsAfterResponse>();
        CreateMap<Domain.Points.PointsDeductionResult, PointsDeductionResponse>();
        CreateMap<Domain.Points.PointsDeductionRefundResult, PointsDeductionRefundResponse>();
    }
}

/// <summary>Points multipliers on the wire: decimal text with one or two places ("1.0", "1.25"), never a binary float.</summary>
public static class Multipliers
{
    public static string Text(decimal multiplier) => multiplier.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture);
}
