using System.Globalization;

namespace OfflineMedia.Testing.Internal;

/// <summary>
/// One immutable version of a variant's content. A request reads the current version once, so a
/// concurrent <see cref="FakeMediaVariant.ChangeContent(long?)"/> never mixes two versions in one response.
/// </summary>
internal sealed class ContentVersion
{
    // Fixed, so runs are reproducible; each version is one hour later.
    private static readonly DateTimeOffset s_firstModified = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lazy<string> _sha256;

    public ContentVersion(string identity, ContentFormat format, int version, long length)
    {
        Format = format;
        Version = version;
        Length = length;
        Seed = ContentGenerator.Seed(string.Create(CultureInfo.InvariantCulture, $"{identity}\n{version}\n{length}"));
        ETag = string.Create(CultureInfo.InvariantCulture, $"\"{Seed:x16}\"");
        LastModified = s_firstModified.AddHours(version - 1);
        _sha256 = new Lazy<string>(() => ContentGenerator.ComputeSha256(Seed, Format, Length), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public ContentFormat Format { get; }

    public int Version { get; }

    public long Length { get; }

    public ulong Seed { get; }

    /// <summary>The strong entity tag, quoted.</summary>
    public string ETag { get; }

    public DateTimeOffset LastModified { get; }

    public string Sha256 => _sha256.Value;

    public void Fill(long offset, Span<byte> destination) => ContentGenerator.Fill(Seed, Format, Length, offset, destination);
}
