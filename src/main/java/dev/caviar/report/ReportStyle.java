package dev.caviar.report;

/** The report's one stylesheet, inlined so the file opens offline. */
final class ReportStyle {
  private ReportStyle() {}

  static final String CSS =
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;"
          + "max-width:1340px;padding:0 1em;color:#222}"
          + "h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}"
          + ".meta{color:#666}.warn{background:#fff4e0;padding:.5em}"
          + "table{border-collapse:collapse;margin:.5em 0;font-size:.9em}"
          + "th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}"
          + "th{background:#f5f5f5}table.kv th{width:12em}"
          + "td.diverged,td.failed{color:#b03000;font-weight:bold}"
          + ".flag{padding:0 4px;border-radius:3px;background:#e8eef8;font-family:monospace}"
          + ".flag.edge{background:#fde2c8;color:#8a3b00;font-weight:bold}"
          + ".grid{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0;max-width:"
          + Charts.WIDTH
          + "px}figcaption{font-size:.85em;color:#444}img.chart{max-width:100%;height:auto}"
          + "pre{background:#f8f8f8;padding:1em;overflow:auto;font-size:.85em}";
}
