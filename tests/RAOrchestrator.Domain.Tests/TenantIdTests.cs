using RAOrchestrator.Domain.Resources;

namespace RAOrchestrator.Domain.Tests;

public sealed class TenantIdTests
{
    [Theory]
    [InlineData("72F988BF-86F1-41AF-91AB-2D7CD011DB47", "72f988bf-86f1-41af-91ab-2d7cd011db47")]
    [InlineData("72f988bf-86f1-41af-91ab-2d7cd011db47", "72f988bf-86f1-41af-91ab-2d7cd011db47")]
    public void A_guid_is_normalized_to_lower_case(string input, string expected)
    {
        Assert.True(TenantId.TryNormalize(input, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("contoso.onmicrosoft.com")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("{72f988bf-86f1-41af-91ab-2d7cd011db47}")]
    public void Anything_but_a_non_empty_guid_is_refused(string input) => Assert.False(TenantId.TryNormalize(input, out _));
}
