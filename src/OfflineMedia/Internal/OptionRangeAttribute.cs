using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace OfflineMedia.Internal;

/// <summary>
/// A <see cref="RangeAttribute"/> whose message also gives the value that was set, so the bad setting can be found in
/// the app's code or configuration. In <see cref="ValidationAttribute.ErrorMessage"/>, <c>{0}</c> is the option,
/// <c>{1}</c> and <c>{2}</c> the limits, <c>{3}</c> the value.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class OptionRangeAttribute : RangeAttribute
{
    internal const string DefaultMessage = "{0} must be between {1} and {2}; it was {3}.";

    /// <summary>Initializes a new instance of the <see cref="OptionRangeAttribute"/> class.</summary>
    /// <remarks>
    /// Limits are doubles for every numeric option: <see cref="RangeAttribute"/>'s <see cref="int"/> limits would make a
    /// <see cref="long"/> value beyond <see cref="int.MaxValue"/> throw instead of fail. Doubles hold every limit exactly.
    /// </remarks>
    /// <param name="minimum">The smallest allowed.</param>
    /// <param name="maximum">The largest allowed.</param>
    public OptionRangeAttribute(double minimum, double maximum)
        : base(minimum, maximum) => ErrorMessage = DefaultMessage;

    /// <inheritdoc/>
    // No member names in the result: the message names the option itself, and the options result would prefix them.
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value)
            ? ValidationResult.Success
            : new ValidationResult(string.Format(CultureInfo.InvariantCulture, ErrorMessageString, validationContext.MemberName, Minimum, Maximum, value));
}
