package io.mirrorsensor.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.DoubleFunction;
import javax.imageio.ImageIO;

/**
 * The benchmark plots: horizontal bars (one value per labelled row) and lines (several series over
 * the same categories), drawn with plain Java2D in headless mode and written as PNG. Enough for
 * the figures of {@link BenchRun}; no charting dependency.
 */
final class Charts {
  static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0x7f7f7f)
  };
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
  private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  /** One bar: its label, value, the text printed after it, and its palette index. */
  record Bar(String label, double value, String text, int color) {}

  /** One line: its name and one value per category (NaN: no point). */
  record Series(String name, double[] values) {}

  private Charts() {}

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Horizontal bars, longest label on the left; {@code log}: logarithmic axis (values > 0). */
  static void bars(Path png, String title, String axis, List<Bar> bars, boolean log)
      throws IOException {
    int rowH = 26;
    int width = 1000;
    int height = 90 + rowH * bars.size() + 40;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = start(img, title);
    FontMetrics fm = g.getFontMetrics(TEXT);
    int labelW = 0;
    for (Bar b : bars) {
      labelW = Math.max(labelW, fm.stringWidth(b.label()));
    }
    int x0 = 20 + labelW + 10;
    int x1 = width - 200;
    double max = 0;
    double min = Double.MAX_VALUE;
    for (Bar b : bars) {
      if (b.value() > 0) {
        max = Math.max(max, b.value());
        min = Math.min(min, b.value());
      }
    }
    if (max <= 0) {
      max = 1;
      min = 1;
    }
    double lo = log ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
    double hi = log ? Math.pow(10, Math.ceil(Math.log10(max))) : niceCeil(max);
    DoubleFunction<Double> pos = v -> log
        ? x0 + (x1 - x0) * (Math.log10(Math.max(v, lo)) - Math.log10(lo))
            / (Math.log10(hi) - Math.log10(lo))
        : x0 + (x1 - x0) * v / hi;
    int top = 60;
    int bottom = top + rowH * bars.size();
    g.setFont(TEXT);
    g.setColor(new Color(0xdddddd));
    for (double t : ticks(lo, hi, log)) {
      int x = (int) Math.round(pos.apply(t));
      g.setColor(new Color(0xdddddd));
      g.drawLine(x, top - 5, x, bottom);
      g.setColor(Color.DARK_GRAY);
      String s = fmt(t);
      g.drawString(s, x - fm.stringWidth(s) / 2, bottom + 16);
    }
    g.drawString(axis + (log ? " (log scale)" : ""), x0, bottom + 34);
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int y = top + i * rowH;
      g.setColor(Color.BLACK);
      g.drawString(b.label(), x0 - 10 - fm.stringWidth(b.label()), y + rowH / 2 + 5);
      int w = b.value() > 0 ? (int) Math.round(pos.apply(b.value()) - x0) : 0;
      g.setColor(PALETTE[b.color() % PALETTE.length]);
      g.fillRect(x0, y + 4, Math.max(w, 1), rowH - 8);
      g.setColor(Color.BLACK);
      g.drawString(b.text(), x0 + w + 6, y + rowH / 2 + 5);
    }
    g.drawLine(x0, top - 5, x0, bottom);
    write(img, g, png);
  }

  /** Lines over categories (x), one per series, with a legend; {@code log}: logarithmic y. */
  static void lines(Path png, String title, String yAxis, String xAxis, List<String> categories,
      List<Series> series, boolean log) throws IOException {
    int width = 900;
    int height = 520;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = start(img, title);
    FontMetrics fm = g.getFontMetrics(TEXT);
    int left = 90;
    int right = width - 230;
    int top = 60;
    int bottom = height - 70;
    double max = 0;
    double min = Double.MAX_VALUE;
    for (Series s : series) {
      for (double v : s.values()) {
        if (v > 0 && !Double.isNaN(v)) {
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
      }
    }
    if (max <= 0) {
      max = 1;
      min = 1;
    }
    double lo = log ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
    double hi = log ? Math.pow(10, Math.ceil(Math.log10(max))) : niceCeil(max * 1.05);
    DoubleFunction<Double> ypos = v -> log
        ? bottom - (bottom - top) * (Math.log10(Math.max(v, lo)) - Math.log10(lo))
            / (Math.log10(hi) - Math.log10(lo))
        : bottom - (bottom - top) * v / hi;
    g.setFont(TEXT);
    for (double t : ticks(lo, hi, log)) {
      int y = (int) Math.round(ypos.apply(t));
      g.setColor(new Color(0xdddddd));
      g.drawLine(left, y, right, y);
      g.setColor(Color.DARK_GRAY);
      String s = fmt(t);
      g.drawString(s, left - 8 - fm.stringWidth(s), y + 4);
    }
    int n = categories.size();
    int[] xs = new int[n];
    for (int i = 0; i < n; i++) {
      xs[i] = n == 1 ? (left + right) / 2 : left + 30 + (right - left - 60) * i / (n - 1);
      g.setColor(Color.BLACK);
      String c = categories.get(i);
      g.drawString(c, xs[i] - fm.stringWidth(c) / 2, bottom + 18);
    }
    g.drawLine(left, top, left, bottom);
    g.drawLine(left, bottom, right, bottom);
    g.drawString(xAxis, (left + right - fm.stringWidth(xAxis)) / 2, bottom + 40);
    g.drawString(yAxis + (log ? " (log scale)" : ""), left, top - 12);
    g.setStroke(new BasicStroke(2.5f));
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      g.setColor(PALETTE[k % PALETTE.length]);
      int px = -1;
      int py = -1;
      for (int i = 0; i < n && i < s.values().length; i++) {
        double v = s.values()[i];
        if (Double.isNaN(v) || (log && v <= 0)) {
          px = -1;
          continue;
        }
        int x = xs[i];
        int y = (int) Math.round(ypos.apply(v));
        g.fillOval(x - 5, y - 5, 10, 10);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        g.drawString(fmt(v), x + 8, k % 2 == 0 ? y - 6 : y + 16);
        px = x;
        py = y;
      }
      int ly = top + 10 + k * 22;
      g.fillRect(right + 20, ly - 9, 16, 10);
      g.setColor(Color.BLACK);
      g.drawString(s.name(), right + 42, ly);
    }
    write(img, g, png);
  }

  private static Graphics2D start(BufferedImage img, String title) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(TITLE);
    g.drawString(title, 20, 30);
    g.setFont(TEXT);
    return g;
  }

  private static void write(BufferedImage img, Graphics2D g, Path png) throws IOException {
    g.dispose();
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageIO.write(img, "png", png.toFile());
  }

  static double[] ticks(double lo, double hi, boolean log) {
    if (log) {
      int a = (int) Math.round(Math.log10(lo));
      int b = (int) Math.round(Math.log10(hi));
      double[] t = new double[b - a + 1];
      for (int i = 0; i <= b - a; i++) {
        t[i] = Math.pow(10, a + i);
      }
      return t;
    }
    double step = niceCeil(hi / 5);
    int count = (int) Math.floor(hi / step + 1e-9) + 1;
    double[] t = new double[count];
    for (int i = 0; i < count; i++) {
      t[i] = i * step;
    }
    return t;
  }

  /** The smallest of 1, 2, 2.5, 5 x 10^k at or above {@code v}. */
  static double niceCeil(double v) {
    if (v <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v - 1e-12 * p) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** 1234567 as "1.23 M", 0.5 as "0.5". */
  static String fmt(double v) {
    double a = Math.abs(v);
    if (a >= 1e9) {
      return trim(v / 1e9) + " G";
    }
    if (a >= 1e6) {
      return trim(v / 1e6) + " M";
    }
    if (a >= 1e4) {
      return trim(v / 1e3) + " k";
    }
    if (a >= 1000) {
      return String.format("%,.0f", v);
    }
    return trim(v);
  }

  private static String trim(double v) {
    String s = Math.abs(v) >= 100 ? String.format("%.0f", v)
        : Math.abs(v) >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }
}
