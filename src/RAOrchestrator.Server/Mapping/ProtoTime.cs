using Google.Protobuf.WellKnownTypes;
using RAOrchestrator.Domain.Validation;

namespace RAOrchestrator.Server.Mapping;

/// <summary>
/// Times and durations read from requests. A Timestamp or Duration on the wire can hold values the well-known types
/// forbid (year 10000, nanos of -1 or a billion, seconds and nanos of opposite signs) and that their conversions throw
/// on; every one read from a request goes through here, so such a value is a violation naming its field, never INTERNAL.
/// </summary>
public static class ProtoTime
{
    // google/protobuf/timestamp.proto: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
    private const long MinTimestampSeconds = -62_135_596_800;
    private const long MaxTimestampSeconds = 253_402_300_799;

    // google/protobuf/duration.proto: about ±10,000 years.
    private const long MaxDurationSeconds = 315_576_000_000;
    private const int NanosPerSecond = 1_000_000_000;

    /// <summary>The instant, or null when none was sent or (with a violation naming <paramref name="field"/>) it is not a valid Timestamp.</summary>
    public static DateTimeOffset? Read(Timestamp? value, Violations violations, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Seconds is < MinTimestampSeconds or > MaxTimestampSeconds || value.Nanos is < 0 or >= NanosPerSecond)
        {
            violations.Add(field, "must be a valid timestamp between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (nanos 0 to 999,999,999)");
            return null;
        }

        return value.ToDateTimeOffset();
    }

    /// <summary>
    /// The length, or null when none was sent or (with a violation naming <paramref name="field"/>) it is not a valid
    /// Duration or lies outside <paramref name="min"/> to <paramref name="max"/>, which <paramref name="range"/> describes.
    /// </summary>
    public static TimeSpan? Read(Duration? value, TimeSpan min, TimeSpan max, string range, Violations violations, string field)
    {
        if (value is null)
        {
            return null;
        }

        var valid = value.Seconds is >= -MaxDurationSeconds and <= MaxDurationSeconds
            && value.Nanos is > -NanosPerSecond and < NanosPerSecond
            && !(value.Seconds > 0 && value.Nanos < 0) && !(value.Seconds < 0 && value.Nanos > 0);
        var length = valid ? value.ToTimeSpan() : TimeSpan.Zero;
        if (!valid || length < min || length > max)
        {
            violations.Add(field, $"must be {range}");
            return null;
        }

        return length;
    }
}
