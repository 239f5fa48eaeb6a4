using SkiaSharp;

namespace Platform.Autoscaler.Simulation.Tests.Cli;

/// <summary>A PNG decoded in full (so a truncated or corrupt file fails), with a way to count pixels of a colour.</summary>
internal sealed class PngImage : IDisposable
{
    private readonly SKBitmap bitmap;

    private PngImage(SKBitmap bitmap) => this.bitmap = bitmap;

    public int Width => bitmap.Width;

    public int Height => bitmap.Height;

    public static PngImage Decode(byte[] bytes)
    {
        Assert.True(bytes.AsSpan().StartsWith((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]), "PNG signature");
        using (var codec = SKCodec.Create(new MemoryStream(bytes)))
        {
            Assert.NotNull(codec);
            Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        }

        return new PngImage(SKBitmap.Decode(bytes) ?? throw new InvalidDataException("the PNG does not decode"));
    }

    /// <summary>Pixels within <paramref name="tolerance"/> per channel of the colour, as drawn at <paramref name="alpha"/> over white.</summary>
    public int Count(ScottPlot.Color color, double alpha = 1, int tolerance = 10) => Count(color, 0, Height, alpha, tolerance);

    /// <summary>As <see cref="Count(ScottPlot.Color, double, int)"/>, in the rows from <paramref name="top"/> up to <paramref name="bottom"/>.</summary>
    public int Count(ScottPlot.Color color, int top, int bottom, double alpha = 1, int tolerance = 10)
    {
        static int Over(byte channel, double alpha) => (int)Math.Round(channel * alpha + 255 * (1 - alpha));
        var (r, g, b) = (Over(color.R, alpha), Over(color.G, alpha), Over(color.B, alpha));
        var count = 0;
        var pixels = bitmap.Pixels;
        foreach (var pixel in pixels.AsSpan(top * Width, (bottom - top) * Width))
        {
            if (Math.Abs(pixel.Red - r) <= tolerance && Math.Abs(pixel.Green - g) <= tolerance && Math.Abs(pixel.Blue - b) <= tolerance)
            {
                count++;
            }
        }

        return count;
    }

    public void Dispose() => bitmap.Dispose();
}
