using System.Security.Claims;

namespace Guide.Api.Auth;

/// <summary>One authentication scheme per audience; a token of one audience is refused by the others.</summary>
public static class Audiences
{
    public const string Member = "Member";
    public const string Guide = "Guide";
    public const string Admin = "Admin";
    public const string Integration = "Integration";
}

/// <summary>Authorization policies: an audience, and for staff a role.</summary>
public static class Policies
{
    public const string Member = "member";
    public const string Guide = "guide";
    public const string StoreManager = "store-manager";
    public const string Hq = "hq";
    public const string Integration = "integration";
}

public static class GuideClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string StoreId = "store_id";
    public const string Name = "name";
    public const string KeyId = "key_id";

    public const string RoleHq = "hq";
    public const string RoleGuide = "guide";
    public const string RoleStoreManager = "store_manager";
    public const string RoleAreaManager = "area_manager";

    /// <summary>The subject id of an authenticated principal (member, guide or admin id).</summary>
    public static Guid SubjectId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Subject), out var id) ? id : throw new InvalidOperationException("The token has no subject id.");
}
