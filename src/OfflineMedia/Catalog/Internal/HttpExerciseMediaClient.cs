using Microsoft.Extensions.Options;
using OfflineMedia.Variants;
using OfflineMedia.Variants.Internal;

namespace OfflineMedia.Catalog.Internal;

/// <summary>The default <see cref="IExerciseMediaClient"/>: <c>GET api/exercises/{id}/media</c>, with variants as URL strings or in the richer object form.</summary>
internal sealed class HttpExerciseMediaClient(CatalogHttp http, IOptionsMonitor<OfflineMediaOptions> options) : IExerciseMediaClient
{
    public async Task<ExerciseMediaInfo> GetMediaAsync(string exerciseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(exerciseId);
        var url = http.Route(options.CurrentValue.ExerciseMediaRoute, "exerciseId", exerciseId);
        var what = $"the media of exercise '{exerciseId}'";
        var dto = await http.GetAsync(url, CatalogJsonContext.Default.ExerciseMediaDto, what, cancellationToken).ConfigureAwait(false);

        if (dto.Images?.ContainsKey(MediaVariantNames.Poster) == true && dto.Videos?.ContainsKey(MediaVariantNames.Poster) == true)
        {
            // ExerciseMediaInfo would refuse it with an ArgumentException: the server's fault, reported like any malformed answer.
            throw CatalogHttp.Invalid(what, url, "it lists a poster under both images and videos");
        }

        return new ExerciseMediaInfo(Variants(dto.Images, "images", VariantLadder.ImageRank), Variants(dto.Videos, "videos", VariantLadder.VideoRank));

        List<MediaVariant> Variants(Dictionary<string, VariantDto?>? variants, string list, Func<string, int> rank)
        {
            var result = new List<MediaVariant>(variants?.Count ?? 0);
            foreach (var (name, variant) in variants ?? [])
            {
                if (name != MediaVariantNames.Poster && rank(name) < 0)
                {
                    continue; // A variant this SDK does not know, whatever its shape: ignored, so servers can add new ones.
                }

                if (variant is null || string.IsNullOrWhiteSpace(variant.Url))
                {
                    throw CatalogHttp.Invalid(what, url, $"{list}.{name} has no URL");
                }

                if (variant.Bytes < 0)
                {
                    throw CatalogHttp.Invalid(what, url, $"{list}.{name} has a negative size");
                }

                if (variant.Sha256 is { } sha && (sha.Length != 64 || !sha.All(Uri.IsHexDigit)))
                {
                    throw CatalogHttp.Invalid(what, url, $"{list}.{name} has a sha256 that is not 64 hex digits");
                }

                result.Add(new MediaVariant(name, variant.Url, variant.Bytes, variant.Sha256));
            }

            return result;
        }
    }
}
