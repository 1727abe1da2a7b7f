using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Weixin;

/// <summary>
/// A WeChat / WeCom access token or ticket shared by every instance (one row per account and secret kind),
/// with a refresh lease so that only one instance fetches a new one at a time.
/// </summary>
public sealed class WeixinAccessToken
{
    private WeixinAccessToken() { }

    public WeixinAccessToken(string key) => Key = key;

    public string Key { get; private set; } = "";
    public string? Value { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public string? LeaseHolder { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
}

internal sealed class WeixinAccessTokenConfiguration : IEntityTypeConfiguration<WeixinAccessToken>
{
    public void Configure(EntityTypeBuilder<WeixinAccessToken> b)
    {
        b.ToTable("weixin_access_tokens");
        b.HasKey(x => x.Key);
        b.Property(x => x.Key).HasMaxLength(128);
        b.Property(x => x.Value).HasMaxLength(1024);
        b.Property(x => x.LeaseHolder).HasMaxLength(128);
    }
}
