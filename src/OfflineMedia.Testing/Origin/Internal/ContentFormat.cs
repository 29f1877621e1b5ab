namespace OfflineMedia.Testing.Internal;

/// <summary>The container a generated body imitates, so content sniffing sees the right magic bytes.</summary>
internal enum ContentFormat
{
    Jpeg,
    Mp4,
}
