using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Persistence;

/// <summary>
/// Ids WeChat and WeCom compare case-sensitively (openid, unionid, external_userid, chat_id, moment_id, a contact
/// way's state, our own base62 codes): on MySQL such a column gets a binary collation, since the database's
/// default (utf8mb4_unicode_ci) would make <c>wmAbc</c> and <c>wmABC</c> one customer, one unique key, one award.
/// SQLite compares text byte by byte already. WeCom's member user ids are case-insensitive and keep the default.
/// </summary>
public static class WeixinIds
{
    private const string Annotation = "Guide:WeixinId";
    public const string MySqlCollation = "utf8mb4_bin";

    public static PropertyBuilder<T> IsWeixinId<T>(this PropertyBuilder<T> property) => property.HasAnnotation(Annotation, true);

    /// <summary>The same for the codes of the brand's systems that are case-sensitive (a SKU a commission rule names).</summary>
    public static PropertyBuilder<T> IsCaseSensitiveCode<T>(this PropertyBuilder<T> property) => property.HasAnnotation(Annotation, true);

    /// <summary>Turns the marks into collations (MySQL) or drops them (SQLite), so no provider's model keeps the mark itself.</summary>
    internal static void Apply(ModelBuilder modelBuilder, bool binaryCollation)
    {
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()).Where(p => p.FindAnnotation(Annotation) is not null).ToList())
        {
            property.RemoveAnnotation(Annotation);
            if (binaryCollation) property.SetCollation(MySqlCollation);
        }
    }
}
