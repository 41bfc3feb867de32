using Grad.Optim;

namespace Grad.Tests.Unit.Optim;

public class ScheduleTests
{
    private static void Near(double expected, double actual) => Assert.Equal(expected, actual, 1e-12);

    [Fact]
    public void Constant_is_constant()
    {
        var schedule = new ConstantSchedule(0.1);
        Near(0.1, schedule.At(0));
        Near(0.1, schedule.At(1_000_000));
    }

    [Fact]
    public void Warm_up_climbs_in_equal_steps_to_the_first_rate()
    {
        var schedule = new ConstantSchedule(0.5, warmupSteps: 4);
        // 0.5·(step + 1)/5 for steps 0…3, then 0.5.
        double[] expected = [0.1, 0.2, 0.3, 0.4, 0.5, 0.5];
        Assert.All(Enumerable.Range(0, expected.Length), s => Near(expected[s], schedule.At(s)));
    }

    [Fact]
    public void Cosine_decays_from_the_rate_to_zero()
    {
        var schedule = new CosineSchedule(1.0, totalSteps: 10);
        Near(1.0, schedule.At(0));
        Near(0.9045084971874737, schedule.At(2));  // ½(1 + cos 36°) = ½(1 + (1 + √5)/4)
        Near(0.5, schedule.At(5));
        Near(0.0, schedule.At(10));
        Near(0.0, schedule.At(50));
    }

    [Fact]
    public void Cosine_after_warm_up_spans_the_remaining_steps()
    {
        var schedule = new CosineSchedule(0.3, totalSteps: 12, warmupSteps: 2);
        Near(0.1, schedule.At(0));
        Near(0.2, schedule.At(1));
        Near(0.3, schedule.At(2));
        Near(0.15, schedule.At(7));  // half-way through the 10 cosine steps
        Near(0.0, schedule.At(12));
    }

    [Fact]
    public void One_cycle_rises_from_max_over_25_to_max_then_anneals_like_pytorch()
    {
        // 100 steps, pctStart 0.3: the peak is step 0.3·100 − 1 = 29, the last step 99.
        var schedule = new OneCycleSchedule(1.0, totalSteps: 100);
        Near(0.04, schedule.At(0));
        Near(0.29516394846410077, schedule.At(10)); // 1 − 0.96·½(1 + cos(π·10/29))
        Near(1.0, schedule.At(29));
        Near(0.500002, schedule.At(64));            // half-way from 1 to 4e-6: (64 − 29)/(99 − 29) = ½
        Near(4e-6, schedule.At(99));                // (1/25)/1e4
        Near(4e-6, schedule.At(200));
    }

    [Fact]
    public void One_cycle_can_rise_linearly()
    {
        var schedule = new OneCycleSchedule(1.0, totalSteps: 100, linearRise: true);
        Near(0.37103448275862067, schedule.At(10)); // 0.04 + 0.96·10/29
        Near(1.0, schedule.At(29));
        Near(0.500002, schedule.At(64));
    }

    [Fact]
    public void One_cycle_with_warm_up_ramps_to_its_initial_rate_first()
    {
        var schedule = new OneCycleSchedule(1.0, totalSteps: 103, warmupSteps: 3);
        Near(0.01, schedule.At(0));
        Near(0.03, schedule.At(2));
        Near(0.04, schedule.At(3));
        Near(1.0, schedule.At(3 + 29));
        Near(0.500002, schedule.At(3 + 64));
    }

    [Fact]
    public void Schedules_without_steps_after_warm_up_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(0.1, totalSteps: 5, warmupSteps: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleSchedule(0.1, totalSteps: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(0.1).At(-1));
    }
}
