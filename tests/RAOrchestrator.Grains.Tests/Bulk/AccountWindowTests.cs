using Microsoft.Extensions.Time.Testing;
using RAOrchestrator.Grains.Bulk;

namespace RAOrchestrator.Grains.Tests.Bulk;

/// <summary>The bulk coordinator's flow control over its accounts in flight (pure: a clock the test moves).</summary>
public sealed class AccountWindowTests
{
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Groups_start_while_they_fit_and_the_rest_wait_their_turn_in_order()
    {
        var window = new AccountWindow(Target, _clock, initial: 20);

        var first = window.AdmitAsync(10);
        var second = window.AdmitAsync(10);
        var third = window.AdmitAsync(5);
        var fourth = window.AdmitAsync(1);

        Assert.True(first.IsCompleted && second.IsCompleted);
        Assert.False(third.IsCompleted);
        Assert.False(fourth.IsCompleted, "a small group does not overtake one that asked before it");
        Assert.Equal(20, window.InFlight);

        // Leaving without an answer keeps the window's size, so only the order is at stake here.
        for (var i = 0; i < 5; i++)
        {
            window.Leave();
        }

        Assert.True(third.IsCompleted);
        Assert.False(fourth.IsCompleted);
        window.Leave();
        Assert.True(fourth.IsCompleted);
        Assert.Equal(20, window.InFlight);
    }

    [Fact]
    public void A_group_larger_than_the_window_goes_alone_once_nothing_else_is_in_flight()
    {
        var window = new AccountWindow(Target, _clock, initial: 10);
        var one = window.AdmitAsync(1);
        var big = window.AdmitAsync(20);

        Assert.True(one.IsCompleted);
        Assert.False(big.IsCompleted);
        window.Leave();
        Assert.True(big.IsCompleted);
        Assert.Equal(20, window.InFlight);
    }

    [Fact]
    public void Until_a_first_slow_answer_each_timely_answer_under_demand_widens_the_window_by_one_so_it_doubles_per_window_of_answers()
    {
        var window = new AccountWindow(Target, _clock, initial: 20);
        _ = window.AdmitAsync(20);
        var waiting = window.AdmitAsync(20);
        _ = window.AdmitAsync(100);

        AnswerInTime(window, 20);

        Assert.Equal(40, window.Limit);
        Assert.True(waiting.IsCompleted);
    }

    [Fact]
    public void After_a_slow_answer_timely_answers_under_demand_widen_the_window_by_about_a_batch_per_window_of_answers()
    {
        var window = new AccountWindow(Target, _clock, initial: 40);
        _ = window.AdmitAsync(40);
        _ = window.AdmitAsync(20);
        AnswerLate(window);
        Assert.Equal(20, window.Limit);

        AnswerInTime(window, 20);

        // 20 answers are most of a window's worth (it grows from 20 to 28 meanwhile): about one batch more.
        Assert.Equal(28, window.Limit);
    }

    [Fact]
    public void The_window_never_widens_past_its_ceiling_and_a_lower_ceiling_narrows_it_at_once_but_not_below_the_minimum()
    {
        var window = new AccountWindow(Target, _clock, initial: 20) { Ceiling = 30 };
        _ = window.AdmitAsync(20);
        _ = window.AdmitAsync(100);

        AnswerInTime(window, 20);
        Assert.Equal(30, window.Limit);

        window.Ceiling = 12;
        Assert.Equal(12, window.Limit);
        window.Ceiling = 3;
        Assert.Equal(AccountWindow.Step, window.Limit);
    }

    [Fact]
    public void Without_demand_the_window_does_not_widen()
    {
        var window = new AccountWindow(Target, _clock, initial: 100);
        for (var i = 0; i < 200; i++)
        {
            _ = window.AdmitAsync(1);
            window.Answered(window.Started());
        }

        Assert.Equal(100, window.Limit);
    }

    [Fact]
    public void A_slow_answer_halves_the_window_once_per_target_and_never_below_the_minimum()
    {
        var window = new AccountWindow(Target, _clock, initial: 80, minimum: 10);
        _ = window.AdmitAsync(80);
        var started = window.Started();
        _clock.Advance(Target + TimeSpan.FromSeconds(1));

        window.Answered(started);
        window.Answered(started);
        Assert.Equal(40, window.Limit);

        _clock.Advance(Target);
        window.Answered(started);
        Assert.Equal(20, window.Limit);

        for (var i = 0; i < 4; i++)
        {
            _clock.Advance(Target);
            window.Answered(window.Started() - (long)((Target.TotalSeconds + 1) * _clock.TimestampFrequency));
        }

        Assert.Equal(10, window.Limit);
    }

    private void AnswerInTime(AccountWindow window, int answers)
    {
        for (var i = 0; i < answers; i++)
        {
            var started = window.Started();
            _clock.Advance(TimeSpan.FromSeconds(1));
            window.Answered(started);
        }
    }

    private void AnswerLate(AccountWindow window)
    {
        var started = window.Started();
        _clock.Advance(Target + TimeSpan.FromSeconds(1));
        window.Answered(started);
    }
}
