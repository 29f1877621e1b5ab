namespace OfflineMedia.Testing.Internal;

/// <summary>A media body generated on the fly from one content version.</summary>
internal sealed class GeneratedResponseBody(ContentVersion content) : ResponseBody
{
    public override long Length => content.Length;

    public override void Fill(long offset, Span<byte> destination) => content.Fill(offset, destination);
}
