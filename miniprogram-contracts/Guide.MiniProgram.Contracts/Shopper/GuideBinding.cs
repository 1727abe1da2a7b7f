namespace Guide.MiniProgram.Contracts;

/// <summary>
/// <c>POST /api/mp/me/guide-binding</c>: the <c>scene</c> of the guide's code the mini program was opened
/// with (<c>options.scene</c>, decoded or still URL-encoded), e.g. <c>g=Ab3dE5fG7h</c>.
/// </summary>
public sealed record GuideBindingRequest(string Scene);

/// <summary>
/// The member's exclusive guide after the request. <see cref="Bound"/>: this request bound the member; false
/// when the member already had a guide (first binding wins), who is then the one shown.
/// </summary>
public sealed record GuideBindingResponse(bool Bound, ExclusiveGuideResponse Guide);

/// <summary>A member's exclusive guide (专属导购) and the guide's store.</summary>
public sealed record ExclusiveGuideResponse(Guid Id, string Name, Guid StoreId, string StoreName);
