using OfflineMedia.Testing.Internal;

namespace OfflineMedia.Testing;

/// <summary>
/// One variant of an exercise's media on the fake origin (for example the <c>medium</c> image or the
/// <c>720p</c> video). Its content is generated on the fly from its identity and version, so a large
/// variant costs no memory. Safe to change while the origin is serving it.
/// </summary>
public sealed class FakeMediaVariant
{
    private readonly object _gate = new();
    private readonly string _identity;
    private ContentVersion _content;
    private FakeVariantForm _form;
    private FakeMediaUrlStyle? _urlStyle;

    internal FakeMediaVariant(string exerciseId, FakeMediaKind kind, string name, long sizeBytes, FakeVariantForm form)
    {
        ExerciseId = exerciseId;
        Kind = kind;
        Name = name;
        var isImage = kind == FakeMediaKind.Image || string.Equals(name, "poster", StringComparison.Ordinal);
        FileName = name + (isImage ? ".jpg" : ".mp4");
        ContentType = isImage ? "image/jpeg" : "video/mp4";
        Format = isImage ? ContentFormat.Jpeg : ContentFormat.Mp4;
        Path = $"/media/{OriginPaths.KindSegment(kind)}/{Uri.EscapeDataString(exerciseId)}/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(FileName)}";
        _identity = $"{OriginPaths.KindSegment(kind)}/{exerciseId}/{name}";
        _form = form;
        _content = new ContentVersion(_identity, Format, 1, sizeBytes);
    }

    /// <summary>Gets the id of the exercise the variant belongs to.</summary>
    public string ExerciseId { get; }

    /// <summary>Gets the group of the variant in the media JSON.</summary>
    public FakeMediaKind Kind { get; }

    /// <summary>Gets the variant name, such as <c>medium</c>, <c>720p</c> or <c>poster</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the file name in the media path: the name plus <c>.jpg</c> (images and the poster) or <c>.mp4</c> (videos).</summary>
    public string FileName { get; }

    /// <summary>Gets the content type served: <c>image/jpeg</c> for images and the poster, otherwise <c>video/mp4</c>.</summary>
    public string ContentType { get; }

    /// <summary>Gets the origin-relative path the variant is served at: <c>/media/{images|videos}/{exerciseId}/{variant}/{fileName}</c> (segments escaped).</summary>
    public string Path { get; }

    /// <summary>Gets or sets how the variant is written in the media JSON.</summary>
    /// <value>The default is the form given when the variant was added.</value>
    public FakeVariantForm Form
    {
        get { lock (_gate) { return _form; } }
        set { lock (_gate) { _form = value; } }
    }

    /// <summary>Gets or sets how the variant's URL is written in the media JSON; <see langword="null"/> uses <see cref="FakeMediaOriginOptions.MediaUrlStyle"/>.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public FakeMediaUrlStyle? UrlStyle
    {
        get { lock (_gate) { return _urlStyle; } }
        set { lock (_gate) { _urlStyle = value; } }
    }

    /// <summary>Gets the size in bytes of the content currently served.</summary>
    public long SizeBytes => Current.Length;

    /// <summary>Gets the content version, 1 at first and incremented by <see cref="ChangeContent(long?)"/>.</summary>
    public int Version => Current.Version;

    /// <summary>Gets the strong entity tag (quoted, as sent in the <c>ETag</c> header) of the current content.</summary>
    public string ETag => Current.ETag;

    /// <summary>Gets the <c>Last-Modified</c> time of the current content (2026-01-01T00:00Z for version 1, one hour later per version).</summary>
    public DateTimeOffset LastModified => Current.LastModified;

    /// <summary>
    /// Gets the SHA-256 of the current content as lowercase hex. Computed by streaming the generated content
    /// once (no full buffer), then cached for this version.
    /// </summary>
    public string Sha256 => Current.Sha256;

    internal ContentFormat Format { get; }

    internal ContentVersion Current => Volatile.Read(ref _content);

    /// <summary>
    /// Replaces the content with a new version: different bytes, a new <see cref="ETag"/>, a later
    /// <see cref="LastModified"/> and <see cref="Sha256"/>. Use it to test revalidation and <c>If-Range</c>.
    /// </summary>
    /// <param name="sizeBytes">The new size in bytes, or <see langword="null"/> to keep the current size.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sizeBytes"/> is negative.</exception>
    public void ChangeContent(long? sizeBytes = null)
    {
        if (sizeBytes is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(size);
        }

        lock (_gate)
        {
            var current = _content;
            Volatile.Write(ref _content, new ContentVersion(_identity, Format, current.Version + 1, sizeBytes ?? current.Length));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Path;
}
