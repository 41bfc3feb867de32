using Grad.Examples.Sweep;

namespace Grad.Tests.Unit.Sweep;

/// <summary>What squeue and scontrol print (Slurm 22.05, as recorded on a real one-node cluster),
/// read into each array task's state and requeue count.</summary>
public sealed class SlurmOutputTests
{
    [Fact]
    public void Squeue_lines_give_each_tasks_state_and_skip_jobs_that_are_not_array_tasks()
    {
        var entries = SlurmOutput.Squeue("""
            15|2|PENDING|JobArrayTaskLimit
            15|3|PENDING|BeginTime
            15|1|RUNNING|None
            15|0|COMPLETED|None
            15|4|FAILED|NonZeroExitCode
            13|N/A|CANCELLED|None

            """);
        Assert.Equal(5, entries.Count);
        Assert.Equal(new QueueEntry(15, 2, "PENDING", "JobArrayTaskLimit"), entries[0]);
        Assert.True(entries[0].Active);
        Assert.False(entries[0].Running);
        Assert.True(entries[2].Running);
        Assert.False(entries[3].Active);
        Assert.False(entries[4].Active);
        Assert.Equal("15_4", entries[4].Name);
    }

    [Fact]
    public void A_squeue_line_in_another_format_is_an_error_that_shows_it()
    {
        var e = Assert.Throws<SlurmCommandException>(() => SlurmOutput.Squeue("JOBID PARTITION NAME\n"));
        Assert.Contains("'JOBID PARTITION NAME'", e.Message);
        Assert.Contains(SlurmOutput.SqueueFormat, e.Message);
    }

    [Fact]
    public void Scontrol_records_give_requeue_counts_with_pending_tasks_as_ranges()
    {
        var records = SlurmOutput.ScontrolJobs("""
            JobId=1 ArrayJobId=1 ArrayTaskId=2-5%2 ArrayTaskThrottle=2 JobName=wrap UserId=root(0) JobState=PENDING Reason=JobArrayTaskLimit Dependency=(null) Requeue=1 Restarts=0 BatchFlag=1 ExitCode=0:0
            JobId=3 ArrayJobId=1 ArrayTaskId=1 JobName=wrap JobState=RUNNING Reason=None Requeue=1 Restarts=2 ExitCode=0:0 Command=/tmp/a b.sh
            JobId=9 JobName=plain JobState=COMPLETED Restarts=0
            """);
        Assert.Equal(2, records.Count);
        Assert.Equal((1L, 0), (records[0].ArrayJob, records[0].Restarts));
        Assert.Equal([2, 3, 4, 5], records[0].Tasks);
        Assert.Equal([1], records[1].Tasks);
        Assert.Equal(2, records[1].Restarts);
    }

    [Theory]
    [InlineData("0-7", new[] { 0, 1, 2, 3, 4, 5, 6, 7 })]
    [InlineData("0-2,5,7-8", new[] { 0, 1, 2, 5, 7, 8 })]
    [InlineData("3", new[] { 3 })]
    public void Array_specs_and_index_lists_convert_both_ways(string spec, int[] indices)
    {
        Assert.Equal(spec, SlurmOutput.ArraySpec(indices.Reverse()));
        Assert.Equal(indices, SlurmOutput.TaskRange(spec));
        Assert.Equal(indices, SlurmOutput.TaskRange(spec + "%4"));
    }
}
