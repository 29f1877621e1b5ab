using System.Buffers;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace OfflineMedia.Testing.Internal;

/// <summary>Writes a body slice in pooled chunks, applying the body faults of <see cref="FakeFault"/>.</summary>
internal static class ResponseBodyWriter
{
    private const int ChunkSize = 64 * 1024;

    // Kestrel's abort can discard output still queued for the socket; a short pause lets flushed bytes
    // leave first, so "drop after N bytes" delivers N bytes.
    private static readonly TimeSpan s_abortGrace = TimeSpan.FromMilliseconds(50);

    public static async Task WriteAsync(
        HttpContext context,
        ResponseBody body,
        long offset,
        long count,
        FakeFault? fault,
        FakeOriginRequest entry,
        CancellationToken cancellationToken)
    {
        var response = context.Response;
        var extra = fault?.ExtraBodyBytes ?? 0;
        var overstated = fault?.ContentLengthOverstatedBy ?? 0;
        var dropAt = fault?.DropAfterBytes;
        var stallAt = fault?.StallAfterBytes;
        var pace = fault?.BytesPerSecond;

        // Kestrel refuses more bytes than a declared Content-Length, so extra bytes go out chunked.
        response.ContentLength = extra > 0 ? null : count + overstated;
        if (dropAt is not null || overstated > 0)
        {
            response.Headers.Connection = "close";
        }

        entry.SetStatusCode(response.StatusCode);
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var total = count + extra;
        var corruptAt = fault is { CorruptBody: true } && count > 0 ? count / 2 : -1;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            await response.StartAsync(cancellationToken).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            long sent = 0;
            var stalled = false;
            while (true)
            {
                if (!stalled && stallAt is { } stallBytes && sent == Math.Min(stallBytes, total))
                {
                    stalled = true;
                    await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                    await Task.Delay(fault!.StallDuration ?? Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                }

                if (dropAt is { } dropBytes && sent == Math.Min(dropBytes, total))
                {
                    await AbortAfterFlushAsync(context, entry, cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (sent == total)
                {
                    break;
                }

                var next = total;
                if (!stalled && stallAt > sent)
                {
                    next = Math.Min(next, stallAt.Value);
                }

                if (dropAt > sent)
                {
                    next = Math.Min(next, dropAt.Value);
                }

                // Paced: chunks of 20 ms of the pace (at least 1 KiB), each sent once its time has come.
                var chunkSize = pace is { } perSecond ? (int)Math.Clamp(perSecond / 50, 1024, ChunkSize) : ChunkSize;
                var length = (int)Math.Min(chunkSize, next - sent);
                if (pace is { } bytesPerSecond && TimeSpan.FromSeconds((double)sent / bytesPerSecond) - Stopwatch.GetElapsedTime(started) is { Ticks: > 0 } wait)
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }

                var chunk = buffer.AsSpan(0, length);
                var real = (int)Math.Clamp(count - sent, 0, length);
                body.Fill(offset + sent, chunk[..real]);
                chunk[real..].Clear();
                if (corruptAt >= sent && corruptAt < sent + length)
                {
                    chunk[(int)(corruptAt - sent)] ^= 0xFF;
                }

                await response.Body.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                sent += length;
                entry.AddBodyBytes(length);
            }

            if (overstated > 0)
            {
                await AbortAfterFlushAsync(context, entry, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task AbortAfterFlushAsync(HttpContext context, FakeOriginRequest entry, CancellationToken cancellationToken)
    {
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        await Task.Delay(s_abortGrace, cancellationToken).ConfigureAwait(false);
        entry.MarkAborted();
        context.Abort();
    }
}
