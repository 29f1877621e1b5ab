using System.Net;

namespace OfflineMedia.Fleet.Traffic;

/// <summary>A response body that counts the bytes read and ends its request's time in flight at its end or its disposal.</summary>
internal sealed class CountedContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly ClientRequest _request;
    private readonly TrafficMeter _meter;
    private int _ended;

    public CountedContent(HttpContent inner, ClientRequest request, TrafficMeter meter)
    {
        _inner = inner;
        _request = request;
        _meter = meter;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    public void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _meter.Ended();
        }
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await using var body = await CreateContentReadStreamAsync();
        await body.CopyToAsync(stream);
    }

    protected override async Task<Stream> CreateContentReadStreamAsync() => new CountedStream(await _inner.ReadAsStreamAsync(), this, _request);

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new CountedStream(await _inner.ReadAsStreamAsync(cancellationToken), this, _request);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => new CountedStream(_inner.ReadAsStream(cancellationToken), this, _request);

    protected override bool TryComputeLength(out long length)
    {
        length = Headers.ContentLength ?? 0;
        return Headers.ContentLength is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            End();
        }

        base.Dispose(disposing);
    }

    private sealed class CountedStream(Stream inner, CountedContent content, ClientRequest request) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Counted(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                content.End();
            }

            base.Dispose(disposing);
        }

        private int Counted(int read)
        {
            if (read == 0)
            {
                content.End();
            }
            else
            {
                request.AddBytes(read);
            }

            return read;
        }
    }
}
