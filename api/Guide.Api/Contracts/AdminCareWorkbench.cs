namespace Guide.Api;

// HQ requests of the care workbench part: a leaving guide's handover, a store's default guide.

/// <summary><c>POST /api/admin/guides/{id}/handover</c>: the active guide who takes over the members and pending care tasks.</summary>
public sealed record GuideHandoverRequest(Guid? SuccessorId);

/// <summary><c>PUT /api/admin/stores/{id}/default-guide</c>: an active guide of the store, or null for none.</summary>
public sealed record StoreDefaultGuideRequest(Guid? GuideId);
