using AutoMapper;
using Guide.Domain.Care;
using Guide.MiniProgram.Contracts.Workbench;

namespace Guide.Api.Mapping;

/// <summary>Care plans to the guide workbench's contracts (the enums are the workbench's own, of the same names).</summary>
public sealed class CarePlanWorkbenchProfile : Profile
{
    public CarePlanWorkbenchProfile()
    {
        CreateMap<CareTargetKind, CarePlanTarget>().ConvertUsing(k => Enum.Parse<CarePlanTarget>(k.ToString()));
        CreateMap<CareSchedule, CarePlanSchedule>().ConvertUsing(k => Enum.Parse<CarePlanSchedule>(k.ToString()));
        CreateMap<CareChannel, CarePlanChannel>().ConvertUsing(k => Enum.Parse<CarePlanChannel>(k.ToString()));
        CreateMap<CareGiftKind, CarePlanGift>().ConvertUsing(k => Enum.Parse<CarePlanGift>(k.ToString()));
        CreateMap<CarePlanOwner, CarePlanOwnerKind>().ConvertUsing(k => Enum.Parse<CarePlanOwnerKind>(k.ToString()));
        CreateMap<CarePlanView, GuideCarePlanView>();
        CreateMap<CarePlanListImported, GuideCarePlanListResponse>();
    }
}
