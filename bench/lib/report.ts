import { cpus, totalmem } from 'node:os';

export interface Row {
  case: string;
  measure: string;
  value: string;
  baseline?: string;
  ratio?: number;
  target?: string;
  met?: boolean;
}

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export const ratio = (value: number, baseline: number) => (baseline > 0 ? Math.round((value / baseline) * 100) / 100 : 0);
/** Whether value / baseline reaches `target`, unrounded (0.896 does not meet 0.9, though it shows as 0.9). */
export const reaches = (value: number, baseline: number, target: number) => baseline > 0 && value / baseline >= target;

export function markdown(rows: Row[]): string {
  const lines = ['| case | measure | Hookline | baseline | ratio | target | met |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const met = r.met === undefined ? '' : r.met ? 'yes' : '**no**';
    lines.push(`| ${r.case} | ${r.measure} | ${r.value} | ${r.baseline ?? ''} | ${r.ratio ?? ''} | ${r.target ?? ''} | ${met} |`);
  }
  return lines.join('\n');
}
