/**
 * Human views of a cost report: text tables for the terminal (`npm run cost`, the plan summary) and
 * `cost-summary.html`, a self-contained page with an inline SVG bar chart of cost per layer and posture.
 */
import { Decimal } from "./decimal";
import { CostReport, LayerCost, POSTURES, Posture } from "./report";

export const POSTURE_LABELS: Record<Posture, string> = { alwaysOn: "always-on", proofWindow: "proof-window", idleSafe: "idle-safe" };
const POSTURE_COLOURS: Record<Posture, string> = { alwaysOn: "#c0392b", proofWindow: "#2e86c1", idleSafe: "#27ae60" };

/**
 * How a posture's figure reads against the budget. Always-on (every surface up all month) is what nobody runs:
 * information, never an alarm; the proof-window and idle-safe postures are the ones a budget breach is about.
 */
export function budgetLabel(posture: Posture, overBudget: boolean, alarm = "OVER BUDGET"): string {
  if (posture === "alwaysOn") return overBudget ? "information: over the budget if never closed" : "information: within budget";
  return overBudget ? alarm : "within budget";
}

/** Money for display: two decimals. */
function usd(value: string): string {
  return Decimal.of(value).toFixed(2);
}

function percentOf(part: string, whole: string): string {
  const w = Decimal.of(whole);
  return w.isZero() ? "-" : `${Decimal.of(part).times(100).div(w, 0, "halfUp").toString()}%`;
}

function textTable(header: string[], rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function shortName(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/** The per-layer table: envelope, the three postures, share of the envelope used by the proof-window estimate. */
export function formatLayerTable(report: CostReport): string {
  const rows = report.layers.map((l: LayerCost) =>
    l.planned === false
      ? [l.stackName, usd(l.envelopeUsd), "-", "-", "-", "-", "not planned"]
      : [
          l.stackName,
          usd(l.envelopeUsd),
          usd(l.monthlyCost.alwaysOn),
          usd(l.monthlyCost.proofWindow),
          usd(l.monthlyCost.idleSafe),
          percentOf(l.monthlyCost.proofWindow, l.envelopeUsd),
          `${l.unpricedResources}${l.overEnvelope ? "  OVER ENVELOPE" : ""}`,
        ],
  );
  const p = report.postures;
  rows.push([
    "total",
    usd(report.budget.limitUsd),
    usd(p.alwaysOn.monthlyCost),
    usd(p.proofWindow.monthlyCost),
    usd(p.idleSafe.monthlyCost),
    percentOf(p.proofWindow.monthlyCost, report.budget.limitUsd),
    String(report.summary?.unpriced ?? ""),
  ]);
  return textTable(["stack", "envelope", "always-on", "proof-window", "idle-safe", "of envelope", "unpriced"], rows, new Set([1, 2, 3, 4, 5]));
}

/** The posture table: monthly cost, headroom against the budget, hourly burn. */
export function formatPostureTable(report: CostReport): string {
  const rows = POSTURES.map((p) => {
    const t = report.postures[p];
    return [POSTURE_LABELS[p], usd(t.monthlyCost), usd(t.headroom), t.hourlyBurn, budgetLabel(p, t.overBudget)];
  });
  return textTable(["posture", "USD/month", "headroom", "USD/hour", `budget ${usd(report.budget.limitUsd)}`], rows, new Set([1, 2, 3]));
}

/** Highest budget alert a monthly figure reaches (1-based), or 0. */
export function alertLevel(report: CostReport, monthly: string): number {
  const m = Decimal.of(monthly);
  return report.budget.alertThresholdsUsd.filter((a) => m.gte(a)).length;
}

/** Full terminal report of `npm run cost`. */
export function formatCostReport(report: CostReport, files: string[] = []): string {
  const lines = [
    `cost of ${report.env}: ${report.stacks?.length ? report.stacks.join(", ") : "no stacks"}; ${report.hoursPerMonth} h/month; profile ${report.profile?.source ?? "?"}; prices ${report.priceTable.file} (${report.priceTable.region})`,
    "",
    formatLayerTable(report),
    "",
    formatPostureTable(report),
  ];
  const alerts = report.budget.alertThresholdsUsd.map(usd).join(" / ");
  const level = alertLevel(report, report.postures.proofWindow.monthlyCost);
  lines.push(
    "",
    `budget ${report.budget.name}: ${usd(report.budget.limitUsd)} USD, alerts at ${alerts}; the proof-window estimate ${level ? `reaches alert ${level}` : "is below alert 1"}`,
  );
  lines.push(
    `proof-window burn ${report.postures.proofWindow.hourlyBurn} USD/hour while windows are open (hours: ${Object.entries(
      report.profile?.proofWindowHours ?? {},
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")})`,
  );
  for (const p of ["alwaysOn", "proofWindow"] as const) {
    const top = report.postures[p].dominantResources;
    if (top.length) lines.push(`dominant ${POSTURE_LABELS[p]}: ${top.map((d) => `${shortName(d.urn)} ${usd(d.monthlyCost)}`).join(", ")}`);
  }
  const unpriced = report.resources.filter((r) => r.unpriced);
  if (unpriced.length) {
    lines.push("", `unpriced resources (${unpriced.length}): never counted as 0; their cost is unknown or a lower bound`);
    for (const r of unpriced.slice(0, 20)) lines.push(`  ${r.name} (${r.resourceType}, ${r.layer}): ${r.unpricedReason ?? ""}`);
    if (unpriced.length > 20) lines.push(`  ... ${unpriced.length - 20} more in cost-report.json`);
  }
  if (report.phaseWindows?.length) lines.push("", "proof windows (npm run window -- open --phase P --dry-run):", formatPhaseWindowTable(report));
  if (report.windowTargets) lines.push("", formatWindowTargets(report));
  const s = report.summary;
  lines.push("", `confidence ${report.confidence}${s ? ` (${s.priced} of ${s.priced + s.unpriced} billed resources fully priced; ${s.free} free)` : ""}`);
  if (files.length) lines.push(`wrote ${files.join(", ")}`);
  return lines.join("\n");
}

/** The phase-window table: surfaces, burn, hours and envelope of every phase. */
export function formatPhaseWindowTable(report: CostReport): string {
  const rows = (report.phaseWindows ?? []).map((w) => [
    w.phase,
    w.surfaces.join(",") || "-",
    w.hourlyBurn,
    String(w.hours),
    Decimal.of(w.envelope).toFixed(2),
    w.dominantSurfaces.map((d) => `${d.surface} ${Decimal.of(d.hourlyBurn).toFixed(2)}`).join(", "),
    w.unpriced.length ? String(w.unpriced.length) : "",
  ]);
  return textTable(["phase", "surfaces", "USD/h", "h/month", "envelope", "dominant", "unpriced"], rows, new Set([2, 3, 4]));
}

/** Between-windows and idle-switch postures plus the targets, one line each. */
export function formatWindowTargets(report: CostReport): string {
  const lines: string[] = [];
  const bw = report.postures.betweenWindows;
  lines.push(
    bw
      ? `between windows ${usd(bw.monthlyCost)} USD/month (${bw.source}${bw.unpriced.length ? `; ${bw.unpriced.length} unpriced, a lower bound` : ""})`
      : "between windows: not priced (no closed-window plan)",
  );
  const sw = report.postures.idleSafeSwitch;
  if (sw) lines.push(`idle-safe switch ${usd(sw.monthlyCost)} USD/month (${sw.source})`);
  for (const t of report.windowTargets ?? [])
    lines.push(`target ${t.name} <= ${t.limit}: ${t.value === null ? "unknown" : usd(t.value)} ${t.ok ? "MET" : "NOT MET"} (${t.detail})`);
  return lines.join("\n");
}

/** Compact lines for the plan summary. */
export function formatPlanCost(report: CostReport): string {
  const p = report.postures;
  return [
    formatLayerTable(report),
    `budget ${usd(report.budget.limitUsd)} USD/month: proof-window ${usd(p.proofWindow.monthlyCost)} (${p.proofWindow.hourlyBurn} USD/h while windows are open), idle-safe ${usd(p.idleSafe.monthlyCost)}, always-on ${usd(p.alwaysOn.monthlyCost)} (information: nobody runs every surface all month); confidence ${report.confidence}`,
    ...(report.windowTargets ? [formatWindowTargets(report)] : []),
  ].join("\n");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

/** A round tick step (1, 2 or 5 x 10^n) giving about `ticks` intervals up to `max`. */
function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * pow >= raw) ?? 10) * pow;
}

/**
 * Inline SVG: per layer, one bar per posture and the layer's envelope as a dashed line, and the monthly budget as a
 * red line across the plot. The axis reaches the budget and is scaled to the envelopes and the proof-window and
 * idle-safe figures, so they stay readable; an always-on bar taller than
 * the axis is cut at the top (marked with a white notch) and labelled with its full value.
 */
export function costChartSvg(report: CostReport): string {
  const layers = report.layers;
  const num = (v: string) => Decimal.of(v).toNumber();
  const budget = num(report.budget.limitUsd);
  const readable = [budget, ...layers.flatMap((l) => [num(l.envelopeUsd), num(l.monthlyCost.proofWindow), num(l.monthlyCost.idleSafe)])];
  const step = niceStep(Math.max(1, ...readable) * 1.15, 5);
  const max = Math.ceil((Math.max(1, ...readable) * 1.15) / step) * step;
  const bar = 24;
  const gap = 6;
  const groupWidth = POSTURES.length * (bar + gap) + 40;
  const left = 64;
  const top = 40;
  const plotHeight = 240;
  const width = left + layers.length * groupWidth + 20;
  const height = top + plotHeight + 60;
  const y = (v: number) => top + plotHeight - (Math.min(v, max) / max) * plotHeight;
  const parts: string[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) {
    parts.push(`<line x1="${left}" x2="${width - 10}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11">${Number(v.toFixed(2))}</text>`);
  }
  layers.forEach((l, gi) => {
    const x0 = left + gi * groupWidth + 14;
    POSTURES.forEach((p, i) => {
      const v = num(l.monthlyCost[p]);
      const x = x0 + i * (bar + gap);
      const h = Math.max(v > 0 ? 1 : 0, (Math.min(v, max) / max) * plotHeight);
      const label = `${l.stackName} ${POSTURE_LABELS[p]}: ${usd(l.monthlyCost[p])} USD/month`;
      parts.push(
        `<rect x="${x}" y="${(top + plotHeight - h).toFixed(1)}" width="${bar}" height="${h.toFixed(1)}" fill="${POSTURE_COLOURS[p]}"><title>${escapeHtml(label)}</title></rect>`,
      );
      if (v > max) parts.push(`<path d="M${x - 1} ${top + 10} l${bar + 2} -6 v5 l-${bar + 2} 6 z" fill="#fff"/>`);
      const ly = v > max ? top - 4 : top + plotHeight - h - 4;
      parts.push(
        `<text x="${x + bar / 2}" y="${ly.toFixed(1)}" text-anchor="middle" font-size="10">${escapeHtml(v >= 1000 ? Math.round(v).toString() : usd(l.monthlyCost[p]))}</text>`,
      );
    });
    const env = y(num(l.envelopeUsd));
    parts.push(
      `<line x1="${x0 - 6}" x2="${x0 + POSTURES.length * (bar + gap)}" y1="${env.toFixed(1)}" y2="${env.toFixed(1)}" stroke="#333" stroke-width="1.5" stroke-dasharray="5 3"><title>${escapeHtml(`${l.stackName} envelope ${usd(l.envelopeUsd)} USD`)}</title></line>`,
    );
    parts.push(
      `<text x="${x0 + (POSTURES.length * (bar + gap)) / 2}" y="${top + plotHeight + 18}" text-anchor="middle" font-size="12">${escapeHtml(l.layer)}${l.planned === false ? " (not planned)" : ""}</text>`,
    );
  });
  const budgetY = y(budget).toFixed(1);
  parts.push(
    `<line x1="${left}" x2="${width - 10}" y1="${budgetY}" y2="${budgetY}" stroke="#7d3c98" stroke-width="1.5" stroke-dasharray="8 4"><title>${escapeHtml(`monthly budget ${usd(report.budget.limitUsd)} USD (the whole environment)`)}</title></line>`,
    `<text x="${width - 12}" y="${(Number(budgetY) - 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#7d3c98">budget ${escapeHtml(usd(report.budget.limitUsd))} USD/month (whole environment)</text>`,
  );
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotHeight}" stroke="#999"/>`);
  parts.push(
    `<text x="14" y="${top + plotHeight / 2}" transform="rotate(-90 14 ${top + plotHeight / 2})" text-anchor="middle" font-size="12">USD / month</text>`,
  );
  const legend = [...POSTURES.map((p) => [POSTURE_LABELS[p], POSTURE_COLOURS[p]] as const), ["layer envelope", "none"] as const];
  legend.forEach(([label, colour], i) => {
    const x = left + i * 130;
    const yy = top + plotHeight + 44;
    parts.push(
      colour === "none"
        ? `<line x1="${x}" x2="${x + 14}" y1="${yy - 4}" y2="${yy - 4}" stroke="#333" stroke-width="1.5" stroke-dasharray="5 3"/>`
        : `<rect x="${x}" y="${yy - 10}" width="12" height="12" fill="${colour}"/>`,
    );
    parts.push(`<text x="${x + 18}" y="${yy}" font-size="12">${escapeHtml(label)}</text>`);
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<title id="chart-title">Monthly cost per layer and posture, ${escapeHtml(report.env)}</title>`,
    `<text x="${left}" y="18" font-size="14" font-weight="bold">Monthly cost per layer (USD), budget ${escapeHtml(usd(report.budget.limitUsd))} (red line); envelopes judge the proof-window posture; always-on (information) bars above the axis are cut</text>`,
    ...parts,
    "</svg>",
  ].join("\n");
}

function htmlTable(header: string[], rows: string[][]): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** `cost-summary.html`: chart, layer and posture tables, dominant and unpriced resources. */
export function costSummaryHtml(report: CostReport): string {
  const layerRows = report.layers.map((l) => [
    l.stackName,
    usd(l.envelopeUsd),
    ...(l.planned === false ? ["-", "-", "-"] : POSTURES.map((p) => usd(l.monthlyCost[p]))),
    String(l.unpricedResources),
    l.planned === false ? "not planned" : l.overEnvelope ? "proof-window over envelope" : "proof-window within envelope",
  ]);
  const postureRows = POSTURES.map((p) => {
    const t = report.postures[p];
    return [
      POSTURE_LABELS[p],
      usd(t.monthlyCost),
      usd(t.headroom),
      t.hourlyBurn,
      budgetLabel(p, t.overBudget, "over budget"),
      t.dominantResources.map((d) => `${shortName(d.urn)} ${usd(d.monthlyCost)}`).join(", "),
    ];
  });
  const unpriced = report.resources.filter((r) => r.unpriced).map((r) => [r.name, r.resourceType, r.layer, r.unpricedReason ?? ""]);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Cost summary: ${escapeHtml(report.env)}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1100px; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; font-size: 13px; }
th { background: #f3f3f3; }
.note { color: #555; font-size: 13px; }
</style>
</head>
<body>
<h1>Cost summary: ${escapeHtml(report.env)}</h1>
<p class="note">Budget ${escapeHtml(report.budget.name)}: ${escapeHtml(usd(report.budget.limitUsd))} USD/month, alerts at ${escapeHtml(report.budget.alertThresholdsUsd.map(usd).join(" / "))} USD.
Months are ${report.hoursPerMonth} hours. Prices: ${escapeHtml(report.priceTable.file)} (${escapeHtml(report.priceTable.region)}). Profile: ${escapeHtml(report.profile?.source ?? "?")}.
Confidence ${escapeHtml(report.confidence)}: unpriced resources are never counted as 0.</p>
${costChartSvg(report)}
<h2>Layers</h2>
${htmlTable(["stack", "envelope", "always-on", "proof-window", "idle-safe", "unpriced", "status (proof-window against the envelope)"], layerRows)}
<h2>Postures</h2>
${htmlTable(["posture", "USD/month", "headroom", "USD/hour", "budget", "dominant resources"], postureRows)}
<h2>Proof windows</h2>
<p class="note">${escapeHtml(formatWindowTargets(report)).replace(/\n/g, "<br>")}</p>
${htmlTable(
  ["phase", "surfaces", "USD/h", "hours/month", "envelope", "dominant surfaces", "unpriced"],
  (report.phaseWindows ?? []).map((w) => [
    w.phase,
    w.surfaces.join(", ") || "-",
    w.hourlyBurn,
    String(w.hours),
    usd(w.envelope),
    w.dominantSurfaces.map((d) => `${d.surface} ${usd(d.hourlyBurn)}`).join(", "),
    w.unpriced.join(", "),
  ]),
)}
<h2>Unpriced resources (${unpriced.length})</h2>
${unpriced.length ? htmlTable(["resource", "type", "layer", "why"], unpriced) : "<p>none</p>"}
</body>
</html>
`;
}
