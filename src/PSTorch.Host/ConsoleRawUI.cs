using System.Management.Automation.Host;

namespace PSTorch.Host;

/// <summary>
/// The console geometry the formatter asks for. Only the width matters to pstorch: it sets table
/// layout. When output is redirected there is no window, so a fixed width keeps output stable.
/// </summary>
internal sealed class ConsoleRawUI : PSHostRawUserInterface
{
    private const int RedirectedWidth = 120;

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

    public override Size BufferSize
    {
        get => new(Width, short.MaxValue);
        set { }
    }

    public override Size WindowSize
    {
        get => new(Width, Height);
        set { }
    }

    public override Size MaxWindowSize => WindowSize;
    public override Size MaxPhysicalWindowSize => WindowSize;
    public override Coordinates CursorPosition { get; set; }
    public override Coordinates WindowPosition { get; set; }
    public override int CursorSize { get; set; } = 25;
    public override string WindowTitle { get; set; } = "pstorch";
    public override bool KeyAvailable => !Console.IsInputRedirected && Console.KeyAvailable;

    internal static int Width
    {
        get
        {
            if (Console.IsOutputRedirected) return RedirectedWidth;
            // A terminal that reports no size (some pseudo-terminals) gets the redirected width.
            try { return Console.WindowWidth > 0 ? Console.WindowWidth : RedirectedWidth; }
            catch (IOException) { return RedirectedWidth; }
        }
    }

    private static int Height
    {
        get
        {
            if (Console.IsOutputRedirected) return 50;
            try { return Console.WindowHeight > 0 ? Console.WindowHeight : 50; }
            catch (IOException) { return 50; }
        }
    }

    public override KeyInfo ReadKey(ReadKeyOptions options)
    {
        if (Console.IsInputRedirected)
            throw new NotSupportedException("ReadKey needs an interactive console; standard input is redirected.");
        var key = Console.ReadKey((options & ReadKeyOptions.NoEcho) != 0);
        return new KeyInfo((int)key.Key, key.KeyChar, ControlKeyStates(key.Modifiers), keyDown: true);
    }

    public override void FlushInputBuffer() { }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) =>
        throw new NotSupportedException("pstorch does not keep a screen buffer.");

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) =>
        throw new NotSupportedException("pstorch does not keep a screen buffer.");

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) =>
        throw new NotSupportedException("pstorch does not keep a screen buffer.");

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
    {
        // Clear-Host sends a whole-screen fill; honour that one case on a real terminal.
        if (rectangle.Left == -1 && !Console.IsOutputRedirected) Console.Clear();
    }

    private static ControlKeyStates ControlKeyStates(ConsoleModifiers modifiers) =>
        ((modifiers & ConsoleModifiers.Shift) != 0 ? System.Management.Automation.Host.ControlKeyStates.ShiftPressed : 0)
        | ((modifiers & ConsoleModifiers.Control) != 0 ? System.Management.Automation.Host.ControlKeyStates.LeftCtrlPressed : 0)
        | ((modifiers & ConsoleModifiers.Alt) != 0 ? System.Management.Automation.Host.ControlKeyStates.LeftAltPressed : 0);
}
