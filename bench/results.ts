import { writeFile } from 'node:fs/promises';

/** One line of bench/results.json: our figure, the baseline's from the same run, their ratio and the goal. */
export interface Metric {
  ours: number;
  baseline: number | null;
  ratio: number | null;
  /**
   * The bound to stay at or under: on the ratio, or (goalKind 'absolute') on ours in `unit`; for a rate
   * (goalKind 'min-ratio', more is better) the ratio to stay at or above. null: no goal.
   */
  goal: number | null;
  goalKind?: 'ratio' | 'absolute' | 'min-ratio';
  unit: string;
  /** Whether the goal is met; null when there is no goal. */
  met: boolean | null;
  note?: string;
}

export type Results = Record<string, Metric>;

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Whole numbers from 100 up, three significant digits below. */
const round = (value: number): number => (Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3)));

/** A ratio metric: met when ours/baseline is at most the goal. */
export function ratioMetric(ours: number, baseline: number, goal: number | null, unit: string, note?: string): Metric {
  const ratio = Math.round((ours / baseline) * 1000) / 1000;
  return { ours: round(ours), baseline: round(baseline), ratio, goal, unit, met: goal === null ? null : ratio <= goal, ...(note && { note }) };
}

/** A rate against the baseline's (more is better): met when ours/baseline is at least the goal. */
export function rateMetric(ours: number, baseline: number, goal: number | null, unit: string, note?: string): Metric {
  const ratio = Math.round((ours / baseline) * 1000) / 1000;
  return { ours: round(ours), baseline: round(baseline), ratio, goal, goalKind: 'min-ratio', unit, met: goal === null ? null : ratio >= goal, ...(note && { note }) };
}

/**
 * The same metric with its ratio the median of paired runs' ratios (ours and the baseline run one after
 * the other), so that a busy spell on the machine falls on both sides of a pair alike.
 */
export function withPairedRatio(metric: Metric, ratios: readonly number[]): Metric {
  const ratio = Math.round(median(ratios) * 1000) / 1000;
  const met = metric.goal === null ? null : metric.goalKind === 'min-ratio' ? ratio >= metric.goal : ratio <= metric.goal;
  const spread = ratios.length > 1 ? `; ratios ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}` : '';
  return { ...metric, ratio, met, note: `${metric.note ?? ''}${spread}` };
}

/** An absolute metric: met when ours is at most the goal (in the metric's own unit). */
export function absoluteMetric(ours: number, goal: number | null, unit: string, note?: string): Metric {
  return { ours: round(ours), baseline: null, ratio: null, goal, goalKind: 'absolute', unit, met: goal === null ? null : ours <= goal, ...(note && { note }) };
}

export function formatTable(results: Results): string {
  const rows = Object.entries(results).map(([name, m]) => [
    name,
    `${m.ours} ${m.unit}`,
    m.baseline === null ? '—' : `${m.baseline} ${m.unit}`,
    m.ratio === null ? '—' : `${m.ratio.toFixed(2)}×`,
    m.goal === null ? '—' : m.goalKind === 'absolute' ? `≤ ${m.goal} ${m.unit}` : m.goalKind === 'min-ratio' ? `≥ ${m.goal}×` : `≤ ${m.goal}×`,
    m.met === null ? '—' : m.met ? 'yes' : 'NO',
    m.note ?? '',
  ]);
  const header = ['metric', 'ours', 'baseline', 'ratio', 'goal', 'met', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export async function writeResults(file: string, results: Results): Promise<void> {
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
}
