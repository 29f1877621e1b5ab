using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace OfflineMedia.Benchmarks.Sync;

/// <summary>
/// The naive way to sync a workout's media that the SDK is measured against (<c>SyncWorkoutMedia</c> and
/// <c>DownloadAndCacheMedia</c> of a typical hand-written offline media service):
/// sequential over the exercises; per exercise <c>GET /api/exercises/{id}/media</c>, then per variant a new
/// <see cref="HttpClient"/> (5-minute timeout), a buffered <c>GetAsync(url)</c>, <c>EnsureSuccessStatusCode</c>,
/// <c>File.Create</c> + <c>CopyToAsync</c>, and a database row.
/// </summary>
/// <remarks>
/// What had to be filled in, each time in the naive approach's favour: <c>_apiService</c> is one shared
/// <see cref="HttpClient"/> with System.Text.Json; the device profile is a phone with room (medium images,
/// 720p video); <c>_database.InsertOrUpdateAsync</c> is an in-memory dictionary (a real database write
/// would only cost more); the relative media URLs of the API are resolved against the API's base address
/// (a bare <c>new HttpClient()</c> cannot fetch a relative URL); progress is not reported (null in the
/// original signature).
/// </remarks>
internal sealed class NaiveOfflineMediaService(HttpClient apiService, string cacheDirectory)
{
    private readonly ConcurrentDictionary<(string, string, string), CachedMedia> _database = new();

    public int Failures { get; private set; }

    public async Task SyncWorkoutMedia(string workoutId)
    {
        var workout = await apiService.GetFromJsonAsync<WorkoutDto>($"api/workouts/{Uri.EscapeDataString(workoutId)}").ConfigureAwait(false)
            ?? throw new InvalidOperationException("No workout.");
        var exercises = workout.Exercises;

        foreach (var exercise in exercises)
        {
            try
            {
                // Get media info from API
                var mediaInfo = await apiService.GetFromJsonAsync<ExerciseMediaInfoDto>($"api/exercises/{Uri.EscapeDataString(exercise.Id)}/media").ConfigureAwait(false)
                    ?? throw new InvalidOperationException("No media info.");

                // Download appropriate variants (a phone with room: medium images, 720p videos).
                var imageVariant = "medium";
                var videoVariant = "720p";

                if (mediaInfo.Images.TryGetValue(imageVariant, out var imageUrl))
                {
                    await DownloadAndCacheMedia(exercise.Id, imageUrl, "image", imageVariant).ConfigureAwait(false);
                }

                if (mediaInfo.Videos.TryGetValue(videoVariant, out var videoUrl))
                {
                    await DownloadAndCacheMedia(exercise.Id, videoUrl, "video", videoVariant).ConfigureAwait(false);
                }

                // Always download video poster
                if (mediaInfo.Videos.TryGetValue("poster", out var posterUrl))
                {
                    await DownloadAndCacheMedia(exercise.Id, posterUrl, "image", "poster").ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // The naive loop logs and goes on with the other exercises.
            catch (Exception)
#pragma warning restore CA1031
            {
                Failures++;
            }
        }
    }

    private async Task DownloadAndCacheMedia(string exerciseId, string url, string type, string variant)
    {
        // Check if already cached
        var cachedPath = GetCachedMediaPath(exerciseId, type, variant);
        if (File.Exists(cachedPath))
        {
            var fileInfo = new FileInfo(cachedPath);
            if (fileInfo.Length > 0)
            {
                return; // Already cached
            }
        }

        // Download file
        using var httpClient = new HttpClient();
        httpClient.Timeout = TimeSpan.FromMinutes(5);

        var response = await httpClient.GetAsync(new Uri(apiService.BaseAddress!, url)).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();

        // Save to cache
        Directory.CreateDirectory(Path.GetDirectoryName(cachedPath)!);

        using var fileStream = File.Create(cachedPath);
        await response.Content.CopyToAsync(fileStream).ConfigureAwait(false);

        // Update database
        _database[(exerciseId, type, variant)] = new CachedMedia(cachedPath, url, DateTime.UtcNow, new FileInfo(cachedPath).Length);
    }

    private string GetCachedMediaPath(string exerciseId, string type, string variant)
    {
        var cacheDir = Path.Combine(cacheDirectory, "media", type, exerciseId);
        var extension = type == "video" ? ".mp4" : ".jpg";
        return Path.Combine(cacheDir, $"{variant}{extension}");
    }

    private sealed record CachedMedia(string LocalPath, string RemoteUrl, DateTime CachedAt, long FileSize);

    private sealed class WorkoutDto
    {
        [JsonPropertyName("exercises")]
        public List<ExerciseDto> Exercises { get; set; } = [];
    }

    private sealed class ExerciseDto
    {
        [JsonPropertyName("id")]
        public string Id { get; set; } = string.Empty;
    }

    private sealed class ExerciseMediaInfoDto
    {
        [JsonPropertyName("images")]
        public Dictionary<string, string> Images { get; set; } = [];

        [JsonPropertyName("videos")]
        public Dictionary<string, string> Videos { get; set; } = [];
    }
}
