namespace OfflineMedia.Internal;

/// <summary>Lowercase hex, the form digests are stored and compared in.</summary>
internal static class Hex
{
    public static string Lower(ReadOnlySpan<byte> bytes) =>
#if NET9_0_OR_GREATER
        Convert.ToHexStringLower(bytes);
#else
        Convert.ToHexString(bytes).ToLowerInvariant();
#endif
}
