using System.Net;
using System.Net.Http.Headers;
using OfflineMedia.Cache.Internal;

namespace OfflineMedia.Tests.Cache;

public sealed class ResumeCheckTests
{
    private static readonly DateTimeOffset Modified = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Mismatch_RangeFromTheFileEndOfTheSameContent_IsNull()
    {
        using var response = PartialContent(from: 400, total: 1000, etag: "\"v1\"");

        Assert.Null(ResumeCheck.Mismatch(new PartialDownload("\"v1\"", null, 1000, "video/mp4"), 400, response));
    }

    [Fact]
    public void Mismatch_NoContentRange_SaysSo()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent([1]) };

        Assert.Equal("the answer has no Content-Range with a start and a total length", ResumeCheck.Mismatch(Partial(), 400, response));
    }

    [Fact]
    public void Mismatch_ContentRangeWithoutTotal_SaysSo()
    {
        using var response = PartialContent(from: 400, total: 1000);
        response.Content.Headers.ContentRange = new ContentRangeHeaderValue(400, 999);

        Assert.Equal("the answer has no Content-Range with a start and a total length", ResumeCheck.Mismatch(Partial(), 400, response));
    }

    [Fact]
    public void Mismatch_RangeStartsElsewhere_NamesBothStarts()
    {
        using var response = PartialContent(from: 0, total: 1000);

        Assert.Equal("the range starts at byte 0, not at 400 as asked", ResumeCheck.Mismatch(Partial(), 400, response));
    }

    [Fact]
    public void Mismatch_OtherTotalThanFirstAnswer_NamesBoth()
    {
        using var response = PartialContent(from: 400, total: 2000);

        Assert.Equal("the range gives a total of 2000 bytes where the first answer declared 1000", ResumeCheck.Mismatch(Partial(), 400, response));
    }

    [Fact]
    public void Mismatch_FirstAnswerWithoutTotal_AcceptsAnyTotal()
    {
        using var response = PartialContent(from: 400, total: 2000);

        Assert.Null(ResumeCheck.Mismatch(Partial() with { TotalBytes = null }, 400, response));
    }

    [Fact]
    public void Mismatch_OtherETag_SaysSo()
    {
        using var response = PartialContent(from: 400, total: 1000, etag: "\"v2\"");

        Assert.Equal("its ETag differs from the first answer's", ResumeCheck.Mismatch(new PartialDownload("\"v1\"", null, 1000, null), 400, response));
    }

    [Fact]
    public void Mismatch_OtherLastModifiedWithoutETag_SaysSo()
    {
        using var response = PartialContent(from: 400, total: 1000, lastModified: Modified.AddDays(1));

        Assert.Equal("its Last-Modified differs from the first answer's", ResumeCheck.Mismatch(Partial(), 400, response));
    }

    [Fact]
    public void Mismatch_SameLastModifiedWithoutETag_IsNull()
    {
        using var response = PartialContent(from: 400, total: 1000, lastModified: Modified);

        Assert.Null(ResumeCheck.Mismatch(Partial(), 400, response));
    }

    [Fact]
    public void Mismatch_ETagRecorded_LastModifiedIsNotCompared()
    {
        using var response = PartialContent(from: 400, total: 1000, etag: "\"v1\"", lastModified: Modified.AddDays(1));

        Assert.Null(ResumeCheck.Mismatch(new PartialDownload("\"v1\"", Modified.ToString("R"), 1000, null), 400, response));
    }

    private static PartialDownload Partial() => new(null, Modified.ToString("R"), 1000, "video/mp4");

    private static HttpResponseMessage PartialContent(long from, long total, string? etag = null, DateTimeOffset? lastModified = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(new byte[total - from]) };
        response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, total - 1, total);
        response.Content.Headers.LastModified = lastModified;
        if (etag is not null)
        {
            response.Headers.ETag = EntityTagHeaderValue.Parse(etag);
        }

        return response;
    }
}
