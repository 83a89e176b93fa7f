namespace RAOrchestrator.Directory.Tests;

/// <summary>The wait before a retry Graph gave no Retry-After for: full jitter under a doubling ceiling.</summary>
public sealed class BackoffTests
{
    [Fact]
    public void Each_retry_waits_at_random_under_a_ceiling_that_doubles_from_the_retry_delay_up_to_the_maximum()
    {
        var options = new GraphOptions { RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromSeconds(1) };
        double[] ceilings = [100, 200, 400, 800, 1000, 1000, 1000];

        for (var attempt = 1; attempt <= ceilings.Length; attempt++)
        {
            var waits = Enumerable.Range(0, 500).Select(_ => options.Backoff(attempt).TotalMilliseconds).ToArray();
            Assert.All(waits, w => Assert.InRange(w, 0, ceilings[attempt - 1]));
            // Spread over the whole range, not pinned to the floor or the ceiling (500 draws: missing either half has odds 2^-500).
            Assert.Contains(waits, w => w < ceilings[attempt - 1] / 2);
            Assert.Contains(waits, w => w > ceilings[attempt - 1] / 2);
        }
    }

    [Theory]
    [InlineData(0, 1000)]
    [InlineData(-5, 1000)]
    [InlineData(500, 100)]
    [InlineData(500, 600_000)]
    public void A_retry_delay_that_is_not_positive_or_a_maximum_outside_it_and_the_longest_retry_after_is_refused(int delayMs, int maxMs)
    {
        var options = new GraphOptions
        {
            ClientId = "6c1f3e2a-8d4b-4f0e-9a7c-2b5d8e1f4a90",
            ClientSecret = "secret",
            RetryDelay = TimeSpan.FromMilliseconds(delayMs),
            MaxRetryDelay = TimeSpan.FromMilliseconds(maxMs),
        };

        Assert.Contains(options.Validate(), e => e.Contains("Graph:RetryDelay", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_retry_delays_pass_validation()
    {
        var options = new GraphOptions { ClientId = "6c1f3e2a-8d4b-4f0e-9a7c-2b5d8e1f4a90", ClientSecret = "secret" };

        Assert.Empty(options.Validate());
    }
}
