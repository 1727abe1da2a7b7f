using Guide.Domain.Common;
using Guide.Domain.Organization;
using Guide.Domain.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guide.Domain.Members;

/// <summary>
/// What the domain needs from WeChat to draw a mini-program code (<c>getwxacodeunlimit</c>); the API
/// implements it with Guide.Weixin and turns WeChat's refusals into <c>weixin.unavailable</c>.
/// </summary>
public interface IMiniProgramCodes
{
    /// <summary>The mini-program page a guide's code opens (configuration).</summary>
    string GuidePage { get; }

    Task<MiniProgramCodeImage> CreateAsync(string scene, string page, CancellationToken cancellationToken);
}

public sealed record MiniProgramCodeImage(byte[] Content, string ContentType);

/// <summary>
/// A guide's mini-program code as WeChat drew it, kept per guide and page: WeChat rate-limits the API (45009)
/// and the image never changes for the same scene and page, so it is fetched once; a new page setting fetches anew.
/// </summary>
public sealed class GuideQrCode
{
    public const int PageMaxLength = 128;

    private GuideQrCode() { }

    public GuideQrCode(Guid guideId, string page, string scene, MiniProgramCodeImage image, DateTimeOffset createdAt)
    {
        Id = Ids.New();
        GuideId = guideId;
        Page = page;
        Scene = scene;
        Content = image.Content;
        ContentType = image.ContentType;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public Guid GuideId { get; private set; }
    public string Page { get; private set; } = "";
    public string Scene { get; private set; } = "";
    public byte[] Content { get; private set; } = [];
    public string ContentType { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
}

internal sealed class GuideQrCodeConfiguration : IEntityTypeConfiguration<GuideQrCode>
{
    public void Configure(EntityTypeBuilder<GuideQrCode> b)
    {
        b.ToTable("guide_qr_codes");
        b.HasKey(x => x.Id);
        b.Property(x => x.Page).HasMaxLength(GuideQrCode.PageMaxLength).IsRequired();
        b.Property(x => x.Scene).HasMaxLength(32).IsRequired();
        b.Property(x => x.ContentType).HasMaxLength(32).IsRequired();
        b.Property(x => x.Content).IsRequired();
        b.HasIndex(x => new { x.GuideId, x.Page }).IsUnique();
        b.HasOne<ShoppingGuide>().WithMany().HasForeignKey(x => x.GuideId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// The guide's personal mini-program code. Not an <see cref="ICommand{T}"/>: WeChat is called outside any
/// transaction (no lock is held across a network call); the scene code and the image are each written with
/// one statement that a concurrent first request cannot double (a conditional update, a unique index).
/// </summary>
public sealed record GetGuideQrCode(Guid GuideId) : IRequest<MiniProgramCodeImage>;

public sealed class GetGuideQrCodeHandler(GuideDbContext db, IMiniProgramCodes codes, BrandClock clock) : IRequestHandler<GetGuideQrCode, MiniProgramCodeImage>
{
    public async Task<MiniProgramCodeImage> Handle(GetGuideQrCode request, CancellationToken cancellationToken)
    {
        var guide = await db.Guides.AsNoTracking().SingleOrDefaultAsync(g => g.Id == request.GuideId, cancellationToken);
        if (guide is null || !guide.Active)
            throw new DomainException(DomainError.Forbidden("guide.inactive", "This guide account is not active."));

        var page = codes.GuidePage;
        var cached = await db.GuideQrCodes.AsNoTracking().Where(c => c.GuideId == guide.Id && c.Page == page)
            .Select(c => new MiniProgramCodeImage(c.Content, c.ContentType)).SingleOrDefaultAsync(cancellationToken);
        if (cached is not null) return cached;

        var scene = GuideScene.Of(guide.SceneCode ?? await GiveSceneCodeAsync(guide.Id, cancellationToken));
        var image = await codes.CreateAsync(scene, page, cancellationToken);
        db.GuideQrCodes.Add(new GuideQrCode(guide.Id, page, scene, image, clock.UtcNow));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // A concurrent first request stored its image (the same scene, so the same code): either will do.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
        return image;
    }

    /// <summary>Gives the guide a scene code once: only where none is set, so concurrent first requests agree on one.</summary>
    private async Task<string> GiveSceneCodeAsync(Guid guideId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var code = GuideScene.NewCode();
            try
            {
                await db.Guides.Where(g => g.Id == guideId && g.SceneCode == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(g => g.SceneCode, code), cancellationToken);
                break;
            }
            catch (Exception e) when (DbErrors.IsUniqueViolation(e) && attempt < 3)
            {
                // Another guide drew the same ten characters (62^10 codes): draw again.
            }
        }
        return await db.Guides.AsNoTracking().Where(g => g.Id == guideId).Select(g => g.SceneCode!).SingleAsync(cancellationToken);
    }
}
