using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Testing;

public sealed class FakeMediaCatalogTests
{
    private static readonly DateTimeOffset s_start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CreateWeek_Default_HasTwelveExercisesWithEveryVariantAtScaledSizes()
    {
        var catalog = FakeMediaCatalog.CreateWeek(s_start);

        Assert.Equal(12, catalog.Exercises.Count);
        Assert.Equal(12, catalog.Exercises.Select(e => e.Id).Distinct().Count());
        foreach (var exercise in catalog.Exercises)
        {
            Assert.Equal(FakeMediaSizes.ImageVariants, exercise.Variants.Where(v => v.Kind == FakeMediaKind.Image).Select(v => v.Name));
            Assert.Equal(FakeMediaSizes.VideoVariants, exercise.Variants.Where(v => v.Kind == FakeMediaKind.Video).Select(v => v.Name));
        }

        Assert.Equal(512, catalog.GetVariant("squat", FakeMediaKind.Image, "thumbnail").SizeBytes);
        Assert.Equal(80L * 1024 * 1024 / 100, catalog.GetVariant("squat", FakeMediaKind.Video, "original").SizeBytes);
        Assert.Contains(catalog.AllVariants, v => v.Form == FakeVariantForm.Rich);
        Assert.Contains(catalog.AllVariants, v => v.Form == FakeVariantForm.PlainUrl);
    }

    [Fact]
    public void CreateWeek_Default_SchedulesAtLeastFiveWorkoutsInTheNextSevenDaysSharingExercises()
    {
        var catalog = FakeMediaCatalog.CreateWeek(s_start);

        var upcoming = catalog.GetUpcomingWorkouts(s_start, TimeSpan.FromDays(7));

        Assert.True(upcoming.Count >= 5);
        Assert.Equal(["w-1", "w-2", "w-3", "w-4", "w-5", "w-6"], upcoming.Select(w => w.Id));
        var exerciseIds = upcoming.SelectMany(w => w.ExerciseIds).ToList();
        Assert.Equal(12, exerciseIds.Distinct().Count());
        Assert.True(exerciseIds.Count > 12, "some exercises are shared between workouts");
        Assert.All(catalog.Workouts.SelectMany(w => w.ExerciseIds), id => Assert.True(catalog.TryGetExercise(id, out _)));
    }

    [Fact]
    public void CreateWeek_SameStart_IsDeterministic()
    {
        var first = FakeMediaCatalog.CreateWeek(s_start, scale: 1000);
        var second = FakeMediaCatalog.CreateWeek(s_start, scale: 1000);

        Assert.Equal(first.AllVariants.Select(v => (v.Path, v.ETag, v.Sha256)), second.AllVariants.Select(v => (v.Path, v.ETag, v.Sha256)));
        Assert.Equal(first.Workouts.Select(w => (w.Id, w.ScheduledAt)), second.Workouts.Select(w => (w.Id, w.ScheduledAt)));
    }

    [Theory]
    [InlineData(FakeMediaKind.Image, "thumbnail", 50L * 1024)]
    [InlineData(FakeMediaKind.Image, "large", 1536L * 1024)]
    [InlineData(FakeMediaKind.Image, "original", 5L * 1024 * 1024)]
    [InlineData(FakeMediaKind.Video, "1080p", 25L * 1024 * 1024)]
    [InlineData(FakeMediaKind.Video, "poster", 200L * 1024)]
    public void Typical_ScaleOne_GivesTheContractsTypicalSizes(FakeMediaKind kind, string variant, long expected)
        => Assert.Equal(expected, FakeMediaSizes.Typical(kind, variant));

    [Fact]
    public void Typical_UnknownVariant_Throws()
        => Assert.Throws<ArgumentException>(() => FakeMediaSizes.Typical(FakeMediaKind.Image, "720p"));

    [Fact]
    public void ChangeContent_NewVersion_ChangesETagHashAndLastModified()
    {
        var catalog = new FakeMediaCatalog().AddExercise("squat", "Squat", e => e.AddImage("small", 4096));
        var variant = catalog.GetVariant("squat", FakeMediaKind.Image, "small");
        var (etag, sha, modified) = (variant.ETag, variant.Sha256, variant.LastModified);

        variant.ChangeContent();

        Assert.Equal(2, variant.Version);
        Assert.Equal(4096, variant.SizeBytes);
        Assert.NotEqual(etag, variant.ETag);
        Assert.NotEqual(sha, variant.Sha256);
        Assert.True(variant.LastModified > modified);
    }

    [Fact]
    public void AddExercise_DuplicateId_Throws()
    {
        var catalog = new FakeMediaCatalog().AddExercise("squat", "Squat");

        Assert.Throws<ArgumentException>(() => catalog.AddExercise("squat", "Again"));
    }

    [Fact]
    public void Variant_PosterAndVideo_HaveTheirFileNamesAndContentTypes()
    {
        var exercise = new FakeMediaCatalog().AddExercise("squat", "Squat", e => e.AddTypicalVariants()).GetExercise("squat");

        var poster = exercise.GetVariant(FakeMediaKind.Video, "poster");
        var video = exercise.GetVariant(FakeMediaKind.Video, "720p");

        Assert.Equal("/media/videos/squat/poster/poster.jpg", poster.Path);
        Assert.Equal("image/jpeg", poster.ContentType);
        Assert.Equal("/media/videos/squat/720p/720p.mp4", video.Path);
        Assert.Equal("video/mp4", video.ContentType);
    }
}
