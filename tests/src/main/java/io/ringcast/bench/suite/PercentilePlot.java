package io.ringcast.bench.suite;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the latency percentile distributions of the suite as one PNG (headless AWT): one panel per latency scenario,
 * Ringcast and the baseline as two lines, in the usual HdrHistogram form: x is the percentile on a
 * {@code 1 / (1 - p)} log scale (0 % to 99.999 %), y the latency on a log scale. Each line is the scenario's
 * representative run (median p99). Not thread-safe; one call per image.
 */
final class PercentilePlot
{
    private static final int PANEL_WIDTH = 640;
    private static final int PANEL_HEIGHT = 400;
    private static final int COLUMNS = 2;
    private static final int MARGIN_LEFT = 70;
    private static final int MARGIN_RIGHT = 36;
    private static final int MARGIN_TOP = 46;
    private static final int MARGIN_BOTTOM = 48;
    private static final double MAX_NINES = 5;
    private static final Color[] SERIES_COLORS = {new Color(0x1f77b4), new Color(0xff7f0e)};
    private static final Color GRID = new Color(0xdddddd);

    /** One line of a panel. */
    record Series(String name, List<double[]> points)
    {
    }

    /** One panel: a title and its lines. */
    record Panel(String title, List<Series> series)
    {
    }

    private PercentilePlot()
    {
    }

    /** Render the panels into {@code file} (PNG). */
    static void write(final List<Panel> panels, final String caption, final Path file) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final int rows = Math.max(1, (panels.size() + COLUMNS - 1) / COLUMNS);
        final int captionHeight = 36;
        final BufferedImage image = new BufferedImage(
            COLUMNS * PANEL_WIDTH, rows * PANEL_HEIGHT + captionHeight, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(caption, 12, 24);
            for (int i = 0; i < panels.size(); i++)
            {
                drawPanel(g, panels.get(i), (i % COLUMNS) * PANEL_WIDTH, captionHeight + (i / COLUMNS) * PANEL_HEIGHT);
            }
        }
        finally
        {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void drawPanel(final Graphics2D g, final Panel panel, final int x0, final int y0)
    {
        final int left = x0 + MARGIN_LEFT;
        final int right = x0 + PANEL_WIDTH - MARGIN_RIGHT;
        final int top = y0 + MARGIN_TOP;
        final int bottom = y0 + PANEL_HEIGHT - MARGIN_BOTTOM;

        double minUs = Double.MAX_VALUE;
        double maxUs = 0;
        for (final Series series : panel.series())
        {
            for (final double[] point : series.points())
            {
                minUs = Math.min(minUs, Math.max(1, point[1]));
                maxUs = Math.max(maxUs, Math.max(1, point[1]));
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(Color.BLACK);
        g.drawString(panel.title(), x0 + 12, y0 + 22);
        if (maxUs == 0)
        {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("no latency data", left + 10, (top + bottom) / 2);
            return;
        }
        final double lowDecade = Math.floor(Math.log10(minUs));
        final double highDecade = Math.max(lowDecade + 1, Math.ceil(Math.log10(maxUs)));

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        final FontMetrics metrics = g.getFontMetrics();
        for (int nines = 0; nines <= MAX_NINES; nines++)
        {
            final int x = (int)Math.round(left + (right - left) * nines / MAX_NINES);
            g.setColor(GRID);
            g.drawLine(x, top, x, bottom);
            g.setColor(Color.DARK_GRAY);
            final String label = percentileLabel(nines);
            g.drawString(label, x - metrics.stringWidth(label) / 2, bottom + 16);
        }
        for (double decade = lowDecade; decade <= highDecade; decade++)
        {
            final int y = yFor(Math.pow(10, decade), lowDecade, highDecade, top, bottom);
            g.setColor(GRID);
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            final String label = latencyLabel(Math.pow(10, decade));
            g.drawString(label, left - 6 - metrics.stringWidth(label), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, right - left, bottom - top);
        g.drawString("percentile", (left + right) / 2 - 25, bottom + 34);

        for (int s = 0; s < panel.series().size(); s++)
        {
            final Series series = panel.series().get(s);
            g.setColor(SERIES_COLORS[s % SERIES_COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            int lastX = -1;
            int lastY = -1;
            for (final double[] point : series.points())
            {
                final int x = (int)Math.round(left + (right - left) * ninesOf(point[0]) / MAX_NINES);
                final int y = yFor(Math.max(1, point[1]), lowDecade, highDecade, top, bottom);
                if (lastX >= 0)
                {
                    g.drawLine(lastX, lastY, x, y);
                }
                lastX = x;
                lastY = y;
            }
            g.setStroke(new BasicStroke(1f));
            final int legendY = top + 16 + 16 * s;
            g.fillRect(left + 10, legendY - 8, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(series.name(), left + 30, legendY - 2);
        }
    }

    /** The x position of a percentile in "nines": 90 % is 1, 99 % is 2, capped at {@value #MAX_NINES}. */
    private static double ninesOf(final double percentile)
    {
        final double remaining = 1 - percentile / 100;
        if (remaining <= Math.pow(10, -MAX_NINES))
        {
            return MAX_NINES;
        }
        return Math.log10(1 / remaining);
    }

    private static int yFor(final double us, final double lowDecade, final double highDecade, final int top, final int bottom)
    {
        final double fraction = (Math.log10(us) - lowDecade) / (highDecade - lowDecade);
        return (int)Math.round(bottom - (bottom - top) * fraction);
    }

    private static String percentileLabel(final int nines)
    {
        if (nines == 0)
        {
            return "0%";
        }
        final double percentile = 100 * (1 - Math.pow(10, -nines));
        return String.format(Locale.ROOT, "%." + Math.max(0, nines - 2) + "f%%", percentile);
    }

    private static String latencyLabel(final double us)
    {
        if (us >= 1_000_000)
        {
            return String.format(Locale.ROOT, "%.0f s", us / 1_000_000);
        }
        if (us >= 1_000)
        {
            return String.format(Locale.ROOT, "%.0f ms", us / 1_000);
        }
        return String.format(Locale.ROOT, "%.0f us", us);
    }

    /** Panels for the latency scenarios, one line per server from its representative run. */
    static List<Panel> panels(final List<Scenario> scenarios, final List<String> servers, final ResultsTable table)
    {
        final List<Panel> panels = new ArrayList<>();
        for (final Scenario scenario : scenarios)
        {
            if (!scenario.latency())
            {
                continue;
            }
            final List<Series> series = new ArrayList<>();
            final StringBuilder title = new StringBuilder(scenario.title());
            for (final String server : servers)
            {
                final RunFigures rep = table.representative(scenario, server);
                if (rep != null)
                {
                    final String label = rep.percentiles().isEmpty() ? " (no deliveries measured, r" + rep.repeat + ")" :
                        " (p99 " + ResultsTable.ms(rep.num("latencyUs.p99")) + " ms, r" + rep.repeat + ")";
                    series.add(new Series(server + label, rep.percentiles()));
                }
            }
            panels.add(new Panel(title.toString(), series));
        }
        return panels;
    }
}
