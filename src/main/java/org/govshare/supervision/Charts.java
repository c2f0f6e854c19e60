package org.govshare.supervision;

import java.awt.Color;
import java.awt.Rectangle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The bureau's overview as pictures, drawn by JFreeChart (SVG through JFreeSVG, PNG through
 * ImageIO). Drawing is blocking CPU work: callers run it on a worker. Labels are department codes
 * and English words, so no CJK font is needed on the server.
 */
public final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  public enum Name {
    CALLS_PER_DAY("calls-per-day"), OVERDUE("overdue"), FRESHNESS("freshness");

    private final String path;

    Name(String path) {
      this.path = path;
    }

    public String path() {
      return path;
    }

    public static Name of(String path) {
      for (Name n : values()) {
        if (n.path.equals(path)) {
          return n;
        }
      }
      return null;
    }
  }

  public enum Format {
    SVG("image/svg+xml"), PNG("image/png");

    private final String mediaType;

    Format(String mediaType) {
      this.mediaType = mediaType;
    }

    public String mediaType() {
      return mediaType;
    }
  }

  static final int WIDTH = 960;
  static final int HEIGHT = 540;

  private Charts() {}

  public static JFreeChart callsPerDay(int year, List<StatisticsStore.DayCalls> days) {
    TimeSeries served = new TimeSeries("served");
    TimeSeries refused = new TimeSeries("refused or failed");
    for (StatisticsStore.DayCalls d : days) {
      Day day = new Day(d.day().getDayOfMonth(), d.day().getMonthValue(), d.day().getYear());
      served.add(day, d.served());
      refused.add(day, d.refused());
    }
    TimeSeriesCollection data = new TimeSeriesCollection();
    data.addSeries(served);
    data.addSeries(refused);
    JFreeChart chart = ChartFactory.createTimeSeriesChart("Data calls per day, " + year, "day", "calls", data, true, false, false);
    return styled(chart);
  }

  /** Per provider department: applications decided late or still undecided past the clock, and objections flagged overdue. */
  public static JFreeChart overdue(int year, Map<String, long[]> byDepartment) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    byDepartment.forEach((dept, n) -> {
      data.addValue(n[0], "applications", dept);
      data.addValue(n[1], "objections", dept);
    });
    JFreeChart chart = ChartFactory.createBarChart("Overdue decisions and objections, " + year, "department", "overdue", data,
        PlotOrientation.VERTICAL, true, false, false);
    ((NumberAxis) ((CategoryPlot) chart.getPlot()).getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    return slanted(styled(chart), byDepartment.size());
  }

  /** Per department: update periods on time as a percentage of those due (departments with none due are left out). */
  public static JFreeChart freshness(int year, Map<String, Double> rateByDepartment) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    rateByDepartment.forEach((dept, rate) -> data.addValue(rate * 100, "on time %", dept));
    JFreeChart chart = ChartFactory.createBarChart("Freshness per department, " + year, "department", "updates on time (%)", data,
        PlotOrientation.VERTICAL, false, false, false);
    ((CategoryPlot) chart.getPlot()).getRangeAxis().setRange(0, 100);
    return slanted(styled(chart), rateByDepartment.size());
  }

  // a county has dozens of departments: level codes would overlap
  private static JFreeChart slanted(JFreeChart chart, int departments) {
    if (departments > 8) {
      ((CategoryPlot) chart.getPlot()).getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    return chart;
  }

  private static JFreeChart styled(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(new Color(0xF4F4F4));
    return chart;
  }

  public static byte[] render(JFreeChart chart, Format format) {
    if (format == Format.PNG) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
      try {
        ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }
    SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
    return g.getSVGDocument().getBytes(StandardCharsets.UTF_8);
  }
}
