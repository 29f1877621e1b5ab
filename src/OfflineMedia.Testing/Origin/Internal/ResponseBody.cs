namespace OfflineMedia.Testing.Internal;

/// <summary>A response body that can produce any slice of itself, so large bodies are never buffered whole.</summary>
internal abstract class ResponseBody
{
    public abstract long Length { get; }

    public abstract void Fill(long offset, Span<byte> destination);
}
