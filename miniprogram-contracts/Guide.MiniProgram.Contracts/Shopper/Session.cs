namespace Guide.MiniProgram.Contracts;

/// <summary><c>POST /api/mp/session</c>: the code from <c>wx.login</c>.</summary>
public sealed record SessionRequest(string Code);

/// <summary>A bearer token for <c>/api/mp</c>; send it as <c>Authorization: Bearer {accessToken}</c>.</summary>
public sealed record SessionResponse(string AccessToken, string TokenType, long ExpiresIn, Guid MemberId, bool FirstLogIn);

/// <summary><c>POST /api/mp/me/phone</c>: the code from a <c>getPhoneNumber</c> button.</summary>
public sealed record BindPhoneRequest(string Code);
