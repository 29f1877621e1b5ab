namespace OfflineMedia.Testing.Internal;

/// <summary>A small body already in memory (JSON, HTML).</summary>
internal sealed class BufferResponseBody(byte[] bytes) : ResponseBody
{
    public override long Length => bytes.Length;

    public override void Fill(long offset, Span<byte> destination) => bytes.AsSpan((int)offset, destination.Length).CopyTo(destination);
}
