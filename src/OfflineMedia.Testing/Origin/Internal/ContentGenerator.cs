using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OfflineMedia.Testing.Internal;

/// <summary>
/// Deterministic pseudo-random content, computable at any offset without materialising the file: byte
/// <c>i</c> is a byte of <c>SplitMix64(seed + i / 8)</c>, overlaid with a JPEG or MP4 header (and the JPEG
/// end-of-image marker) so sniffers recognise the format.
/// </summary>
internal static class ContentGenerator
{
    private const int BufferSize = 64 * 1024;

    // SOI + APP0 "JFIF" segment.
    private static ReadOnlySpan<byte> JpegHeader =>
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];

    // A 24-byte 'ftyp' box: major brand isom, minor 0x200, compatible isom and mp41.
    private static ReadOnlySpan<byte> Mp4Header =>
        [0x00, 0x00, 0x00, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6F, 0x6D, 0x00, 0x00, 0x02, 0x00, 0x69, 0x73, 0x6F, 0x6D, 0x6D, 0x70, 0x34, 0x31];

    private static ReadOnlySpan<byte> JpegTrailer => [0xFF, 0xD9];

    /// <summary>Fills <paramref name="destination"/> with the content at <paramref name="offset"/>.</summary>
    public static void Fill(ulong seed, ContentFormat format, long length, long offset, Span<byte> destination)
    {
        FillNoise(seed, offset, destination);

        var header = format == ContentFormat.Jpeg ? JpegHeader : Mp4Header;
        header = header[..(int)Math.Min(header.Length, length)];
        Overlay(header, 0, offset, destination);

        if (format == ContentFormat.Jpeg && length >= JpegHeader.Length + JpegTrailer.Length)
        {
            Overlay(JpegTrailer, length - JpegTrailer.Length, offset, destination);
        }
    }

    /// <summary>Hashes the whole content, one pooled buffer at a time.</summary>
    public static string ComputeSha256(ulong seed, ContentFormat format, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            for (long offset = 0; offset < length;)
            {
                var count = (int)Math.Min(BufferSize, length - offset);
                var span = buffer.AsSpan(0, count);
                Fill(seed, format, length, offset, span);
                hash.AppendData(span);
                offset += count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Hex.Lower(digest);
    }

    /// <summary>Derives a 64-bit seed from a string identity.</summary>
    public static ulong Seed(string identity)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(identity);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(bytes, digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    private static void FillNoise(ulong seed, long offset, Span<byte> destination)
    {
        var position = offset;
        var i = 0;
        while (i < destination.Length)
        {
            var within = (int)(position & 7);
            var value = SplitMix64(seed + (ulong)(position >> 3));
            if (within == 0 && destination.Length - i >= 8)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination[i..], value);
                i += 8;
                position += 8;
            }
            else
            {
                destination[i] = (byte)(value >> (within * 8));
                i++;
                position++;
            }
        }
    }

    private static void Overlay(ReadOnlySpan<byte> bytes, long at, long offset, Span<byte> destination)
    {
        var start = Math.Max(at, offset);
        var end = Math.Min(at + bytes.Length, offset + destination.Length);
        for (var p = start; p < end; p++)
        {
            destination[(int)(p - offset)] = bytes[(int)(p - at)];
        }
    }

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
