namespace Grad.OpenCL;

/// <summary>An OpenCL call failed. The message names the call, the error by its OpenCL name, and
/// what it usually means.</summary>
public class OpenCLException(string message, int code = 0) : Exception(message)
{
    /// <summary>The OpenCL error code (negative), or 0 where none applies.</summary>
    public int Code { get; } = code;

    internal static void Check(int code, string call)
    {
        if (code != 0) throw new OpenCLException($"{call} failed: {ErrorName(code)} ({code}){Hint(code)}", code);
    }

    /// <summary>Whether the error means the device ran out of memory (buffers are allocated lazily,
    /// so it can surface at a kernel launch as well as at the allocation).</summary>
    internal static bool IsOutOfMemory(int code) => code is MemObjectAllocationFailure or OutOfResources or OutOfHostMemory;

    internal const int OutOfResources = -5, OutOfHostMemory = -6, MemObjectAllocationFailure = -4, DeviceNotFound = -1;

    private static string Hint(int code) => code switch
    {
        MemObjectAllocationFailure or OutOfResources => ": the device is out of memory",
        OutOfHostMemory => ": the host is out of memory",
        -36 => ": the command queue is gone (a lost or reset device)",
        -9999 or -14 => ": the device was lost",
        _ => "",
    };

    internal static string ErrorName(int code) => code switch
    {
        -1 => "CL_DEVICE_NOT_FOUND",
        -2 => "CL_DEVICE_NOT_AVAILABLE",
        -3 => "CL_COMPILER_NOT_AVAILABLE",
        -4 => "CL_MEM_OBJECT_ALLOCATION_FAILURE",
        -5 => "CL_OUT_OF_RESOURCES",
        -6 => "CL_OUT_OF_HOST_MEMORY",
        -11 => "CL_BUILD_PROGRAM_FAILURE",
        -14 => "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST",
        -30 => "CL_INVALID_VALUE",
        -33 => "CL_INVALID_DEVICE",
        -34 => "CL_INVALID_CONTEXT",
        -36 => "CL_INVALID_COMMAND_QUEUE",
        -38 => "CL_INVALID_MEM_OBJECT",
        -44 => "CL_INVALID_PROGRAM",
        -45 => "CL_INVALID_PROGRAM_EXECUTABLE",
        -46 => "CL_INVALID_KERNEL_NAME",
        -48 => "CL_INVALID_KERNEL",
        -49 => "CL_INVALID_ARG_INDEX",
        -50 => "CL_INVALID_ARG_VALUE",
        -51 => "CL_INVALID_ARG_SIZE",
        -52 => "CL_INVALID_KERNEL_ARGS",
        -54 => "CL_INVALID_WORK_GROUP_SIZE",
        -55 => "CL_INVALID_WORK_ITEM_SIZE",
        -61 => "CL_INVALID_BUFFER_SIZE",
        -1001 => "CL_PLATFORM_NOT_FOUND_KHR",
        _ => "OpenCL error",
    };
}
